from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from regie.core.models import ApiToken
from regie.core.testing import bearer_client
from regie.core.tokens import create_api_token, revoke_api_token

ASSETS = "/api/v1/assets/"


def _client(raw_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    return client


def test_valid_token_authenticates_and_records_use(technician, owned_asset):
    token, raw_key = create_api_token(user=technician, name="script")
    response = _client(raw_key).get(ASSETS)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_and_a_hint_are_stored(technician):
    token, raw_key = create_api_token(user=technician, name="script")
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


def test_revoked_token_is_401(technician):
    token, raw_key = create_api_token(user=technician, name="script")
    revoke_api_token(token=token, by=technician)
    response = _client(raw_key).get(ASSETS)
    assert response.status_code == 401
    assert response.json()["errors"] == {}


def test_token_of_deactivated_account_is_401(technician):
    _token, raw_key = create_api_token(user=technician, name="script")
    technician.is_active = False
    technician.save()
    response = _client(raw_key).get(ASSETS)
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(technician, django_assert_num_queries):
    token, raw_key = create_api_token(user=technician, name="script")
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
