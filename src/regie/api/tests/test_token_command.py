from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from regie.core.models import ApiToken, ChangeSource, hash_token


def run(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("token", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def test_create_prints_only_a_token_that_authenticates(technician, owned_asset):
    stdout, _stderr = run("create", "tech", "--name", "inventaire")
    raw_key = stdout.strip()
    assert stdout == raw_key + "\n"
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash) == (
        technician,
        "inventaire",
        hash_token(raw_key),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    response = client.get("/api/v1/assets/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_create_for_unknown_user_fails_without_creating(db):
    with pytest.raises(CommandError, match="personne"):
        run("create", "personne")
    assert not ApiToken.objects.exists()


def test_list_and_revoke(technician):
    run("create", "tech", "--name", "sauvegarde")
    token = ApiToken.objects.get()
    stdout, _ = run("list")
    assert stdout.startswith(f"{token.pk}\ttech\tsauvegarde\t{token.key_hint}…\tread\t")
    assert "\tused never\t" in stdout
    assert stdout.rstrip().endswith("active")
    _, stderr = run("revoke", str(token.pk))
    assert "revoked" in stderr
    token.refresh_from_db()
    assert token.revoked_at is not None
    from regie.core.history import history_of

    assert sorted((r.field, r.source) for r in history_of(token) if r.field) == [
        ("revoked_at", ChangeSource.SYSTEM),
        ("revoked_reason", ChangeSource.SYSTEM),
    ]
    assert run("list", "tech")[0].rstrip().endswith("(revoked)")


def test_revoke_unknown_id_fails(db):
    with pytest.raises(CommandError):
        run("revoke", "999")


NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


def test_create_is_read_only_for_a_year_by_default(technician):
    with time_machine.travel(NOW, tick=False):
        raw_key = run("create", "tech")[0].strip()
    token = ApiToken.objects.get(key_hash=hash_token(raw_key))
    assert (token.name, token.scope, token.expires_at, token.role) == (
        "cli",
        ApiToken.Scope.READ,
        NOW + timedelta(days=365),
        technician.role,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert client.delete("/api/v1/assets/1/").status_code == 403


@pytest.mark.parametrize(
    ("args", "scope", "expires_at"),
    [
        (["--scope", "read-write", "--expires-days", "30"], "read-write", NOW + timedelta(days=30)),
        (["--scope", "read", "--no-expiry"], "read", None),
    ],
)
def test_create_with_scope_and_expiry(technician, args, scope, expires_at):
    with time_machine.travel(NOW, tick=False):
        run("create", "tech", *args)
    token = ApiToken.objects.get()
    assert (token.scope, token.expires_at) == (scope, expires_at)


@pytest.mark.parametrize(
    "args",
    [
        ["--scope", "admin"],
        ["--expires-days", "0"],
        ["--expires-days", "dix"],
        ["--expires-days", "30", "--no-expiry"],
    ],
)
def test_create_with_bad_options_fails_without_creating(technician, args):
    with pytest.raises(CommandError):
        run("create", "tech", *args)
    assert not ApiToken.objects.exists()


def test_list_shows_expired_tokens_and_last_use(technician):
    with time_machine.travel(NOW, tick=False):
        run("create", "tech", "--expires-days", "1")
    ApiToken.objects.update(last_used_at=NOW, last_used_address="192.0.2.8")
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        stdout = run("list")[0]
    assert "\texpires 2026-12-08 11:00\tused 2026-12-07 11:00 from 192.0.2.8\texpired" in stdout
