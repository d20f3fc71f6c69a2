"""Nothing Régie writes in its data directory is readable by another account."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Régie in processes of its own, on a SQLite database of its own: once per CI run.
pytestmark = pytest.mark.own_database

# Writes what a running Régie writes (a user, an attachment, an upload, a ticket of the WAL),
# then waits with the database still open so that its -wal and -shm files exist.
WRITER = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from regie.core.models import User
from regie.helpdesk.attachments import store
User.objects.create_user(username="lecteur", password="x")
store(SimpleUploadedFile("note.txt", b"bonjour"))
default_storage.save("logos/logo.txt", ContentFile(b"logo"))
print("written", flush=True)
input()
"""


def regie(*arguments, data_dir, **kwargs):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_URL")}
    env |= {"REGIE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "regie.settings"}
    env = {key: value for key, value in env.items() if key not in {"REGIE_SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-m", "regie.cli", *arguments], env=env, text=True, check=True, **kwargs
    )


def exposed(root: Path) -> list[str]:
    """Every entry under ``root`` (itself included) granting any bit to group or other."""
    found = []
    for entry in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(entry.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{entry.relative_to(root.parent)} {mode:o}")
    return found


def test_a_new_data_dir_and_every_file_in_it_are_private(tmp_path):
    data_dir = tmp_path / "data"
    regie("migrate", "--verbosity", "0", data_dir=data_dir)
    with subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "shell", "--no-imports", "-c", WRITER],
        env={key: value for key, value in os.environ.items() if not key.startswith("DATABASE_URL")}
        | {"REGIE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "regie.settings"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        assert writer.stdout.readline() == "written\n"
        names = {path.name for path in data_dir.iterdir()}
        found_while_open = exposed(data_dir)
        writer.communicate("\n")
    assert writer.returncode == 0

    assert {
        "regie.sqlite3",
        "regie.sqlite3-wal",
        "regie.sqlite3-shm",
        "regie.sqlite3-writer.lock",
        "secret_key",
        "field_encryption_key",
        "attachments",
        "uploads",
    } <= names
    assert len(list((data_dir / "attachments").iterdir())) == 1
    assert (data_dir / "uploads" / "logos" / "logo.txt").read_bytes() == b"logo"
    assert found_while_open == []
    assert exposed(data_dir) == []
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600


def test_an_existing_open_data_dir_of_ours_is_tightened(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    old_database = data_dir / "regie.sqlite3"
    old_database.touch()
    old_database.chmod(0o644)
    (data_dir / "secret_key").write_text("regie-an-old-key")
    (data_dir / "secret_key").chmod(0o644)

    regie("check", data_dir=data_dir, capture_output=True)

    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(old_database.stat().st_mode) == 0o600
    assert (data_dir / "secret_key").read_text() == "regie-an-old-key"
    assert exposed(data_dir) == []


def test_the_keys_are_created_once_and_kept(tmp_path):
    data_dir = tmp_path / "data"
    regie("check", data_dir=data_dir, capture_output=True)
    secret = (data_dir / "secret_key").read_text()
    field_key = (data_dir / "field_encryption_key").read_text()
    regie("check", data_dir=data_dir, capture_output=True)

    assert secret.startswith("regie-")
    assert len(secret) == 6 + 67
    assert len(field_key) == 44
    assert (data_dir / "secret_key").read_text() == secret
    assert (data_dir / "field_encryption_key").read_text() == field_key


def test_a_shared_directory_named_by_mistake_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "someone-else.txt").write_text("not Régie's")
    (shared / "someone-else.txt").chmod(0o644)

    regie("check", data_dir=shared, capture_output=True)

    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "someone-else.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE((shared / "secret_key").stat().st_mode) == 0o600
