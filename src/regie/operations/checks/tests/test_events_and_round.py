"""Events published on flips, and the daily round's section."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from regie.core.events import _HANDLERS, Event, Severity, subscribe
from regie.core.rounds import round_sources
from regie.operations.checks.models import Check, CheckStatus, PingKind
from regie.operations.checks.services import evaluate_checks
from regie.operations.checks.tests.factories import CheckFactory
from regie.operations.checks.tests.test_state_machine import ping

T0 = datetime(2026, 1, 12, 22, 0, tzinfo=UTC)


@pytest.fixture
def events():
    received: list[Event] = []
    handler = subscribe(received.append)
    yield received
    _HANDLERS.remove(handler)


@pytest.mark.django_db(transaction=True)
def test_down_late_and_up_are_published_in_french(events, site, settings):
    settings.LANGUAGE_CODE = "fr"
    check = CheckFactory(
        name="Sauvegarde NAS Melle", site=site, period_minutes=60, grace_minutes=30
    )
    ping(check, at=T0)
    assert events == []  # a first success is not news
    with translation.override("en"):
        evaluate_checks(now=T0 + timedelta(minutes=61))
        evaluate_checks(now=T0 + timedelta(minutes=95))
    ping(check, at=T0 + timedelta(minutes=100))
    assert [(e.kind, e.severity) for e in events] == [
        ("check.late", Severity.WARNING),
        ("check.down", Severity.CRITICAL),
        ("check.up", Severity.INFO),
    ]
    down = events[1]
    assert down.title == "Sauvegarde NAS Melle : en panne"
    assert "Site : École de Melle" in down.text
    assert down.url == f"/checks/{check.pk}/"
    assert down.data == {
        "check_id": check.pk,
        "name": "Sauvegarde NAS Melle",
        "kind": "backup",
        "status": "down",
        "previous_status": "late",
        "site": "École de Melle",
        "site_id": site.pk,
        "last_ping_at": T0.isoformat(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_failure_ping_publishes_down_once(events):
    check = CheckFactory()
    ping(check, at=T0)
    ping(check, PingKind.FAIL, at=T0 + timedelta(hours=1))
    ping(check, PingKind.FAIL, at=T0 + timedelta(hours=2))
    assert [e.kind for e in events] == ["check.down"]


@pytest.mark.django_db
def test_round_lists_checks_down_or_late_keyed_by_the_outage(
    technician, correspondent, site, other_site
):
    source = next(s for s in round_sources() if s.key == "checks")
    assert source.order == 10
    with translation.override("en"):
        assert str(source.label) == "Checks down or late"
    mine = CheckFactory(name="Sauvegarde école", site=site, period_minutes=60, grace_minutes=30)
    other = CheckFactory(
        name="Mises à jour piscine", site=other_site, period_minutes=60, grace_minutes=0
    )
    fine = CheckFactory(name="Tout va bien")
    for check in (mine, other, fine):
        ping(check, at=T0)
    ping(fine, at=T0 + timedelta(minutes=65))
    evaluate_checks(now=T0 + timedelta(minutes=61))
    late_flip = Check.objects.get(pk=mine.pk).outage_flip
    items = source.items(technician, None)
    assert [(i.title, i.severity) for i in items] == [
        ("Mises à jour piscine", Severity.CRITICAL),
        ("Sauvegarde école", Severity.WARNING),
    ]
    assert items[1].key == f"check:{mine.pk}:flip:{late_flip.pk}"
    # Late then down is the same outage: same key.
    evaluate_checks(now=T0 + timedelta(minutes=95))
    assert Check.objects.get(pk=mine.pk).status == CheckStatus.DOWN
    keys = {i.title: i.key for i in source.items(technician, None)}
    assert keys["Sauvegarde école"] == f"check:{mine.pk}:flip:{late_flip.pk}"
    # The correspondent sees their site's check only.
    assert [i.title for i in source.items(correspondent, None)] == ["Sauvegarde école"]
    # Back up: out of the round; a new outage is a new key.
    ping(mine, at=T0 + timedelta(minutes=100))
    assert [i.title for i in source.items(technician, None)] == ["Mises à jour piscine"]
    evaluate_checks(now=T0 + timedelta(minutes=200))
    keys = {i.title: i.key for i in source.items(technician, None)}
    assert keys["Sauvegarde école"] != f"check:{mine.pk}:flip:{late_flip.pk}"


@pytest.mark.django_db
def test_a_check_noticed_late_is_dated_when_its_deadlines_passed():
    """No worker ran over the weekend: on Monday the check that missed Friday night's run is
    late since its run was due and down since its grace ran out, not since Monday."""
    check = CheckFactory(period_minutes=60, grace_minutes=30)
    ping(check, at=T0)
    monday = T0 + timedelta(days=3)
    [down] = evaluate_checks(now=monday)
    assert (down.to_status, down.at) == (CheckStatus.DOWN, T0 + timedelta(minutes=90))
    assert Check.objects.get(pk=check.pk).outage_flip.at == T0 + timedelta(minutes=90)

    other = CheckFactory(period_minutes=60, grace_minutes=24 * 60)
    ping(other, at=T0)
    [late] = evaluate_checks(now=T0 + timedelta(hours=5))
    assert (late.to_status, late.at) == (CheckStatus.LATE, T0 + timedelta(minutes=60))
