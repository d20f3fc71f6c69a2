"""The home page says how many computers report their inventory, and warns when none does."""

import datetime as dt

import pytest
from django.utils import timezone

from regie.assets.models import AssetInventory
from regie.assets.tests.factories import AssetFactory
from regie.core.tests.html import visible_text

pytestmark = pytest.mark.django_db


def home_text(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return " ".join(visible_text(response.content.decode()).split())


def test_zero_coverage_is_unknown_and_points_to_the_agent_setup(client, admin_user, site):
    AssetFactory(site=site)
    AssetFactory(site=site)
    text = home_text(client, admin_user)
    assert (
        "Aucun des 2 ordinateurs ne remonte son inventaire : l'état du parc "
        "(mises à jour, antivirus, chiffrement) est inconnu, pas bon."
    ) in text
    assert "Installer les agents d'inventaire" in text
    assert "0 problème" not in text


def test_a_reader_is_not_sent_to_the_agent_setup(client, reader, site):
    AssetFactory(site=site)
    text = home_text(client, reader)
    assert "Aucun des 1 ordinateur ne remonte son inventaire" in text
    assert "Installer les agents d'inventaire" not in text
    assert "Demandez au service informatique d'installer les agents d'inventaire." in text


def test_coverage_figures_in_french(client, technician, site):
    now = timezone.now()
    for days in (1, 3, 40):
        asset = AssetFactory(site=site)
        AssetInventory.objects.create(
            asset=asset,
            agent_device_id=f"agent-{asset.pk}",
            protocol="glpi",
            last_inventory_at=now - dt.timedelta(days=days),
        )
    AssetFactory(site=site)
    text = home_text(client, technician)
    assert "3 ordinateurs sur 4 remontent leur inventaire (dont 2 depuis moins de 7 jours)." in text
    assert "Derniers inventaires reçus du " in text
    assert "1 ordinateur n'a jamais remonté d'inventaire : son état est inconnu." in text
