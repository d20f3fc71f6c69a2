"""The OpenID provider as Régie talks to it: discovery, the authorisation redirect, the code
exchange and the ID token's verification."""

from __future__ import annotations

import time
from typing import Any

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse

# The discovery document and the keys are fetched again after this long (key rotation;
# an unknown key id also refetches the keys at once).
METADATA_MAX_AGE = 6 * 3600
HTTP_TIMEOUT = 10
SCOPES = "openid profile email"

_clients: dict[tuple[str, str, str], DjangoOAuth2App] = {}


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def is_entra() -> bool:
    return bool(settings.OIDC_TENANT_ID)


def id_claim() -> str:
    """The claim that carries the directory's permanent id: Entra's object id, else ``sub``
    (Entra's ``sub`` differs per application, ``oid`` is the user's id in the directory)."""
    return "oid" if is_entra() else "sub"


def discovery_url() -> str:
    return settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"


def client() -> DjangoOAuth2App:
    """The provider's client for the current settings (one per configuration, its discovery
    document and keys cached for ``METADATA_MAX_AGE``)."""
    key = (settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)
    app = _clients.get(key)
    if (
        app is not None
        and time.time() - app.server_metadata.get("_loaded_at", 0) > METADATA_MAX_AGE
    ):
        app = None
    if app is None:
        app = OAuth().register(
            name="regie",
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=discovery_url(),
            client_kwargs={
                "scope": SCOPES,
                "code_challenge_method": "S256",
                "default_timeout": HTTP_TIMEOUT,
            },
        )
        _clients.clear()
        _clients[key] = app
    return app


def redirect_to_provider(request: HttpRequest, *, redirect_uri: str) -> HttpResponse:
    """The browser's way to the provider; the state, nonce and PKCE verifier stay in the
    session until the callback."""
    return client().authorize_redirect(request, redirect_uri)  # type: ignore[no-any-return]


def verified_claims(request: HttpRequest) -> dict[str, Any]:
    """The ID token's claims, once the state matched the session's, the code was exchanged
    (with the PKCE verifier) and the token verified: signature by one of the provider's
    published keys, issuer, audience, expiry and nonce. Raises Authlib's or joserfc's
    errors otherwise."""
    app = client()
    issuer_option = {"essential": True, "value": settings.OIDC_ISSUER}
    audience_option = {"essential": True, "value": settings.OIDC_CLIENT_ID}
    token = app.authorize_access_token(
        request,
        claims_options={"iss": issuer_option, "aud": audience_option},
        leeway=60,
    )
    userinfo = token.get("userinfo")
    if not userinfo:
        raise MissingIdToken
    return dict(userinfo)


class MissingIdToken(Exception):
    """The token endpoint answered without an ID token."""
