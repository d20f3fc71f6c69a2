"""Captured agent requests replayed over HTTP: the exact reply, the inbox row, the task."""

import hashlib
import json
import zlib

import pytest
from django_tasks_db.models import DBTaskResult

from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.tests.agent_requests import post_capture
from regie.inventory.tests.fixtures import capture

XML_PROLOG_REPLY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<REPLY><PROLOG_FREQ>24</PROLOG_FREQ><RESPONSE>SEND</RESPONSE></REPLY>"
)
XML_INVENTORY_REPLY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY><RESPONSE>NO_ACCOUNT_UPDATE</RESPONSE></REPLY>'
)
JSON_OK_REPLY = b'{"status": "ok", "expiration": 24}'
TASK_PATH = "regie.inventory.tasks.process_received_report"
GLPI_AGENT_ID = "a2c5eb96-ec99-11f1-9cfc-9e9dea1e2543"

pytestmark = pytest.mark.django_db


def zlib_reply(response) -> bytes:
    assert response["Content-Type"] == "application/x-compress-zlib"
    return zlib.decompress(response.content)


@pytest.mark.parametrize(
    ("headers_file", "body_file", "device_id", "protocol", "name", "version"),
    [
        (
            "fusioninventory-prolog-headers.txt",
            "fusioninventory-prolog.xml",
            "vm-2026-11-30-08-38-56",
            AgentProtocol.FUSION_XML,
            "FusionInventory-Agent",
            "2.6-3",
        ),
        (
            "ocs-prolog-headers.txt",
            "ocs-prolog.xml",
            "vm-2026-11-30-08-39-07",
            AgentProtocol.OCS_XML,
            "OCS-NG_unified_unix_agent",
            "2.10.0",
        ),
    ],
    ids=["fusioninventory", "ocs"],
)
def test_xml_prolog_is_answered_send_and_stores_nothing(
    client, headers_file, body_file, device_id, protocol, name, version
):
    response = post_capture(client, headers_file, capture(body_file))

    assert response.status_code == 200
    assert zlib_reply(response) == XML_PROLOG_REPLY
    assert response["Cache-Control"] == "no-cache,no-store"
    agent = Agent.objects.get()
    assert (agent.device_id, agent.protocol, agent.name, agent.version) == (
        device_id,
        protocol,
        name,
        version,
    )
    assert agent.last_address == "127.0.0.1"
    assert agent.report_count == 0
    assert ReceivedReport.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_glpi_agent_prolog_gets_the_json_answer(client):
    response = post_capture(client, "glpiagent-prolog-headers.txt", capture("glpiagent-prolog.xml"))

    assert response.status_code == 200
    assert zlib_reply(response) == b'{"expiration": 24, "status": "ok"}'
    agent = Agent.objects.get()
    assert (agent.device_id, agent.protocol, agent.glpi_agent_id) == (
        "vm-2026-11-30-08-40-03",
        AgentProtocol.GLPI_JSON,
        GLPI_AGENT_ID,
    )
    assert ReceivedReport.objects.count() == 0


def test_glpi_agent_contact_is_told_to_run_its_inventory_only(client):
    response = post_capture(
        client, "glpiagent-contact-headers.txt", capture("glpiagent-contact.json")
    )

    assert response.status_code == 200
    reply = json.loads(zlib_reply(response))
    expected = capture("glpiagent-contact-reply.txt").decode().split("\n\n", 1)[1]
    assert reply == json.loads(expected)
    agent = Agent.objects.get()
    assert (agent.device_id, agent.name, agent.version) == (
        "vm-2026-11-30-08-40-03",
        "GLPI-Agent",
        "1.12-dev",
    )
    assert ReceivedReport.objects.count() == 0


