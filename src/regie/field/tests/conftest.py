"""The demo territory's real positions and opening hours, for the route tests."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from regie.demo.territory import build_territory
from regie.directory.models import Site, SiteKind


@pytest.fixture
def territory(db):
    build_territory(password="mot-de-passe-demo", with_fleet=False)
    return Site.objects.all()


@pytest.fixture
def head_office(territory):
    return Site.objects.get(kind=SiteKind.HEAD_OFFICE)


def next_weekday(weekday: int) -> date:
    """The next date (after today) falling on ``weekday`` (Monday 0)."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def tuesday():
    return next_weekday(1)
