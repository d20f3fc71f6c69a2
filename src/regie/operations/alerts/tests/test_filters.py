"""Which channels an event goes to: kinds, minimum severity, enabled flag, bursts."""

import datetime as dt

import pytest
import time_machine

from regie.core.events import Event, Severity
from regie.operations.alerts.models import Delivery
from regie.operations.alerts.services import on_event, queue_deliveries
from regie.operations.alerts.tests.factories import ChannelFactory

pytestmark = pytest.mark.django_db


def event(kind, severity=Severity.WARNING, url="/checks/1/"):
    return Event(kind=kind, severity=severity, title="t", text="", url=url)


def test_kind_prefixes_and_minimum_severity_choose_the_channels():
    ChannelFactory(name="Tout")
    ChannelFactory(name="Contrôles", event_kinds="check.")
    ChannelFactory(name="Pannes et constats", event_kinds="check.down, finding.")
    ChannelFactory(name="Critiques", min_severity=Severity.CRITICAL)
    ChannelFactory(name="Désactivé", enabled=False)

    def names(kind, severity):
        return sorted(
            d.channel_name
            for d in queue_deliveries(event=event(kind, severity, url=f"/{kind}/{severity}/"))
        )

    assert names("check.down", Severity.WARNING) == ["Contrôles", "Pannes et constats", "Tout"]
    assert names("check.up", Severity.INFO) == ["Contrôles", "Tout"]
    assert names("finding.new", Severity.CRITICAL) == ["Critiques", "Pannes et constats", "Tout"]
    assert names("loan.late", Severity.INFO) == ["Tout"]
    assert Delivery.objects.filter(channel_name="Désactivé").count() == 0


def test_the_same_event_within_the_window_is_delivered_once(settings):
    settings.ALERTS_DEDUP_SECONDS = 60
    ChannelFactory()
    start = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        on_event(event("check.down"))
        clock.move_to(start + dt.timedelta(seconds=59))
        on_event(event("check.down"))  # the same burst
        on_event(event("check.up"))  # another kind
        on_event(event("check.down", url="/checks/2/"))  # another check
        clock.move_to(start + dt.timedelta(seconds=61))
        on_event(event("check.down"))  # past the window
    assert list(Delivery.objects.order_by("pk").values_list("kind", "url")) == [
        ("check.down", "/checks/1/"),
        ("check.up", "/checks/1/"),
        ("check.down", "/checks/2/"),
        ("check.down", "/checks/1/"),
    ]