@pytest.mark.parametrize(
    ("headers_file", "body_file", "protocol", "partial", "device_id", "reply"),
    [
        (
            "fusioninventory-inventory-headers.txt",
            "fusioninventory-inventory.xml",
            AgentProtocol.FUSION_XML,
            False,
            "vm-2026-11-30-08-38-56",
            XML_INVENTORY_REPLY,
        ),
        (
            "ocs-inventory-headers.txt",
            "ocs-inventory.xml",
            AgentProtocol.OCS_XML,
            False,
            "vm-2026-11-30-08-39-07",
            XML_INVENTORY_REPLY,
        ),
        (
            "glpiagent-inventory-full-headers.txt",
            "glpiagent-inventory-full.json",
            AgentProtocol.GLPI_JSON,
            False,
            "vm-2026-11-30-08-40-03",
            JSON_OK_REPLY,
        ),
        (
            "glpiagent-inventory-partial-headers.txt",
            "glpiagent-inventory-partial.json",
            AgentProtocol.GLPI_JSON,
            True,
            "vm-2026-11-30-08-40-03",
            JSON_OK_REPLY,
        ),
    ],
    ids=["fusioninventory", "ocs", "glpi-full", "glpi-partial"],
)
def test_inventory_is_stored_acknowledged_and_queued(
    client,
    django_capture_on_commit_callbacks,
    headers_file,
    body_file,
    protocol,
    partial,
    device_id,
    reply,
):
    body = capture(body_file)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_capture(client, headers_file, body)

    assert response.status_code == 200
    assert zlib_reply(response) == reply
    report = ReceivedReport.objects.select_related("agent").get()
    assert report.agent.device_id == device_id
    assert report.protocol == protocol
    assert report.partial is partial
    assert report.status == ReportStatus.RECEIVED
    assert report.body_sha256 == hashlib.sha256(body).hexdigest()
    assert report.body_size == len(body)
    assert report.decompressed_body() == body
    assert report.remote_address == "127.0.0.1"
    assert report.agent.report_count == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == TASK_PATH
    assert task.args_kwargs == {"args": [report.pk], "kwargs": {}}


def test_uncompressed_xml_on_the_glpi_path_gets_a_plain_reply(client):
    body = capture("fusioninventory-inventory.xml")

    response = post_capture(client, "fusioninventory-inventory-nocompression-headers.txt", body)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response.content == XML_INVENTORY_REPLY
    report = ReceivedReport.objects.get()
    assert report.protocol == AgentProtocol.FUSION_XML
    assert report.decompressed_body() == body


def test_gzip_body_gets_a_gzip_reply(client):
    import gzip

    body = capture("glpiagent-inventory-partial.json")

    response = client.post(
        "/", data=gzip.compress(body), content_type="application/x-compress-gzip"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-compress-gzip"
    assert gzip.decompress(response.content) == JSON_OK_REPLY
    assert ReceivedReport.objects.get().decompressed_body() == body


def test_same_body_again_stores_nothing_new_and_updates_last_seen(
    client, django_capture_on_commit_callbacks
):
    body = capture("ocs-inventory.xml")
    with django_capture_on_commit_callbacks(execute=True):
        post_capture(client, "ocs-inventory-headers.txt", body)
    first_seen = Agent.objects.get().last_seen

    with django_capture_on_commit_callbacks(execute=True):
        response = post_capture(client, "ocs-inventory-headers.txt", body)

    assert response.status_code == 200
    assert zlib_reply(response) == XML_INVENTORY_REPLY
    assert ReceivedReport.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    agent = Agent.objects.get()
    assert agent.report_count == 1
    assert agent.last_seen > first_seen


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/front/inventory.php",
        "/marketplace/glpiinventory/",
        "/marketplace/glpiinventory",
        "/plugins/glpiinventory/",
        "/plugins/fusioninventory/",
        "/Inventory",
        "/ocsinventory",
        "/ocsinventory/",
    ],
)
def test_every_agent_path_receives(client, path):
    response = client.post(
        path, data=zlib.compress(capture("ocs-prolog.xml")), content_type="application/x-compress"
    )

    assert response.status_code == 200
    assert zlib_reply(response) == XML_PROLOG_REPLY


def test_get_on_an_agent_path_is_405(client):
    response = client.get("/ocsinventory")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert Agent.objects.count() == 0


def test_glpi_agent_task_polling_gets_glpis_protocol_error(client):
    response = client.get("/front/inventory.php?action=getConfig&machineid=vm&task[Deploy]=3.3")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "error",
        "message": "Protocol not supported",
        "expiration": 24,
    }


def test_get_on_root_is_still_the_home_page(client, technician):
    client.force_login(technician)

    response = client.get("/")

    assert response.status_code == 200
    assert response.templates[0].name == "home.html"
