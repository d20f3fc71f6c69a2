"""The "Aujourd'hui" page's section: visits due or overdue, and today's rounds."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.timesince import timesince

from regie.core.events import Severity
from regie.core.rounds import round_sources
from regie.field.models import InterventionStatus, RoutePlan
from regie.field.rounds import due_visits
from regie.field.tests.factories import make_intervention

pytestmark = pytest.mark.django_db


def test_due_and_overdue_visits_are_listed_for_those_who_see_them(
    technician, correspondent, site, other_site, head_office
):
    today = timezone.localdate()
    late = make_intervention(site=site, title="Borne Wi-Fi", latest_date=today - timedelta(2))
    due = make_intervention(site=other_site, title="Toner", latest_date=today)
    make_intervention(site=site, title="Plus tard", latest_date=today + timedelta(days=3))
    make_intervention(site=site, title="Faite", latest_date=today, status=InterventionStatus.DONE)
    plan = RoutePlan.objects.create(
        date=today,
        base=head_office,
        day_start="08:00",
        day_end="17:30",
        road_factor="1.30",
        speed_kmh=50,
    )
    plan.routes.create(
        technician=technician,
        position=0,
        leave_at="08:00",
        back_at="12:00",
        distance_m=0,
        driving_s=0,
    )

    items = due_visits(technician, None)
    assert [(item.key, item.title, item.severity) for item in items] == [
        (f"route-plan:{plan.pk}", f"Tournée du jour : {technician}", Severity.INFO),
        (f"intervention:{late.pk}:due", "Borne Wi-Fi", Severity.WARNING),
        (f"intervention:{due.pk}:due", "Toner", Severity.INFO),
    ]
    assert items[1].detail == (
        f"{site} — en retard depuis le {late.latest_date:%d/%m/%Y}, pas encore planifiée."
    )
    assert items[1].url == late.get_absolute_url()
    # A correspondent sees their site's visit, not the rounds nor the other site's.
    assert [item.title for item in due_visits(correspondent, None)] == ["Borne Wi-Fi"]
    assert "field" in {source.key for source in round_sources()}


def test_a_round_and_a_visit_are_counted_from_when_they_were_made(technician, site, head_office):
    today = timezone.localdate()
    afternoon = timezone.make_aware(datetime.combine(today, time(14)))
    with time_machine.travel(afternoon, tick=False):
        plan = RoutePlan.objects.create(
            date=today,
            base=head_office,
            day_start="08:00",
            day_end="17:30",
            road_factor="1.30",
            speed_kmh=50,
        )
        plan.routes.create(
            technician=technician,
            position=0,
            leave_at="14:30",
            back_at="16:00",
            distance_m=0,
            driving_s=0,
        )
        visit = make_intervention(site=site, title="Toner", latest_date=today)
    with (
        time_machine.travel(afternoon + timedelta(minutes=30), tick=False),
        translation.override("fr"),
    ):
        items = {item.key: item for item in due_visits(technician, None)}
        round_item = items[f"route-plan:{plan.pk}"]
        visit_item = items[f"intervention:{visit.pk}:due"]
        assert round_item.since == afternoon
        assert visit_item.since == afternoon
        assert timesince(round_item.since) == "30\xa0minutes"
