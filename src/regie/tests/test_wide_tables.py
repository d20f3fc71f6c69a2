"""Wide tables in Chromium: they scroll inside their own frame, never the page, and stay legible.

The pool calendar (a column per day) and the delivery log (long addresses and errors) are the
widest tables of the application; on a 390 px phone and on a 1366 px screen the page itself
must not scroll sideways, and the calendar's "on loan" cells must pass axe-core's contrast rule.
The compliance rules' unknown counts fit a phone without scrolling their table.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regie.core.models import OutgoingMail, Role
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import PersonFactory
from regie.operations.alerts.models import Delivery, DeliveryStatus
from regie.operations.alerts.tests.factories import ChannelFactory
from regie.telework import services as telework
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory
from regie.tests.crawl import AXE_SCRIPT

pytestmark = pytest.mark.browser

LONG_ADDRESS = "service-informatique-astreinte@communaute-de-communes-mellois-en-poitou.fr"
LONG_ERROR = (
    f"SMTPRecipientsRefused: {{'{LONG_ADDRESS}': (550, b'5.1.1 <{LONG_ADDRESS}>: Recipient "
    "address rejected: User unknown in virtual mailbox table')}"
)
CONTRAST = """
async () => {
  const results = await axe.run('.pool-calendar', {runOnly: ['color-contrast']});
  return results.violations.flatMap((rule) => rule.nodes.map((n) => n.target.join(' ')));
}
"""
FRAME_SCROLLS = "(el) => el.scrollWidth > el.clientWidth"


def _world():
    technician = UserFactory(username="camille", role=Role.TECHNICIAN)
    CharterFactory(effective_date=dt.date(2020, 1, 1))
    person = PersonFactory(first_name="Hélène", last_name="Morin")
    now = timezone.now()
    telework.check_out_equipment(
        asset=PoolLaptopFactory(),
        person=person,
        due_date=(now + dt.timedelta(days=20)).date(),
        typed_name="Hélène Morin",
        by=technician,
    )
    telework.book_equipment(
        asset=PoolLaptopFactory(),
        person=person,
        start=now + dt.timedelta(days=1),
        end=now + dt.timedelta(days=3),
        by=technician,
    )
    channel = ChannelFactory(name="Courriel de l'astreinte", recipients=LONG_ADDRESS)
    Delivery.objects.create(
        channel=channel,
        channel_name=channel.name,
        kind="check.down",
        severity="critical",
        title="Sauvegarde de la piscine en panne",
        occurred_at=now,
        status=DeliveryStatus.RETRYING,
        attempts=3,
        last_error=LONG_ERROR,
    )
    OutgoingMail.objects.create(
        kind="helpdesk.ticket",
        recipients=LONG_ADDRESS,
        subject="Ticket 42 : l'imprimante du secrétariat ne répond plus",
        body="Votre demande est enregistrée.",
        status="failed",
        attempts=1,
        last_error=LONG_ERROR,
    )
    client = Client()
    client.force_login(technician, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db(transaction=True)
def test_wide_tables_scroll_in_their_frame_and_calendar_is_legible(live_server, chromium):
    try:
        session = _world()
        seen = {}
        for width, height in ((390, 844), (1366, 768)):
            context = chromium.new_context(
                locale="fr-FR", viewport={"width": width, "height": height}
            )
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
            page = context.new_page()
            for name, url in (
                ("week", reverse("telework:calendar")),
                ("month", reverse("telework:calendar") + "?view=month"),
                ("deliveries", reverse("alerts:delivery-list")),
            ):
                page.goto(live_server.url + url)
                if name == "deliveries":  # the whole error, unfolded
                    for summary in page.locator("td.error-excerpt summary").all():
                        summary.click()
                seen[(width, name)] = page.evaluate("document.documentElement.scrollWidth")
            page.goto(live_server.url + reverse("telework:calendar") + "?view=month")
            assert page.locator("td.on-loan").count() >= 20
            page.evaluate(AXE_SCRIPT)
            assert page.evaluate(CONTRAST) == []
            if width == 390:
                assert page.locator(".calendar-wrap").evaluate(FRAME_SCROLLS) is True
            # The period stays in view above the frame, not in a caption that scrolls away.
            period = page.locator("#calendar-period")
            assert period.evaluate("(el) => el.tagName") == "H2"
            assert period.is_visible()
            # The rules' names wrap: the unknown counts stay on screen, with no sideways scroll.
            page.goto(live_server.url + reverse("compliance:unknown"))
            assert page.locator("th.wrap").count() >= 5
            assert page.locator("main .table-wrap").evaluate(FRAME_SCROLLS) is False
            context.close()
        assert seen == {
            (width, name): width
            for width in (390, 1366)
            for name in ("week", "month", "deliveries")
        }
    finally:
        connections.close_all()
