"""Signing in (password, then the second factor) and the account's own security pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from regie.accounts import factors, sessions
from regie.accounts.forms import CodeForm, LoginForm, PasswordConfirmForm, TotpConfirmForm
from regie.core.models import User

NEW_CODES = factors.NEW_CODES


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran
    return user


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _subnav(request: HttpRequest) -> dict[str, Any]:
    entries = []
    for label, name in (
        (gettext_lazy("Account security"), "accounts:security"),
        (gettext_lazy("My sessions"), "accounts:sessions"),
        (gettext_lazy("Password"), "accounts:password-change"),
    ):
        url = reverse(name)
        entries.append({"label": label, "url": url, "current": request.path == url})
    return {"subnav_entries": entries, "subnav_label": _("Account")}


# --- signing in -----------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login page, slowed down per account; a passkey alone signs in too."""

    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a TOTP code, a recovery code, or a passkey."""
    user = _user(request)
    home = reverse("home")
    if factors.session_verified(request) or not factors.has_confirmed_factor(user):
        return redirect(_next_url(request, home))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        how = factors.verify_code(request=request, user=user, code=form.cleaned_data["code"])
        if how is not None:
            if how == "recovery":
                left = factors.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You signed in with a recovery code. Recovery codes left: %(left)d.")
                    % {"left": left},
                )
            return redirect(_next_url(request, home))
        form.add_error("code", _("This code is wrong, already used or expired."))
    context = {
        "form": form,
        "next": _next_url(request, ""),
        "has_passkey": any(f.kind == "webauthn" for f in factors.factors_of(user)),
    }
    return render(request, "registration/login_verify.html", context)


# --- the account's security page ---------------------------------------------------------------


@login_required
@require_safe
def security(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "factors": factors.factors_of(user),
        "recovery_left": factors.recovery_codes_left(user),
        "required": factors.factor_required(user),
        "exempt": factors.is_exempt(user),
        "how": request.session.get(factors.SECOND_FACTOR, ""),
        **_subnav(request),
    }
    return render(request, "accounts/security.html", context)


@login_required
def factor_add(request: HttpRequest) -> HttpResponse:
    """Set up a TOTP app (QR code, then a code from the app) or a passkey. Also the page an
    account that must have a second factor is sent to before anything else (enrolment)."""
    user = _user(request)
    device = factors.pending_totp_device(user=user)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factors.confirm_totp_device(
            device=device, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
        ):
            first = not factors.session_verified(request)
            if first:
                factors.mark_verified(request, "totp", device)
            messages.success(request, _("The authenticator app is set up."))
            if factors.recovery_codes_left(user) == 0:
                request.session[NEW_CODES] = factors.new_recovery_codes(user=user)
                return redirect("accounts:recovery-codes")
            return redirect("accounts:security")
        form.add_error("code", _("This code is wrong or expired: type the one the app shows now."))
    context = {
        "form": form,
        "qr_svg": factors.totp_qr_svg(device),
        "secret": factors.totp_secret(device),
        "enrolling": not factors.has_confirmed_factor(user),
        "required": factors.factor_required(user),
        "registered_url": reverse(
            "accounts:recovery-codes"
            if factors.recovery_codes_left(user) == 0
            else "accounts:security"
        ),
        **_subnav(request),
    }
    return render(request, "accounts/factor_add.html", context)


@login_required
def factor_remove(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = _user(request)
    factor = next((f for f in factors.factors_of(user) if f.kind == kind and f.pk == pk), None)
    if factor is None:
        raise Http404
    form = PasswordConfirmForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        factors.remove_factor(user=user, kind=kind, pk=pk)
        if not factors.has_confirmed_factor(user):
            # Nothing left to verify with: an account that must have a factor enrols again.
            request.session.pop(factors.SECOND_FACTOR, None)
        messages.success(request, _("“%(name)s” is removed.") % {"name": factor.name})
        return redirect("accounts:security")
    context = {"factor": factor, "form": form, **_subnav(request)}
    return render(request, "accounts/factor_remove.html", context)


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; a POST replaces the old ones."""
    user = _user(request)
    if request.method == "POST":
        if not factors.has_confirmed_factor(user):
            messages.error(request, _("Set up an authenticator app or a passkey first."))
            return redirect("accounts:security")
        request.session[NEW_CODES] = factors.new_recovery_codes(user=user)
        return redirect("accounts:recovery-codes")
    codes = request.session.pop(NEW_CODES, None)
    context = {"codes": codes, "left": factors.recovery_codes_left(user), **_subnav(request)}
    return render(request, "accounts/recovery_codes.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **_subnav(self.request)}


# --- sessions ---------------------------------------------------------------------------------


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = request.session.session_key
    rows = [
        {
            "row": row,
            "browser": sessions.browser_summary(row.user_agent),
            "current": row.session_key == current,
        }
        for row in sessions.live_sessions(user)
    ]
    rows.sort(key=lambda item: not item["current"])
    return render(request, "accounts/sessions.html", {"sessions": rows, **_subnav(request)})


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    if not sessions.end_session(user=user, pk=pk):
        raise Http404
    messages.success(request, _("The session is ended."))
    return redirect("accounts:sessions")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    count = sessions.end_other_sessions(user=user, current_key=request.session.session_key)
    messages.success(request, _("Other sessions ended: %(count)d.") % {"count": count})
    return redirect("accounts:sessions")
