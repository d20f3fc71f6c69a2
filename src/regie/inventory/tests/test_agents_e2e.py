"""The real Debian agents (fusioninventory-agent, ocsinventory-agent) against a live Régie.

Skipped when an agent is not installed, unless REGIE_REQUIRE_AGENTS is set (CI), where a
missing agent fails the test instead.
"""

import os
import shlex
import shutil
import socket
import subprocess

import pytest
from django.urls import reverse

from regie.assets.models import Asset
from regie.inventory.models import (
    AgentProtocol,
    ReceivedReport,
    Refusal,
    RefusalReason,
    ReportStatus,
)
from regie.inventory.pipeline import parse_record, process_report

REQUIRED = os.environ.get("REGIE_REQUIRE_AGENTS", "").lower() in {"1", "true", "yes", "on"}


def agent_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package {name})"
        if REQUIRED:
            pytest.fail(f"{message}, and REGIE_REQUIRE_AGENTS is set")
        pytest.skip(message)
    return path


def installed_debian_packages() -> int:
    listing = subprocess.run(  # noqa: S603  # fixed arguments
        ["/usr/bin/dpkg-query", "-W", "-f=${Package}\\n"],
        capture_output=True,
        text=True,
        check=True,
    )
    return len(listing.stdout.split())


def run_agent(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # fixed arguments, the agent from PATH
        command, capture_output=True, text=True, timeout=180, check=False
    )


def assert_one_processed_report(protocol: AgentProtocol, result) -> None:
    report = ReceivedReport.objects.get()
    assert report.protocol == protocol, result.stderr
    assert report.agent.protocol == protocol
    processed = process_report(report_id=report.pk)
    assert (processed.status, processed.error) == (ReportStatus.PROCESSED, "")
    # One asset, holding what this machine is: its name, its OS, every installed package.
    asset = Asset.objects.get()
    assert processed.asset == asset
    assert asset.name == socket.gethostname().split(".")[0]
    assert asset.operating_system.name.startswith("Debian GNU/Linux")
    assert asset.software_installations.count() == installed_debian_packages()
    reported = parse_record(processed).bios.serial
    assert asset.serial_number == (reported or "")


@pytest.mark.django_db(transaction=True)
def test_fusioninventory_agent_reports_to_regie(live_server):
    binary = agent_binary("fusioninventory-agent")

    result = run_agent(
        [
            binary,
            "--server",
            f"{live_server.url}/",
            "--no-task=deploy,esx,collect,wakeonlan,networkdiscovery,networkinventory,wmi,"
            "maintenance",
            "--force",
            "--no-httpd",
        ]
    )

    assert result.returncode == 0, result.stderr
    assert "No answer from server" not in result.stderr
    assert_one_processed_report(AgentProtocol.FUSION_XML, result)


@pytest.mark.django_db(transaction=True)
def test_ocs_agent_reports_to_regie(live_server, tmp_path):
    binary = agent_binary("ocsinventory-agent")

    result = run_agent(
        [
            binary,
            "--server",
            f"{live_server.url}/ocsinventory",
            "--force",
            "--nolocal",
            f"--basevardir={tmp_path}",
        ]
    )

    assert result.returncode == 0, result.stderr
    assert_one_processed_report(AgentProtocol.OCS_XML, result)


@pytest.mark.django_db(transaction=True)
def test_fusioninventory_agent_answers_the_basic_challenge(live_server, settings):
    binary = agent_binary("fusioninventory-agent")
    settings.INVENTORY_USERNAME = "agents"
    settings.INVENTORY_PASSWORD = "mot-de-passe"  # noqa: S105  # a test credential

    result = run_agent(
        [
            binary,
            "--server",
            f"{live_server.url}/front/inventory.php",
            "--user=agents",
            "--password=mot-de-passe",
            "--no-task=deploy,esx,collect,wakeonlan,networkdiscovery,networkinventory,wmi,"
            "maintenance",
            "--force",
            "--no-httpd",
        ]
    )

    assert result.returncode == 0, result.stderr
    assert_one_processed_report(AgentProtocol.FUSION_XML, result)


AGENT_PASSWORD = "q8Zr-3vX_kP0mT7wLa9eYb2NcD4fGh6J"  # noqa: S105  # shaped like a generated one


