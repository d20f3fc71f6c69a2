"""Template tags of the inventory pages: whether agents are let in without credentials."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def agents_unauthenticated() -> bool:
    """Whether agents may report without credentials (``REGIE_INVENTORY_AUTH=false``)."""
    return not settings.INVENTORY_USERNAME
