"""In a real Chromium: an administrator declares the plan through its confirmation, then
downloads the kit, which opens offline (no network, no JavaScript) and shows the sections.

Needs Debian's ``chromium``; skipped without it unless ``REGIE_REQUIRE_BROWSER`` is set.
"""

import datetime
import re

import pytest
from django.db import connections
from django.utils import timezone

from regie.continuity.models import Activation
from regie.continuity.tests.conftest import PASSWORD, build_world
from regie.telephony.models import Forwarding

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_declare_the_plan_and_take_the_kit_offline(live_server, browser_page, chromium, tmp_path):
    try:
        journey(live_server, browser_page, chromium, tmp_path)
    finally:
        connections.close_all()


def journey(live_server, page, chromium, tmp_path):
    world = build_world()
    page.goto(f"{live_server.url}/continuity/")
    page.fill("input[name=username]", world.admin.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/continuity/$"))
    assert page.get_by_role("heading", name="1. Télétravail").is_visible()
    assert page.get_by_role("heading", name="4. Sur site").is_visible()

    page.get_by_role("link", name="Déclencher le plan de continuité").click()
    page.wait_for_url(re.compile(r"/continuity/declare/$"))
    ends_on = timezone.localdate() + datetime.timedelta(days=5)
    page.fill("input[name=ends_on]", ends_on.isoformat())
    page.get_by_role("button", name="Confirmer et déclencher le plan").click()
    page.wait_for_url(re.compile(r"/continuity/$"))
    assert page.get_by_text("Mode continuité actif jusqu’au").first.is_visible()
    assert Activation.objects.get().ends_on == ends_on
    assert Forwarding.objects.filter(active=True).count() == 4  # 3 set + 1 by hand before

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le kit hors ligne").click()
    download = download_info.value
    assert re.fullmatch(r"regie-continuite-\d{4}-\d{2}-\d{2}\.html", download.suggested_filename)
    kit = tmp_path / download.suggested_filename
    download.save_as(kit)

    offline = chromium.new_context(offline=True, java_script_enabled=False, locale="fr-FR")
    requests = []
    offline.on("request", lambda request: requests.append(request.url))
    try:
        sheet = offline.new_page()
        sheet.goto(kit.as_uri())
        assert sheet.get_by_role("heading", name="Kit de continuité").is_visible()
        for heading in (
            "Contacts",
            "Liste des renvois (5)",
            "1. Télétravail",
            "3. Tâches essentielles",
        ):
            assert sheet.get_by_role("heading", name=heading).is_visible(), heading
        assert sheet.get_by_text("Mode continuité actif jusqu’au").is_visible()
        assert sheet.get_by_role("cell", name="Gardien Paul · 05 49 27 00 01").is_visible()
        # The inline CSS applied: the figures are laid out as boxes, not a bullet list.
        style = sheet.locator(".cont-figures").first.evaluate("e => getComputedStyle(e).display")
        assert style == "flex"
        assert [url for url in requests if not url.startswith("file:")] == []
    finally:
        offline.close()
