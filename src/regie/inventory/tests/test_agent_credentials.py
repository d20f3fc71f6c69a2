"""Agents authenticate by default: generated credentials, the opt-out and its warnings."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from regie.inventory.models import ReceivedReport, Refusal, RefusalReason
from regie.inventory.tests.agent_requests import post_capture
from regie.inventory.tests.fixtures import capture
from regie.inventory.tests.test_receive_door import basic

WARNING = 'data-warning="agents-unauthenticated"'


def settings_in(data_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Import the settings of a Régie whose data directory is ``data_dir``."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("REGIE_INVENTORY_")
    }
    environment.update({"REGIE_DATA_DIR": str(data_dir), **variables})
    return subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [
            sys.executable,
            "-c",
            "from regie import settings as s; "
            "print(s.INVENTORY_USERNAME, s.INVENTORY_PASSWORD, s.INVENTORY_CREDENTIALS_GENERATED)",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_fresh_install_generates_agent_credentials_once_readable_by_its_owner_only(tmp_path):
    first = settings_in(tmp_path)
    second = settings_in(tmp_path)

    assert first.returncode == 0, first.stderr
    username, password, generated = first.stdout.split()
    assert (username, generated) == ("regie-agents", "True")
    assert len(password) == 32
    assert second.stdout == first.stdout  # generated once, then read back
    credentials = tmp_path / "agent_credentials"
    assert credentials.read_text(encoding="utf-8") == f"regie-agents:{password}\n"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir() if "agent" in path.name) == [
        "agent_credentials"
    ]


def test_two_installs_get_different_passwords(tmp_path):
    one = settings_in(tmp_path / "one").stdout.split()[1]
    other = settings_in(tmp_path / "other").stdout.split()[1]

    assert one != other


def test_configured_credentials_are_used_and_nothing_is_generated(tmp_path):
    result = settings_in(
        tmp_path, REGIE_INVENTORY_USERNAME="agents", REGIE_INVENTORY_PASSWORD="mot-de-passe"
    )

    assert result.stdout.split() == ["agents", "mot-de-passe", "False"]
    assert not (tmp_path / "agent_credentials").exists()


def test_the_opt_out_turns_authentication_off_and_generates_nothing(tmp_path):
    result = settings_in(tmp_path, REGIE_INVENTORY_AUTH="false")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "  False\n"
    assert not (tmp_path / "agent_credentials").exists()


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"REGIE_INVENTORY_AUTH": "maybe"}, "REGIE_INVENTORY_AUTH must be true or false"),
        (
            {
                "REGIE_INVENTORY_AUTH": "false",
                "REGIE_INVENTORY_USERNAME": "agents",
                "REGIE_INVENTORY_PASSWORD": "mot-de-passe",
            },
            "REGIE_INVENTORY_AUTH=false turns agent authentication off",
        ),
    ],
)
def test_contradictory_settings_stop_start_up(tmp_path, variables, message):
    result = settings_in(tmp_path, **variables)

    assert result.returncode == 1
    assert message in result.stderr


@pytest.fixture
def generated(settings):
    settings.INVENTORY_AUTH = True
    settings.INVENTORY_USERNAME = "regie-agents"
    settings.INVENTORY_PASSWORD = "Zq3-generated-for-the-test"  # noqa: S105  # a test credential
    settings.INVENTORY_CREDENTIALS_GENERATED = True


@pytest.mark.django_db
def test_with_generated_credentials_an_anonymous_report_is_challenged_and_stored_nowhere(
    client, generated
):
    response = post_capture(
        client, "fusioninventory-inventory-headers.txt", capture("fusioninventory-inventory.xml")
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Regie"'
    assert ReceivedReport.objects.count() == 0


@pytest.mark.django_db
def test_with_generated_credentials_a_wrong_password_is_refused_and_counted(client, generated):
    response = post_capture(
        client,
        "fusioninventory-inventory-headers.txt",
        capture("fusioninventory-inventory.xml"),
        HTTP_AUTHORIZATION=basic("regie-agents", "guessed"),
    )

    assert response.status_code == 401
    assert ReceivedReport.objects.count() == 0
    assert Refusal.objects.get().reason == RefusalReason.BAD_CREDENTIALS


@pytest.mark.django_db
def test_with_generated_credentials_the_agent_that_has_them_lands(client, generated):
    response = post_capture(
        client,
        "fusioninventory-inventory-headers.txt",
        capture("fusioninventory-inventory.xml"),
        HTTP_AUTHORIZATION=basic("regie-agents", "Zq3-generated-for-the-test"),
    )

    assert response.status_code == 200
    assert ReceivedReport.objects.count() == 1


@pytest.mark.django_db
def test_setup_page_says_where_generated_credentials_are_kept(client, technician, generated):
    client.force_login(technician)

    html = client.get(reverse("inventory:setup")).content.decode()

    assert "password = Zq3-generated-for-the-test" in html
    assert "agent_credentials" in html
    assert WARNING not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["inventory:activity", "inventory:agent-list", "inventory:setup"]
)
def test_inventory_pages_warn_when_authentication_is_off(client, technician, url_name):
    client.force_login(technician)

    html = client.get(reverse(url_name)).content.decode()

    assert WARNING in html
    assert "REGIE_INVENTORY_AUTH=false" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["inventory:activity", "inventory:agent-list"])
def test_inventory_pages_do_not_warn_when_agents_authenticate(
    client, technician, generated, url_name
):
    client.force_login(technician)

    html = client.get(reverse(url_name)).content.decode()

    assert WARNING not in html


def serve_refused(data_dir: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``regie serve`` with a port it refuses: it stops right after its start-up messages."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("REGIE_INVENTORY_")
    }
    environment.update({"REGIE_DATA_DIR": str(data_dir), **variables})
    return subprocess.run(  # noqa: S603  # our own interpreter and module
        [sys.executable, "-m", "regie.cli", "serve", "--port", "0"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_regie_serve_warns_at_start_up_when_authentication_is_off(tmp_path):
    opened = serve_refused(tmp_path / "open", REGIE_INVENTORY_AUTH="false")
    closed = serve_refused(tmp_path / "closed")

    assert "WARNING: agent authentication is off (REGIE_INVENTORY_AUTH=false)" in opened.stderr
    assert "agent authentication is off" not in closed.stderr
    assert "--port must be between 1 and 65535" in closed.stderr
