"""What the demo's test modules share: running the command, reading its output, a digest."""

import hashlib
import re
from io import StringIO

from django.core.management import call_command

from regie.assets.models import Asset, AssetOperatingSystem, SoftwareInstallation
from regie.core.models import User
from regie.directory.models import Department, Organisation, Person, Room, Site
from regie.helpdesk.models import Ticket
from regie.operations.checks.models import Check
from regie.telephony.models import Extension, Line
from regie.telework.models import Loan, RemoteAccess


def run_demo():
    out, err = StringIO(), StringIO()
    call_command("demo", stdout=out, stderr=err)
    return out.getvalue()


def printed_credentials(output):
    username = re.search(r"Administrateur : (\S+)", output)
    password = re.search(r"Mot de passe\s+: (\S+)", output)
    assert username and password, output
    return username.group(1), password.group(1)


def territory_digest():
    """A fingerprint of what the demo builds, independent of primary keys."""
    parts: list[tuple[object, ...]] = []
    parts += Organisation.objects.order_by("name").values_list("name", "insee_code", "latitude")
    parts += Site.objects.order_by("name").values_list("name", "address", "latitude", "longitude")
    parts += Room.objects.order_by("site__name", "name").values_list("site__name", "name")
    parts += Department.objects.order_by("name").values_list("name", "head__email")
    parts += Person.objects.order_by("email").values_list(
        "email", "first_name", "last_name", "job_title", "site__name", "active"
    )
    parts += User.objects.order_by("username").values_list("username", "role")
    parts += Asset.objects.order_by("inventory_number").values_list(
        "inventory_number",
        "name",
        "serial_number",
        "hardware_uuid",
        "status",
        "site__name",
        "assigned_to__email",
        "model__name",
    )
    parts += AssetOperatingSystem.objects.order_by("asset__inventory_number").values_list(
        "asset__inventory_number", "full_name", "version"
    )
    parts += SoftwareInstallation.objects.order_by(
        "asset__inventory_number", "version__software__name"
    ).values_list("asset__inventory_number", "version__software__name", "version__version")
    parts += Check.objects.order_by("name").values_list("name", "status", "site__name")
    parts += Line.objects.order_by("number").values_list("number", "kind", "person__email")
    parts += Extension.objects.order_by("number").values_list("number", "person__email")
    parts += Ticket.objects.order_by("title", "requester__email", "status").values_list(
        "title", "requester__email", "status", "priority"
    )
    parts += Loan.objects.order_by("asset__name", "due_date").values_list(
        "asset__name", "person__email", "return_condition"
    )
    parts += RemoteAccess.objects.order_by("person__email").values_list(
        "person__email", "mfa_enrolled", "office365_licence"
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()
