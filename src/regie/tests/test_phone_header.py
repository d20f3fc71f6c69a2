"""The header on a phone (390×844), in Chromium: compact, the menu and the account fold away."""

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from regie.core.models import Role
from regie.core.tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_phone_header_folds_the_menu_and_the_account(live_server, chromium):
    try:
        user = UserFactory(username="camille", role=Role.TECHNICIAN)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        context = chromium.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/fleet/assets/")
        header = page.locator("header.topbar")
        assert header.bounding_box()["height"] < 60  # one line: brand, Menu, account
        menu = page.get_by_role("navigation", name="Menu principal")
        assert not menu.is_visible()
        logout = page.get_by_role("button", name="Se déconnecter")
        assert not logout.is_visible()

        toggle = page.get_by_role("button", name="Menu", exact=True)
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert menu.is_visible()
        assert menu.get_by_text("Exploitation", exact=True).is_visible()
        current = menu.get_by_role("link", name="Équipements")
        assert current.get_attribute("aria-current") == "page"

        page.locator("details.account-menu > summary").click()
        assert logout.is_visible()
        assert page.get_by_label("Langue").is_visible()
        page.keyboard.press("Escape")
        assert not logout.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        context.close()
    finally:
        connections.close_all()
