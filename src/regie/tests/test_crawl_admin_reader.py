"""The page-by-page check for the administrator and the reader: every page they reach, in
French and in English, at desktop and phone sizes (see ``regie.tests.crawler``). One module
per group of roles, so that the groups run side by side on two xdist workers."""

from __future__ import annotations

import pytest

from regie.core.models import Role
from regie.tests.crawler import crawl_roles, crawl_world  # noqa: F401  # the fixture

pytestmark = [pytest.mark.crawl, pytest.mark.browser]


def test_every_page_for_admin_and_reader(
    live_server,
    crawl_world,  # noqa: F811  # the fixture imported above
    chromium,
):
    crawl_roles(
        (Role.ADMIN, Role.READER),
        live_server=live_server,
        sessions=crawl_world,
        chromium=chromium,
        name="admin-reader",
    )
