"""How dates, times, durations, money and numbers read, in the user's language and time zone.

One place for every page: templates use these through the ``regie`` template filters
(``{{ value|local_datetime }}``), Python code that builds display values calls them directly.
Instants are shown in the local time zone (``TIME_ZONE``, Europe/Paris by default) whatever
zone they were stored or sent in; formats come from Django's locale files for the active
language ("7 décembre 2026 05:58" in French, "Dec. 7, 2026, 5:58 a.m." in English).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext

Number = int | float | Decimal


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_date(value: datetime.date | None, *, short: bool = False) -> str:
    """A day: "27 décembre 2023" (``short``: "27/12/2023"); an instant gives its local day."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


def format_datetime(value: datetime.datetime | None, *, short: bool = False) -> str:
    """An instant in local time: "7 décembre 2026 05:58" (``short``: "07/12/2026 05:58")."""
    if value is None:
        return ""
    return formats.date_format(
        _local(value), "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT"
    )


def format_time(value: datetime.datetime | datetime.time | None) -> str:
    """The local time of day of an instant (or a time): "22:00" in French."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    return formats.time_format(value, "TIME_FORMAT")


def format_duration(value: datetime.timedelta | Number | None) -> str:
    """A length of time (a timedelta, or seconds): "2 h 05 min", "3 days 4 h", "45 s"."""
    if value is None:
        return ""
    seconds = int(
        value.total_seconds() if isinstance(value, datetime.timedelta) else round(float(value))
    )
    if seconds < 0:
        return "-" + format_duration(-seconds)
    if seconds < 60:
        return gettext("%(seconds)d s") % {"seconds": seconds}
    minutes_total = (seconds + 30) // 60
    days, remainder = divmod(minutes_total, 24 * 60)
    hours, minutes = divmod(remainder, 60)
    parts = []
    if days:
        parts.append(ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
    if hours and minutes and not days:
        parts.append(
            gettext("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
        )
    elif hours:
        parts.append(gettext("%(hours)d h") % {"hours": hours})
    elif minutes and not days:
        parts.append(gettext("%(minutes)d min") % {"minutes": minutes})
    return " ".join(parts)


def format_yes_no(value: bool | None) -> str:
    """A yes/no fact as a word, never ``True``/``False``: "Oui" / "Non" in French."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


def format_number(value: Number | None, decimals: int | None = None) -> str:
    """A number with the language's decimal mark and thousands separator: "1 234,5"."""
    if value is None:
        return ""
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def format_money(value: Number | None) -> str:
    """An amount in euros, two decimals: "1 234,00 €" in French, "€1,234.00" in English."""
    if value is None:
        return ""
    return gettext("€%(amount)s") % {"amount": format_number(value, 2)}
