"""Links only where the user may follow them (see :mod:`regie.core.links`).

``{% link_to obj %}`` is a link to ``obj``'s page when its policy lets the user view it, else
its name as plain text; ``{% may_open "app:page" as shown %}`` says whether a page opens for
the user; ``{% subnav "app" %}`` draws an app's sub-menu with only the entries that open.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from regie.core import links

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


@register.simple_tag(takes_context=True)
def link_to(context: template.Context, obj: models.Model | None, label: Any = None) -> SafeString:
    if obj is None:
        return SafeString("")
    text = str(obj if label is None else label)
    url = links.object_url(_user(context), obj)
    if not url:
        return SafeString(conditional_escape(text))
    return format_html('<a href="{}">{}</a>', url, text)


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, url_name: str) -> bool:
    return links.may_open(_user(context), url_name)


@register.inclusion_tag("includes/subnav.html", takes_context=True)
def subnav(context: template.Context, name: str) -> dict[str, Any]:
    request = context.get("request")
    label, entries = links.subnav_entries(_user(context), name, getattr(request, "path", ""))
    return {"subnav_label": label, "subnav_entries": entries}
