"""regie backup and regie restore, end to end, on the configured database."""

from __future__ import annotations

import base64
import http.client
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
import time

import pytest

from regie.backup.archive import MANIFEST
from regie.bench.benchmarks.ingest import (
    build_payloads,
    free_port,
    stop_server,
    wait_until_listening,
)

AGENT = ("agent", "secret-of-the-agents")
PASSPHRASE = "correct horse battery staple"  # noqa: S105  # a test passphrase


def _post(port: int, payload) -> int:
    headers = {
        "Content-Type": "application/x-compress-zlib",
        "User-Agent": "FusionInventory-Agent_v2.6-3",
        "Authorization": "Basic " + base64.b64encode(":".join(AGENT).encode()).decode(),
    }
    if payload.protocol == "json":
        headers |= {
            "User-Agent": "GLPI-Agent_v1.12",
            "GLPI-Agent-ID": f"00000000-0000-4000-8000-{payload.machine:012x}",
        }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", "/", body=payload.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _serve(instance, port):
    log = (instance.data_dir.parent / f"serve-{port}.log").open("ab")
    env = instance.env | {
        "REGIE_INVENTORY_USERNAME": AGENT[0],
        "REGIE_INVENTORY_PASSWORD": AGENT[1],
        "PYTHONUNBUFFERED": "1",
        # The nightly job would run at start (its time has passed today); it has its own tests.
        "REGIE_BACKUP_ENABLED": "false",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "regie.cli", "serve", "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    wait_until_listening(port, server, timeout=300)  # a loaded CI machine
    return server


def _files(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _add_files(instance):
    attachments = instance.data_dir / "attachments"
    uploads = instance.data_dir / "uploads" / "logos"
    attachments.mkdir(parents=True, exist_ok=True)
    uploads.mkdir(parents=True, exist_ok=True)
    (attachments / "3f2a9c").write_bytes(os.urandom(200_000))
    (attachments / "empty").write_bytes(b"")
    (uploads / "mairie.png").write_bytes(bytes(range(256)) * 40)


def test_backup_while_agents_post_then_restore_gives_identical_data(instances):
    source = instances("source")
    source.data_dir.mkdir(mode=0o700, exist_ok=True)
    _add_files(source)
    payloads = build_payloads(60)
    port = free_port()
    server = _serve(source, port)
    acknowledged: list[str] = []
    stop = threading.Event()
    try:
        for payload in payloads[:6]:
            assert _post(port, payload) == 200
            acknowledged.append(payload.sha256)
        before_backup = list(acknowledged)

        def agents():
            for payload in payloads[6:]:
                if stop.is_set():
                    return
                if _post(port, payload) == 200:
                    acknowledged.append(payload.sha256)

        poster = threading.Thread(target=agents, daemon=True)
        poster.start()
        time.sleep(0.5)
        during = source.regie("backup", "--to", str(source.data_dir.parent / "during.tar"))
        posted_while = len(acknowledged) - len(before_backup)
        stop.set()
        poster.join(timeout=120)
    finally:
        stop_server(server)
    assert during.returncode == 0, during.stderr
    assert during.stdout.startswith("Backup written: ")
    assert posted_while > 0

    # The archive made during the posts restores; it holds every report acknowledged before
    # it began, and its row counts are those of one consistent moment (checked by restore).
    first = instances("restore", blank=True)
    restored = first.regie("restore", str(source.data_dir.parent / "during.tar"))
    assert restored.returncode == 0, restored.stderr
    assert "every digest and row count checked" in restored.stdout
    with tarfile.open(source.data_dir.parent / "during.tar") as archive:
        manifest = json.load(archive.extractfile(MANIFEST))
    counts = manifest["database"]["row_counts"]
    restored_rows = first.table_rows()
    assert {table: len(rows) for table, rows in restored_rows.items()} == counts
    restored_reports = "\n".join(restored_rows["inventory_receivedreport"])
    assert all(sha in restored_reports for sha in before_backup)
    assert counts["inventory_receivedreport"] >= len(before_backup)
    assert _files(first.data_dir / "attachments") == _files(source.data_dir / "attachments")

    # Once the agents are quiet, a second archive restores to identical tables and files.
    after = source.regie("backup", "--to", str(source.data_dir.parent / "after.tar"))
    assert after.returncode == 0, after.stderr
    second = instances("restore2", blank=True)
    restored = second.regie("restore", str(source.data_dir.parent / "after.tar"))
    assert restored.returncode == 0, restored.stderr
    source_rows = source.table_rows()
    assert len(source_rows["inventory_receivedreport"]) == len(acknowledged)
    assert second.table_rows() == source_rows
    assert _files(second.data_dir / "attachments") == _files(source.data_dir / "attachments")
    assert _files(second.data_dir / "uploads") == _files(source.data_dir / "uploads")
    assert len(_files(second.data_dir / "attachments")) == 2
    for key in ("secret_key", "field_encryption_key", "agent_credentials"):
        assert (second.data_dir / key).read_bytes() == (source.data_dir / key).read_bytes()
    assert not list(second.data_dir.glob(".regie-restore-*"))


@pytest.fixture
def archives(instances, tmp_path):
    """A plain and an encrypted archive of a source with attachments."""
    source = instances("source")
    source.data_dir.mkdir(mode=0o700, exist_ok=True)
    _add_files(source)
    (tmp_path / "passphrase").write_text(PASSPHRASE + "\n")
    plain = source.regie("backup", "--to", str(tmp_path / "plain.tar"))
    assert plain.returncode == 0, plain.stderr
    encrypted = source.regie(
        "backup",
        "--to",
        str(tmp_path / "secret.tar.enc"),
        "--passphrase-file",
        str(tmp_path / "passphrase"),
    )
    assert encrypted.returncode == 0, encrypted.stderr
    assert encrypted.stdout.endswith("encrypted).\n")
    return source, tmp_path / "plain.tar", tmp_path / "secret.tar.enc"


def _flip_inside_database(path, out):
    data = bytearray(path.read_bytes())
    with tarfile.open(path) as archive:
        member = archive.getmember(
            next(name for name in archive.getnames() if name.startswith("database/"))
        )
    data[member.offset_data + member.size // 2] ^= 0x01
    out.write_bytes(bytes(data))


def _foreign(path, out):
    with tarfile.open(out, "w") as archive:
        info = tarfile.TarInfo("etc/passwd")
        content = b"root:x:0:0::/root:/bin/sh\n"
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))


def _no_manifest(path, out):
    with tarfile.open(path) as original, tarfile.open(out, "w") as archive:
        for member in original.getmembers():
            if member.name.startswith("database/"):
                archive.addfile(member, original.extractfile(member))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda path, out: out.write_bytes(path.read_bytes()[: path.stat().st_size // 2]),
            "The archive is damaged or truncated",
        ),
        (_flip_inside_database, "does not match its SHA-256"),
        (_foreign, "This is not a Régie backup: it holds 'etc/passwd'."),
        (_no_manifest, "This is not a Régie backup: it has no manifest.json."),
        (lambda path, out: out.write_bytes(b"PK\x03\x04 a zip file"), "This is not a Régie backup"),
    ],
    ids=["truncated", "flipped-byte", "foreign-tar", "no-manifest", "not-a-tar"],
)
def test_a_damaged_or_foreign_archive_is_refused_and_changes_nothing(
    archives, instances, tmp_path, damage, message
):
    _source, plain, _encrypted = archives
    damaged = tmp_path / "damaged.tar"
    damage(plain, damaged)
    target = instances("restore", blank=True)

    result = target.regie("restore", str(damaged))

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("CommandError: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert target.table_count() == 0
    assert not (target.data_dir / "regie.sqlite3").exists()
    assert not (target.data_dir / "attachments").exists()
    assert sorted(path.name for path in target.data_dir.iterdir()) == [
        "agent_credentials",
        "field_encryption_key",
        "secret_key",
        "static",
    ]


@pytest.mark.parametrize(
    ("passphrase", "damage", "message"),
    [
        ("not the passphrase", None, "Wrong passphrase: the archive cannot be decrypted with it."),
        (None, None, "The archive is encrypted: give its passphrase with --passphrase-file."),
        (PASSPHRASE, "truncate", "The archive is truncated: its encrypted stream ends early."),
        (PASSPHRASE, "flip", "The archive is damaged: encrypted block"),
    ],
    ids=["wrong-passphrase", "no-passphrase", "truncated", "flipped-byte"],
)
def test_an_encrypted_archive_needs_its_passphrase_and_integrity(
    archives, instances, tmp_path, passphrase, damage, message
):
    source, _plain, encrypted = archives
    data = bytearray(encrypted.read_bytes())
    if damage == "truncate":
        data = data[: len(data) - 100]
    elif damage == "flip":
        data[len(data) // 2] ^= 0x80
    archive = tmp_path / "copy.tar.enc"
    archive.write_bytes(bytes(data))
    target = instances("restore", blank=True)
    options = []
    if passphrase is not None:
        (tmp_path / "given").write_text(passphrase)
        options = ["--passphrase-file", str(tmp_path / "given")]

    result = target.regie("restore", str(archive), *options)

    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert target.table_count() == 0
    assert not (target.data_dir / "attachments").exists()

    if damage is None and passphrase is not None:
        (tmp_path / "given").write_text(PASSPHRASE + "\n")
        restored = target.regie("restore", str(archive), *options)
        assert restored.returncode == 0, restored.stderr
        assert target.table_rows() == source.table_rows()
        assert _files(target.data_dir / "attachments") == _files(source.data_dir / "attachments")


def test_restore_into_a_target_with_data_is_refused(archives, instances):
    source, plain, _encrypted = archives
    before = source.table_rows()

    result = source.regie("restore", str(plain))

    assert result.returncode == 1
    assert "Restore refused: " in result.stderr
    assert "Restore into a new" in result.stderr
    assert source.table_rows() == before


def test_an_archive_is_private_and_named_by_its_time(instances):
    source = instances("source")
    result = source.regie("backup")
    assert result.returncode == 0, result.stderr
    (archive,) = (source.data_dir / "backups").iterdir()
    assert archive.name.startswith("regie-")
    assert archive.name.endswith(".tar")
    assert len(archive.name) == len("regie-20261207-013000.tar")
    assert archive.stat().st_mode & 0o777 == 0o600
    assert (source.data_dir / "backups").stat().st_mode & 0o777 == 0o700
    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile(MANIFEST))
        names = opened.getnames()
    assert manifest["kind"] == "regie-backup"
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] in {"sqlite", "postgresql"}
    assert manifest["database"]["row_counts"] == {
        table: len(rows) for table, rows in source.table_rows().items()
    }
    assert manifest["database"]["row_counts"]["django_migrations"] > 50
    assert [part["name"] for part in manifest["parts"]] == [
        names[0],
        "keys/secret_key",
        "keys/field_encryption_key",
        "keys/agent_credentials",
    ]
    assert names[-2:] == ["manifest.json", "manifest.sha256"]
