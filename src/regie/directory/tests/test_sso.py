"""Single sign-on's callback with the test client: what Régie accepts and what it refuses.

A real provider never sends a token with a wrong issuer, audience or nonce, or signed by a
key it does not publish, so these cases run against a small provider written here (discovery
document, published keys and token endpoint on loopback) that answers with the token each
test builds. The whole journey against the certified provider is in test_sso_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from regie.core.models import ChangeRecord, Role, User
from regie.core.testing import start_with
from regie.directory.models import Person
from regie.directory.sso import services

CLIENT_ID = "regie-client"
SECRET = "client-secret"  # noqa: S105  # the test provider's
TECH_GROUP = "group-technicians"
OID = "6c1f3b2a-0000-4000-8000-000000000042"


class Provider(ThreadingHTTPServer):
    """Discovery, keys and a token endpoint that answers ``self.id_token()``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server_address[1]}"
        self.published = RSAKey.generate_key(2048, parameters={"kid": "published"})
        self.unpublished = RSAKey.generate_key(2048, parameters={"kid": "published"})
        self.signing_key = self.published
        self.claims: dict[str, Any] = {}
        self.token_requests: list[dict[str, list[str]]] = []

    def id_token(self) -> str:
        return jwt.encode({"alg": "RS256", "kid": "published"}, self.claims, self.signing_key)


