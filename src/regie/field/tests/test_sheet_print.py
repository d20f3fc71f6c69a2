"""The route sheet printed by a real Chromium: ten visits for two technicians on one A4 page.

Needs Debian's ``chromium``. Without it the test is skipped, unless
``REGIE_REQUIRE_BROWSER`` is set (CI sets it), in which case it fails.
"""

import random
import re

import pytest
from django.db import connections

from regie.core.models import Role, User
from regie.core.tests.factories import UserFactory
from regie.directory.models import Site, SiteKind
from regie.field.models import RouteStop
from regie.field.planning import plan_day
from regie.field.tests.conftest import next_weekday
from regie.field.tests.factories import make_intervention

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_ten_visits_for_two_technicians_print_on_one_a4_sheet(
    live_server, browser_page, territory, settings, tmp_path
):
    try:
        print_the_sheet(live_server, browser_page, settings, tmp_path)
    finally:
        connections.close_all()


def print_the_sheet(live_server, page, settings, tmp_path):
    settings.ROUTE_TIME_LIMIT = 0.5
    password = "Un-mot-de-passe-2026"  # noqa: S105  # a test account
    first = User.objects.get(
        pk=UserFactory(username="camille", role=Role.TECHNICIAN, password=password).pk
    )
    second = User.objects.get(pk=UserFactory(username="dominique", role=Role.TECHNICIAN).pk)
    rng = random.Random(12)  # noqa: S311  # reproducible test data
    sites = list(Site.objects.filter(kind=SiteKind.SCHOOL).order_by("name"))
    for index, site in enumerate(rng.sample(sites, 10), 1):
        make_intervention(site=site, title=f"Poste de la salle {index}", duration_minutes=20)
    plan = plan_day(day=next_weekday(1), technicians=[first, second], by=first)
    assert RouteStop.objects.filter(route__plan=plan).count() == 10
    assert all(route.stops.exists() for route in plan.routes.all())

    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"{live_server.url}/field/rounds/{plan.pk}/sheet/")
    button = page.get_by_role("button", name="Imprimer la feuille de route")
    assert button.is_visible()

    pdf = page.pdf(format="A4", print_background=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1040})
    page.screenshot(path=str(tmp_path / "route-sheet-print.png"), full_page=True)
    assert not button.is_visible()
    assert page.locator("svg .commune").count() == 58
    assert len(pages) == 1, f"{len(pages)} pages"
