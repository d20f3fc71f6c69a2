from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from regie.accounts import throttle


class LoginForm(AuthenticationForm):
    """Django's login form, slowed down per account (see ``regie.accounts.throttle``)."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        # A blocked address is answered by django-axes (429) when the password is checked.
        blocked = self.request is not None and AxesProxyHandler.is_locked(self.request)
        if username and self.cleaned_data.get("password") and not blocked:
            wait = throttle.seconds_to_wait(username)
            if wait:
                raise forms.ValidationError(
                    ngettext(
                        "Too many failed logins for this account. Try again in %(seconds)d second.",
                        "Too many failed logins for this account. Try again in %(seconds)d "
                        "seconds.",
                        wait,
                    )
                    % {"seconds": wait},
                    code="wait",
                )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                throttle.record_failure(username)
            raise
        throttle.forget_failures(username)
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TotpConfirmForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this app"),
        max_length=64,
        initial=_("Authenticator app"),
        help_text=_("To recognise it in the list, e.g. “phone”."),
    )
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        """Checked through the authentication backends, so a directory password works too
        (and a wrong one counts as a failed login of this address)."""
        password: str = self.cleaned_data["password"]
        user = self.request.user
        again = authenticate(self.request, username=user.get_username(), password=password)
        if again is None or again.pk != user.pk:
            raise forms.ValidationError(_("This is not your password."), code="wrong")
        return password
