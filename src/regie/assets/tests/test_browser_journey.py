"""A technician's journey in a real Chromium, in French: log in, find an asset, edit it.

Needs Debian's ``chromium``. Without it the test is skipped, unless
``REGIE_REQUIRE_BROWSER`` is set (CI sets it), in which case it fails.
"""

import re

import pytest
from django.db import connections

from regie.assets.models import Asset, AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.core.history import history_of
from regie.core.models import Role
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import SiteFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_technician_finds_and_edits_an_asset_in_french(live_server, browser_page):
    # Under Playwright's sync API the test body runs in another context, which gets its
    # own database connection: close it, or PostgreSQL cannot drop the test database.
    try:
        walk_the_asset_journey(live_server, browser_page)
    finally:
        connections.close_all()


def walk_the_asset_journey(live_server, browser_page):
    site = SiteFactory(name="Médiathèque de Lezay")
    AssetFactory(name="POSTE-ACCUEIL-LEZAY", site=site, status=AssetStatus.IN_SERVICE)
    AssetFactory(name="POSTE-COMPTA-MELLE")
    UserFactory(username="camille", role=Role.TECHNICIAN, password="Un-mot-de-passe-2026")
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert re.search(r"/accounts/login/|/login/", page.url)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", "Un-mot-de-passe-2026")
    page.get_by_role("button", name="Connexion").click()

    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("link", name="Équipements").click()
    page.wait_for_url(re.compile(r"/fleet/assets/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Équipements"

    page.get_by_role("searchbox").fill("ACCUEIL")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url(re.compile(r"q=ACCUEIL"))
    results = page.locator("table tbody tr")
    assert results.count() == 1
    results.first.get_by_role("link").first.click()

    asset = Asset.objects.get(name="POSTE-ACCUEIL-LEZAY")
    page.wait_for_url(re.compile(rf"/fleet/assets/{asset.pk}/$"))
    assert "Médiathèque de Lezay" in page.content()

    page.get_by_role("link", name="Modifier").click()
    page.get_by_label("Statut").select_option(AssetStatus.IN_REPAIR)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf"/fleet/assets/{asset.pk}/$"))

    page.get_by_role("link", name="Historique").click()
    page.wait_for_url(re.compile(r"tab=history"))
    history = page.locator("#history")
    assert "En service" in history.inner_text()
    assert "En réparation" in history.inner_text()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_REPAIR
    assert [r.field for r in history_of(asset)] == ["status"]


@pytest.mark.django_db(transaction=True)
def test_technician_assigns_an_asset_with_the_keyboard_in_the_people_picker(
    live_server, browser_page
):
    try:
        pick_a_holder(live_server, browser_page)
    finally:
        connections.close_all()


def pick_a_holder(live_server, browser_page):
    from regie.directory.tests.factories import PersonFactory

    asset = AssetFactory(name="PORTABLE-RH")
    helene = PersonFactory(first_name="Hélène", last_name="Morin")
    PersonFactory(first_name="Henri", last_name="Hélary")
    UserFactory(username="camille", role=Role.TECHNICIAN, password="Un-mot-de-passe-2026")
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", "Un-mot-de-passe-2026")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/$"))

    page.goto(f"{live_server.url}/fleet/assets/{asset.pk}/edit/")
    holder = page.get_by_role("combobox", name="Attribué à")
    holder.fill("helene mor")  # typed without its accent
    listbox = page.get_by_role("listbox", name="Attribué à")
    listbox.get_by_role("option", name="Hélène Morin").wait_for()
    assert listbox.get_by_role("option").all_inner_texts() == ["Hélène Morin"]
    holder.press("ArrowDown")
    assert holder.get_attribute("aria-activedescendant")
    holder.press("Enter")
    assert holder.input_value() == "Hélène Morin"
    assert holder.get_attribute("aria-expanded") == "false"
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf"/fleet/assets/{asset.pk}/$"))
    asset.refresh_from_db()
    assert asset.assigned_to == helene
