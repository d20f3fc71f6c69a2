"""The round's pages: lists and forms per role, the plan page, its map and sheet, the record."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.core.history import history_of
from regie.directory.models import Site
from regie.field.models import (
    Intervention,
    InterventionKind,
    InterventionStatus,
    PlanStatus,
    RoutePlan,
    RouteStop,
)
from regie.field.planning import plan_day
from regie.field.tests.conftest import next_weekday
from regie.field.tests.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def logged(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def interventions(site, other_site):
    return {
        "here": InterventionFactory(site=site, title="Toner accueil"),
        "there": InterventionFactory(site=other_site, title="Switch piscine"),
        "done": InterventionFactory(site=site, title="Ancienne", status=InterventionStatus.DONE),
    }


# --- interventions ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_the_it_team_and_readers_list_every_intervention(request, client, persona, interventions):
    response = logged(client, request.getfixturevalue(persona)).get(
        reverse("field:intervention-list")
    )
    assert response.status_code == 200
    assert {row.obj.title for row in response.context["rows"]} == {
        "Toner accueil",
        "Switch piscine",
        "Ancienne",
    }


def test_a_correspondent_lists_only_the_interventions_of_their_sites(
    client, correspondent, interventions
):
    response = logged(client, correspondent).get(reverse("field:intervention-list"))
    assert response.status_code == 200
    assert {row.obj.title for row in response.context["rows"]} == {"Toner accueil", "Ancienne"}
    there = interventions["there"]
    assert logged(client, correspondent).get(there.get_absolute_url()).status_code == 404
    here = interventions["here"]
    assert client.get(reverse("field:intervention-update", args=[here.pk])).status_code == 403
    assert client.get(reverse("field:intervention-create")).status_code == 403


def test_staff_and_anonymous_visitors_get_nothing(client, staff_user, interventions):
    url = reverse("field:intervention-list")
    assert client.get(url).status_code == 302
    assert logged(client, staff_user).get(url).status_code == 403
    assert client.get(interventions["here"].get_absolute_url()).status_code == 404
    assert client.get(reverse("field:routeplan-list")).status_code == 403


def test_the_list_filters_by_status_site_kind_and_due_window(client, technician, site, other_site):
    today = timezone.localdate()
    InterventionFactory(site=site, title="A", latest_date=today + timedelta(days=2))
    InterventionFactory(
        site=site, title="B", kind=InterventionKind.CONSUMABLE, latest_date=today + timedelta(9)
    )
    InterventionFactory(site=other_site, title="C", status=InterventionStatus.CANCELLED)
    client = logged(client, technician)

    def titles(**query):
        response = client.get(reverse("field:intervention-list"), query)
        return sorted(row.obj.title for row in response.context["rows"])

    assert titles(status="cancelled") == ["C"]
    assert titles(site=site.pk) == ["A", "B"]
    assert titles(kind="consumable") == ["B"]
    assert titles(due_before=(today + timedelta(days=5)).isoformat()) == ["A"]
    assert titles(due_after=(today + timedelta(days=5)).isoformat()) == ["B"]
    assert titles(pending="true") == ["A", "B"]


def test_a_technician_creates_an_intervention_with_history(client, technician, site):
    response = logged(client, technician).post(
        reverse("field:intervention-create"),
        {
            "kind": InterventionKind.LOAN_DELIVERY,
            "title": "Livrer un portable",
            "site": site.pk,
            "duration_minutes": 20,
            "priority": 3,
            "status": InterventionStatus.TO_PLAN,
        },
    )
    intervention = Intervention.objects.get()
    assert response.status_code == 302
    assert response["Location"] == intervention.get_absolute_url()
    assert (intervention.site, intervention.duration_minutes, intervention.priority) == (
        site,
        20,
        3,
    )
    assert history_of(intervention).get().action == "create"


def test_a_bad_form_is_refused_with_french_messages_and_nothing_is_stored(client, technician, site):
    response = logged(client, technician).post(
        reverse("field:intervention-create"),
        {
            "kind": "nope",
            "title": "Date incohérente",
            "site": site.pk,
            "duration_minutes": 0,
            "priority": 2,
            "status": InterventionStatus.TO_PLAN,
            "earliest_date": "2026-12-10",
            "latest_date": "2026-12-01",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["kind"] == ["Sélectionnez un choix valide. nope n’en fait pas partie."]
    assert errors["duration_minutes"] == [
        "Assurez-vous que cette valeur est supérieure ou égale à 1."
    ]
    assert errors["__all__"] == ["L'échéance ne peut pas précéder la date « pas avant le »."]
    assert Intervention.objects.count() == 0


def test_a_reader_cannot_create_or_delete(client, reader, interventions):
    client = logged(client, reader)
    assert client.post(reverse("field:intervention-create"), {"title": "x"}).status_code == 403
    here = interventions["here"]
    assert client.post(reverse("field:intervention-delete", args=[here.pk])).status_code == 403
    assert Intervention.objects.count() == 3


def test_the_site_page_lists_its_pending_interventions(client, reader, site, interventions):
    response = logged(client, reader).get(site.get_absolute_url())
    assert response.status_code == 200
    assert "field/panels/site_interventions.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert "Interventions en attente (1)" in content
    assert "Toner accueil" in content
    assert "Ancienne" not in content


# --- planning pages --------------------------------------------------------------------------


@pytest.fixture
def day_plan(territory, technician):
    names = ["École élémentaire de Lezay", "Multi-accueil de Lezay", "École primaire de Chizé"]
    for name in names:
        InterventionFactory(site=Site.objects.get(name=name), title=f"Visite {name}")
    return plan_day(day=next_weekday(1), technicians=[technician], by=technician)


def test_planning_a_day_from_the_form(client, territory, head_office, technician):
    InterventionFactory(site=Site.objects.get(name="Multi-accueil de Melle"), title="Écran")
    day = next_weekday(1)
    response = logged(client, technician).post(
        reverse("field:routeplan-create"),
        {
            "date": day.isoformat(),
            "technicians": [technician.pk],
            "base": head_office.pk,
            "day_start": "08:00",
            "day_end": "17:30",
        },
    )
    plan = RoutePlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.date, plan.base, plan.created_by) == (day, head_office, technician)
    assert RouteStop.objects.get(route__plan=plan).intervention.title == "Écran"


def test_the_form_shows_the_planning_errors_and_stores_nothing(
    client, territory, head_office, technician
):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = logged(client, technician).post(
        reverse("field:routeplan-create"),
        {
            "date": yesterday.isoformat(),
            "technicians": [technician.pk],
            "base": head_office.pk,
            "day_start": "08:00",
            "day_end": "17:30",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        f"Le {yesterday:%d/%m/%Y} est passé : planifiez aujourd'hui ou un jour à venir."
    ]
    assert RoutePlan.objects.count() == 0


def test_an_unknown_technician_is_refused_by_the_form(client, territory, head_office, technician):
    response = logged(client, technician).post(
        reverse("field:routeplan-create"),
        {
            "date": next_weekday(1).isoformat(),
            "technicians": [999999],
            "base": head_office.pk,
            "day_start": "08:00",
            "day_end": "17:30",
        },
    )
    assert response.status_code == 200
    assert "999999" in response.context["form"].errors["technicians"][0]
    assert RoutePlan.objects.count() == 0


def test_the_plan_page_draws_one_marker_per_stop_and_marks_the_base(client, reader, day_plan):
    response = logged(client, reader).get(day_plan.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    stops = RouteStop.objects.filter(route__plan=day_plan).count()
    assert stops == 3
    svg = re.search(r"<svg.*?</svg>", content, re.S).group(0)
    assert svg.count('class="stop-marker"') == stops
    # Coordinates are SVG numbers, never formatted for the French locale ("386,5").
    markers = re.findall(r'<g class="stop-marker"><circle cx="([^"]*)" cy="([^"]*)"', svg)
    assert len(markers) == stops
    coordinates = [value for pair in markers for value in pair]
    assert all(re.fullmatch(r"\d+(\.\d+)?", value) for value in coordinates), coordinates
    xs = [float(x) for x, _y in markers]
    ys = [float(y) for _x, y in markers]
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    assert all(0 < x < width for x in xs) and all(0 < y < height for y in ys)
    # Markers of neighbouring sites are spread apart so each number stays readable.
    spots = list(zip(xs, ys, strict=True))
    assert all(
        abs(a[0] - b[0]) >= 22 or abs(a[1] - b[1]) >= 22
        for i, a in enumerate(spots)
        for b in spots[i + 1 :]
    )
    points = re.search(r'points="([^"]*)"', svg).group(1).split()
    assert len(points) == stops + 2  # base, the stops, base
    assert all(re.fullmatch(r"\d+(\.\d+)?,\d+(\.\d+)?", point) for point in points)
    assert svg.count('class="base-marker"') == 1
    assert svg.count('class="route-line"') == 1
    for sequence in range(1, stops + 1):
        assert f">{sequence}</text>" in svg
    assert "https://" not in svg and "<script" not in content.split("</head>")[1]
    # A reader sees the plan but not the actions that change it.
    assert reverse("field:routeplan-record", args=[day_plan.pk]) not in content


def test_the_route_sheet_is_printable(client, technician, day_plan):
    response = logged(client, technician).get(reverse("field:routeplan-sheet", args=[day_plan.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Feuille de route" in content
    assert "/static/field/route.css" in content
    assert content.count('class="stop-marker"') == 3
    for stop in RouteStop.objects.filter(route__plan=day_plan).select_related("intervention"):
        assert stop.intervention.title in content
        assert stop.start.strftime("%H:%M") in content
    css = client.get("/static/field/route.css")
    assert b"@media print" in b"".join(css.streaming_content)
    # A real print button (shown by the script), and the way to print without a script.
    assert (
        '<button type="button" class="button" id="print-sheet" hidden>'
        "Imprimer la feuille de route</button>"
    ) in content
    assert "<noscript><p>Imprimez cette page depuis le navigateur (Ctrl+P).</p></noscript>" in (
        content
    )
    script = client.get("/static/field/route_sheet.js")
    assert b"window.print()" in b"".join(script.streaming_content)


def test_the_route_sheet_asks_for_no_missing_file(client, technician, day_plan):
    content = (
        logged(client, technician)
        .get(reverse("field:routeplan-sheet", args=[day_plan.pk]))
        .content.decode()
    )
    head = content.split("</head>", 1)[0]
    # Without an icon of its own the browser asks for /favicon.ico, which answers 404.
    assert '<link rel="icon" href="/static/regie/favicon.svg" type="image/svg+xml">' in head
    files = re.findall(r'(?:href|src)="(/static/[^"]+)"', content)
    assert len(files) == 4
    assert {url: client.get(url).status_code for url in files} == dict.fromkeys(files, 200)


def test_while_you_are_there_is_offered_and_replans(client, technician, day_plan):
    nearby = InterventionFactory(
        site=Site.objects.get(name="École maternelle de Lezay"), title="Tableau blanc"
    )
    client = logged(client, technician)
    page = client.get(day_plan.get_absolute_url())
    assert [s.intervention for s in page.context["suggestions"]] == [nearby]
    response = client.post(
        reverse("field:routeplan-replan", args=[day_plan.pk]), {"add": [nearby.pk]}
    )
    new_plan = RoutePlan.objects.exclude(pk=day_plan.pk).get()
    assert response.status_code == 302
    assert response["Location"] == new_plan.get_absolute_url()
    assert RouteStop.objects.filter(route__plan=new_plan, intervention=nearby).exists()
    day_plan.refresh_from_db()
    assert day_plan.status == PlanStatus.REPLACED


def test_recording_the_round_from_the_page(client, technician, day_plan):
    route = day_plan.routes.get()
    stops = list(route.stops.all())
    data = {f"done_{stops[0].pk}": "on", f"km_{route.pk}": "57.3"}
    response = logged(client, technician).post(
        reverse("field:routeplan-record", args=[day_plan.pk]), data
    )
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.actual_km == Decimal("57.3")
    statuses = {s.intervention.status for s in RouteStop.objects.filter(route=route)}
    assert statuses == {InterventionStatus.DONE, InterventionStatus.TO_PLAN}
    page = client.get(day_plan.get_absolute_url())
    assert "57.3 km" in page.content.decode() or "57,3 km" in page.content.decode()


def test_a_bad_kilometre_value_is_refused_and_nothing_changes(client, technician, day_plan):
    route = day_plan.routes.get()
    response = logged(client, technician).post(
        reverse("field:routeplan-record", args=[day_plan.pk]), {f"km_{route.pk}": "-4"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"km_{route.pk}"]
    route.refresh_from_db()
    day_plan.refresh_from_db()
    assert route.actual_km is None
    assert day_plan.status == PlanStatus.PLANNED


@pytest.mark.parametrize(
    ("persona", "codes"),
    [
        ("reader", {"list": 200, "detail": 200, "sheet": 200, "create": 403, "record": 403}),
        ("correspondent", {"list": 403, "detail": 404, "sheet": 404, "create": 403, "record": 404}),
        ("staff_user", {"list": 403, "detail": 404, "sheet": 404, "create": 403, "record": 404}),
        ("admin_user", {"list": 200, "detail": 200, "sheet": 200, "create": 200, "record": 200}),
    ],
)
def test_plan_pages_per_role(request, client, persona, codes, day_plan):
    client = logged(client, request.getfixturevalue(persona))
    pk = day_plan.pk
    assert {
        "list": client.get(reverse("field:routeplan-list")).status_code,
        "detail": client.get(reverse("field:routeplan-detail", args=[pk])).status_code,
        "sheet": client.get(reverse("field:routeplan-sheet", args=[pk])).status_code,
        "create": client.get(reverse("field:routeplan-create")).status_code,
        "record": client.get(reverse("field:routeplan-record", args=[pk])).status_code,
    } == codes
    replan = client.post(reverse("field:routeplan-replan", args=[pk]), {"add": ["1"]})
    assert replan.status_code in {302, 403, 404}
    assert RoutePlan.objects.count() == 1 or persona == "admin_user"


@pytest.mark.parametrize("page_size", [5, 100])
def test_the_intervention_list_runs_a_fixed_number_of_queries(
    client, technician, site, other_site, django_assert_max_num_queries, page_size
):
    for number in range(120):
        InterventionFactory(site=site if number % 2 else other_site)
    client = logged(client, technician)
    # session, user, count, page, and the choices of the site filter
    with django_assert_max_num_queries(5):
        response = client.get(reverse("field:intervention-list"), {"page_size": page_size})
    assert len(response.context["rows"]) == page_size


def test_the_intervention_form_offers_the_sites_equipment_only(
    client, technician, site, owned_asset, outside_asset
):
    client = logged(client, technician)
    blank = client.get(reverse("field:intervention-create"))
    assert list(blank.context["form"].fields["assets"].queryset) == []
    prefilled = client.get(reverse("field:intervention-create"), {"site": site.pk})
    assert list(prefilled.context["form"].fields["assets"].queryset) == [owned_asset]
    response = client.post(
        reverse("field:intervention-create"),
        {
            "kind": "other",
            "title": "Mauvais équipement",
            "site": site.pk,
            "assets": [outside_asset.pk],
            "duration_minutes": 30,
            "priority": 2,
            "status": "to_plan",
        },
    )
    assert response.status_code == 200
    assert "assets" in response.context["form"].errors
    assert Intervention.objects.count() == 0


def test_rounds_list_first_column_is_titled_round(client, technician):
    client.force_login(technician)
    response = client.get(reverse("field:routeplan-list"))
    assert [str(header.label) for header in response.context["headers"]][0] == "Tournée"
    assert "Planifier</" not in response.content.decode()


def test_the_plan_form_offers_no_intervention_already_in_a_round(client, technician, day_plan):
    waiting = InterventionFactory(
        site=Site.objects.get(name="École primaire de Chizé"), title="Encore à planifier"
    )
    response = logged(client, technician).get(reverse("field:routeplan-create"))
    offered = {
        int(value)
        for value in re.findall(r'name="interventions" value="(\d+)"', response.content.decode())
    }
    planned = set(
        RouteStop.objects.filter(route__plan=day_plan).values_list("intervention", flat=True)
    )
    assert len(planned) == 3
    assert offered == {waiting.pk}


def test_posting_an_intervention_already_in_a_round_is_refused(
    client, technician, head_office, day_plan
):
    planned = RouteStop.objects.filter(route__plan=day_plan).first().intervention
    response = logged(client, technician).post(
        reverse("field:routeplan-create"),
        {
            "date": next_weekday(2).isoformat(),
            "technicians": [technician.pk],
            "base": head_office.pk,
            "day_start": "08:00",
            "day_end": "17:30",
            "interventions": [planned.pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["interventions"] == [
        f"L'intervention {planned.pk} ne peut pas être ajoutée : elle est déjà dans une tournée "
        "planifiée, terminée, annulée ou hors de votre périmètre."
    ]
    assert list(RoutePlan.objects.all()) == [day_plan]
    assert RouteStop.objects.get(intervention=planned).route.plan == day_plan
