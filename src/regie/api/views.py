"""The "API tokens" page: a user lists, creates and revokes their own tokens."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from regie.core.forms import DateInput
from regie.core.models import ApiToken, ChangeSource, User
from regie.core.tokens import DEFAULT_LIFETIME, create_api_token, revoke_api_token


def _default_expiry_date() -> datetime.date:
    return timezone.localdate() + DEFAULT_LIFETIME


class TokenForm(forms.ModelForm[ApiToken]):
    """Name, scope (read-only unless chosen otherwise) and expiry date (in a year unless
    chosen otherwise, or never). A token stops working at the start of its expiry date."""

    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("The token stops working at the start of this day."),
    )
    no_expiry = forms.BooleanField(label=gettext_lazy("Never expires"), required=False)

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}
        help_texts = {
            "name": gettext_lazy("What the token is for, e.g. “inventory script”."),
            "scope": gettext_lazy(
                "A read-only token cannot change anything, whatever your rights."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].initial = ApiToken.Scope.READ
        self.fields["expires_on"].initial = _default_expiry_date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        expires_on = cleaned.get("expires_on")
        if cleaned.get("no_expiry"):
            cleaned["expires_at"] = None
        elif expires_on is None:
            if "expires_on" not in self.errors:
                self.add_error("expires_on", _("Choose an expiry date, or tick “Never expires”."))
        elif expires_on <= timezone.localdate():
            self.add_error("expires_on", _("The expiry date must be after today."))
        else:
            midnight = datetime.datetime.combine(expires_on, datetime.time())
            cleaned["expires_at"] = timezone.make_aware(midnight)
        return cleaned


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  # login_required guarantees it
    return request.user


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens and a form for a new one; the new token is shown once, here."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    raw_key = None
    if request.method == "POST" and form.is_valid():
        _token, raw_key = create_api_token(
            user=user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.cleaned_data["expires_at"],
            source=ChangeSource.WEB,
        )
        form = TokenForm()
    context = {"tokens": user.api_tokens.all(), "form": form, "raw_key": raw_key}
    return render(request, "api/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = get_object_or_404(user.api_tokens.all(), pk=pk)
    revoke_api_token(token=token, by=user, source=ChangeSource.WEB)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("tokens:token-list")