class Handler(BaseHTTPRequestHandler):
    server: Provider

    def log_message(self, *args: Any) -> None:
        pass

    def answer(self, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802  # http.server's name
        issuer = self.server.issuer
        if self.path == "/.well-known/openid-configuration":
            self.answer(
                {
                    "issuer": issuer,
                    "authorization_endpoint": f"{issuer}/authorize",
                    "token_endpoint": f"{issuer}/token",
                    "jwks_uri": f"{issuer}/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        elif self.path == "/keys":
            self.answer({"keys": [self.server.published.as_dict(private=False)]})
        else:
            self.send_error(404)

    def do_POST(self) -> None:  # noqa: N802  # http.server's name
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode())
        form["authorization"] = [self.headers.get("Authorization", "")]
        self.server.token_requests.append(form)
        self.answer(
            {"access_token": "at", "token_type": "Bearer", "id_token": self.server.id_token()}
        )


@pytest.fixture
def provider(settings):
    server = Provider()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_TENANT_ID = "tenant"  # Entra ID's claims: oid
    settings.OIDC_ISSUER = server.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = SECRET
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLES = {"technician": [TECH_GROUP]}
    settings.PUBLIC_URL = "http://testserver"
    yield server
    server.shutdown()
    server.server_close()


def go_to_provider(client) -> dict[str, str]:
    response = client.get("/oidc/login/")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    return {key: values[0] for key, values in query.items()}


def claims(provider: Provider, sent_nonce: str, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": provider.issuer,
        "aud": CLIENT_ID,
        "sub": "pairwise",
        "oid": OID,
        "tid": "tenant",
        "iat": now,
        "exp": now + 300,
        "nonce": sent_nonce,
        "preferred_username": "alice@ville.fr",
        "name": "Alice Martin",
        "email": "alice@ville.fr",
        "groups": ["other", TECH_GROUP],
        "amr": ["pwd", "mfa"],
        **changes,
    }


def sign_in(client, provider: Provider, **changes: Any):
    request = go_to_provider(client)
    provider.claims = claims(provider, request["nonce"], **changes)
    return client.get("/oidc/callback/", {"code": "the-code", "state": request["state"]})


def refused(response, status: int, text: str) -> None:
    assert response.status_code == status
    assert text in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.django_db
def test_the_authorisation_request_has_state_nonce_and_pkce(client, provider):
    request = go_to_provider(client)
    assert request["response_type"] == "code"
    assert request["client_id"] == CLIENT_ID
    assert request["redirect_uri"] == "http://testserver/oidc/callback/"
    assert set(request["scope"].split()) == {"openid", "profile", "email"}
    assert request["code_challenge_method"] == "S256"
    assert len(request["state"]) >= 20 and len(request["nonce"]) >= 20
    provider.claims = claims(provider, request["nonce"])
    response = client.get("/oidc/callback/", {"code": "the-code", "state": request["state"]})
    assert response.status_code == 302
    # The code went back with the verifier whose hash the authorisation request carried.
    exchange = provider.token_requests[-1]
    verifier = exchange["code_verifier"][0]
    digest = hashlib.sha256(verifier.encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == request["code_challenge"]
    assert exchange["code"] == ["the-code"]
    assert exchange["authorization"][0].startswith("Basic ")


@pytest.mark.django_db
def test_a_verified_token_signs_the_person_in_with_the_role_of_their_group(client, provider):
    response = sign_in(client, provider)
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get()
    assert int(client.session["_auth_user_id"]) == user.pk
    assert (user.username, user.role) == ("alice@ville.fr", Role.TECHNICIAN)
    assert (user.first_name, user.last_name, user.email) == ("Alice", "Martin", "alice@ville.fr")
    person = Person.objects.get()
    assert (person.directory_id, person.user, person.email) == (OID, user, "alice@ville.fr")
    assert (person.first_name, person.last_name) == ("Alice", "Martin")
    assert not user.has_usable_password()
    assert client.session[services.SECOND_FACTOR_SESSION_KEY] == "sso"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("wanted", "landing"),
    [("/fleet/", "/fleet/"), ("https://evil.example/", "/"), ("//evil.example/x", "/")],
)
def test_next_is_followed_only_within_regie(client, provider, wanted, landing):
    response = client.get("/oidc/login/", {"next": wanted})
    query = parse_qs(urlsplit(response["Location"]).query)
    provider.claims = claims(provider, query["nonce"][0])
    response = client.get("/oidc/callback/", {"code": "c", "state": query["state"][0]})
    assert response["Location"] == landing


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amr", "given"),
    [
        (["pwd", "mfa"], True),
        (["pwd", "otp"], True),
        (["hwk"], True),
        (["fido"], True),
        (["swk", "pwd"], True),
        (["pwd"], False),
        ([], False),
        (["PWD", "MFA-ish"], False),
    ],
)
def test_the_second_factor_follows_amr(client, provider, amr, given):
    session = client.session
    session[services.SECOND_FACTOR_SESSION_KEY] = "totp"  # left over: never kept
    session.save()
    sign_in(client, provider, amr=amr)
    if given:
        assert client.session[services.SECOND_FACTOR_SESSION_KEY] == "sso"
    else:
        assert services.SECOND_FACTOR_SESSION_KEY not in client.session
    assert int(client.session["_auth_user_id"]) == User.objects.get().pk


@pytest.mark.django_db
def test_a_token_without_amr_gives_no_second_factor(client, provider):
    request = go_to_provider(client)
    provider.claims = claims(provider, request["nonce"])
    del provider.claims["amr"]
    client.get("/oidc/callback/", {"code": "c", "state": request["state"]})
    assert services.SECOND_FACTOR_SESSION_KEY not in client.session
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_wrong_state_is_refused(client, provider):
    request = go_to_provider(client)
    provider.claims = claims(provider, request["nonce"])
    response = client.get("/oidc/callback/", {"code": "c", "state": "forged-state"})
    refused(response, 400, "Ce lien de connexion a expiré")
    assert provider.token_requests == []  # the code was never exchanged
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_state_from_another_browser_is_refused(client, provider, django_user_model):
    from django.test import Client

    request = go_to_provider(Client())
    provider.claims = claims(provider, request["nonce"])
    response = client.get("/oidc/callback/", {"code": "c", "state": request["state"]})
    refused(response, 400, "ouvert dans un autre navigateur")
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"nonce": "another-nonce"}, id="bad-nonce"),
        pytest.param({"iss": "https://login.microsoftonline.com/other/v2.0"}, id="wrong-issuer"),
        pytest.param({"aud": "another-application"}, id="wrong-audience"),
        pytest.param(
            {"aud": "another-application", "azp": CLIENT_ID}, id="wrong-audience-right-azp"
        ),
        pytest.param({"aud": ["another-application"]}, id="wrong-audience-list"),
        pytest.param({"exp": int(time.time()) - 3600}, id="expired"),
    ],
)
def test_a_token_that_does_not_verify_is_refused(client, provider, changes):
    response = sign_in(client, provider, **changes)
    refused(response, 400, "La réponse du fournisseur d&#x27;identité n&#x27;a pas pu")
    assert not User.objects.exists()
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_token_signed_by_a_key_the_provider_does_not_publish_is_refused(client, provider):
    provider.signing_key = provider.unpublished  # same key id, another key
    response = sign_in(client, provider)
    refused(response, 400, "pas pu être vérifiée")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_a_token_without_the_person_id_is_refused(client, provider):
    request = go_to_provider(client)
    provider.claims = claims(provider, request["nonce"])
    del provider.claims["oid"]
    response = client.get("/oidc/callback/", {"code": "c", "state": request["state"]})
    refused(response, 403, "identifiant permanent de l&#x27;utilisateur (oid)")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_providers_error_lands_on_a_clear_page(client, provider):
    go_to_provider(client)
    response = client.get(
        "/oidc/callback/", {"error": "access_denied", "error_description": "User cancelled"}
    )
    refused(response, 403, "Le fournisseur d&#x27;identité a refusé la connexion.")
    assert "User cancelled" not in response.content.decode()
    response = client.get("/oidc/callback/", {"error": "server_error"})
    refused(response, 403, "n&#x27;a pas pu vous connecter")


