"""The agent set-up page: what to type on each machine so that its agent reports here.

The server URLs follow protocols.md §0: the GLPI Agent posts to exactly the URL it is given
(Régie answers on ``/``), FusionInventory likewise when the URL ends with ``/``, and the OCS
agent conventionally to ``/ocsinventory``. The password is never shown: only where it is set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regie.core.models import User
from regie.inventory.permissions import agent_policy
from regie.inventory.receiving import BASIC_REALM
from regie.inventory.views.pages import _require_list

# Stands for the password, which the page never prints.
PASSWORD_PLACEHOLDER = "<REGIE_INVENTORY_PASSWORD>"  # noqa: S105  # a placeholder, not a secret


@dataclass(frozen=True)
class AgentSetup:
    """How to point one kind of agent at this server."""

    name: str
    server_url: str
    config_file: str
    config_lines: list[str]
    command: str
    notes: list[str] = field(default_factory=list)


def agent_setups(base_url: str, username: str) -> list[AgentSetup]:
    """The three agents' settings for a server reached at ``base_url`` (ending with ``/``)."""
    ocs_url = f"{base_url}ocsinventory"
    credentials = [f"user = {username}", f"password = {PASSWORD_PLACEHOLDER}"] if username else []
    options = f" --user {username} --password '{PASSWORD_PLACEHOLDER}'" if username else ""
    msi_server = f"SERVER={base_url}"
    msi_options = f" USER={username} PASSWORD={PASSWORD_PLACEHOLDER}" if username else ""
    ocs_options = f" --realm '{BASIC_REALM}'" if username else ""
    return [
        AgentSetup(
            name="GLPI Agent",
            server_url=base_url,
            config_file="/etc/glpi-agent/agent.cfg",
            config_lines=[f"server = {base_url}", *credentials],
            command=f"glpi-agent --server {base_url}{options}",
            notes=[
                _("Windows installer: %(command)s")
                % {"command": f"msiexec /i GLPI-Agent-x64.msi /quiet {msi_server}{msi_options}"}
            ],
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
            config_lines=[
                f"server={ocs_url}",
                *[line.replace(" = ", "=") for line in credentials],
                *([f"realm={BASIC_REALM}"] if username else []),
            ],
            command=f"ocsinventory-agent --server {ocs_url}{options}{ocs_options} --nolocal",
            notes=[
                _(
                    "Debian's default configuration file sets local=…, which makes the agent "
                    "write its inventory to a file instead of sending it: remove that line or "
                    "pass --nolocal."
                )
            ],
        ),
    ]


@require_GET
@login_required
def agent_setup(request: HttpRequest) -> HttpResponse:
    """For each agent, the exact server URL and options to configure."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101  # login_required ran first
    _require_list(agent_policy, user)
    username = settings.INVENTORY_USERNAME
    context = {
        "setups": agent_setups(request.build_absolute_uri("/"), username),
        "username": username,
        "allowed_networks": list(settings.INVENTORY_ALLOWED_NETWORKS),
        "approval": settings.INVENTORY_APPROVAL,
        "contact_hours": settings.INVENTORY_CONTACT_HOURS,
    }
    return render(request, "inventory/setup.html", context)
