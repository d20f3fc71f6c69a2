"""Agents are trusted on purpose: an asset is bound to its agent, a claim on it is held."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from regie.assets.models import Asset
from regie.assets.tests.factories import AssetFactory
from regie.core.models import ChangeRecord, ChangeSource
from regie.core.testing import bearer_client
from regie.inventory.models import Agent, ReceivedReport, ReportStatus
from regie.inventory.pipeline import process_report
from regie.inventory.rounds import held_report_items
from regie.inventory.tests.agent_requests import post_capture
from regie.inventory.tests.fixtures import capture
from regie.inventory.tests.test_receive_door import basic

pytestmark = pytest.mark.django_db

SERIAL = "CZC4242XYZ"
UUID = "4c4c4544-0042-3510-8052-b3c04f4d3232"
OWNER = "poste-0014-2026-11-30-08-40-03"
GLPI_HEADERS = "glpiagent-inventory-full-headers.txt"
FUSION_HEADERS = "fusioninventory-inventory-headers.txt"


def glpi_report(device_id=OWNER, *, name="POSTE-0014", serial=SERIAL, uuid=UUID, mac=None):
    """The GLPI Agent capture as machine ``name`` would send it (its first 40 programs)."""
    document = json.loads(capture("glpiagent-inventory-full.json"))
    document["deviceid"] = device_id
    content = document["content"]
    content["hardware"]["name"] = name
    content["hardware"]["uuid"] = uuid
    content["bios"]["ssn"] = serial
    content["softwares"] = content["softwares"][:40]
    if mac is not None:
        content["networks"].append(
            {"description": "wlan0", "mac": mac, "ipaddress": "192.168.1.20", "status": "up"}
        )
    return json.dumps(document).encode()


def anonymous_takeover():
    """The issue's attack: FusionInventory, a new device id, the bound PC's serial, no UUID."""
    xml = capture("fusioninventory-inventory.xml").decode()
    xml = xml.replace("<SSN></SSN>", f"<SSN>{SERIAL}</SSN>", 1)
    xml = xml.replace(
        "<NAME>vm</NAME>\n      <OSCOMMENTS>", "<NAME>PWNED-BY-ANON</NAME>\n      <OSCOMMENTS>", 1
    )
    xml = xml.replace("vm-2026-11-30-08-38-56", "pwned-2026-12-07-03-00-00")
    return xml.encode()


def send(client, headers_file, body, **extra):
    """Post like the agent, process the report as the worker would; the report row."""
    response = post_capture(client, headers_file, body, **extra)
    assert response.status_code == 200, response.content
    report = ReceivedReport.objects.latest("pk")
    return process_report(report_id=report.pk)


def asset_state(asset):
    asset.refresh_from_db()
    system = asset.operating_system
    return {
        "name": asset.name,
        "serial_number": asset.serial_number,
        "hardware_uuid": asset.hardware_uuid,
        "os": (system.name, system.full_name, system.version),
        "software": asset.software_installations.count(),
        "interfaces": sorted(asset.network_interfaces.values_list("name", "mac")),
        "agent": Agent.objects.get(asset=asset).device_id,
        "history": ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Asset), object_id=asset.pk
        ).count(),
    }


@pytest.fixture
def bound_pc(client):
    report = send(client, GLPI_HEADERS, glpi_report())
    assert report.status == ReportStatus.PROCESSED
    return report.asset


def test_the_first_report_binds_the_asset_to_its_agent(bound_pc):
    agent = Agent.objects.get(device_id=OWNER)

    assert agent.asset == bound_pc
    assert agent.bound_at is not None
    assert (bound_pc.name, bound_pc.serial_number) == ("POSTE-0014", SERIAL)


def test_the_anonymous_serial_takeover_is_held_and_the_asset_unchanged(client, bound_pc):
    before = asset_state(bound_pc)

    report = send(client, FUSION_HEADERS, anonymous_takeover())

    assert report.status == ReportStatus.HELD
    assert report.asset == bound_pc
    assert report.matched_rule == "serial"
    conflict = report.conflict
    assert conflict["reason"] == "claimed"
    assert conflict["bound"]["agent"]["device_id"] == OWNER
    assert conflict["newcomer"]["agent"]["device_id"] == "pwned-2026-12-07-03-00-00"
    assert (conflict["bound"]["name"], conflict["newcomer"]["name"]) == (
        "POSTE-0014",
        "PWNED-BY-ANON",
    )
    assert conflict["bound"]["serial_number"] == conflict["newcomer"]["serial_number"] == SERIAL
    after = asset_state(bound_pc)
    assert after == before
    assert after["name"] == "POSTE-0014"
    assert after["software"] == 40  # the attacker's 784 programs are not there
    assert Asset.objects.count() == 1
    assert Agent.objects.get(device_id="pwned-2026-12-07-03-00-00").asset is None


def test_with_agent_authentication_on_the_takeover_is_refused_before_anything(
    client, bound_pc, settings
):
    settings.INVENTORY_USERNAME = "regie-agents"
    settings.INVENTORY_PASSWORD = "Zq3-generated-for-the-test"  # noqa: S105  # a test credential
    before = asset_state(bound_pc)

    anonymous = post_capture(client, FUSION_HEADERS, anonymous_takeover())
    guessed = post_capture(
        client,
        FUSION_HEADERS,
        anonymous_takeover(),
        HTTP_AUTHORIZATION=basic("regie-agents", "guess"),
    )

    assert (anonymous.status_code, guessed.status_code) == (401, 401)
    assert ReceivedReport.objects.count() == 1  # the PC's own first report
    assert not Agent.objects.filter(device_id="pwned-2026-12-07-03-00-00").exists()
    assert asset_state(bound_pc) == before


def test_the_known_agent_renamed_with_a_new_card_from_home_lands_with_no_human_step(
    client, bound_pc
):
    report = send(
        client,
        GLPI_HEADERS,
        glpi_report(name="POSTE-0014-BIS", mac="a4:5e:60:12:34:56"),
        REMOTE_ADDR="203.0.113.9",
    )

    assert (report.status, report.error, report.matched_rule) == (
        ReportStatus.PROCESSED,
        "",
        "serial_uuid",
    )
    assert report.remote_address == "203.0.113.9"
    bound_pc.refresh_from_db()
    assert bound_pc.name == "POSTE-0014-BIS"
    assert bound_pc.network_interfaces.filter(mac="a4:5e:60:12:34:56").exists()
    assert Agent.objects.get(asset=bound_pc).device_id == OWNER


def test_the_known_agent_lands_even_when_no_identity_rule_would_match(client, bound_pc):
    # Serial and UUID unreadable this time (placeholders), a new name: the binding decides.
    report = send(
        client, GLPI_HEADERS, glpi_report(name="RENAMED", serial="To be filled by O.E.M.", uuid="")
    )

    assert (report.status, report.matched_rule, report.asset) == (
        ReportStatus.PROCESSED,
        "agent",
        bound_pc,
    )
    bound_pc.refresh_from_db()
    assert (bound_pc.name, bound_pc.serial_number) == ("RENAMED", SERIAL)
    assert Asset.objects.count() == 1


def test_an_agent_reinstalled_on_the_same_machine_lands_and_takes_the_binding_over(
    client, bound_pc
):
    report = send(client, GLPI_HEADERS, glpi_report("poste-0014-2026-12-07-09-00-00"))

    assert (report.status, report.matched_rule, report.asset) == (
        ReportStatus.PROCESSED,
        "serial_uuid",
        bound_pc,
    )
    assert Agent.objects.get(asset=bound_pc).device_id == "poste-0014-2026-12-07-09-00-00"
    assert Agent.objects.get(device_id=OWNER).asset is None
    record = ChangeRecord.objects.get(
        content_type=ContentType.objects.get_for_model(Asset),
        object_id=bound_pc.pk,
        field="inventory_agent",
    )
    assert (record.old_value, record.new_value, record.actor, record.source) == (
        OWNER,
        "poste-0014-2026-12-07-09-00-00",
        None,
        ChangeSource.AGENT,
    )


@pytest.mark.parametrize(
    ("changed", "field"),
    [({"serial": "CZC9999NEW"}, "serial_number"), ({"uuid": "0f0e0d0c-0b0a"}, "hardware_uuid")],
)
def test_a_report_that_would_change_the_serial_or_uuid_is_held(client, bound_pc, changed, field):
    before = asset_state(bound_pc)

    report = send(client, GLPI_HEADERS, glpi_report(**changed))

    assert report.status == ReportStatus.HELD
    assert report.conflict["reason"] == "identity"
    assert list(report.conflict["changes"]) == [field]
    assert asset_state(bound_pc) == before
    assert Asset.objects.count() == 1


def test_an_asset_without_binding_is_bound_on_its_next_report(client):
    older = AssetFactory(name="POSTE-0099", serial_number=SERIAL, hardware_uuid=UUID)

    report = send(client, GLPI_HEADERS, glpi_report(name="POSTE-0099"))

    assert (report.status, report.asset) == (ReportStatus.PROCESSED, older)
    assert Agent.objects.get(device_id=OWNER).asset == older


@pytest.fixture
def held(client, bound_pc):
    report = send(client, FUSION_HEADERS, anonymous_takeover())
    assert report.status == ReportStatus.HELD
    return report


def test_accepting_rebinds_then_applies_with_the_technician_in_the_history(
    technician, bound_pc, held
):
    response = bearer_client(technician).post(f"/api/v1/inventory/reports/{held.pk}/accept/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["matched_rule"]) == (
        "processed",
        "accepted",
    )
    held.refresh_from_db()
    assert (held.status, held.decided_by, held.asset) == (
        ReportStatus.PROCESSED,
        technician,
        bound_pc,
    )
    newcomer = Agent.objects.get(device_id="pwned-2026-12-07-03-00-00")
    assert newcomer.asset == bound_pc
    assert Agent.objects.get(device_id=OWNER).asset is None
    bound_pc.refresh_from_db()
    assert bound_pc.name == "PWNED-BY-ANON"
    assert bound_pc.software_installations.count() == 784
    asset_records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Asset), object_id=bound_pc.pk
    )
    rebind = asset_records.get(field="inventory_agent")
    assert (rebind.old_value, rebind.new_value, rebind.actor, rebind.source) == (
        OWNER,
        "pwned-2026-12-07-03-00-00",
        technician,
        ChangeSource.API,
    )
    rename = asset_records.get(field="name", new_value="PWNED-BY-ANON")
    assert rename.old_value == "POSTE-0014"
    agent_records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Agent), field="asset", actor=technician
    )
    assert sorted(agent_records.values_list("object_id", "new_value")) == sorted(
        [
            (Agent.objects.get(device_id=OWNER).pk, ""),
            (newcomer.pk, f"{bound_pc.inventory_number} POSTE-0014"),  # named as bound then
        ]
    )


def test_accepting_twice_is_a_conflict(technician, held):
    client = bearer_client(technician)
    client.post(f"/api/v1/inventory/reports/{held.pk}/accept/")
    records = ChangeRecord.objects.count()

    again = client.post(f"/api/v1/inventory/reports/{held.pk}/accept/")

    assert again.status_code == 409
    assert again.json()["detail"] in {  # in the user's language
        "This report is not held (it is Processed): nothing to decide.",
        "Ce rapport n'est pas retenu (il est « Traité ») : rien à décider.",
    }
    assert ChangeRecord.objects.count() == records


def test_rejecting_leaves_the_asset_and_the_binding_alone(technician, bound_pc, held):
    before = asset_state(bound_pc)

    response = bearer_client(technician).post(f"/api/v1/inventory/reports/{held.pk}/reject/")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    held.refresh_from_db()
    assert (held.status, held.decided_by) == (ReportStatus.REJECTED, technician)
    assert asset_state(bound_pc) == before
    assert process_report(report_id=held.pk).status == ReportStatus.REJECTED  # stays so
    assert asset_state(bound_pc) == before
    again = bearer_client(technician).post(f"/api/v1/inventory/reports/{held.pk}/accept/")
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("correspondent", 404), ("staff_user", 404)]
)
@pytest.mark.parametrize("action", ["accept", "reject"])
def test_only_technicians_decide(request, bound_pc, held, persona, status, action):
    before = asset_state(bound_pc)
    client = bearer_client(request.getfixturevalue(persona))

    response = client.post(f"/api/v1/inventory/reports/{held.pk}/{action}/")

    assert response.status_code == status
    held.refresh_from_db()
    assert held.status == ReportStatus.HELD
    assert asset_state(bound_pc) == before


def test_the_pages_show_the_held_report_side_by_side_and_accept_in_one_click(
    client, technician, bound_pc, held
):
    client.force_login(technician)

    activity = client.get(reverse("inventory:activity"))
    detail = client.get(reverse("inventory:report-detail", args=[held.pk]))
    accepted = client.post(reverse("inventory:report-accept", args=[held.pk]))

    assert activity.context["held_reports_count"] == 1
    html = activity.content.decode()
    assert f'data-conflict="{held.pk}"' in html
    page = detail.content.decode()
    assert OWNER in page
    assert "pwned-2026-12-07-03-00-00" in page
    assert "PWNED-BY-ANON" in page
    assert reverse("inventory:report-accept", args=[held.pk]) in page
    assert reverse("inventory:report-reject", args=[held.pk]) in page
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("inventory:report-detail", args=[held.pk])
    held.refresh_from_db()
    assert held.status == ReportStatus.PROCESSED
    assert Agent.objects.get(asset=bound_pc).device_id == "pwned-2026-12-07-03-00-00"


def test_the_pages_reject_in_one_click(client, technician, bound_pc, held):
    before = asset_state(bound_pc)
    client.force_login(technician)

    response = client.post(reverse("inventory:report-reject", args=[held.pk]))

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == ReportStatus.REJECTED
    assert asset_state(bound_pc) == before


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("correspondent", 404), ("staff_user", 404)]
)
def test_the_pages_refuse_the_decision_to_others(client, request, held, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("inventory:report-accept", args=[held.pk]))

    assert response.status_code == status
    held.refresh_from_db()
    assert held.status == ReportStatus.HELD


def test_a_reader_sees_the_conflict_without_the_buttons(client, reader, held):
    client.force_login(reader)

    page = client.get(reverse("inventory:report-detail", args=[held.pk])).content.decode()

    assert "pwned-2026-12-07-03-00-00" in page
    assert reverse("inventory:report-accept", args=[held.pk]) not in page


def test_held_reports_are_items_of_the_daily_round(technician, held):
    items = held_report_items(technician, None)

    assert [item.key for item in items] == [f"inventory-report:{held.pk}:held"]
    assert items[0].url == reverse("inventory:report-detail", args=[held.pk])
    assert "pwned-2026-12-07-03-00-00" in items[0].detail
