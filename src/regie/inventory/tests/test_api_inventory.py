"""The inventory endpoints: agents, received reports and replaying a report, per role."""

import datetime as dt
import hashlib
import zlib

import pytest
from rest_framework.test import APIClient

from regie.assets.models import Asset
from regie.assets.tests.factories import AssetFactory
from regie.core.testing import bearer_client
from regie.inventory.models import Agent, AgentProtocol, ReceivedReport, ReportStatus
from regie.inventory.tests.fixtures import capture

pytestmark = pytest.mark.django_db

AGENT_KEYS = {
    "id",
    "device_id",
    "protocol",
    "name",
    "version",
    "last_address",
    "first_seen",
    "last_seen",
    "report_count",
    "approved",
    "asset",
    "asset_brief",
    "bound_at",
}
REPORT_KEYS = {
    "id",
    "agent",
    "agent_brief",
    "protocol",
    "body_size",
    "partial",
    "remote_address",
    "received_at",
    "status",
    "error",
    "processed_at",
    "processing_ms",
    "matched_rule",
    "asset",
    "asset_brief",
    "conflict",
    "decided_by",
    "decided_at",
}
SEEN = dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC)


def make_agent(device_id="pc-compta-2026-11-30-08-00-00", **fields):
    defaults = {
        "protocol": AgentProtocol.OCS_XML,
        "name": "OCS-NG_unified_unix_agent",
        "version": "2.10.0",
        "last_address": "192.0.2.10",
        "first_seen": SEEN - dt.timedelta(days=3),
        "last_seen": SEEN,
        "report_count": 4,
    }
    return Agent.objects.create(device_id=device_id, **(defaults | fields))


def stored(agent, body=b"<REQUEST/>", **fields):
    return ReceivedReport.objects.create(
        agent=agent,
        protocol=fields.pop("protocol", agent.protocol),
        body=zlib.compress(body),
        body_sha256=hashlib.sha256(body).hexdigest(),
        body_size=len(body),
        **fields,
    )


# --- agents ------------------------------------------------------------------------------------


def test_technician_lists_and_reads_agents(technician):
    agent = make_agent()
    client = bearer_client(technician)

    listing = client.get("/api/v1/inventory/agents/")
    detail = client.get(f"/api/v1/inventory/agents/{agent.pk}/")

    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    expected = {
        "id": agent.pk,
        "device_id": "pc-compta-2026-11-30-08-00-00",
        "protocol": "ocs-xml",
        "name": "OCS-NG_unified_unix_agent",
        "version": "2.10.0",
        "last_address": "192.0.2.10",
        "first_seen": "2026-11-27T08:30:00Z",
        "last_seen": "2026-11-30T08:30:00Z",
        "report_count": 4,
        "approved": True,
        "asset": None,
        "asset_brief": None,
        "bound_at": None,
    }
    assert listing.json()["results"] == [expected]
    assert detail.status_code == 200
    assert detail.json() == expected
    assert set(expected) == AGENT_KEYS


@pytest.mark.parametrize(
    ("params", "device_ids"),
    [
        ({"protocol": "glpi-json"}, ["glpi-poste"]),
        ({"approved": "false"}, ["glpi-poste"]),
        ({"q": "compta"}, ["pc-compta"]),
        ({"ordering": "report_count"}, ["glpi-poste", "pc-compta"]),
    ],
)
def test_agent_filters(technician, params, device_ids):
    make_agent("pc-compta")
    make_agent(
        "glpi-poste",
        protocol=AgentProtocol.GLPI_JSON,
        approved=False,
        report_count=1,
        last_seen=SEEN - dt.timedelta(hours=1),
    )

    response = bearer_client(technician).get("/api/v1/inventory/agents/", params)

    assert response.status_code == 200
    assert [a["device_id"] for a in response.json()["results"]] == device_ids


