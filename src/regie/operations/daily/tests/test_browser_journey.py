"""The technician on duty in a real Chromium, in French: open Aujourd'hui, acknowledge an
item with a comment (in place, through htmx), then write the hand-over note.

Needs Debian's ``chromium``; skipped without it unless ``REGIE_REQUIRE_BROWSER`` is set.
"""

import re

import pytest
from django.db import connections

from regie.core.models import Role
from regie.core.tests.factories import UserFactory
from regie.operations.daily.models import Acknowledgement, LogEntry, LogKind

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_technician_acknowledges_and_hands_over(live_server, browser_page, two_sources):  # noqa: F811  # pytest fixture
    try:
        walk_the_round(live_server, browser_page)
    finally:
        connections.close_all()


def walk_the_round(live_server, page):
    UserFactory(username="camille", role=Role.TECHNICIAN, password="Un-mot-de-passe-2026")
    page.goto(f"{live_server.url}/today/")
    page.fill("input[name=username]", "camille")
    page.fill("input[name=password]", "Un-mot-de-passe-2026")
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/today/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Aujourd'hui")

    item = page.locator("#section-checks li[data-item-key='check:1']")
    assert "Sauvegarde NAS Melle" in item.inner_text()
    item.get_by_label("Commentaire (facultatif)").fill("Appelé le prestataire pour le NAS")
    item.get_by_role("button", name="Prendre en compte").click()

    # htmx swaps the section in place: the item moves under "1 élément pris en compte".
    page.locator("#section-checks details.acknowledged summary").wait_for()
    assert page.locator("#section-checks details.acknowledged summary").inner_text() == (
        "1 élément pris en compte"
    )
    open_items = page.locator("#section-checks > ul.round-items > li")
    assert open_items.evaluate_all("items => items.map(i => i.dataset.itemKey)") == [
        "check:3",
        "check:2",
        "check:4",
    ]
    page.locator("#section-checks details.acknowledged summary").click()
    done = page.locator("#section-checks details.acknowledged li[data-item-key='check:1']")
    assert "Appelé le prestataire pour le NAS" in done.inner_text()
    assert page.url.endswith("/today/")
    ack = Acknowledgement.objects.get()
    assert (ack.item_key, ack.comment, ack.acknowledged_by.username) == (
        "check:1",
        "Appelé le prestataire pour le NAS",
        "camille",
    )

    page.get_by_label("Consigne de relève").fill("NAS de Melle : le prestataire passe demain.")
    with page.expect_navigation():
        page.get_by_role("button", name="Passer le relais").click()
    page.get_by_text("Consigne de relève enregistrée").wait_for()
    note = page.locator("section.hand-over")
    assert "NAS de Melle : le prestataire passe demain." in note.inner_text()
    assert list(LogEntry.objects.values_list("kind", flat=True)) == [
        LogKind.HAND_OVER,
        LogKind.ACKNOWLEDGEMENT,
    ]