def ocs_setup(client, live_server, technician):
    """The OCS agent's settings as the set-up page shows them for this live server."""
    client.force_login(technician)
    host = live_server.url.removeprefix("http://")
    response = client.get(reverse("inventory:setup"), HTTP_HOST=host)
    assert response.status_code == 200
    return {setup.name: setup for setup in response.context["setups"]}["OCS Inventory agent"]


@pytest.mark.django_db(transaction=True)
def test_ocs_agent_configured_as_the_setup_page_says_reports_with_credentials(
    live_server, settings, tmp_path, client, technician
):
    binary = agent_binary("ocsinventory-agent")
    settings.INVENTORY_USERNAME = "regie-agents"
    settings.INVENTORY_PASSWORD = AGENT_PASSWORD
    setup = ocs_setup(client, live_server, technician)
    command = shlex.split(setup.command)
    # The page gives the values base64-encoded: the agent decodes them before sending.
    assert command == [
        "ocsinventory-agent",
        "--server",
        f"{live_server.url}/ocsinventory",
        "--user",
        "cmVnaWUtYWdlbnRz",
        "--password",
        "cThaci0zdlhfa1AwbVQ3d0xhOWVZYjJOY0Q0ZkdoNko=",
        "--realm",
        "Regie",
        "--nolocal",
    ]
    assert setup.config_lines[1:] == [
        "user=cmVnaWUtYWdlbnRz",
        "password=cThaci0zdlhfa1AwbVQ3d0xhOWVZYjJOY0Q0ZkdoNko=",
        "realm=Regie",
    ]

    result = run_agent([binary, *command[1:], "--force", f"--basevardir={tmp_path}"])

    assert result.returncode == 0, result.stderr
    assert_one_processed_report(AgentProtocol.OCS_XML, result)
    assert Refusal.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_ocs_agent_with_the_plain_credentials_gets_401_and_stores_nothing(
    live_server, settings, tmp_path
):
    binary = agent_binary("ocsinventory-agent")
    settings.INVENTORY_USERNAME = "regie-agents"
    settings.INVENTORY_PASSWORD = AGENT_PASSWORD

    result = run_agent(
        [
            binary,
            "--server",
            f"{live_server.url}/ocsinventory",
            "--user",
            "regie-agents",  # not encoded: the agent decodes it into other bytes
            "--password",
            AGENT_PASSWORD,
            "--realm",
            "Regie",
            "--nolocal",
            "--force",
            f"--basevardir={tmp_path}",
        ]
    )

    assert ReceivedReport.objects.count() == 0
    assert Asset.objects.count() == 0
    refusal = Refusal.objects.get()
    assert (refusal.reason, refusal.last_error) == (
        RefusalReason.BAD_CREDENTIALS,
        "Wrong credentials.",
    ), result.stderr


@pytest.mark.django_db(transaction=True)
def test_fusioninventory_agent_routine_reports_land_with_no_human_step(live_server, settings):
    binary = agent_binary("fusioninventory-agent")
    settings.INVENTORY_USERNAME = "regie-agents"
    settings.INVENTORY_PASSWORD = AGENT_PASSWORD
    command = [
        binary,
        "--server",
        f"{live_server.url}/",
        "--user=regie-agents",
        f"--password={AGENT_PASSWORD}",
        "--no-task=deploy,esx,collect,wakeonlan,networkdiscovery,networkinventory,wmi,maintenance",
        "--force",
        "--no-httpd",
    ]

    statuses = []
    for _run in range(2):
        result = run_agent(command)
        assert result.returncode == 0, result.stderr
        report = ReceivedReport.objects.latest("pk")
        statuses.append(process_report(report_id=report.pk).status)

    assert statuses == [ReportStatus.PROCESSED, ReportStatus.PROCESSED]
    reports = list(ReceivedReport.objects.order_by("pk"))
    assert len(reports) == 2  # the agent's second inventory differs (times, uptime)
    asset = Asset.objects.get()
    assert [report.asset for report in reports] == [asset, asset]
    assert reports[0].agent == reports[1].agent
    assert reports[0].agent.asset == asset  # bound by its first report
