"""The agent set-up page: what to type on each machine so that its agent reports here.

The server URLs follow protocols.md §0: the GLPI Agent posts to exactly the URL it is given
(Régie answers on ``/``), FusionInventory likewise when the URL ends with ``/``, and the OCS
agent conventionally to ``/ocsinventory``. URLs start with ``REGIE_PUBLIC_URL``; without it,
with the browser's address, and the page says so. The page shows the agents' credentials, so only
to those who manage the agents (administrators, technicians); the OCS agent is given them
base64-encoded, as it decodes them before sending.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regie.core.http import absolute_url
from regie.core.links import opens_for
from regie.core.models import User
from regie.core.permissions import AnyUser
from regie.inventory.permissions import agent_policy
from regie.inventory.receiving import BASIC_REALM


@dataclass(frozen=True)
class AgentSetup:
    """How to point one kind of agent at this server."""

    name: str
    server_url: str
    config_file: str
    config_lines: list[str]
    command: str
    notes: list[str] = field(default_factory=list)
    windows_command: str = ""  # the Windows installer's command line, when it has one


def ocs_encoded(value: str) -> str:
    """``value`` as the OCS agent must be given it: it base64-decodes ``--user``,
    ``--password`` and ``user=``/``password=`` before sending them
    (``Ocsinventory::Agent::Encrypt::getClearText``)."""
    return base64.b64encode(value.encode()).decode("ascii")


def agent_setups(base_url: str, username: str, password: str) -> list[AgentSetup]:
    """The three agents' settings for a server reached at ``base_url`` (ending with ``/``),
    with the agents' credentials (none when ``username`` is empty)."""
    ocs_url = f"{base_url}ocsinventory"
    credentials = [f"user = {username}", f"password = {password}"] if username else []
    options = f" --user {username} --password '{password}'" if username else ""
    msi_server = f"SERVER={base_url}"
    msi_options = f" USER={username} PASSWORD={password}" if username else ""
    ocs_user, ocs_password = ocs_encoded(username), ocs_encoded(password)
    ocs_credentials = [f"user={ocs_user}", f"password={ocs_password}", f"realm={BASIC_REALM}"]
    ocs_options = (
        f" --user {ocs_user} --password '{ocs_password}' --realm '{BASIC_REALM}'"
        if username
        else ""
    )
    ocs_notes = [
        _(
            "Debian's default configuration file sets local=…, which makes the agent "
            "write its inventory to a file instead of sending it: remove that line or "
            "pass --nolocal."
        )
    ]
    if username:
        ocs_notes.append(
            _(
                "The OCS agent base64-decodes the user name and password it is given: "
                "the values above are the credentials encoded so, as it expects them."
            )
        )
    return [
        AgentSetup(
            name="GLPI Agent",
            server_url=base_url,
            config_file="/etc/glpi-agent/agent.cfg",
            config_lines=[f"server = {base_url}", *credentials],
            command=f"glpi-agent --server {base_url}{options}",
            windows_command=f"msiexec /i GLPI-Agent-x64.msi /quiet {msi_server}{msi_options}",
        ),
        AgentSetup(
            name="FusionInventory agent",
            server_url=base_url,
            config_file="/etc/fusioninventory/agent.cfg",
            config_lines=[f"server = {base_url}", *credentials],
            command=f"fusioninventory-agent --server {base_url}{options}",
            notes=[
                _(
                    "Keep the final slash: without a path, the agent posts to /ocsinventory "
                    "(which Régie accepts too)."
                )
            ],
        ),
        AgentSetup(
            name="OCS Inventory agent",
            server_url=ocs_url,
            config_file="/etc/ocsinventory/ocsinventory-agent.cfg",
            config_lines=[f"server={ocs_url}", *(ocs_credentials if username else [])],
            command=f"ocsinventory-agent --server {ocs_url}{ocs_options} --nolocal",
            notes=ocs_notes,
        ),
    ]


def may_set_up_agents(user: AnyUser) -> bool:
    """The set-up page shows the agents' password: for those who may change agents."""
    return agent_policy.can_change(user, None)


@opens_for(may_set_up_agents)
@require_GET
@login_required
def agent_setup(request: HttpRequest) -> HttpResponse:
    """For each agent, the exact server URL and options to configure."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    if not may_set_up_agents(user):
        raise PermissionDenied
    username = settings.INVENTORY_USERNAME
    base_url = absolute_url("/", request)
    browser_url = request.build_absolute_uri("/")
    context = {
        "setups": agent_setups(base_url, username, settings.INVENTORY_PASSWORD),
        # The agents must reach the address people configured, not whichever one this
        # browser happened to use (localhost, an internal name, a tunnel…): say which.
        "public_url": settings.PUBLIC_URL,
        "browser_url": browser_url,
        "url_mismatch": bool(settings.PUBLIC_URL)
        and urlsplit(browser_url).netloc.lower() != urlsplit(base_url).netloc.lower(),
        "username": username,
        "generated": settings.INVENTORY_CREDENTIALS_GENERATED,
        "credentials_file": settings.INVENTORY_CREDENTIALS_FILE,
        "allowed_networks": list(settings.INVENTORY_ALLOWED_NETWORKS),
        "approval": settings.INVENTORY_APPROVAL,
        "contact_hours": settings.INVENTORY_CONTACT_HOURS,
    }
    return render(request, "inventory/setup.html", context)
