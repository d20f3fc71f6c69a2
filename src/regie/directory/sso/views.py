"""The two steps of a single sign-on: off to the provider, and back with a code."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from joserfc.errors import JoseError

from regie.directory.sso import provider
from regie.directory.sso.services import (
    SECOND_FACTOR_SESSION_KEY,
    SignInRefused,
    second_factor_given,
    sign_in_from_claims,
)

logger = logging.getLogger(__name__)

NEXT_SESSION_KEY = "regie_sso_next"


def _callback_url(request: HttpRequest) -> str:
    path = reverse("sso:callback")
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def _refusal(request: HttpRequest, message: object, *, status: int) -> HttpResponse:
    return render(request, "directory/sso_error.html", {"message": message}, status=status)


@require_GET
@never_cache
def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's sign-in page."""
    if not provider.enabled():
        raise Http404
    wanted = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    request.session[NEXT_SESSION_KEY] = wanted if wanted and safe else ""
    try:
        return provider.redirect_to_provider(request, redirect_uri=_callback_url(request))
    except (requests.RequestException, ValueError) as exc:
        logger.warning("single sign-on: the provider's discovery document failed: %s", exc)
        return _refusal(request, _("The identity provider cannot be reached."), status=502)


@require_GET
@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: verify everything, then sign the person in."""
    if not provider.enabled():
        raise Http404
    if request.GET.get("error"):
        logger.info(
            "single sign-on refused by the provider: %s (%s)",
            request.GET.get("error"),
            request.GET.get("error_description", "")[:300],
        )
        if request.GET["error"] == "access_denied":
            message = _("The identity provider refused the sign-in.")
        else:
            message = _("The identity provider could not sign you in.")
        return _refusal(request, message, status=403)
    try:
        claims = provider.verified_claims(request)
    except MismatchingStateError:
        return _refusal(
            request,
            _("This sign-in link has expired or was opened in another browser. Start again."),
            status=400,
        )
    except (JoseError, provider.MissingIdToken, OAuthError) as exc:
        logger.warning("single sign-on: the provider's answer was refused: %r", exc)
        return _refusal(
            request, _("The identity provider's answer could not be verified."), status=400
        )
    except (requests.RequestException, ValueError) as exc:
        logger.warning("single sign-on: the provider cannot be reached: %s", exc)
        return _refusal(request, _("The identity provider cannot be reached."), status=502)
    try:
        user = sign_in_from_claims(claims=claims)
    except SignInRefused as refused:
        return _refusal(request, refused.message, status=403)
    wanted = request.session.pop(NEXT_SESSION_KEY, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # The second factor the provider vouches for (amr); none: Régie asks its own when the
    # role requires one. Never one left over from an earlier sign-in in this session.
    if second_factor_given(claims):
        request.session[SECOND_FACTOR_SESSION_KEY] = "sso"
    else:
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)
    return HttpResponseRedirect(wanted or resolve_url(settings.LOGIN_REDIRECT_URL))
