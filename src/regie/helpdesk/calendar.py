"""The working-time calendar the SLA deadlines are counted in.

Working hours (default Monday to Friday, 08:30–12:00 and 13:30–17:30) are read in the
organisation's time zone (``TIME_ZONE``, Europe/Paris); French public holidays are skipped.
The holidays are computed for any year: the fixed-date ones from the calendar, the movable
ones (Easter Monday, Ascension, Whit Monday) from Easter Sunday as given by
``dateutil.easter``.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.easter import easter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from regie.directory.hours import WEEKDAYS, Period, parse_periods

_FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
# The calendar walks day by day; a deadline further than this is a configuration error.
_MAX_DAYS = 3660


@functools.cache
def french_public_holidays(year: int) -> frozenset[date]:
    """The eleven public holidays of metropolitan France in ``year``."""
    sunday = easter(year)
    movable = {sunday + timedelta(days=1), sunday + timedelta(days=39), sunday + timedelta(days=50)}
    return frozenset({date(year, month, day) for month, day in _FIXED_HOLIDAYS} | movable)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working periods per weekday (0 = Monday) in ``zone``, minus public holidays."""

    periods: tuple[Period, ...]
    weekdays: frozenset[int]
    zone: zoneinfo.ZoneInfo

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in french_public_holidays(day.year)

    def _intervals_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working intervals (aware, in ``zone``) from ``moment`` on, the first one clipped."""
        local = moment.astimezone(self.zone)
        day = local.date()
        for _offset in range(_MAX_DAYS):
            if self.is_working_day(day):
                for start, end in self.periods:
                    begin = datetime.combine(day, start, tzinfo=self.zone)
                    finish = datetime.combine(day, end, tzinfo=self.zone)
                    if finish <= local:
                        continue
                    yield max(begin, local), finish
            day += timedelta(days=1)
        raise ValueError("no working time within ten years; check the working hours")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of working time after ``start``."""
        remaining = duration
        if remaining <= timedelta(0):
            return start
        for begin, finish in self._intervals_from(start):
            length = finish - begin
            if remaining <= length:
                return begin + remaining
            remaining -= length
        raise AssertionError("unreachable")  # pragma: no cover  # _intervals_from raises

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (zero when ``end`` is not later)."""
        total = timedelta(0)
        if end <= start:
            return total
        for begin, finish in self._intervals_from(start):
            if begin >= end:
                break
            total += min(finish, end) - begin
        return total


_DAY_CODES = {code: index for index, (code, _label) in enumerate(WEEKDAYS)}


def calendar_from_settings() -> WorkingCalendar:
    """The calendar of ``HELPDESK_WORKING_HOURS`` / ``HELPDESK_WORKING_DAYS``."""
    try:
        periods = parse_periods(settings.HELPDESK_WORKING_HOURS)
    except ValidationError as exc:
        raise ImproperlyConfigured(
            f"REGIE_HELPDESK_WORKING_HOURS must look like 08:30-12:00,13:30-17:30: "
            f"{' '.join(exc.messages)}"
        ) from None
    if not periods:
        raise ImproperlyConfigured("REGIE_HELPDESK_WORKING_HOURS cannot be empty")
    unknown = [day for day in settings.HELPDESK_WORKING_DAYS if day not in _DAY_CODES]
    if unknown or not settings.HELPDESK_WORKING_DAYS:
        raise ImproperlyConfigured(
            f"REGIE_HELPDESK_WORKING_DAYS must list days among {', '.join(_DAY_CODES)}, "
            f"got {settings.HELPDESK_WORKING_DAYS!r}"
        )
    return WorkingCalendar(
        periods=tuple(periods),
        weekdays=frozenset(_DAY_CODES[day] for day in settings.HELPDESK_WORKING_DAYS),
        zone=zoneinfo.ZoneInfo(settings.TIME_ZONE),
    )


def working_calendar() -> WorkingCalendar:
    """The current calendar (settings are read each time, so tests can override them)."""
    return calendar_from_settings()
