"""The copper cut-off: sites with copper lines are flagged from N days before their
commune's closing date (N = TELEPHONY_COPPER_WARNING_DAYS)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from regie.directory.models import OrganisationKind
from regie.directory.tests.factories import OrganisationFactory, SiteFactory
from regie.telephony.models import CopperCutoff, LineKind, Technology
from regie.telephony.tests.factories import CopperCutoffFactory, LineFactory

pytestmark = pytest.mark.django_db

CUTOFF = datetime.date(2027, 6, 30)


@pytest.fixture
def melle(db):
    commune = OrganisationFactory(name="Melle")
    CopperCutoffFactory(commune=commune, cutoff_date=CUTOFF, lot="Lot 3")
    site = SiteFactory(name="Piscine de Melle", organisation=commune)
    LineFactory(site=site, kind=LineKind.LIFT, technology=Technology.COPPER, label="Ascenseur")
    return site


def _flagged_sites(client):
    response = client.get(reverse("telephony:copper"))
    return [entry.site.name for entry in response.context["flagged"]]


@pytest.mark.parametrize(
    ("days_before", "flagged"),
    [(181, False), (180, True), (179, True), (0, True), (-1, True)],
)
def test_flag_starts_n_days_before_the_cutoff(
    client, reader, melle, settings, days_before, flagged
):
    settings.TELEPHONY_COPPER_WARNING_DAYS = 180
    day = CUTOFF - datetime.timedelta(days=days_before)
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=datetime.UTC), tick=False
    ):
        client.force_login(reader)
        assert _flagged_sites(client) == (["Piscine de Melle"] if flagged else [])
        site_page = client.get(melle.get_absolute_url()).content.decode()
    assert ("Le réseau cuivre" in site_page) is flagged


def test_fibre_and_terminated_lines_are_not_flagged(client, reader, settings):
    settings.TELEPHONY_COPPER_WARNING_DAYS = 180
    commune = OrganisationFactory()
    CopperCutoffFactory(commune=commune, cutoff_date=datetime.date(2000, 1, 1))
    site = SiteFactory(organisation=commune)
    LineFactory(site=site, technology=Technology.FIBRE)
    LineFactory(site=site, technology=Technology.COPPER, status="terminated")
    client.force_login(reader)
    assert _flagged_sites(client) == []


def test_site_panel_highlights_safety_lines(client, reader, melle):
    LineFactory(site=melle, kind=LineKind.ANALOGUE, technology=Technology.FIBRE, label="Accueil")
    client.force_login(reader)
    response = client.get(melle.get_absolute_url())
    panel = next(
        p for p in response.context["panels"] if p.template == "telephony/panels/site.html"
    )
    assert [line.label for line in panel.context["lines"]] == ["Ascenseur", "Accueil"]
    assert '<tr class="safety">' in response.content.decode()


def test_cutoff_is_for_a_commune(client, technician):
    body = OrganisationFactory(kind=OrganisationKind.OTHER)
    client.force_login(technician)
    response = client.post(
        reverse("telephony:cutoff-create"), {"commune": body.pk, "cutoff_date": "2027-01-31"}
    )
    assert response.status_code == 200
    assert CopperCutoff.objects.count() == 0


def test_correspondent_sees_only_their_sites_on_the_copper_page(
    client, correspondent, site, other_site, settings
):
    settings.TELEPHONY_COPPER_WARNING_DAYS = 100_000
    for each in (site, other_site):
        CopperCutoffFactory(commune=each.organisation, cutoff_date=datetime.date(2030, 1, 1))
        LineFactory(site=each, kind=LineKind.ALARM)
    client.force_login(correspondent)
    assert _flagged_sites(client) == [site.name]


def test_staff_cannot_open_the_copper_page(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("telephony:copper")).status_code == 403
