"""The round's API: interventions CRUD and route plans, per role, with bad input refused."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from regie.core.history import history_of
from regie.core.testing import bearer_client
from regie.directory.models import Site
from regie.field.models import Intervention, InterventionStatus, PlanStatus, RoutePlan, RouteStop
from regie.field.tests.conftest import next_weekday
from regie.field.tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/interventions/"
PLANS = "/api/v1/route-plans/"


def answers(client, obj, payload):
    item = f"{BASE}{obj.pk}/"
    return {
        "list": client.get(BASE).status_code,
        "read": client.get(item).status_code,
        "create": client.post(BASE, payload, format="json").status_code,
        "change": client.patch(item, {"notes": "vu"}, format="json").status_code,
        "delete": client.delete(item).status_code,
    }


@pytest.mark.parametrize(
    ("persona", "here", "there"),
    [
        ("reader", {"list": 200, "read": 200, "create": 403, "change": 403, "delete": 403}, None),
        (
            "correspondent",
            {"list": 200, "read": 200, "create": 403, "change": 403, "delete": 403},
            {"list": 200, "read": 404, "create": 403, "change": 404, "delete": 404},
        ),
        (
            "staff_user",
            {"list": 403, "read": 404, "create": 403, "change": 404, "delete": 404},
            None,
        ),
    ],
)
def test_interventions_answer_each_role_as_its_policy_says(
    request, persona, here, there, site, other_site
):
    client = bearer_client(request.getfixturevalue(persona))
    mine = InterventionFactory(site=site)
    payload = {"title": "Nouvelle", "site": site.pk}
    assert answers(client, mine, payload) == here
    if there:
        other = InterventionFactory(site=other_site)
        assert answers(client, other, payload) == there
        listed = client.get(BASE).json()["results"]
        assert [row["id"] for row in listed] == [mine.pk]
    assert Intervention.objects.filter(title="Nouvelle").count() == 0
    assert Intervention.objects.filter(notes="vu").count() == 0
    assert Intervention.objects.filter(pk=mine.pk).exists()


def test_without_a_token_everything_is_401(site):
    obj = InterventionFactory(site=site)
    assert set(answers(APIClient(), obj, {}).values()) == {401}
    assert APIClient().get(PLANS).status_code == 401


def test_a_technician_creates_changes_and_deletes_an_intervention(technician, site, owned_asset):
    client = bearer_client(technician)
    response = client.post(
        BASE,
        {
            "title": "Remplacer le toner",
            "kind": "consumable",
            "site": site.pk,
            "assets": [owned_asset.pk],
            "duration_minutes": 15,
            "priority": 3,
            "reference": "T-2031",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    intervention = Intervention.objects.get()
    assert body["id"] == intervention.pk
    assert set(body) == {
        "id",
        "kind",
        "title",
        "description",
        "site",
        "site_brief",
        "assets",
        "duration_minutes",
        "earliest_date",
        "latest_date",
        "priority",
        "status",
        "reference",
        "done_by",
        "done_at",
        "notes",
        "created_at",
        "updated_at",
    }
    assert body["site_brief"] == {"id": site.pk, "name": site.name}
    assert list(intervention.assets.all()) == [owned_asset]
    assert (intervention.status, intervention.reference) == (InterventionStatus.TO_PLAN, "T-2031")

    patched = client.patch(f"{BASE}{intervention.pk}/", {"priority": 4}, format="json")
    assert patched.status_code == 200
    intervention.refresh_from_db()
    assert intervention.priority == 4
    assert {r.field for r in history_of(intervention)} == {"", "priority"}

    assert client.delete(f"{BASE}{intervention.pk}/").status_code == 204
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": "x", "site": 999999}, "site", "Clé primaire «\xa0999999\xa0» non valide"),
        ({"title": "x", "duration_minutes": "long"}, "duration_minutes", "Un nombre entier"),
        ({"title": "x", "duration_minutes": 0}, "duration_minutes", "supérieure ou égale à\xa01"),
        ({"title": "x", "kind": "visite"}, "kind", "n'est pas un choix valide"),
        ({"site": 1}, "title", "Ce champ est obligatoire."),
        (
            {"title": "x", "earliest_date": "2026-12-10", "latest_date": "2026-12-01"},
            "latest_date",
            "L'échéance ne peut pas précéder la date « pas avant le ».",
        ),
    ],
)
def test_bad_interventions_are_refused_and_nothing_is_stored(technician, payload, field, message):
    response = bearer_client(technician).post(BASE, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert message in " ".join(body["errors"][field])
    assert Intervention.objects.count() == 0


# --- route plans -----------------------------------------------------------------------------


@pytest.fixture
def waiting(territory):
    names = ["Multi-accueil de Melle", "École élémentaire de Melle", "Crèche de Celles-sur-Belle"]
    return [
        InterventionFactory(site=Site.objects.get(name=name), title=f"Visite {name}")
        for name in names
    ]


def test_posting_a_day_plans_it_and_answers_the_plan(technician, waiting):
    day = next_weekday(1)
    response = bearer_client(technician).post(
        PLANS,
        {"date": day.isoformat(), "technicians": [technician.pk], "day_start": "08:30"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    plan = RoutePlan.objects.get()
    assert body["id"] == plan.pk
    assert set(body) == {
        "id",
        "date",
        "status",
        "base",
        "base_brief",
        "day_start",
        "day_end",
        "distance_m",
        "driving_s",
        "baseline_distance_m",
        "saved_m",
        "method",
        "solve_ms",
        "road_factor",
        "speed_kmh",
        "replaced_by",
        "routes",
        "unplanned",
        "created_at",
        "updated_at",
    }
    assert (body["date"], body["status"], body["day_start"]) == (
        day.isoformat(),
        "planned",
        "08:30:00",
    )
    (route,) = body["routes"]
    assert route["technician"] == technician.pk
    stops = route["stops"]
    assert sorted(stop["intervention"] for stop in stops) == sorted(i.pk for i in waiting)
    assert [stop["sequence"] for stop in stops] == [1, 2, 3]
    assert set(stops[0]) == {
        "id",
        "sequence",
        "intervention",
        "intervention_brief",
        "site_brief",
        "arrival",
        "start",
        "departure",
        "distance_m",
        "travel_s",
        "done",
    }
    assert body["distance_m"] == sum(s["distance_m"] for s in stops) + (
        plan.routes.get().distance_m - sum(s.distance_m for s in RouteStop.objects.all())
    )
    assert body["unplanned"] == []
    assert set(Intervention.objects.values_list("status", flat=True)) == {"planned"}

    listed = bearer_client(technician).get(PLANS).json()
    assert [row["id"] for row in listed["results"]] == [plan.pk]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"technicians": [999999]}, "technicians", "Clé primaire «\xa0999999\xa0» non valide"),
        ({"technicians": "tech"}, "technicians", "liste"),
        ({"technicians": []}, "technicians", "Cette liste ne peut pas être vide."),
        ({"interventions": [999999]}, "interventions", "Clé primaire «\xa0999999\xa0» non valide"),
        ({"date": "demain"}, "date", "La date n'a pas le bon format"),
        ({"day_end": "07:00"}, "day_end", "La journée de travail doit finir après son début."),
        ({"base": "siège"}, "base", "Type incorrect"),
    ],
)
def test_bad_plan_requests_are_refused_and_nothing_is_stored(
    technician, waiting, payload, field, message
):
    request = {"date": next_weekday(1).isoformat(), "technicians": [technician.pk]} | payload
    response = bearer_client(technician).post(PLANS, request, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert message in " ".join(body["errors"][field]), body
    assert RoutePlan.objects.count() == 0
    assert set(Intervention.objects.values_list("status", flat=True)) == {"to_plan"}


def test_a_reader_is_not_a_technician_for_planning(technician, reader, waiting):
    request = {"date": next_weekday(1).isoformat(), "technicians": [reader.pk]}
    response = bearer_client(technician).post(PLANS, request, format="json")
    assert response.status_code == 400
    assert "Clé primaire" in response.json()["errors"]["technicians"][0]
    assert RoutePlan.objects.count() == 0


def test_a_past_day_is_refused_with_a_french_message(technician, waiting):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = bearer_client(technician).post(
        PLANS, {"date": yesterday.isoformat(), "technicians": [technician.pk]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "date": [f"Le {yesterday:%d/%m/%Y} est passé : planifiez aujourd'hui ou un jour à venir."]
    }
    assert RoutePlan.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("reader", {"list": 200, "read": 200, "create": 403, "record": 403}),
        ("correspondent", {"list": 403, "read": 404, "create": 403, "record": 404}),
        ("staff_user", {"list": 403, "read": 404, "create": 403, "record": 404}),
    ],
)
def test_plans_answer_each_role(request, technician, waiting, persona, codes):
    day = next_weekday(1).isoformat()
    bearer_client(technician).post(
        PLANS, {"date": day, "technicians": [technician.pk]}, format="json"
    )
    plan = RoutePlan.objects.get()
    client = bearer_client(request.getfixturevalue(persona))
    assert {
        "list": client.get(PLANS).status_code,
        "read": client.get(f"{PLANS}{plan.pk}/").status_code,
        "create": client.post(
            PLANS, {"date": day, "technicians": [technician.pk]}, format="json"
        ).status_code,
        "record": client.post(
            f"{PLANS}{plan.pk}/record/", {"done_stops": []}, format="json"
        ).status_code,
    } == codes
    assert RoutePlan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
    assert client.delete(f"{PLANS}{plan.pk}/").status_code in {403, 404, 405}


def test_recording_the_round_through_the_api(technician, waiting):
    client = bearer_client(technician)
    body = client.post(
        PLANS, {"date": next_weekday(1).isoformat(), "technicians": [technician.pk]}, format="json"
    ).json()
    route = body["routes"][0]
    first = route["stops"][0]
    bad = client.post(
        f"{PLANS}{body['id']}/record/",
        {"done_stops": [999999], "kilometres": {str(route["id"]): "40.5"}},
        format="json",
    )
    assert bad.status_code == 400
    assert "999999" in bad.json()["errors"]["done_stops"][0]
    assert RoutePlan.objects.get().status == PlanStatus.PLANNED

    response = client.post(
        f"{PLANS}{body['id']}/record/",
        {"done_stops": [first["id"]], "kilometres": {str(route["id"]): "40.5"}},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "done"
    assert data["routes"][0]["actual_km"] == "40.5"
    assert Intervention.objects.get(pk=first["intervention"]).status == InterventionStatus.DONE
    again = client.post(f"{PLANS}{body['id']}/record/", {"done_stops": []}, format="json")
    assert again.status_code == 409
    assert again.json() == {
        "detail": "Cette tournée est terminée : elle ne peut plus être modifiée.",
        "errors": {},
    }


def test_adding_interventions_plans_the_day_again(technician, waiting):
    client = bearer_client(technician)
    body = client.post(
        PLANS, {"date": next_weekday(1).isoformat(), "technicians": [technician.pk]}, format="json"
    ).json()
    extra = InterventionFactory(site=Site.objects.get(name="Multi-accueil de Melle"))
    response = client.post(
        f"{PLANS}{body['id']}/add/", {"interventions": [extra.pk]}, format="json"
    )
    assert response.status_code == 201
    new = response.json()
    assert new["id"] != body["id"]
    assert extra.pk in [s["intervention"] for s in new["routes"][0]["stops"]]
    assert RoutePlan.objects.get(pk=body["id"]).status == PlanStatus.REPLACED
    refused = client.post(f"{PLANS}{new['id']}/add/", {"interventions": ["x"]}, format="json")
    assert refused.status_code == 400
    replaced = client.post(
        f"{PLANS}{body['id']}/add/", {"interventions": [extra.pk]}, format="json"
    )
    assert replaced.status_code == 409
    assert RoutePlan.objects.count() == 2


@pytest.mark.parametrize("page_size", [5, 100])
def test_the_api_lists_run_a_fixed_number_of_queries(
    technician, site, other_site, django_assert_max_num_queries, page_size
):
    for number in range(120):
        InterventionFactory(site=site if number % 2 else other_site)
    client = bearer_client(technician)
    # token, count, page, assets prefetch
    with django_assert_max_num_queries(5):
        response = client.get(BASE, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
