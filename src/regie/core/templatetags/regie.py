"""Display filters for Régie templates (formatting only, no queries).

Dates, times, durations, money and numbers always go through these, so every page reads the
same in the user's language and local time zone (see :mod:`regie.core.formatting`).
"""

from __future__ import annotations

import datetime
from datetime import timedelta
from decimal import Decimal

from django import template

from regie.core import formatting

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up, so "try again in N minutes" is never early."""
    if value is None:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.filter
def local_date(value: datetime.date | None, style: str = "") -> str:
    """``{{ day|local_date }}`` → "27 décembre 2023"; ``|local_date:"short"`` → "27/12/2023"."""
    return formatting.format_date(value, short=style == "short")


@register.filter
def local_datetime(value: datetime.datetime | None, style: str = "") -> str:
    """An instant in local time; ``|local_datetime:"short"`` → "07/12/2026 05:58"."""
    return formatting.format_datetime(value, short=style == "short")


@register.filter
def local_time(value: datetime.datetime | datetime.time | None) -> str:
    return formatting.format_time(value)


@register.filter
def duration(value: timedelta | int | float | Decimal | None) -> str:
    """A timedelta or a number of seconds: "2 h 05 min"."""
    return formatting.format_duration(value)


@register.filter
def money(value: int | float | Decimal | None) -> str:
    return formatting.format_money(value)


@register.filter
def number(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    return formatting.format_number(value, decimals)
