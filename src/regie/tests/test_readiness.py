"""Each readiness criterion, computed from real inventories, findings, loans and telephony.

Readiness assembles criteria that telework, compliance and telephony register in
``core.readiness``, so its end-to-end tests live at the project level, where every app may be
imported."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regie.assets.models import AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.core.readiness import Colour, readiness_for, readiness_for_people, roll_up
from regie.directory.tests.factories import DepartmentFactory, PersonFactory, SiteFactory
from regie.operations.compliance.services import evaluate_assets
from regie.telephony.services import line_continuity_for, set_forwarding
from regie.telephony.tests.factories import ExtensionFactory, LineFactory
from regie.telework.services import check_out_equipment
from regie.telework.tests.factories import (
    CharterFactory,
    RemoteAccessFactory,
    headset_type,
    laptop_type,
    webcam_type,
)
from regie.tests.compliance_reports import applied, glpi_capture, glpi_example

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC)


def colours(readiness):
    return {c.key: c.colour for c in readiness.criteria}


def reasons(readiness):
    return {c.key: c.reason for c in readiness.criteria}


def swept(asset, now):
    with time_machine.travel(now, tick=False):
        evaluate_assets(assets=[asset])
    return asset


def laptop_of(report, person, now=DAY):
    asset = applied(report)
    asset.asset_type = laptop_type()
    asset.assigned_to = person
    asset.save()
    return swept(asset, now)


def test_an_old_unencrypted_laptop_with_a_vpn_client(settings):
    person = PersonFactory(first_name="Inès", last_name="Roux")
    laptop = laptop_of(glpi_example("computer_3.json.gz"), person)
    readiness = readiness_for(person, now=DAY)
    assert readiness.laptop == laptop
    assert colours(readiness) == {
        "laptop": Colour.GREEN,
        "inventory": Colour.RED,
        "encryption": Colour.RED,
        # Fedora: the agent reports no antivirus, so nothing shows one works.
        "antivirus": Colour.UNKNOWN,
        "os": Colour.AMBER,
        "vpn": Colour.GREEN,
        # Nobody recorded them: unknown, not "to check".
        "mfa": Colour.UNKNOWN,
        "office365": Colour.UNKNOWN,
        "headset": Colour.AMBER,
        "webcam": Colour.AMBER,
        "phone": Colour.GREEN,
    }
    why = reasons(readiness)
    assert why["laptop"] == f"{laptop}, attribué."
    assert why["inventory"] == "Dernier inventaire le 20/02/2017, il y a 3570 jours (plus de 7)."
    assert why["encryption"] == "Le volume système / n'est pas chiffré"
    assert why["antivirus"] == "L'agent ne remonte pas l'antivirus."
    assert why["os"].startswith("Dernière mise à jour connue le ")
    assert why["vpn"] == "NetworkManager-openvpn installé."
    assert why["mfa"] == "Pas encore renseigné."
    assert why["phone"] == "Aucune ligne de bureau à renvoyer."
    assert readiness.colour == Colour.RED


def test_an_encrypted_laptop_inventoried_recently_without_vpn():
    person = PersonFactory()
    when = dt.datetime(2020, 6, 14, 8, 0, tzinfo=dt.UTC)
    laptop_of(glpi_example("computer_1.json"), person, now=when)
    readiness = readiness_for(person, now=when)
    assert colours(readiness)["encryption"] == Colour.GREEN
    assert reasons(readiness)["encryption"] == "Aucun écart de conformité ouvert."
    assert colours(readiness)["inventory"] == Colour.GREEN
    assert reasons(readiness)["inventory"] == "Dernier inventaire le 12/06/2020."
    assert colours(readiness)["vpn"] == Colour.RED
    assert reasons(readiness)["vpn"] == "Aucun client VPN parmi les logiciels installés."


def test_an_inventory_a_little_late_is_amber(settings):
    settings.TELEWORK_INVENTORY_MAX_DAYS = 7
    person = PersonFactory()
    laptop = laptop_of(glpi_capture(), person)  # reported 2026-11-30 08:40 UTC
    ten_days_later = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)
    readiness = readiness_for(person, now=ten_days_later)
    assert colours(readiness)["inventory"] == Colour.AMBER
    assert reasons(readiness)["inventory"] == (
        "Dernier inventaire le 30/11/2026, il y a 10 jours (plus de 7)."
    )
    assert readiness.laptop == laptop


def test_without_a_managed_laptop_every_computer_criterion_is_red():
    person = PersonFactory()
    AssetFactory(assigned_to=person)  # a desktop does not go home
    readiness = readiness_for(person, now=DAY)
    assert not readiness.has_managed_laptop
    computer = ["laptop", "inventory", "encryption", "antivirus", "os", "vpn"]
    assert [colours(readiness)[key] for key in computer] == [Colour.RED] * 6
    assert reasons(readiness)["laptop"] == (
        "Aucun portable géré : cette personne travaillerait sur un ordinateur personnel."
    )


@time_machine.travel(DAY, tick=False)
def test_a_laptop_on_loan_counts_as_managed(technician):
    CharterFactory()
    person = PersonFactory(first_name="Léa", last_name="Morel")
    laptop = applied(glpi_capture())
    laptop.asset_type = laptop_type()
    laptop.status = AssetStatus.STOCK
    laptop.save()
    check_out_equipment(
        asset=laptop,
        person=person,
        due_date=dt.date(2026, 12, 20),
        typed_name="Léa Morel",
        by=technician,
    )
    readiness = readiness_for(person, now=DAY)
    assert colours(readiness)["laptop"] == Colour.GREEN
    assert reasons(readiness)["laptop"] == f"{laptop}, en prêt."


def test_mfa_and_office365_come_from_the_record():
    person = PersonFactory()
    RemoteAccessFactory(person=person, mfa_enrolled=True, office365_licence=False)
    readiness = readiness_for(person, now=DAY)
    assert (colours(readiness)["mfa"], colours(readiness)["office365"]) == (
        Colour.GREEN,
        Colour.RED,
    )
    assert reasons(readiness)["office365"] == ("Non, relevé le 02/11/2026 (Console Microsoft 365).")


@time_machine.travel(DAY, tick=False)
def test_headset_assigned_and_webcam_on_loan(technician):
    CharterFactory()
    person = PersonFactory(first_name="Paul", last_name="Simon")
    AssetFactory(asset_type=headset_type(), assigned_to=person, inventory_number="CAS-000001")
    webcam = AssetFactory(
        asset_type=webcam_type(), status=AssetStatus.STOCK, inventory_number="WEB-000001"
    )
    assert colours(readiness_for(person))["webcam"] == Colour.AMBER
    check_out_equipment(
        asset=webcam,
        person=person,
        due_date=dt.date(2026, 12, 5),
        typed_name="paul simon",
        by=technician,
    )
    readiness = readiness_for(person)
    assert (colours(readiness)["headset"], colours(readiness)["webcam"]) == (
        Colour.GREEN,
        Colour.GREEN,
    )


def test_office_line_follows_forwarding_and_softphone(technician):
    person = PersonFactory()
    line = LineFactory(person=person)
    assert colours(readiness_for(person))["phone"] == Colour.AMBER
    assert reasons(readiness_for(person))["phone"] == (
        "0 ligne(s) de bureau renvoyée(s) sur 1, et pas de softphone."
    )
    set_forwarding(subject=line, active=True, target="0612345678", by=technician)
    assert colours(readiness_for(person))["phone"] == Colour.GREEN
    other = PersonFactory()
    LineFactory(person=other)
    ExtensionFactory(person=other, softphone=True)
    readiness = readiness_for(other)
    assert (colours(readiness)["phone"], reasons(readiness)["phone"]) == (
        Colour.GREEN,
        "Un softphone est configuré.",
    )
    # The bulk computation agrees with the telephony app's own answer.
    for someone in (person, other):
        continuity = line_continuity_for(someone)
        assert continuity.covered is True


def test_the_whole_list_costs_a_fixed_number_of_queries():
    def people(count):
        made = []
        for _ in range(count):
            person = PersonFactory()
            AssetFactory(asset_type=laptop_type(), assigned_to=person)
            LineFactory(person=person)
            RemoteAccessFactory(person=person)
            made.append(person)
        return made

    few = people(2)
    with CaptureQueriesContext(connection) as small:
        readiness_for_people(few, now=DAY)
    many = few + people(20)
    with CaptureQueriesContext(connection) as large:
        result = readiness_for_people(many, now=DAY)
    assert len(result) == 22
    assert len(large.captured_queries) == len(small.captured_queries) <= 12


def test_roll_up_by_department_and_site():
    finance = DepartmentFactory(name="Finances")
    culture = DepartmentFactory(name="Culture")
    site = SiteFactory(name="Siège")
    ready = []
    for index in range(5):
        person = PersonFactory(department=finance, site=site)
        if index < 4:
            AssetFactory(asset_type=laptop_type(), assigned_to=person)
        ready.append(person)
    PersonFactory(department=culture, site=site)
    readinesses = readiness_for_people(ready + [PersonFactory(department=culture)], now=DAY)
    rows = {row.label: row for row in roll_up(readinesses, by="department")}
    # A laptop that never reported is unknown, no laptop at all is red: nobody is ready here.
    finances = rows["Finances"]
    assert (finances.total, finances.unknown, finances.red, finances.able_percent) == (5, 4, 1, 0)
    assert (finances.unknown_percent, finances.red_percent) == (80, 20)
    by_site = {row.label: row.total for row in roll_up(readinesses, by="site")}
    assert by_site["Siège"] == 5
    assert sum(by_site.values()) == 6


def test_roll_up_percentages_with_mixed_colours():
    from regie.core.readiness import Criterion, Readiness

    finance = DepartmentFactory(name="Finances")

    def someone(colour):
        person = PersonFactory(department=finance)
        return Readiness(person, [Criterion("laptop", "Portable géré", colour, "")])

    readinesses = [someone(Colour.GREEN)] * 3 + [someone(Colour.AMBER), someone(Colour.RED)]
    [row] = roll_up(readinesses, by="department")
    assert (row.label, row.total, row.green, row.amber, row.red) == ("Finances", 5, 3, 1, 1)
    assert (row.green_percent, row.amber_percent, row.red_percent, row.able_percent) == (
        60,
        20,
        20,
        80,
    )


def test_a_laptop_that_never_reported_is_unknown_never_ready():
    person = PersonFactory()
    laptop = AssetFactory(asset_type=laptop_type(), assigned_to=person)
    RemoteAccessFactory(person=person, mfa_enrolled=True, office365_licence=True)
    readiness = readiness_for(person, now=DAY)
    assert readiness.laptop == laptop
    security = ["inventory", "encryption", "antivirus", "os", "vpn"]
    assert [colours(readiness)[key] for key in security] == [Colour.UNKNOWN] * 5
    assert reasons(readiness)["encryption"] == "Jamais inventorié."
    assert reasons(readiness)["antivirus"] == "Jamais inventorié."
    assert reasons(readiness)["inventory"] == (
        "Ce portable n'a jamais envoyé d'inventaire : son état est inconnu."
    )
    assert readiness.colour == Colour.UNKNOWN
    assert [c.key for c in readiness.unknown_criteria] == security


def test_unknown_ranks_below_red_and_above_amber():
    from regie.core.readiness import Criterion, Readiness

    def person_with(*colours_):
        return Readiness(
            PersonFactory(), [Criterion(str(i), "", c, "") for i, c in enumerate(colours_)]
        )

    assert person_with(Colour.GREEN, Colour.UNKNOWN, Colour.AMBER).colour == Colour.UNKNOWN
    assert person_with(Colour.UNKNOWN, Colour.RED).colour == Colour.RED
    assert person_with(Colour.GREEN, Colour.AMBER).colour == Colour.AMBER


def test_an_agent_that_reports_its_antivirus_makes_it_green(settings):
    person = PersonFactory()
    report = glpi_capture()
    laptop = laptop_of(report, person)
    inventory = laptop.inventory
    inventory.sections = {
        **inventory.sections,
        "antivirus": [{"name": "Microsoft Defender", "enabled": True, "up_to_date": True}],
    }
    inventory.save()
    assert colours(readiness_for(person, now=DAY))["antivirus"] == Colour.GREEN
    inventory.sections = {**inventory.sections, "antivirus": []}
    inventory.save()
    readiness = readiness_for(person, now=DAY)
    assert (colours(readiness)["antivirus"], reasons(readiness)["antivirus"]) == (
        Colour.UNKNOWN,
        "L'agent ne remonte pas l'antivirus.",
    )
