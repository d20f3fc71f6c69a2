"""The ticket page as people read it: visible buttons, local times, no internal field."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from regie.core import formatting
from regie.core.tests.html import ON_DARK_CLASSES, button_classes, visible_text

pytestmark = pytest.mark.django_db


def test_manager_actions_are_visible_buttons(client, technician, open_ticket, requester):
    ticket = open_ticket(requester)
    client.force_login(technician)
    html = client.get(reverse("helpdesk:ticket-detail", args=[ticket.pk])).content.decode()
    for label in ("Attribuer", "Changer le statut", "Lier les équipements"):
        classes = button_classes(html, label)
        assert "button" in classes
        assert not classes & ON_DARK_CLASSES


@time_machine.travel(dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC), tick=False)
def test_staff_do_not_see_the_slas_internal_fields(client, staff_user, open_ticket, requester):
    ticket = open_ticket(requester)
    client.force_login(staff_user)
    text = visible_text(client.get(ticket.get_absolute_url()).content.decode())
    assert "warn at" not in text.lower()
    assert "À risque" not in text
    assert "+00:00" not in text


@time_machine.travel(dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC), tick=False)
def test_technicians_see_the_sla_in_local_time_consistent_with_the_summary(
    client, technician, open_ticket, requester
):
    ticket = open_ticket(requester)
    assert ticket.resolution_warn_at is not None
    client.force_login(technician)
    text = visible_text(client.get(ticket.get_absolute_url()).content.decode())
    assert "warn at" not in text.lower()
    due = formatting.format_datetime(ticket.resolution_due)
    warn = formatting.format_datetime(ticket.resolution_warn_at)
    assert f"Résolution : Dans les délais ({due})" in text
    assert f"Résolution à risque à partir de {warn}" in text
    assert f"Résolution attendue avant {due}" in text
    assert "Déplacement nécessaire Non" in text
    # Local time (Paris), never the UTC form.
    assert "+00:00" not in text
    assert str(ticket.resolution_due) not in text
