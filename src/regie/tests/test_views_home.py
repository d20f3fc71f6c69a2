"""The home page and the navigation: what each role sees first."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from regie.assets.models import Asset, AssetStatus
from regie.assets.services import save_asset
from regie.assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def french(msgid):
    """A label as the French interface shows it (whether or not it is translated yet)."""
    with translation.override("fr"):
        return translation.gettext(msgid)


def nav_labels(response):
    return [entry.label for entry in response.context["nav_entries"]]


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_technician_home_gives_counts_warranties_and_recent_changes(
    client, technician, staff_user, site, other_site
):
    today = timezone.localdate()
    soon = Asset.objects.get(
        pk=AssetFactory(
            name="SERVEUR-NAS",
            status=AssetStatus.IN_SERVICE,
            warranty_end=today + timedelta(days=30),
        ).pk
    )
    AssetFactory(status=AssetStatus.IN_REPAIR, warranty_end=today + timedelta(days=200))
    AssetFactory(status=AssetStatus.IN_REPAIR, warranty_end=today - timedelta(days=1))
    soon.name = "SERVEUR-NAS-2"
    save_asset(asset=soon, by=technician)
    client.force_login(technician)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert (response.context["site_count"], response.context["person_count"]) == (2, 1)
    assert response.context["asset_count"] == 3
    counts = {value: count for value, _label, count in response.context["status_counts"]}
    assert counts == {
        "stock": 0,
        "in_service": 1,
        "on_loan": 0,
        "in_repair": 2,
        "retired": 0,
        "lost": 0,
    }
    assert list(response.context["warranty_ending"]) == [soon]
    content = response.content.decode()
    assert "1 garantie se termine dans les 90 jours" in content
    assert "Nom : SERVEUR-NAS → SERVEUR-NAS-2" in content
    assert nav_labels(response) == [
        "Accueil",
        "Équipements",
        "Fournisseurs",
        "Contrats",
        "Catalogue",
        french("Inventory"),
        "Aujourd'hui",
        "Continuité",
        "Contrôles",
        "Conformité",
        "Alertes",
        "Tickets",
        "Interventions",
        "Tournées",
        "Sites",
        "Carte des sites",
        "Prêts",
        "Lignes",
        "Personnes",
        "Services",
        "Organisations",
    ]


def test_correspondent_home_lists_their_sites_and_assets(
    client, correspondent, site, colleague_asset, outside_asset
):
    client.force_login(correspondent)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["sites"]) == [site]
    assert list(response.context["assets"]) == [colleague_asset]
    content = response.content.decode()
    assert "Mes sites" in content
    assert "1 équipement sur mes sites" in content
    assert "POSTE-ACCUEIL" in content
    assert "POSTE-PISCINE" not in content
    assert "Dernières modifications" not in content
    assert nav_labels(response) == [
        "Accueil",
        "Équipements",
        "Aujourd'hui",
        "Contrôles",
        "Conformité",
        "Mes demandes",
        "Interventions",
        "Sites",
        "Carte des sites",
        "Prêts",
        "Lignes",
        "Personnes",
    ]


def test_staff_home_shows_my_equipment_only(client, staff_user, owned_asset, colleague_asset):
    client.force_login(staff_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["assets"]) == [owned_asset]
    content = response.content.decode()
    assert "Mon équipement" in content
    assert "PORTABLE-AGNES" in content
    assert "POSTE-ACCUEIL" not in content
    assert nav_labels(response) == ["Accueil", "Équipements", "Mes demandes", "Prêts", "Lignes"]


def test_staff_home_links_to_the_portal_to_report_a_problem(client, staff_user):
    client.force_login(staff_user)
    content = client.get(reverse("home")).content.decode()
    report_url = reverse("helpdesk:portal-new")
    assert f'<a href="{report_url}">Prévenez le service informatique</a>' in content
    assert client.get(report_url).status_code == 200


def test_reader_navigation_has_every_list(client, reader, technician):
    client.force_login(technician)
    technician_labels = nav_labels(client.get(reverse("home")))
    client.force_login(reader)
    response = client.get(reverse("home"))
    # A reader reads everything a technician manages: the same menu.
    assert nav_labels(response) == technician_labels
    assert len(technician_labels) >= 14
    assert response.context["nav_entries"][0].current is True


def test_catalogue_entry_is_current_on_every_catalogue_page(client, technician):
    client.force_login(technician)
    for name in ("assets:assettype-list", "assets:manufacturer-list", "assets:model-list"):
        response = client.get(reverse(name))
        current = [entry.label for entry in response.context["nav_entries"] if entry.current]
        assert current == ["Catalogue"], name