def test_unknown_filter_value_is_400(technician):
    response = bearer_client(technician).get("/api/v1/inventory/agents/", {"protocol": "snmp"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"protocol"}


# --- reports ---------------------------------------------------------------------------------


def test_technician_lists_and_reads_reports(technician):
    agent = make_agent()
    asset = AssetFactory(name="PC-COMPTA")
    report = stored(
        agent,
        b"<REQUEST>x</REQUEST>",
        status=ReportStatus.PROCESSED,
        partial=True,
        remote_address="192.0.2.10",
        received_at=SEEN,
        processed_at=SEEN + dt.timedelta(seconds=2),
        processing_ms=23.5,
        matched_rule="serial",
        asset=asset,
    )
    client = bearer_client(technician)

    listing = client.get("/api/v1/inventory/reports/")
    detail = client.get(f"/api/v1/inventory/reports/{report.pk}/")

    expected = {
        "id": report.pk,
        "agent": agent.pk,
        "agent_brief": {
            "id": agent.pk,
            "device_id": "pc-compta-2026-11-30-08-00-00",
            "name": "OCS-NG_unified_unix_agent",
        },
        "protocol": "ocs-xml",
        "body_size": 20,
        "partial": True,
        "remote_address": "192.0.2.10",
        "received_at": "2026-11-30T08:30:00Z",
        "status": "processed",
        "error": "",
        "processed_at": "2026-11-30T08:30:02Z",
        "processing_ms": 23.5,
        "matched_rule": "serial",
        "asset": asset.pk,
        "asset_brief": {
            "id": asset.pk,
            "inventory_number": asset.inventory_number,
            "name": "PC-COMPTA",
        },
        "conflict": {},
        "decided_by": None,
        "decided_at": None,
    }
    assert listing.status_code == 200
    assert listing.json()["results"] == [expected]
    assert detail.status_code == 200
    assert detail.json() == expected
    assert set(expected) == REPORT_KEYS


def test_failed_report_shows_its_error_and_no_asset(technician):
    report = stored(make_agent(), status=ReportStatus.FAILED, error="The request has no CONTENT.")

    body = bearer_client(technician).get(f"/api/v1/inventory/reports/{report.pk}/").json()

    assert (body["status"], body["error"], body["asset"], body["asset_brief"]) == (
        "failed",
        "The request has no CONTENT.",
        None,
        None,
    )


def test_report_filters(technician):
    ocs = make_agent("ocs-1")
    glpi = make_agent("glpi-1", protocol=AgentProtocol.GLPI_JSON)
    asset = AssetFactory()
    processed = stored(ocs, b"1", status=ReportStatus.PROCESSED, asset=asset)
    failed = stored(ocs, b"2", status=ReportStatus.FAILED, error="x")
    waiting = stored(glpi, b"3")
    client = bearer_client(technician)

    def ids(**params):
        response = client.get("/api/v1/inventory/reports/", params)
        assert response.status_code == 200
        return sorted(r["id"] for r in response.json()["results"])

    assert ids(status="failed") == [failed.pk]
    assert ids(status=["failed", "received"]) == sorted([failed.pk, waiting.pk])
    assert ids(protocol="glpi-json") == [waiting.pk]
    assert ids(agent=ocs.pk) == sorted([processed.pk, failed.pk])
    assert ids(asset=asset.pk) == [processed.pk]


# --- replay ------------------------------------------------------------------------------------


def test_replay_of_a_failed_report_processes_it(technician):
    body = capture("ocs-inventory.xml")
    agent = make_agent()
    report = stored(agent, body, status=ReportStatus.FAILED, error="Processing failed (bug).")

    response = bearer_client(technician).post(f"/api/v1/inventory/reports/{report.pk}/replay/")

    assert response.status_code == 200
    report.refresh_from_db()
    asset = Asset.objects.get()
    assert (report.status, report.error, report.asset) == (ReportStatus.PROCESSED, "", asset)
    assert report.processed_at is not None
    data = response.json()
    assert set(data) == REPORT_KEYS
    assert data["processing_ms"] == report.processing_ms > 0
    assert (data["id"], data["status"], data["error"], data["asset"]) == (
        report.pk,
        "processed",
        "",
        asset.pk,
    )
    assert data["asset_brief"] == {
        "id": asset.pk,
        "inventory_number": asset.inventory_number,
        "name": asset.name,
    }
    assert asset.software_installations.exists()


def test_replay_of_a_processed_report_changes_nothing(technician):
    processed_at = SEEN - dt.timedelta(days=1)
    report = stored(
        make_agent(),
        capture("ocs-inventory.xml"),
        status=ReportStatus.PROCESSED,
        processed_at=processed_at,
    )

    response = bearer_client(technician).post(f"/api/v1/inventory/reports/{report.pk}/replay/")

    assert response.status_code == 200
    assert response.json()["processed_at"] == "2026-11-29T08:30:00Z"
    report.refresh_from_db()
    assert (report.status, report.processed_at) == (ReportStatus.PROCESSED, processed_at)
    assert Asset.objects.count() == 0


def test_admin_replays_too(admin_user):
    report = stored(make_agent(), capture("ocs-inventory.xml"), status=ReportStatus.FAILED)

    response = bearer_client(admin_user).post(f"/api/v1/inventory/reports/{report.pk}/replay/")

    assert response.status_code == 200
    assert response.json()["status"] == "processed"


def test_reader_reads_reports_and_agents_but_cannot_replay(reader):
    agent = make_agent()
    report = stored(agent, capture("ocs-inventory.xml"), status=ReportStatus.FAILED, error="x")
    client = bearer_client(reader)

    assert client.get("/api/v1/inventory/reports/").json()["count"] == 1
    assert client.get(f"/api/v1/inventory/agents/{agent.pk}/").status_code == 200
    response = client.post(f"/api/v1/inventory/reports/{report.pk}/replay/")

    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.FAILED, "x")
    assert Asset.objects.count() == 0


