"""The ticket page as people read it: visible buttons, local times, no internal field."""

import pytest
from django.urls import reverse

from regie.core.tests.html import ON_DARK_CLASSES, button_classes

pytestmark = pytest.mark.django_db


def test_manager_actions_are_visible_buttons(client, technician, open_ticket, requester):
    ticket = open_ticket(requester)
    client.force_login(technician)
    html = client.get(reverse("helpdesk:ticket-detail", args=[ticket.pk])).content.decode()
    for label in ("Attribuer", "Changer le statut", "Lier les équipements"):
        classes = button_classes(html, label)
        assert "button" in classes
        assert not classes & ON_DARK_CLASSES
