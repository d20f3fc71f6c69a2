from django.urls import reverse
from rest_framework.test import APIClient

from regie.core.history import history_of
from regie.core.models import ApiToken, ChangeAction, ChangeSource, hash_token
from regie.core.tokens import create_api_token

LIST_URL = "/account/tokens/"


def test_token_urls_are_named():
    assert reverse("tokens:token-list") == LIST_URL
    assert reverse("tokens:token-revoke", args=[7]) == "/account/tokens/7/revoke/"


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_shows_own_tokens_only(client, technician, reader):
    create_api_token(user=technician, name="script-inventaire")
    create_api_token(user=reader, name="tableau-de-bord")
    client.force_login(technician)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.templates[0].name == "api/token_list.html"
    assert [t.name for t in response.context["tokens"]] == ["script-inventaire"]
    assert response.context["raw_key"] is None
    assert "script-inventaire" in response.content.decode()
    assert "tableau-de-bord" not in response.content.decode()


def test_create_shows_the_token_once(client, technician, owned_asset):
    client.force_login(technician)
    response = client.post(LIST_URL, {"name": "supervision"})
    assert response.status_code == 200
    raw_key = response.context["raw_key"]
    assert raw_key in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash) == (
        technician,
        "supervision",
        hash_token(raw_key),
    )
    assert [(r.action, r.source) for r in history_of(token)] == [
        (ChangeAction.CREATE, ChangeSource.WEB)
    ]
    assert raw_key not in client.get(LIST_URL).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert api.get("/api/v1/assets/").json()["count"] == 1


def test_create_without_name_shows_the_error(client, technician):
    client.force_login(technician)
    response = client.post(LIST_URL, {"name": ""})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client, technician):
    token, raw_key = create_api_token(user=technician, name="vieux")
    client.force_login(technician)
    response = client.post(reverse("tokens:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert response.url == LIST_URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert api.get("/api/v1/assets/").status_code == 401


def test_revoking_another_users_token_is_404(client, technician, reader):
    token, _raw_key = create_api_token(user=reader, name="tableau-de-bord")
    client.force_login(technician)
    response = client.post(reverse("tokens:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client, technician):
    token, _raw_key = create_api_token(user=technician, name="vieux")
    client.force_login(technician)
    assert client.get(reverse("tokens:token-revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