@pytest.mark.django_db
def test_an_unreachable_provider_lands_on_a_clear_page(client, provider, settings):
    provider.shutdown()
    provider.server_close()
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = client.get("/oidc/login/")
    refused(response, 502, "Le fournisseur d&#x27;identité ne répond pas.")


@pytest.mark.django_db
def test_an_existing_account_is_never_taken_over_by_name_or_email(client, provider):
    local = User.objects.create_user("alice@ville.fr", email="alice@ville.fr", role=Role.ADMIN)
    typed = Person.objects.create(first_name="Alice", last_name="Martin", email="alice@ville.fr")
    sign_in(client, provider)
    user = User.objects.get(person__directory_id=OID)
    assert user != local
    assert user.username == "alice@ville.fr-2"
    assert user.role == Role.TECHNICIAN
    assert int(client.session["_auth_user_id"]) == user.pk
    local.refresh_from_db()
    typed.refresh_from_db()
    assert (local.role, typed.user, typed.directory_id) == (Role.ADMIN, None, None)
    assert user.person.email == ""  # the address stays with the person typed in


@pytest.mark.django_db
def test_the_synced_persons_account_is_used_and_its_role_follows_the_groups(client, provider):
    account = User.objects.create_user("amartin", role=Role.STAFF)
    person = Person.objects.create(
        first_name="Alice", last_name="Martin", user=account, directory_id=OID
    )
    sign_in(client, provider)
    account.refresh_from_db()
    assert account.role == Role.TECHNICIAN
    assert int(client.session["_auth_user_id"]) == account.pk
    assert User.objects.count() == 1 and Person.objects.get() == person
    change = ChangeRecord.objects.get(object_id=account.pk, field="role")
    assert (change.old_value, change.new_value, change.source) == ("Agent", "Technicien", "system")

    client.logout()
    sign_in(client, provider, groups=["other"])
    account.refresh_from_db()
    assert account.role == Role.STAFF
    assert ChangeRecord.objects.filter(object_id=account.pk, field="role").count() == 2


