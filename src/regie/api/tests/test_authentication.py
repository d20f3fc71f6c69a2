from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from regie.core.models import ApiToken, Role, User
from regie.core.testing import bearer_client
from regie.core.tokens import create_api_token, revoke_api_token

ASSETS = "/api/v1/assets/"


def _new_token(user, scope=ApiToken.Scope.WRITE, expires_at=None):
    return create_api_token(user=user, name="script", scope=scope, expires_at=expires_at)


def _client(raw_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


def test_valid_token_authenticates_and_records_use(technician, owned_asset):
    token, raw_key = _new_token(technician)
    response = _client(raw_key).get(ASSETS)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_address == "127.0.0.1"


def test_only_the_hash_and_a_hint_are_stored(technician):
    token, raw_key = _new_token(technician)
    token.refresh_from_db()
    assert raw_key.startswith("regie_")
    assert token.key_hint == raw_key[:10]
    assert raw_key not in {token.key_hash, token.key_hint, token.name}
    assert ApiToken.objects.filter(key_hash__contains=raw_key).count() == 0


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer regie_unknown", "Bearer a b", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_missing_or_invalid_credentials_are_401_with_bearer_challenge(db, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ASSETS)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"detail", "errors"}
    assert response.json()["errors"] == {}


def test_revoked_token_is_401_and_says_so(technician):
    token, raw_key = _new_token(technician)
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=UTC), tick=False):
        revoke_api_token(token=token, by=technician)
    response = _client(raw_key).get(ASSETS)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "detail": "Ce jeton a été révoqué le 7 décembre 2026 : par son utilisateur ou un "
        "administrateur.",
        "errors": {},
    }


def test_unknown_token_says_invalid_only(db):
    response = _client("regie_" + "x" * 43).get(ASSETS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_expired_token_is_401_with_the_local_date(technician, owned_asset):
    # 23:30 UTC on 31 December is already 1 January in Paris.
    expires_at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    token, raw_key = _new_token(technician, expires_at=expires_at)
    client = _client(raw_key)
    with time_machine.travel(expires_at - timedelta(seconds=1), tick=False):
        assert client.get(ASSETS).status_code == 200
    with time_machine.travel(expires_at, tick=False):
        french = client.get(ASSETS)
        english = client.get(ASSETS, HTTP_ACCEPT_LANGUAGE="en")
    assert french.status_code == english.status_code == 401
    assert french.json() == {"detail": "Ce jeton a expiré le 1 janvier 2027.", "errors": {}}
    assert english.json()["detail"] == "This token expired on Jan. 1, 2027."
    assert ApiToken.objects.active(at=expires_at).count() == 0
    assert list(ApiToken.objects.active(at=expires_at - timedelta(seconds=1))) == [token]


def test_token_without_expiry_still_works_years_later(technician, owned_asset):
    _token_row, raw_key = _new_token(technician, expires_at=None)
    with time_machine.travel(timezone.now() + timedelta(days=3650), tick=False):
        assert _client(raw_key).get(ASSETS).status_code == 200


def test_token_of_an_account_whose_role_changed_without_save_is_401(technician):
    # A queryset update() skips the revocation on save; the role check still refuses.
    token, raw_key = _new_token(technician)
    User.objects.filter(pk=technician.pk).update(role=Role.READER)
    response = _client(raw_key).get(ASSETS, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token was created for another role of its account."
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_of_account_deactivated_without_save_is_401(technician):
    _token, raw_key = _new_token(technician)
    User.objects.filter(pk=technician.pk).update(is_active=False)
    response = _client(raw_key).get(ASSETS)
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(technician, django_assert_num_queries):
    token, raw_key = _new_token(technician)
    client = _client(raw_key)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(ASSETS)
    # token lookup, count: no write for the last-use time
    with (
        time_machine.travel(start + timedelta(seconds=30), tick=False),
        django_assert_num_queries(2),
    ):
        assert client.get(ASSETS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get(ASSETS)
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(seconds=61)


def test_a_new_address_is_recorded_at_once(technician, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1/32"]
    token, raw_key = _new_token(technician)
    client = _client(raw_key)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(ASSETS, REMOTE_ADDR="192.0.2.10")
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        client.get(ASSETS, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_address) == (
        start + timedelta(seconds=5),
        "203.0.113.7",
    )


def test_session_authentication_works_and_enforces_csrf(technician, site):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(technician)
    assert client.get("/api/v1/sites/").status_code == 200
    response = client.patch(f"/api/v1/sites/{site.pk}/", {"city": "Melle"}, format="json")
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.city == ""


def test_bearer_client_helper_authenticates(reader, owned_asset):
    assert bearer_client(reader).get(ASSETS).json()["count"] == 1
