import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from regie.assets.models import (
    Asset,
    AssetOperatingSystem,
    AssetStatus,
    Contract,
    SoftwareInstallation,
    Supplier,
)
from regie.core.encryption import decrypt
from regie.core.models import ChangeRecord, Role, User
from regie.core.readiness import readiness_for_people
from regie.demo.territory import SITE_PLAN
from regie.demo.tests.support import printed_credentials, run_demo, territory_digest
from regie.directory.hours import WEEKDAYS, parse_periods
from regie.directory.models import (
    Department,
    Organisation,
    OrganisationKind,
    Person,
    Site,
    SiteKind,
)
from regie.field.models import Intervention, RoutePlan, RouteStop
from regie.helpdesk.choices import OPEN_STATUSES
from regie.helpdesk.models import FollowUp, Ticket
from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.software import catalogue
from regie.operations.checks.models import Check, CheckKind, CheckStatus
from regie.operations.compliance.models import Finding, RuleCode
from regie.telephony.models import (
    OFFICE_KINDS,
    Extension,
    Forwarding,
    Line,
    LineKind,
    Operator,
    SimCard,
    SiteFallback,
    Technology,
)
from regie.telework.models import Charter, Loan, RemoteAccess
from regie.telework.pool import lendable_assets

# Expected number of assets per inventory prefix: (at least, at most).
ASSET_RANGES = {
    "PC": (270, 320),
    "PORT": (48, 52),  # 10 of them in the lending pool
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


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The territory, built once for the module in a transaction rolled back at its end."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield run_demo()
        transaction.set_rollback(True)
    catalogue.forget()  # it remembers rows of the rolled-back build


@pytest.fixture
def demo_output(demo_world, db):
    return demo_world


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


def test_demo_accounts_sign_in_without_a_second_factor_and_say_so(demo_output, client, settings):
    settings.MFA_REQUIRED_ROLES = ["admin", "technician"]
    assert "Les comptes de la démo n'ont pas de second facteur" in demo_output
    assert "REGIE_MFA_REQUIRED_ROLES" in demo_output
    username, password = printed_credentials(demo_output)
    client.post("/login/", {"username": username, "password": password})
    assert client.get("/").status_code == 200
    other = User.objects.create_user("hors-demo", password=password, role=Role.ADMIN)
    client.force_login(other)
    assert client.get("/").status_code == 302  # an account made later must set one up


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


# --- the territory that lives ---------------------------------------------------------------

COMPUTERS = ["PC", "PORT", "SRV", "VM"]


def computers_in_use():
    return Asset.objects.filter(
        asset_type__prefix__in=COMPUTERS,
        status__in=[AssetStatus.IN_SERVICE, AssetStatus.IN_REPAIR],
    )


def test_most_computers_reported_through_the_pipeline_and_bound_their_agent(demo_output):
    in_use = computers_in_use()
    reported = in_use.filter(inventory__isnull=False)
    assert 0.85 <= reported.count() / in_use.count() <= 0.93
    assert not ReceivedReport.objects.exclude(status=ReportStatus.PROCESSED).exists()
    # Each agent is bound to the asset its reports matched (no duplicate asset was created).
    agents = Agent.objects.all()
    assert agents.count() == reported.count()
    assert not agents.filter(asset__isnull=True).exists()
    assert set(agents.values_list("asset", flat=True)) == set(reported.values_list("pk", flat=True))
    for agent in agents.select_related("asset")[:40]:
        rules = set(
            ReceivedReport.objects.filter(agent=agent).values_list("matched_rule", flat=True)
        )
        assert rules <= {"serial_uuid", "uuid", "agent"}, (agent, rules)
        assert agent.device_id.startswith(agent.asset.name + "-")
    assert set(agents.values_list("protocol", flat=True)) == {
        AgentProtocol.GLPI_JSON,
        AgentProtocol.FUSION_XML,
        AgentProtocol.OCS_XML,
    }


def test_some_computers_never_reported_on_purpose(demo_output):
    silent = computers_in_use().filter(inventory__isnull=True)
    assert 20 <= silent.count() <= 45
    assert silent.filter(asset_type__prefix="PORT").exists()


def test_reports_carry_realistic_systems_and_software(demo_output):
    systems = dict(AssetOperatingSystem.objects.values_list("version").annotate(n=Count("asset")))
    assert systems["24H2"] > systems["22H2"] >= 10
    assert AssetOperatingSystem.objects.filter(full_name__startswith="Debian").count() >= 2
    counts = list(
        SoftwareInstallation.objects.values("asset")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert min(counts) >= 30 and max(counts) <= 150
    laptops = Asset.objects.filter(asset_type__prefix="PORT", inventory__isnull=False)
    with_vpn = laptops.filter(
        Q(software_installations__version__software__name__icontains="FortiClient")
        | Q(software_installations__version__software__name__icontains="WireGuard")
    ).distinct()
    assert with_vpn.count() / laptops.count() >= 0.7


def test_compliance_shows_problems_to_act_on(demo_output):
    open_findings = Finding.objects.open()
    past_support = open_findings.filter(rule=RuleCode.OS_END_OF_SUPPORT)
    assert past_support.filter(asset__operating_system__version="22H2").exists()
    for rule in (RuleCode.DISK_ENCRYPTION, RuleCode.ANTIVIRUS, RuleCode.OS_UPDATES):
        assert open_findings.filter(rule=rule).exists(), rule
    assert open_findings.filter(rule=RuleCode.OS_END_OF_SUPPORT).count() < 100


def test_earlier_reports_give_the_software_history_changes(demo_output):
    changed = (
        ChangeRecord.objects.filter(field="software")
        .values("object_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
    )
    assert changed.count() >= 10


def test_checks_are_mostly_fine_with_a_few_failures(demo_output):
    statuses = dict(Check.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses[CheckStatus.UP] >= 15
    assert statuses[CheckStatus.LATE] >= 1
    assert statuses[CheckStatus.DOWN] >= 2
    week_ago = timezone.now() - timedelta(days=5)
    assert Check.objects.filter(status=CheckStatus.DOWN, last_ping_at__lt=week_ago).count() == 1
    assert Check.objects.filter(kind=CheckKind.BACKUP).count() >= 5
    servers = Asset.objects.filter(asset_type__prefix__in=["SRV", "VM"], status="in_service")
    assert Check.objects.filter(kind=CheckKind.UPDATE).count() == servers.count()
    assert all(
        n >= 25 for n in Check.objects.annotate(n=Count("pings")).values_list("n", flat=True)
    )


def test_telephony_covers_the_sites_and_leaves_some_lines_without_target(demo_output):
    office = Line.objects.filter(kind__in=OFFICE_KINDS)
    assert office.values("site").distinct().count() >= 35
    assert all(number.startswith("+33549") for number in office.values_list("number", flat=True))
    mobiles = Line.objects.filter(kind=LineKind.MOBILE)
    assert mobiles.count() == SimCard.objects.count() >= 30
    sim = SimCard.objects.first()
    assert re.fullmatch(r"\d{4}", decrypt(sim.pin_encrypted))
    assert Extension.objects.count() >= 40
    assert 20 <= SiteFallback.objects.count() < Site.objects.count()
    without_target = office.exclude(site__phone_fallback__isnull=False).filter(person=None)
    assert without_target.exists()
    assert Forwarding.objects.filter(active=True).count() == 2
    soon = timezone.localdate() + timedelta(days=365)
    assert Line.objects.filter(
        technology=Technology.COPPER, site__organisation__copper_cutoff__cutoff_date__lte=soon
    ).exists()
    assert Operator.objects.count() == 3


def test_helpdesk_has_open_and_closed_tickets_and_a_round(demo_output):
    tickets = Ticket.objects.all()
    assert 38 <= tickets.filter(status__in=OPEN_STATUSES).count() <= 42
    assert tickets.filter(status__in=["resolved", "closed"]).count() >= 75
    assert tickets.filter(assignee=None, priority__lte=2, status="new").exists()
    assert FollowUp.objects.values("ticket").distinct().count() >= 80
    assert not tickets.exclude(events__kind="created").exists()
    visits = Intervention.objects.all()
    assert visits.values("site").distinct().count() >= 5
    assert visits.filter(kind="ticket").count() == tickets.filter(needs_visit=True).count()
    plan = RoutePlan.objects.get()
    assert plan.date > timezone.localdate()
    assert RouteStop.objects.filter(route__plan=plan).count() >= 3


def test_telework_has_a_charter_loans_and_remote_access(demo_output):
    assert Charter.current() is not None
    assert Loan.objects.open().count() == 4
    assert Loan.objects.filter(returned_at__isnull=False).count() == 8
    assert (
        lendable_assets().filter(status=AssetStatus.STOCK, asset_type__prefix="PORT").count() >= 5
    )
    active = Person.objects.filter(active=True).count()
    assert 0.75 <= RemoteAccess.objects.count() / active < 1
    readiness = readiness_for_people(Person.objects.filter(active=True))
    colours = {item.colour for item in readiness}
    assert len(colours) >= 2  # some people ready or to check, not all red


def test_the_first_pages_show_an_organisation_at_work(demo_output, client):
    client.force_login(User.objects.get(role=Role.ADMIN))
    today = client.get(reverse("daily:today")).content.decode()
    assert "Sauvegarde NAS" in today
    home = client.get("/")
    assert home.status_code == 200
