import hashlib
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F
from django.test import RequestFactory
from django.urls import reverse

from regie.assets.models import Asset, AssetStatus, Contract, Supplier
from regie.core.models import Role, User
from regie.demo.territory import SITE_PLAN, of_place
from regie.directory.hours import WEEKDAYS, parse_periods
from regie.directory.models import (
    Department,
    Organisation,
    OrganisationKind,
    Person,
    Room,
    Site,
    SiteKind,
)
from regie.telework.models import Charter

# Expected number of assets per inventory prefix: (at least, at most).
ASSET_RANGES = {
    "PC": (270, 320),
    "PORT": (38, 42),
    "SRV": (14, 16),
    "VM": (5, 10),
    "NET": (120, 200),
    "IMP": (50, 90),
    "TEL": (120, 200),
    "MOB": (40, 100),
    "TAB": (100, 170),
    "TNI": (30, 70),
    "OND": (30, 50),
}


def run_demo():
    out, err = StringIO(), StringIO()
    call_command("demo", stdout=out, stderr=err)
    return out.getvalue()


def printed_credentials(output):
    username = re.search(r"Administrateur : (\S+)", output)
    password = re.search(r"Mot de passe\s+: (\S+)", output)
    assert username and password, output
    return username.group(1), password.group(1)


def territory_digest():
    """A fingerprint of what the demo builds, independent of primary keys."""
    parts: list[tuple[object, ...]] = []
    parts += Organisation.objects.order_by("name").values_list("name", "insee_code", "latitude")
    parts += Site.objects.order_by("name").values_list("name", "address", "latitude", "longitude")
    parts += Room.objects.order_by("site__name", "name").values_list("site__name", "name")
    parts += Department.objects.order_by("name").values_list("name", "head__email")
    parts += Person.objects.order_by("email").values_list(
        "email", "first_name", "last_name", "job_title", "site__name", "active"
    )
    parts += User.objects.order_by("username").values_list("username", "role")
    parts += Asset.objects.order_by("inventory_number").values_list(
        "inventory_number",
        "name",
        "serial_number",
        "hardware_uuid",
        "status",
        "site__name",
        "assigned_to__email",
        "model__name",
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


@pytest.fixture
def demo_output(db):
    return run_demo()


def test_demo_builds_the_intercommunality_and_its_58_communes(demo_output):
    root = Organisation.objects.get(kind=OrganisationKind.INTERCOMMUNALITY)
    assert (root.name, root.siren, root.parent) == ("CC Mellois en Poitou", "200069755", None)
    communes = Organisation.objects.filter(kind=OrganisationKind.COMMUNE)
    assert communes.count() == 58
    assert set(communes.values_list("parent", flat=True)) == {root.pk}
    melle = communes.get(name="Melle")
    assert (melle.insee_code, melle.postcode, melle.population) == ("79174", "79500", 5790)
    assert (melle.latitude, melle.longitude) == (Decimal("46.21679"), Decimal("-0.14773"))
    assert Organisation.objects.count() == 59


def test_every_site_stands_at_its_commune(demo_output):
    sites = Site.objects.select_related("organisation")
    assert sites.count() == len(SITE_PLAN) == 40
    for site in sites:
        commune = site.organisation
        assert commune.kind == OrganisationKind.COMMUNE
        assert abs(site.latitude - commune.latitude) <= Decimal("0.005"), site
        assert abs(site.longitude - commune.longitude) <= Decimal("0.005"), site
        assert site.postcode == commune.postcode
        assert site.address and site.phone and site.access_notes and site.contact_email
        assert site.rooms.filter(name__in=["Local technique", "Local gardien"]).exists()
    positions = list(sites.values_list("latitude", "longitude"))
    assert len(set(positions)) == len(positions)


def test_sites_cover_the_kinds_of_a_community_of_communes(demo_output):
    kinds = dict(Site.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[SiteKind.HEAD_OFFICE] == 1
    assert kinds[SiteKind.FRANCE_SERVICES] == 4
    assert kinds[SiteKind.SCHOOL] == 20
    assert kinds[SiteKind.POOL] == 1
    assert kinds[SiteKind.TECHNICAL] == 1
    assert kinds[SiteKind.WASTE_CENTRE] >= 3
    assert kinds[SiteKind.NURSERY] >= 3
    assert Site.objects.get(kind=SiteKind.HEAD_OFFICE).city == "Melle"
    assert Site.objects.filter(name="École élémentaire d'Aigondigné").exists()


def test_opening_hours_are_valid_and_follow_each_kind(demo_output):
    for site in Site.objects.all():
        for code, _label in WEEKDAYS:
            parse_periods(getattr(site, f"hours_{code}"))
    school = Site.objects.filter(kind=SiteKind.SCHOOL).earliest("name")
    assert school.hours_wed == "08:30-11:30"
    assert (school.hours_sat, school.hours_sun) == ("", "")
    assert all(site.hours_sat for site in Site.objects.filter(kind=SiteKind.WASTE_CENTRE))
    pool = Site.objects.get(kind=SiteKind.POOL)
    assert pool.hours_sat and pool.hours_sun


def test_departments_and_people(demo_output):
    assert 15 <= Department.objects.count() <= 18
    assert not Department.objects.filter(head__isnull=True).exists()
    people = Person.objects.all()
    assert 240 <= people.count() <= 260
    emails = [email.lower() for email in people.values_list("email", flat=True)]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z-]+\.[a-z-]+\d*@mellois-en-poitou\.fr", e) for e in emails)
    leavers = people.filter(active=False)
    assert 5 <= leavers.count() <= 10
    assert all(p.departure_date and p.departure_date >= p.arrival_date for p in leavers)
    assert not people.filter(site__isnull=True).exists()
    assert not people.filter(job_title="").exists()


def test_asset_counts_per_type_are_in_range(demo_output):
    counts = dict(Asset.objects.values_list("asset_type__prefix").annotate(n=Count("id")))
    for prefix, (low, high) in ASSET_RANGES.items():
        assert low <= counts.get(prefix, 0) <= high, (prefix, counts.get(prefix))


def test_asset_numbers_serials_and_uuids_are_unique(demo_output):
    numbers = list(Asset.objects.values_list("inventory_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"[A-Z]{2,4}-\d{6}", number) for number in numbers)
    assert all(
        number.startswith(prefix + "-")
        for number, prefix in Asset.objects.values_list("inventory_number", "asset_type__prefix")
    )
    serials = list(
        Asset.objects.exclude(serial_number="").values_list("manufacturer", "serial_number")
    )
    assert len(set(serials)) == len(serials)
    computers = Asset.objects.filter(asset_type__prefix__in=["PC", "PORT", "SRV", "VM"])
    uuids = list(computers.values_list("hardware_uuid", flat=True))
    assert "" not in uuids
    assert len(set(uuids)) == len(uuids)


def test_assets_have_a_realistic_lifecycle(demo_output):
    statuses = dict(Asset.objects.values_list("status").annotate(n=Count("id")))
    total = sum(statuses.values())
    assert statuses[AssetStatus.IN_SERVICE] / total > 0.85
    assert statuses[AssetStatus.LOST] == 1
    for status in (AssetStatus.STOCK, AssetStatus.IN_REPAIR, AssetStatus.RETIRED):
        assert statuses[status] >= 5
    assigned_desktops = Asset.objects.filter(asset_type__prefix="PC", assigned_to__isnull=False)
    assert assigned_desktops.count() > 125
    assert not assigned_desktops.exclude(site=F("assigned_to__site")).exists()
    assert Asset.objects.exclude(model=None).filter(manufacturer=None).count() == 0
    assert Supplier.objects.filter(name="UGAP").exists()
    assert Contract.objects.count() >= 8
    copiers = Asset.objects.filter(model__name="IM C3000")
    assert copiers.exists()
    assert set(copiers.values_list("contract__name", flat=True)) == {
        "Location et maintenance des copieurs"
    }


def test_every_role_has_an_account_linked_to_a_person(demo_output):
    roles = dict(User.objects.values_list("role").annotate(n=Count("id")))
    assert roles == {
        Role.ADMIN: 1,
        Role.TECHNICIAN: 4,
        Role.READER: 1,
        Role.CORRESPONDENT: 2,
        Role.STAFF: 1,
    }
    assert not User.objects.filter(person__isnull=True).exists()
    admin = User.objects.get(role=Role.ADMIN)
    assert admin.is_superuser
    assert admin.person.department is not None and admin.person.department.code == "DSI"
    for correspondent in User.objects.filter(role=Role.CORRESPONDENT):
        sites = list(correspondent.correspondent_sites.all())
        assert sites == [correspondent.person.site]
        assert sites[0].kind == SiteKind.SCHOOL
    agent = User.objects.get(role=Role.STAFF)
    assert agent.person.assets.filter(status=AssetStatus.IN_SERVICE).exists()


def test_demo_has_a_charter_in_force_so_equipment_can_be_lent(demo_output, client):
    charter = Charter.current()
    assert charter is not None
    assert "Le matériel prêté reste la propriété de la communauté de communes." in charter.text
    client.force_login(User.objects.filter(role=Role.TECHNICIAN).earliest("username"))
    page = client.get(reverse("telework:loan-create")).content.decode()
    assert 'name="typed_name"' in page
    assert "Aucune charte informatique" not in page


def test_admin_logs_in_with_the_printed_password(demo_output):
    username, password = printed_credentials(demo_output)
    assert "http://127.0.0.1:8000" in demo_output
    request = RequestFactory().post("/login/")
    user = authenticate(request, username=username, password=password)
    assert user is not None and user.role == Role.ADMIN
    technician = User.objects.filter(role=Role.TECHNICIAN).earliest("username")
    assert technician.username in demo_output
    assert technician.check_password(password)
    assert not technician.check_password(password + "x")


def test_running_twice_changes_nothing_and_prints_no_password(demo_output):
    before = territory_digest()
    counts = (Asset.objects.count(), Person.objects.count(), User.objects.count())
    second = run_demo()
    assert "déjà chargée" in second
    assert "Mot de passe" not in second
    _username, password = printed_credentials(demo_output)
    assert password not in second
    assert territory_digest() == before
    assert (Asset.objects.count(), Person.objects.count(), User.objects.count()) == counts


def test_each_run_prints_a_new_password(db):
    passwords = []
    for _ in range(2):
        with transaction.atomic():
            passwords.append(printed_credentials(run_demo())[1])
            transaction.set_rollback(True)
    assert passwords[0] != passwords[1]


def test_two_empty_databases_get_the_same_territory(db):
    digests = []
    for _ in range(2):
        with transaction.atomic():
            run_demo()
            digests.append(territory_digest())
            transaction.set_rollback(True)
        assert not Organisation.objects.exists()
    assert digests[0] == digests[1]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Melle", "de Melle"),
        ("Aigondigné", "d'Aigondigné"),
        ("Le Vert", "du Vert"),
        ("Les Fosses", "des Fosses"),
        ("La Mothe-Saint-Héray", "de La Mothe-Saint-Héray"),
    ],
)
def test_of_place_elides_like_french(name, expected):
    assert of_place(name) == expected


def test_a_conflicting_database_is_refused_and_left_unchanged(db):
    from regie.directory.tests.factories import SiteFactory

    SiteFactory(name="Piscine communautaire de Melle")
    with pytest.raises(CommandError, match="conflit"):
        run_demo()
    assert Organisation.objects.count() == 1  # the factory's commune only
    assert Site.objects.count() == 1
    assert not Person.objects.exists()
