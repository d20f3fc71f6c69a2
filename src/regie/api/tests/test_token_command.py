from io import StringIO

import pytest
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
    assert stdout.startswith(f"{token.pk}\ttech\tsauvegarde\t{token.key_hint}…\t")
    assert stdout.rstrip().endswith("active")
    _, stderr = run("revoke", str(token.pk))
    assert "revoked" in stderr
    token.refresh_from_db()
    assert token.revoked_at is not None
    from regie.core.history import history_of

    assert [(r.field, r.source) for r in history_of(token) if r.field] == [
        ("revoked_at", ChangeSource.SYSTEM)
    ]
    assert "revoked" in run("list", "tech")[0]


def test_revoke_unknown_id_fails(db):
    with pytest.raises(CommandError):
        run("revoke", "999")
