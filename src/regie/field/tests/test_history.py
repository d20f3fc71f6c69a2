"""Recording a round leaves the history of each stop done and of the kilometres driven, with
their author, from the page and from the API alike."""

import pytest
from django.urls import reverse

from regie.core.history import history_of
from regie.core.models import Role
from regie.core.testing import bearer_client
from regie.core.tests.factories import UserFactory
from regie.directory.models import Site
from regie.field.planning import plan_day
from regie.field.tests.conftest import next_weekday
from regie.field.tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(db):
    return UserFactory(username="planificateur", role=Role.TECHNICIAN)


@pytest.fixture
def plan(territory, planner):
    names = ["École élémentaire de Lezay", "Multi-accueil de Lezay"]
    for name in names:
        InterventionFactory(site=Site.objects.get(name=name), title=f"Visite {name}")
    return plan_day(day=next_weekday(1), technicians=[planner], by=planner)


def rows(instance):
    return [
        (r.action, r.field, r.old_value, r.new_value, r.actor, r.source)
        for r in history_of(instance).order_by("pk")
    ]


def test_recording_the_round_on_the_page_records_stops_and_kilometres(client, technician, plan):
    route = plan.routes.get()
    done, skipped = route.stops.all()
    client.force_login(technician)
    response = client.post(
        reverse("field:routeplan-record", args=[plan.pk]),
        {f"done_{done.pk}": "on", f"km_{route.pk}": "57.3"},
    )
    assert response.status_code == 302
    assert rows(done) == [("update", "done", "non", "oui", technician, "web")]
    assert rows(skipped) == []
    assert rows(route) == [("update", "actual_km", "", "57.3", technician, "web")]


def test_recording_the_round_through_the_api_records_stops_and_kilometres(technician, plan):
    route = plan.routes.get()
    done, skipped = route.stops.all()
    response = bearer_client(technician).post(
        f"/api/v1/route-plans/{plan.pk}/record/",
        {"done_stops": [done.pk, skipped.pk], "kilometres": {str(route.pk): "40.5"}},
        format="json",
    )
    assert response.status_code == 200
    assert rows(done) == [("update", "done", "non", "oui", technician, "api")]
    assert rows(skipped) == [("update", "done", "non", "oui", technician, "api")]
    assert rows(route) == [("update", "actual_km", "", "40.5", technician, "api")]


def test_a_refused_round_records_nothing(technician, plan):
    route = plan.routes.get()
    done = route.stops.first()
    response = bearer_client(technician).post(
        f"/api/v1/route-plans/{plan.pk}/record/",
        {"done_stops": [done.pk, 999999], "kilometres": {str(route.pk): "40.5"}},
        format="json",
    )
    assert response.status_code == 400
    assert (rows(done), rows(route)) == ([], [])
