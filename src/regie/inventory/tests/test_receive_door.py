"""Safety at the door: HTTP Basic, allowed networks, approval of new agents, settings."""

import base64
import os
import subprocess
import sys
import zlib

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from regie.inventory.models import Agent, ReceivedReport, Refusal, RefusalReason, ReportStatus
from regie.inventory.pipeline import process_report
from regie.inventory.tests.agent_requests import post_capture
from regie.inventory.tests.fixtures import capture

pytestmark = pytest.mark.django_db


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
def credentials(settings):
    settings.INVENTORY_USERNAME = "agents"
    settings.INVENTORY_PASSWORD = "mot-de-passe"  # noqa: S105  # a test credential


def test_basic_auth_challenges_first_then_accepts_the_credentials(client, credentials):
    body = capture("ocs-inventory.xml")

    challenged = post_capture(client, "ocs-inventory-headers.txt", body)
    accepted = post_capture(
        client,
        "ocs-inventory-headers.txt",
        body,
        HTTP_AUTHORIZATION=basic("agents", "mot-de-passe"),
    )

    assert challenged.status_code == 401
    assert challenged["WWW-Authenticate"] == 'Basic realm="Regie"'
    assert accepted.status_code == 200
    assert ReceivedReport.objects.get().agent.device_id == "vm-2026-11-30-08-39-07"
    assert Refusal.objects.count() == 0  # the challenge is the protocol, not a refusal


def test_wrong_credentials_are_refused_and_counted(client, credentials):
    response = post_capture(
        client,
        "ocs-inventory-headers.txt",
        capture("ocs-inventory.xml"),
        HTTP_AUTHORIZATION=basic("agents", "wrong"),
    )

    assert response.status_code == 401
    assert ReceivedReport.objects.count() == 0
    refusal = Refusal.objects.get()
    assert (refusal.source, refusal.reason, refusal.count) == (
        "127.0.0.1",
        RefusalReason.BAD_CREDENTIALS,
        1,
    )


def test_behind_a_trusted_proxy_the_agent_address_decides(client, settings):
    settings.INVENTORY_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.TRUSTED_PROXIES = ["172.16.0.10"]
    body = zlib.compress(capture("ocs-prolog.xml"))

    def post(forwarded):
        return client.post(
            "/ocsinventory",
            data=body,
            content_type="application/x-compress",
            REMOTE_ADDR="172.16.0.10",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # The agent writes an allowed address itself; the proxy appends the real one.
    assert post("10.9.9.9, 198.51.100.7").status_code == 403
    assert post("10.2.3.4").status_code == 200
    assert Agent.objects.get().last_address == "10.2.3.4"
    assert Refusal.objects.get().source == "198.51.100.7"


def test_address_outside_the_allowed_networks_is_refused(client, settings):
    settings.INVENTORY_ALLOWED_NETWORKS = ["10.0.0.0/8", "192.168.1.0/24"]
    body = zlib.compress(capture("ocs-prolog.xml"))

    refused = client.post("/ocsinventory", data=body, content_type="application/x-compress")
    allowed = client.post(
        "/ocsinventory", data=body, content_type="application/x-compress", REMOTE_ADDR="10.2.3.4"
    )

    assert refused.status_code == 403
    assert allowed.status_code == 200
    refusal = Refusal.objects.get()
    assert (refusal.source, refusal.reason) == ("127.0.0.1", RefusalReason.NETWORK)
    assert Agent.objects.get().last_address == "10.2.3.4"


def test_new_agent_is_held_until_approved(client, settings, django_capture_on_commit_callbacks):
    settings.INVENTORY_APPROVAL = True
    with django_capture_on_commit_callbacks(execute=True):
        response = post_capture(client, "ocs-inventory-headers.txt", capture("ocs-inventory.xml"))
    report = ReceivedReport.objects.select_related("agent").get()

    assert response.status_code == 200
    assert report.agent.approved is False
    assert DBTaskResult.objects.count() == 0
    assert process_report(report_id=report.pk).status == ReportStatus.RECEIVED

    with django_capture_on_commit_callbacks(execute=True):
        call_command("inventory", "approve", "vm-2026-11-30-08-39-07")

    assert Agent.objects.get().approved is True
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [report.pk], "kwargs": {}}
    assert process_report(report_id=report.pk).status == ReportStatus.PROCESSED


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"REGIE_INVENTORY_ALLOWED_NETWORKS": "10.0.0.1/8"},
            "REGIE_INVENTORY_ALLOWED_NETWORKS: '10.0.0.1/8' is not a network",
        ),
        (
            {"REGIE_INVENTORY_USERNAME": "agents"},
            "REGIE_INVENTORY_USERNAME and REGIE_INVENTORY_PASSWORD (or _FILE) must be set",
        ),
        ({"REGIE_INVENTORY_MAX_RATIO": "2"}, "REGIE_INVENTORY_MAX_RATIO must be at least 10"),
        ({"REGIE_TRUSTED_PROXIES": "proxy.local"}, "REGIE_TRUSTED_PROXIES: 'proxy.local' is not"),
        ({"REGIE_INVENTORY_APPROVAL": "maybe"}, "REGIE_INVENTORY_APPROVAL must be true or false"),
    ],
)
def test_bad_inventory_settings_stop_start_up(tmp_path, variables, message):
    environment = {**os.environ, "REGIE_DATA_DIR": str(tmp_path), **variables}

    result = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", "import regie.settings"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert message in result.stderr
