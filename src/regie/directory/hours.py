"""Opening hours of a site, written the way staff write them: ``08:30-12:00, 13:30-17:00``.

One text per weekday keeps forms, the API and CSV exports plain; route planning reads the
parsed periods.
"""

from __future__ import annotations

import re
from datetime import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEEKDAYS = (
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
)

_PERIOD = re.compile(r"^(\d{1,2})[:hH](\d{2})\s*-\s*(\d{1,2})[:hH](\d{2})$")

Period = tuple[time, time]


def parse_periods(text: str) -> list[Period]:
    """Parse ``"08:30-12:00, 13:30-17:00"`` into ordered, non-overlapping periods.

    An empty text means closed that day. Raises ``ValidationError`` with a message a
    person can act on.
    """
    periods: list[Period] = []
    for chunk in (part.strip() for part in text.replace(";", ",").split(",")):
        if not chunk:
            continue
        match = _PERIOD.match(chunk)
        if not match:
            raise ValidationError(
                _("“%(value)s” is not a period; write it like 08:30-12:00."),
                code="invalid_period",
                params={"value": chunk},
            )
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise ValidationError(
                _("“%(value)s” is not a valid time of day."),
                code="invalid_time",
                params={"value": chunk},
            )
        start, end = time(h1, m1), time(23, 59) if h2 == 24 else time(h2, m2)
        if end <= start:
            raise ValidationError(
                _("In “%(value)s” the period must end after it starts."),
                code="reversed_period",
                params={"value": chunk},
            )
        if periods and start < periods[-1][1]:
            raise ValidationError(
                _("Periods must be in order and must not overlap (“%(value)s”)."),
                code="overlap",
                params={"value": chunk},
            )
        periods.append((start, end))
    return periods


def validate_opening_hours(text: str) -> None:
    parse_periods(text)


def format_periods(periods: list[Period]) -> str:
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in periods)
