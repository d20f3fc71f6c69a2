"""Dates for the route tests (the demo territory's fixtures, ``territory`` and ``head_office``,
are in the root conftest: the demo sits above every app)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone


def next_weekday(weekday: int) -> date:
    """The next date (after today) falling on ``weekday`` (Monday 0)."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def tuesday():
    return next_weekday(1)
