"""The round drawn on the territory: communes, names, attribution, stops, base; the fallback."""

import json
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from regie.directory.models import Site
from regie.field.map import OUTLINES_FILE, load_territory, route_map, sites_map
from regie.field.planning import plan_day
from regie.field.tests.conftest import next_weekday
from regie.field.tests.factories import make_intervention

pytestmark = pytest.mark.django_db

NAMES = [
    "École primaire de Chizé",
    "École élémentaire de Lezay",
    "École élémentaire de Chef-Boutonne",
    "École primaire de Fressines",
    "Maison communautaire de Celles-sur-Belle",
    "École primaire de Sauzé-entre-Bois",
]


@pytest.fixture
def plan(territory, technician, settings):
    settings.ROUTE_TIME_LIMIT = 0.3
    from regie.core.models import Role, User
    from regie.core.tests.factories import UserFactory

    other = User.objects.get(pk=UserFactory(username="tech-b", role=Role.TECHNICIAN).pk)
    for name in NAMES:
        make_intervention(site=Site.objects.get(name=name), duration_minutes=30, title=name)
    return plan_day(day=next_weekday(3), technicians=[technician, other], by=technician)


def svg_of(drawing, plan):
    with translation.override("fr"):
        html = render_to_string("field/includes/route_map.html", {"map": drawing, "plan": plan})
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


def test_the_round_is_drawn_on_the_communes_with_names_and_attribution(plan):
    svg = svg_of(route_map(plan), plan)
    outlines = json.loads(OUTLINES_FILE.read_text(encoding="utf-8"))
    assert svg.count('<path class="commune"') == len(outlines["features"]) == 58
    labels = re.findall(r'<text class="commune-label"[^>]*>([^<]*)</text>', svg)
    # The communes of the stops are named, the others where they fit, none twice.
    assert {"Chizé", "Lezay", "Chef-Boutonne", "Fressines", "Celles-sur-Belle"} <= set(labels)
    assert len(labels) == len(set(labels)) >= 25
    assert "Contours des communes : IGN GEOFLA, Licence Ouverte" in svg
    assert svg.count('class="base-marker"') == 1
    assert "Point de départ : Siège de la Communauté de communes" in svg


def test_each_technician_has_a_dash_pattern_a_shape_and_numbered_stops(plan):
    routes = list(plan.routes.order_by("position"))
    svg = svg_of(route_map(plan), plan)
    lines = re.findall(r'<polyline class="route-line"[^>]*>', svg)
    assert len(lines) == 2
    assert "stroke-dasharray" not in lines[0] and 'stroke-dasharray="9 5"' in lines[1]
    markers = re.findall(
        r'<g class="stop-marker">(<circle|<polygon)[^<]*<text[^>]*>(\d+)</text><title>([^<]*)<',
        svg,
    )
    expected = [
        (
            shape,
            str(stop.sequence),
            f"{stop.sequence}. {stop.intervention.site} — {stop.intervention}",
        )
        for route, shape in zip(routes, ("<circle", "<polygon"), strict=False)
        for stop in route.stops.order_by("sequence")
    ]
    assert list(markers) == expected
    assert sum(route.stops.count() for route in routes) == len(NAMES)
    # Both technicians in the legend, under the map.
    assert list(re.findall(r'<text class="legend-name"[^>]*>([^<]*)<', svg)) == [
        str(route.technician) for route in routes
    ] + ["Point de départ : Siège de la Communauté de communes"]


def test_without_outlines_the_round_still_gets_a_framed_map_with_labels(plan, tmp_path):
    drawing = route_map(plan, territory=load_territory(tmp_path / "missing.geojson"))
    assert drawing.on_territory is False
    svg = svg_of(drawing, plan)
    assert '<path class="commune"' not in svg
    assert "IGN GEOFLA" not in svg
    assert 'class="map-frame"' in svg
    assert re.search(r'<g class="scale-bar".*?>\d+ km</text>', svg, re.S)
    labels = re.findall(r'<text class="commune-label"[^>]*>([^<]*)</text>', svg)
    assert "Siège de la Communauté de communes" in labels
    assert "Chizé" in labels
    assert svg.count('class="stop-marker"') == len(NAMES)


def test_a_site_outside_the_outlines_falls_back(plan):
    far = Site.objects.get(name="École primaire de Chizé")
    far.latitude, far.longitude = 48.85, 2.35  # Paris
    far.save()
    drawing = route_map(plan)
    assert drawing.on_territory is False
    assert drawing.communes == []


def test_sites_are_numbered_on_the_territory_without_lines(territory):
    sites = list(Site.objects.filter(name__in=NAMES).order_by("name"))
    drawing = sites_map(sites)
    assert drawing.on_territory is True
    assert [marker.label for marker in drawing.markers] == [str(n) for n in range(1, 7)]
    assert drawing.lines == [] and drawing.base is None


def test_the_plan_form_shows_the_sites_waiting_on_the_territory(client, territory, technician):
    for name in NAMES[:3]:
        make_intervention(site=Site.objects.get(name=name), title=f"Visite {name}")
    make_intervention(site=Site.objects.get(name=NAMES[0]), title="Deuxième visite")
    client.force_login(technician)
    html = client.get("/field/rounds/new/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg.count('<path class="commune"') == 58
    assert "Contours des communes : IGN GEOFLA, Licence Ouverte" in svg
    titles = re.findall(r'<g class="stop-marker">.*?<title>([^<]*)</title>', svg)
    sites = sorted((Site.objects.get(name=n) for n in NAMES[:3]), key=lambda s: (s.city, s.name))
    assert titles == [f"{number}. {site}" for number, site in enumerate(sites, 1)]
    assert 'class="route-line"' not in svg
    items = re.findall(r"<li>([^<]*)</li>", html.split('class="waiting-sites"')[1])
    assert items[0] == f"{sites[0]} ({sites[0].city}) — " + (
        "2 interventions" if sites[0].name == NAMES[0] else "1 intervention"
    )
    assert len(items) == 3


def test_the_sites_map_draws_the_visible_sites_on_the_communes(client, territory):
    from regie.core.models import Role
    from regie.core.tests.factories import UserFactory

    mine = Site.objects.get(name="École primaire de Chizé")
    correspondent = UserFactory(username="correspondant-chize", role=Role.CORRESPONDENT)
    mine.correspondents.add(correspondent)
    make_intervention(site=mine, title="Imprimante bloquée")
    client.force_login(correspondent)
    with translation.override("fr"):
        page = client.get("/field/map/", headers={"accept-language": "fr"}).content.decode()
    assert "<h1>Carte des sites</h1>" in page
    assert page.count('class="commune"') == 58
    assert "IGN" in page
    # Only the correspondent's site: one marker, one row, with its intervention waiting.
    assert page.count('class="stop-marker"') == 1
    assert f">{mine.name}</a>" in page
    assert f"?site={mine.pk}&amp;pending=true" in page
    others = Site.objects.exclude(pk=mine.pk).exclude(latitude=None)
    assert others.exists()
    assert not any(f">{site.name}</a>" in page for site in others)


def test_the_sites_map_is_refused_to_staff(client, territory, staff_user):
    client.force_login(staff_user)
    assert client.get("/field/map/").status_code == 403
