"""The second factor's gate and the record of each signed-in browser."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.factors import factor_required, has_confirmed_factor, session_verified

# Routes a signed-in but not yet verified session may open, whatever it still has to do.
_ALWAYS_OPEN = frozenset(
    {"logout", "login", "set_language", "health", "health-live", "otp_webauthn:js-i18n-catalog"}
)
# ... while it waits for its second factor,
_VERIFY_STEP = frozenset(
    {
        "login-verify",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
    }
)
# ... or while it must set one up.
_ENROL_STEP = frozenset(
    {
        "accounts:factor-add",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
    }
)


# The role for which this session found the account without a factor and none required, so
# that each request does not ask the database again. A change of role asks again; a factor
# added from another browser is asked for at this session's next sign-in.
NO_FACTOR_FOR = "regie_no_factor_for"


def note_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At sign-in (``user_logged_in``): record the session for *Mes sessions*, and note
    whether a second factor will be asked, so the pages that follow cost no extra query."""
    from regie.accounts.sessions import record_session

    session = getattr(request, "session", None)
    if session is None or getattr(user, "pk", None) is None:
        return
    if not session_verified(request) and not (has_confirmed_factor(user) or factor_required(user)):
        session[NO_FACTOR_FOR] = user.effective_role
    if session.session_key is None:
        session.save()
    now = timezone.now()
    record_session(request=request, session_key=str(session.session_key), now=now, user=user)
    session[SEEN] = [session.session_key, now.timestamp()]


class SecondFactorMiddleware:
    """A session that signed in with a password alone opens nothing but the second step when
    the account has a factor, and nothing but enrolment when its role requires one (see
    ``REGIE_MFA_REQUIRED_ROLES``); session-authenticated API calls get 403. Requests without a
    session (agents, pings, API tokens) pass: their authentication is their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or session_verified(request):
            return None
        if request.session.get(NO_FACTOR_FOR) == user.effective_role:
            return None  # checked at sign-in (or earlier): no factor, none required
        match = request.resolver_match
        name = match.view_name if match is not None else ""
        if name in _ALWAYS_OPEN:
            return None
        # The page of a step shows no menu: nothing else opens yet.
        request.regie_pending_step = True  # type: ignore[attr-defined]
        if has_confirmed_factor(user):
            if name in _VERIFY_STEP:
                return None
            return self._refuse(request, "login-verify", _("Give your second factor first."))
        if factor_required(user):
            if name in _ENROL_STEP:
                return None
            return self._refuse(
                request,
                "accounts:factor-add",
                _("Your account must have a second factor: set one up first."),
            )
        request.regie_pending_step = False  # type: ignore[attr-defined]
        request.session[NO_FACTOR_FOR] = user.effective_role
        return None

    @staticmethod
    def _refuse(request: HttpRequest, step: str, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


SEEN = "regie_seen"
SEEN_EVERY = timedelta(minutes=1)


class SessionActivityMiddleware:
    """Each signed-in browser has its UserSession row (address, browser, started, last seen,
    updated at most once a minute), so the user can list and end their sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        # Signed in through this session (not an API token, which sets request.user too).
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and session.get(SESSION_KEY) is not None
        ):
            self._record(request)
        return response

    @staticmethod
    def _record(request: HttpRequest) -> None:
        from regie.accounts.sessions import record_session

        session = request.session
        now = timezone.now()
        seen = session.get(SEEN)
        key = session.session_key
        if key is None:
            session.save()  # a login just now: the store gives the session its key
            key = session.session_key
        if (
            isinstance(seen, list)
            and len(seen) == 2
            and seen[0] == key
            and now.timestamp() - float(seen[1]) < SEEN_EVERY.total_seconds()
        ):
            return
        record_session(request=request, session_key=str(key), now=now)
        session[SEEN] = [key, now.timestamp()]
