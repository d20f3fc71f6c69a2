"""The "API tokens" page: a user lists, creates and revokes their own tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from regie.core.models import ApiToken, ChangeSource, User
from regie.core.tokens import create_api_token, revoke_api_token


class TokenForm(forms.ModelForm[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": gettext_lazy("What the token is for, e.g. “inventory script”.")}


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
            user=user, name=form.cleaned_data["name"], source=ChangeSource.WEB
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