@pytest.mark.parametrize("persona", ["correspondent", "staff_user"])
def test_correspondents_and_staff_get_no_inventory_records(request, persona):
    agent = make_agent()
    report = stored(agent, capture("ocs-inventory.xml"), status=ReportStatus.FAILED, error="x")
    client = bearer_client(request.getfixturevalue(persona))

    assert client.get("/api/v1/inventory/agents/").status_code == 403
    assert client.get("/api/v1/inventory/reports/").status_code == 403
    assert client.get(f"/api/v1/inventory/agents/{agent.pk}/").status_code == 404
    assert client.get(f"/api/v1/inventory/reports/{report.pk}/").status_code == 404
    assert client.post(f"/api/v1/inventory/reports/{report.pk}/replay/").status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


def test_no_token_is_401():
    report = stored(make_agent())
    client = APIClient()

    assert client.get("/api/v1/inventory/agents/").status_code == 401
    assert client.get("/api/v1/inventory/reports/").status_code == 401
    assert client.post(f"/api/v1/inventory/reports/{report.pk}/replay/").status_code == 401
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED


def test_reports_and_agents_are_read_only(technician):
    agent = make_agent()
    report = stored(agent)
    client = bearer_client(technician)

    assert client.post("/api/v1/inventory/reports/", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/inventory/reports/{report.pk}/").status_code == 405
    patch = client.patch(f"/api/v1/inventory/agents/{agent.pk}/", {"approved": False})
    assert patch.status_code == 405
    agent.refresh_from_db()
    assert agent.approved is True
    assert ReceivedReport.objects.filter(pk=report.pk).exists()


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [5, 60])
def test_report_list_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, page_size
):
    for n in range(page_size):
        agent = make_agent(f"pc-{n}")
        stored(agent, status=ReportStatus.PROCESSED, asset=AssetFactory())
    client = bearer_client(technician)
    client.get("/api/v1/inventory/reports/")  # the first request records the token's last use
    # token, count, page
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/inventory/reports/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 60])
def test_agent_list_runs_a_fixed_number_of_queries(
    technician, django_assert_max_num_queries, page_size
):
    for n in range(page_size):
        make_agent(f"pc-{n}")
    client = bearer_client(technician)
    client.get("/api/v1/inventory/agents/")
    # token, count, page
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/inventory/agents/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


# --- schema ----------------------------------------------------------------------------------


def test_openapi_documents_the_software_and_inventory_endpoints():
    schema = APIClient().get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    assert {
        "/api/v1/assets/{asset_pk}/software/",
        "/api/v1/software/",
        "/api/v1/software/{id}/",
        "/api/v1/inventory/agents/",
        "/api/v1/inventory/agents/{id}/",
        "/api/v1/inventory/reports/",
        "/api/v1/inventory/reports/{id}/",
        "/api/v1/inventory/reports/{id}/replay/",
    } <= set(paths)
    assert set(paths["/api/v1/software/{id}/"]) == {"get"}
    replay = paths["/api/v1/inventory/reports/{id}/replay/"]["post"]
    assert "requestBody" not in replay
    # the shared AutoSchema documents 400 for every POST
    assert sorted(replay["responses"]) == ["200", "400", "401", "403", "404", "409"]
    parameters = {p["name"] for p in paths["/api/v1/software/"]["get"]["parameters"]}
    assert {"q", "name", "publisher", "version", "ordering", "page", "page_size"} <= parameters