@pytest.mark.django_db
def test_a_disabled_account_or_a_departed_person_is_refused(client, provider):
    account = User.objects.create_user("amartin", role=Role.TECHNICIAN, is_active=False)
    person = Person.objects.create(
        first_name="Alice", last_name="Martin", user=account, directory_id=OID
    )
    refused(sign_in(client, provider), 403, "Ce compte est désactivé dans Régie.")
    account.is_active = True
    account.save()
    person.active = False
    person.save()
    refused(sign_in(client, provider), 403, "Cette personne a quitté la collectivité")


@pytest.mark.django_db
def test_a_generic_provider_matches_on_sub_and_app_roles_map_too(client, provider, settings):
    settings.OIDC_TENANT_ID = ""
    settings.OIDC_ROLE_CLAIM = "roles"
    settings.OIDC_ROLES = {"admin": ["Regie.Admin"], "reader": ["Regie.Reader"]}
    sign_in(client, provider, roles=["Regie.Reader", "Regie.Admin"])
    user = User.objects.get()
    assert (user.person.directory_id, user.role) == ("pairwise", Role.ADMIN)


def test_the_role_is_the_first_mapped_one_in_order(settings):
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLES = {"admin": ["a"], "technician": ["t"], "reader": ["r", "r2"]}
    assert services.role_from_claims({"groups": ["r2", "t"]}) == Role.TECHNICIAN
    assert services.role_from_claims({"groups": ["x"]}) == Role.STAFF
    assert services.role_from_claims({}) == Role.STAFF
    assert services.role_from_claims({"groups": "a"}) == Role.ADMIN
    # Entra left the groups out (too many): least privilege.
    assert services.role_from_claims({"_claim_names": {"groups": "src1"}}) == Role.STAFF


@pytest.mark.django_db
def test_without_configuration_there_is_no_button_and_no_route(client, settings):
    settings.OIDC_ISSUER = ""
    assert "Se connecter avec Microsoft" not in client.get("/login/").content.decode()
    assert client.get("/oidc/login/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "c", "state": "s"}).status_code == 404


@pytest.mark.django_db
def test_the_login_page_shows_the_button_above_the_form(client, settings):
    settings.OIDC_ISSUER = "https://login.microsoftonline.com/t/v2.0"
    settings.OIDC_TENANT_ID = "t"
    settings.OIDC_LABEL = ""
    page = client.get("/login/", {"next": "/fleet/"}).content.decode()
    assert 'href="/oidc/login/?next=/fleet/"' in page
    assert page.index("Se connecter avec Microsoft") < page.index('name="password"')
    settings.OIDC_LABEL = "Compte de la collectivité"
    assert "Compte de la collectivité" in client.get("/login/").content.decode()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REGIE_OIDC_TENANT_ID": "t"}, "needs REGIE_OIDC_CLIENT_ID and REGIE_OIDC_CLIENT_SECRET"),
        (
            {"REGIE_OIDC_ISSUER": "http://sso.example.org", "REGIE_OIDC_CLIENT_ID": "c"},
            "REGIE_OIDC_ISSUER must be the provider's https:// address",
        ),
        (
            {
                "REGIE_OIDC_TENANT_ID": "t",
                "REGIE_OIDC_CLIENT_ID": "c",
                "REGIE_OIDC_CLIENT_SECRET": "s",
                "REGIE_OIDC_ROLES": "boss=g1",
            },
            "REGIE_OIDC_ROLES must be role=group id",
        ),
        (
            {"REGIE_OIDC_TENANT_ID": "t", "REGIE_OIDC_ISSUER": "https://sso.example.org"},
            "cannot both be set",
        ),
    ],
)
def test_a_bad_configuration_stops_start_up(tmp_path, env, message):
    result = start_with(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_good_configuration_starts_with_the_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    result = start_with(
        tmp_path / "data",
        REGIE_OIDC_TENANT_ID="72f988bf-86f1-41af-91ab-2d7cd011db47",
        REGIE_OIDC_CLIENT_ID="c",
        REGIE_OIDC_CLIENT_SECRET_FILE=str(secret),
        REGIE_OIDC_ROLES="admin=g1,technician=g2,technician=g3",
    )
    assert result.returncode == 0, result.stderr
