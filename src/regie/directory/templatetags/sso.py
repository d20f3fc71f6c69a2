"""The single sign-on button of the login page, when single sign-on is configured."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from regie.directory.sso import provider

register = template.Library()


@register.inclusion_tag("directory/sso_button.html", takes_context=True)
def sso_button(context: template.Context) -> dict[str, Any]:
    if not provider.enabled():
        return {"enabled": False}
    if settings.OIDC_LABEL:
        label = settings.OIDC_LABEL
    elif provider.is_entra():
        label = _("Sign in with Microsoft")
    else:
        label = _("Sign in with single sign-on")
    return {"enabled": True, "label": label, "next": context.get("next", "")}
