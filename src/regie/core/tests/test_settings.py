"""Bad configuration stops start-up with a clear message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from regie.core.testing import start_with


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REGIE_DEBUG": "maybe"}, "REGIE_DEBUG must be true or false, got 'maybe'"),
        (
            {"DATABASE_URL": "mysql://x/y"},
            "DATABASE_URL must start with postgresql:// or sqlite://",
        ),
        ({"REGIE_LOGIN_FAILURE_LIMIT": "ten"}, "REGIE_LOGIN_FAILURE_LIMIT must be a whole number"),
        ({"REGIE_LOG_LEVEL": "LOUD"}, "REGIE_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR"),
        ({"REGIE_SECRET_KEY_FILE": "/nonexistent/key"}, "REGIE_SECRET_KEY_FILE: cannot read"),
        (
            {"REGIE_REDIS_URL": "127.0.0.1:6379"},
            "REGIE_REDIS_URL must start with redis://, rediss:// or unix:// "
            "(such as redis://127.0.0.1:6379/0), got 'no scheme'",
        ),
        (
            {"REGIE_REDIS_URL": "redis://:s3cret@127.0.0.1:port/0"},
            "REGIE_REDIS_URL is not a valid Redis URL (such as redis://127.0.0.1:6379/0): "
            "Port could not be cast to integer value as 'port'",
        ),
        (
            {"REGIE_REDIS_URL": "redis://127.0.0.1:6379/queue"},
            "REGIE_REDIS_URL must end with a database number "
            "(such as redis://127.0.0.1:6379/0), got 'queue'",
        ),
        ({"REGIE_REDIS_URL": "redis:///0"}, "REGIE_REDIS_URL names no host"),
    ],
)
def test_bad_value_fails_at_start_with_its_name(tmp_path, env, message):
    result = start_with(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_bad_redis_url_is_refused_without_showing_its_password(tmp_path):
    result = start_with(tmp_path, REGIE_REDIS_URL="redis://:s3cret@127.0.0.1:99999/0")
    assert result.returncode != 0
    assert "REGIE_REDIS_URL is not a valid Redis URL" in result.stderr
    assert "s3cret" not in result.stderr


def test_a_redis_url_switches_the_tasks_to_redis(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("REGIE_")}
    environment.update(REGIE_DATA_DIR=str(tmp_path), REGIE_REDIS_URL="redis://10.0.0.7:6380/2")
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "regie.cli", "diffsettings", "--all"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith(("RQ_QUEUES", "TASKS"))]
    assert lines == [
        "RQ_QUEUES = {'default': {'URL': 'redis://10.0.0.7:6380/2', 'DEFAULT_TIMEOUT': 3600}}  ###",
        "TASKS = {'default': {'BACKEND': 'django_tasks_rq.RQBackend', 'QUEUES': ['default']}}  ###",
    ]


def test_defaults_start_on_sqlite_and_generate_a_secret_key(tmp_path):
    result = start_with(tmp_path)
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 50
    assert start_with(tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_passwords_are_hashed_with_argon2_by_default():
    # The test suite swaps in a fast hasher; the shipped setting must lead with Argon2.
    from regie import settings as shipped

    assert shipped.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_argon2_hash_is_stored(settings):
    from regie.core.tests.factories import UserFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory(password="un-mot-de-passe-solide")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("un-mot-de-passe-solide")


def test_every_environment_variable_is_in_the_readme_table():
    import re
    from pathlib import Path

    package = Path(__file__).resolve().parents[2]
    readme = (package.parents[1] / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)`", readme, flags=re.MULTILINE))
    used = set()
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r"env_(?:str|bool|int|list|float|time)\(\s*\"([A-Z_]+)\"", text))
        used |= set(re.findall(r"environ(?:\.get)?\(\s*\"(REGIE_[A-Z_]+)\"", text))
    assert used, "no variable found: the pattern no longer matches settings.py"
    assert used - documented == set()
