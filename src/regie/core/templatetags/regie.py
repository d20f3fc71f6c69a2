"""Small display filters for Régie templates (formatting only, no queries)."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up, so "try again in N minutes" is never early."""
    if value is None:
        return 0
    return -(-int(value.total_seconds()) // 60)
