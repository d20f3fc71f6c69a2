import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from regie.core.history import history_of
from regie.core.models import ApiToken, ChangeAction, ChangeSource, hash_token
from regie.core.tokens import create_api_token

LIST_URL = "/account/tokens/"
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # winter time


def _token(user, name, scope=ApiToken.Scope.READ, expires_at=None):
    return create_api_token(user=user, name=name, scope=scope, expires_at=expires_at)


def test_token_urls_are_named():
    assert reverse("tokens:token-list") == LIST_URL
    assert reverse("tokens:token-revoke", args=[7]) == "/account/tokens/7/revoke/"


def test_anonymous_is_sent_to_login(db, client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_list_shows_own_tokens_only(client, technician, reader):
    _token(technician, "script-inventaire")
    _token(reader, "tableau-de-bord")
    client.force_login(technician)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert response.templates[0].name == "api/token_list.html"
    assert [t.name for t in response.context["tokens"]] == ["script-inventaire"]
    assert response.context["raw_key"] is None
    assert "script-inventaire" in response.content.decode()
    assert "tableau-de-bord" not in response.content.decode()


def test_form_offers_read_only_and_a_year_by_default(client, technician):
    client.force_login(technician)
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=PARIS), tick=False):
        response = client.get(LIST_URL)
    form = response.context["form"]
    assert form["scope"].value() == ApiToken.Scope.READ
    assert form["expires_on"].value() == datetime.date(2027, 12, 7)
    html = response.content.decode()
    assert 'value="read" id="id_scope_0" required checked' in html
    assert 'type="date" name="expires_on" value="2027-12-07"' in html


def test_create_shows_the_token_once(client, technician, owned_asset):
    client.force_login(technician)
    response = client.post(
        LIST_URL, {"name": "supervision", "scope": "read-write", "expires_on": "2027-03-01"}
    )
    assert response.status_code == 200
    raw_key = response.context["raw_key"]
    assert raw_key in response.content.decode()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.key_hash, token.scope, token.role) == (
        technician,
        "supervision",
        hash_token(raw_key),
        ApiToken.Scope.WRITE,
        technician.role,
    )
    # The start of the chosen day, in Paris.
    assert token.expires_at == datetime.datetime(2027, 3, 1, tzinfo=PARIS)
    assert [(r.action, r.source) for r in history_of(token)] == [
        (ChangeAction.CREATE, ChangeSource.WEB)
    ]
    assert raw_key not in client.get(LIST_URL).content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert api.get("/api/v1/assets/").json()["count"] == 1


def test_create_without_expiry(client, technician):
    client.force_login(technician)
    response = client.post(
        LIST_URL, {"name": "sonde", "scope": "read", "expires_on": "", "no_expiry": "on"}
    )
    assert response.status_code == 200
    assert response.context["raw_key"]
    token = ApiToken.objects.get()
    assert (token.scope, token.expires_at) == (ApiToken.Scope.READ, None)


def test_create_with_bad_expiry_or_scope_changes_nothing(client, technician):
    client.force_login(technician)
    today = timezone.localdate().isoformat()
    cases = [
        ({"expires_on": ""}, "expires_on", "Choisissez une date d'expiration"),
        ({"expires_on": today}, "expires_on", "La date d'expiration doit être postérieure"),
        ({"expires_on": "2020-01-01"}, "expires_on", "La date d'expiration doit être postérieure"),
        ({"expires_on": "demain"}, "expires_on", "Saisissez une date valide."),
        ({"expires_on": "2099-01-01", "scope": "admin"}, "scope", "Sélectionnez un choix valide"),
    ]
    for data, field, message in cases:
        response = client.post(LIST_URL, {"name": "x", "scope": "read", **data})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field], data
        assert message in response.context["form"].errors[field][0]
        assert response.context["raw_key"] is None
    assert not ApiToken.objects.exists()


def test_list_shows_scope_expiry_use_and_reason(client, technician):
    _token(technician, "ancien")
    technician.set_password("Un-nouveau-mot-2026")
    technician.save()
    active, _ = _token(technician, "actif", expires_at=datetime.datetime(2099, 5, 4, tzinfo=PARIS))
    ApiToken.objects.filter(pk=active.pk).update(
        last_used_at=datetime.datetime(2026, 12, 1, 9, 5, tzinfo=PARIS),
        last_used_address="192.0.2.44",
    )
    _token(technician, "perime", scope=ApiToken.Scope.WRITE, expires_at=timezone.now())
    client.force_login(technician)
    rows = client.get(LIST_URL).content.decode().split("<tr>")[2:]
    by_name = {row.split("<td>")[1].split("</td>")[0]: row for row in rows}
    assert set(by_name) == {"actif", "perime", "ancien"}
    assert "<td>Lecture seule</td>" in by_name["actif"]
    assert "<td>04/05/2099</td>" in by_name["actif"]
    assert "01/12/2026 09:05" in by_name["actif"]
    assert "depuis 192.0.2.44" in by_name["actif"]
    assert '<span class="badge badge-ok">Actif</span>' in by_name["actif"]
    assert "<td>Lecture et écriture</td>" in by_name["perime"]
    assert '<span class="badge badge-bad">Expiré</span>' in by_name["perime"]
    assert "token-revoke" not in by_name["ancien"] and "Révoquer" not in by_name["ancien"]
    assert "Mot de passe changé" in by_name["ancien"]
    assert "Révoquer" in by_name["perime"]


def test_list_in_english(client, technician):
    _token(technician, "actif")
    client.force_login(technician)
    html = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Read only</td>" in html
    assert "<td>Never</td>" in html
    assert "Never expires" in html


def test_create_without_name_shows_the_error(client, technician):
    client.force_login(technician)
    response = client.post(LIST_URL, {"name": "", "scope": "read", "no_expiry": "on"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert not ApiToken.objects.exists()


def test_revoke_own_token(client, technician):
    token, raw_key = _token(technician, "vieux")
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
    token, _raw_key = _token(reader, "tableau-de-bord")
    client.force_login(technician)
    response = client.post(reverse("tokens:token-revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(client, technician):
    token, _raw_key = _token(technician, "vieux")
    client.force_login(technician)
    assert client.get(reverse("tokens:token-revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
