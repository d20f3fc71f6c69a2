"""The continuity plan's page: its actions are buttons a person can see."""

import pytest
from django.urls import reverse

from regie.core.tests.html import ON_DARK_CLASSES, button_classes
from regie.directory.tests.factories import PersonFactory, SiteFactory
from regie.telephony.models import ContinuityPlan
from regie.telephony.tests.factories import LineFactory

pytestmark = pytest.mark.django_db


def test_mark_as_done_is_a_visible_button(client, technician):
    site = SiteFactory(name="Mairie de Melle")
    person = PersonFactory(first_name="Anne", last_name="Bernard", site=site, mobile="0698765432")
    LineFactory(number="+33549270001", person=person, site=site)
    client.force_login(technician)
    client.post(
        reverse("telephony:plan-create"),
        {"title": "Mairie fermée", "starts_on": "2026-12-01", "people": [person.pk]},
    )
    plan = ContinuityPlan.objects.get()
    html = client.get(plan.get_absolute_url()).content.decode()
    classes = button_classes(html, "Marquer comme fait")
    assert "button" in classes
    assert not classes & ON_DARK_CLASSES
