import datetime as dt

import pytest
from django.urls import reverse

from regie.assets.models import Asset
from regie.assets.tests.factories import asset_form_data
from regie.core.history import history_of
from regie.core.models import ChangeSource
from regie.core.tests.html import ON_DARK_CLASSES, button_classes
from regie.inventory.applying import apply_report
from regie.inventory.report import AgentInfo, Bios, Hardware, InventoryReport, Protocol

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def report(serial, name="PC-COMPTA"):
    return InventoryReport(
        agent=AgentInfo(device_id="pc-compta-2026", protocol=Protocol.GLPI_JSON),
        hardware=Hardware(name=name, uuid="4C4C4544-0034-3010-8048-B6C04F503732"),
        bios=Bios(serial=serial, manufacturer="Dell Inc.", model="OptiPlex 7010"),
    )


@pytest.fixture
def inventoried(db):
    return apply_report(report=report("640HP72"), now=NOW).asset


def test_agent_writes_never_lock(inventoried):
    assert inventoried.locked_fields == []
    assert not history_of(inventoried).filter(field="locked_fields").exists()


def test_web_edit_of_serial_locks_it_and_inventory_keeps_it(client, technician, inventoried):
    client.force_login(technician)
    response = client.post(
        reverse("assets:asset-update", args=[inventoried.pk]),
        asset_form_data(
            inventoried,
            serial_number="640HP72-CORRIGE",
            manufacturer=inventoried.manufacturer_id,
            model=inventoried.model_id,
            hardware_uuid=inventoried.hardware_uuid,
        ),
    )
    assert response.status_code == 302
    inventoried.refresh_from_db()
    assert inventoried.serial_number == "640HP72-CORRIGE"
    assert inventoried.locked_fields == ["serial_number"]
    lock = history_of(inventoried).get(field="locked_fields")
    assert (lock.old_value, lock.new_value, lock.actor, lock.source) == (
        "",  # a JSON list is shown by its items: none
        "serial_number",
        technician,
        ChangeSource.WEB,
    )

    apply_report(report=report("999ZZZ9", name="PC-COMPTA-RENOMME"), now=NOW)
    inventoried.refresh_from_db()
    assert inventoried.serial_number == "640HP72-CORRIGE"
    assert inventoried.locked_fields == ["serial_number"]


def test_report_after_hand_corrected_serial_matches_the_same_asset(inventoried):
    Asset.objects.filter(pk=inventoried.pk).update(
        serial_number="640HP72-CORRIGE", locked_fields=["serial_number"]
    )
    outcome = apply_report(report=report("640HP72"), now=NOW)
    assert outcome.asset.pk == inventoried.pk
    assert Asset.objects.count() == 1
    inventoried.refresh_from_db()
    assert inventoried.serial_number == "640HP72-CORRIGE"


def test_an_unlocked_different_serial_is_still_another_machine(inventoried):
    Asset.objects.filter(pk=inventoried.pk).update(serial_number="AUTRE-MACHINE")
    outcome = apply_report(report=report("640HP72"), now=NOW)
    assert outcome.asset.pk != inventoried.pk
    assert Asset.objects.count() == 2


def test_inventory_overwrites_the_name_once_unlocked(client, technician, inventoried):
    Asset.objects.filter(pk=inventoried.pk).update(name="PC-COMPTA-MAIN", locked_fields=["name"])
    apply_report(report=report("640HP72"), now=NOW)
    inventoried.refresh_from_db()
    assert inventoried.name == "PC-COMPTA-MAIN"
    client.force_login(technician)
    response = client.post(reverse("assets:asset-unlock", args=[inventoried.pk]), {"field": "name"})
    assert response.status_code == 302
    apply_report(report=report("640HP72"), now=NOW)
    inventoried.refresh_from_db()
    assert (inventoried.name, inventoried.locked_fields) == ("PC-COMPTA", [])
    assert Asset.objects.count() == 1


def test_page_shows_lock_and_unlock_lets_inventory_write_again(client, technician, inventoried):
    Asset.objects.filter(pk=inventoried.pk).update(
        serial_number="640HP72-CORRIGE", locked_fields=["serial_number"]
    )
    client.force_login(technician)
    page = client.get(inventoried.get_absolute_url()).content.decode()
    unlock_url = reverse("assets:asset-unlock", args=[inventoried.pk])
    assert f'action="{unlock_url}"' in page
    assert 'name="field" value="serial_number"' in page
    assert "🔒" in page

    response = client.post(unlock_url, {"field": "serial_number"})
    assert response.status_code == 302
    assert response["Location"] == inventoried.get_absolute_url()
    inventoried.refresh_from_db()
    assert inventoried.locked_fields == []
    record = history_of(inventoried).get(field="locked_fields")
    assert (record.old_value, record.new_value, record.actor) == (
        "serial_number",
        "",
        technician,
    )


def test_reader_cannot_unlock(client, reader, inventoried):
    Asset.objects.filter(pk=inventoried.pk).update(locked_fields=["name"])
    client.force_login(reader)
    page = client.get(inventoried.get_absolute_url()).content.decode()
    unlock_url = reverse("assets:asset-unlock", args=[inventoried.pk])
    assert unlock_url not in page
    response = client.post(unlock_url, {"field": "name"})
    assert response.status_code == 403
    inventoried.refresh_from_db()
    assert inventoried.locked_fields == ["name"]


def test_unlock_refuses_other_fields_and_get(client, technician, inventoried):
    client.force_login(technician)
    unlock_url = reverse("assets:asset-unlock", args=[inventoried.pk])
    assert client.post(unlock_url, {"field": "status"}).status_code == 400
    assert client.get(unlock_url).status_code == 405


def test_unlock_is_a_visible_button_inside_the_card(client, technician, inventoried):
    Asset.objects.filter(pk=inventoried.pk).update(locked_fields=["serial_number"])
    client.force_login(technician)
    html = client.get(inventoried.get_absolute_url()).content.decode()
    classes = button_classes(html, "Déverrouiller")
    assert "button" in classes
    assert not classes & ON_DARK_CLASSES
