"""A small territory where the offices close: two sites, three departments, five lines, one
free pool laptop, backups that ran and failed, a machine behind on its updates."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from regie.assets.models import AssetInventory, AssetOperatingSystem, AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.core.models import Role
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import DepartmentFactory, PersonFactory, SiteFactory
from regie.helpdesk.models import Ticket
from regie.operations.checks.models import CheckKind, CheckStatus
from regie.operations.checks.tests.factories import CheckFactory
from regie.telephony.models import DepartmentOnCall, LineKind
from regie.telephony.services import set_forwarding
from regie.telephony.tests.factories import ExtensionFactory, LineFactory, SiteFallbackFactory
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory, laptop_type

PASSWORD = "Un-mot-de-passe-2026"  # noqa: S105  # test accounts


@dataclass
class World:
    mairie: Any
    ecole: Any
    claire: Any
    bruno: Any
    denise: Any
    emile: Any
    fanny: Any
    lines: dict[str, Any]
    pool_laptop: Any
    admin: Any
    technician: Any
    thomas: Any


def build_world() -> World:
    now = timezone.now()
    mairie = SiteFactory(
        name="Mairie de Melle",
        address="1 place de la Mairie",
        city="Melle",
        postcode="79500",
        access_notes="Clé à l'accueil, alarme 1234",
        contact_name="Gardien Paul",
        contact_phone="05 49 27 00 01",
    )
    ecole = SiteFactory(name="École de Sauzé")
    SiteFallbackFactory(site=mairie, number="+33549279999")
    accueil = DepartmentFactory(name="Accueil")
    technique = DepartmentFactory(name="Technique")
    DepartmentOnCall.objects.create(department=technique, number="+33549270077")
    claire = PersonFactory(
        first_name="Claire",
        last_name="Martin",
        department=accueil,
        site=mairie,
        job_title="Directrice",
        mobile="06 11 22 33 44",
    )
    accueil.head = claire
    accueil.save()
    bruno = PersonFactory(
        first_name="Bruno",
        last_name="Bernard",
        department=technique,
        site=ecole,
        job_title="Agent technique",
    )
    denise = PersonFactory(
        first_name="Denise",
        last_name="Dupont",
        department=accueil,
        site=mairie,
        job_title="Agent d'accueil",
    )
    emile = PersonFactory(first_name="Émile", last_name="Roux", department=None, site=None)
    fanny = PersonFactory(
        first_name="Fanny",
        last_name="Faure",
        department=technique,
        site=ecole,
        phone="05 49 27 11 11",
    )
    PersonFactory(first_name="Gaston", last_name="Sans-Mail", email="", site=mairie)
    LineFactory(number="+33612345678", kind=LineKind.MOBILE, technology="radio", person=claire)
    lines = {
        "claire": LineFactory(number="+33549270001", person=claire, site=mairie),
        "denise": LineFactory(number="+33549270002", person=denise, site=mairie),
        "fanny": LineFactory(number="+33549270003", person=fanny, site=ecole),
        "bruno": ExtensionFactory(number="2001", person=bruno),
        "emile": ExtensionFactory(number="2002", person=emile),
    }
    set_forwarding(subject=lines["fanny"], active=True, target="+33699887766", by=None)
    laptop = AssetFactory(
        name="PORTABLE-FANNY",
        asset_type=laptop_type(),
        assigned_to=fanny,
        site=ecole,
        inventory_number="PORT-000001",
    )
    AssetInventory.objects.create(
        asset=laptop, agent_device_id="fanny", protocol="glpi", last_inventory_at=now
    )
    AssetOperatingSystem.objects.create(
        asset=laptop, name="Windows 10", install_date=now - datetime.timedelta(days=90)
    )
    AssetFactory(name="POSTE-JAMAIS-VU", site=mairie)  # a desktop that never reported
    pool_laptop = PoolLaptopFactory(name="PRET-001", site=mairie, status=AssetStatus.STOCK)
    CheckFactory(name="Sauvegarde NAS mairie", site=mairie, status=CheckStatus.UP, last_ping_at=now)
    CheckFactory(name="Sauvegarde NAS école", site=ecole, status=CheckStatus.DOWN)
    CheckFactory(
        name="Mises à jour mairie", site=mairie, kind=CheckKind.UPDATE, status=CheckStatus.LATE
    )
    admin = UserFactory(username="admin", role=Role.ADMIN, password=PASSWORD)
    technician = UserFactory(username="tech", role=Role.TECHNICIAN, password=PASSWORD)
    thomas = PersonFactory(
        first_name="Thomas",
        last_name="Technicien",
        user=technician,
        mobile="06 55 44 33 22",
        site=mairie,
    )
    Ticket.objects.create(
        title="Imprimante en panne à l'école",
        description="Bourrage permanent",
        requester=bruno,
        site=ecole,
        needs_visit=True,
    )
    CharterFactory(version="2.0", effective_date=datetime.date(2026, 1, 1))
    return World(
        mairie,
        ecole,
        claire,
        bruno,
        denise,
        emile,
        fanny,
        lines,
        pool_laptop,
        admin,
        technician,
        thomas,
    )


@pytest.fixture(autouse=True)
def _no_cached_sections():
    """The page keeps its costly sections in the cache: no test may see another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()
