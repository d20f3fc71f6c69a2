"""One row of every model a URL takes an id of, on the user's site ("mine") and elsewhere.

"Mine" is on ``site`` (the correspondent's) and, where a row belongs to a person, belongs to
the staff member; "theirs" is on ``other_site`` and belongs to someone else. Reference data
(types, operators…) has no site: "theirs" is simply another row.
"""

import datetime as dt
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from regie.accounts.models import UserSession
from regie.assets.models import Software
from regie.assets.tests.factories import (
    AssetFactory,
    AssetModelFactory,
    AssetTypeFactory,
    ContractFactory,
    ManufacturerFactory,
    SupplierFactory,
)
from regie.core.models import OutgoingMail
from regie.core.tokens import create_api_token
from regie.directory.models import DirectorySource, DirectorySyncRun
from regie.directory.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
)
from regie.field.models import RoutePlan
from regie.field.tests.factories import InterventionFactory
from regie.helpdesk import services as helpdesk
from regie.helpdesk.tests.factories import CategoryFactory
from regie.inventory.models import Agent, ReceivedReport
from regie.operations.alerts.models import Delivery
from regie.operations.alerts.tests.factories import ChannelFactory
from regie.operations.checks.models import Flip, Ping
from regie.operations.checks.tests.factories import CheckFactory
from regie.operations.compliance.models import ComplianceSettings, Finding
from regie.operations.daily.models import Acknowledgement, HandOverNote, LogEntry
from regie.telephony import services as telephony
from regie.telephony.models import SiteFallback
from regie.telephony.tests.factories import (
    CopperCutoffFactory,
    DepartmentOnCallFactory,
    ExtensionFactory,
    LineFactory,
    OperatorContractFactory,
    OperatorFactory,
    SimCardFactory,
    SiteFallbackFactory,
)
from regie.telework import services as telework
from regie.telework.models import Charter
from regie.telework.tests.factories import (
    CharterFactory,
    PoolLaptopFactory,
    RemoteAccessFactory,
)

NOW = timezone.now()


def _one_side(*, where, person, owner_user, technician, tag):
    asset = AssetFactory(name=f"POSTE-{tag}", site=where, assigned_to=person)
    agent = Agent.objects.create(device_id=f"POSTE-{tag}-2026-01-01-00-00-00", protocol="glpi")
    line = LineFactory(site=where, person=person)
    extension = ExtensionFactory(site=where, person=person)
    ticket = helpdesk.create_ticket(
        requester=person, title=f"Écran noir {tag}", description="Plus rien.", by=technician
    )
    attachment = helpdesk.add_attachment(
        ticket=ticket,
        upload=SimpleUploadedFile("note.txt", b"Erreur 0x80070005", "text/plain"),
        by=technician,
    )
    check = CheckFactory(name=f"Sauvegarde {tag}", site=where)
    ping = Ping.objects.create(check_obj=check, kind="success", at=NOW)
    flip = Flip.objects.create(check_obj=check, from_status="new", to_status="up", at=NOW)
    channel = ChannelFactory(name=f"Courriel {tag}")
    laptop = PoolLaptopFactory(name=f"PRET-{tag}", site=where)
    reservation = telework.book_equipment(
        asset=PoolLaptopFactory(name=f"RESA-{tag}", site=where),
        person=person,
        start=NOW + dt.timedelta(days=10),
        end=NOW + dt.timedelta(days=12),
        by=technician,
    )
    loan = telework.check_out_equipment(
        asset=laptop,
        person=person,
        due_date=(NOW + dt.timedelta(days=20)).date(),
        typed_name=f"{person.first_name} {person.last_name}",
        by=technician,
    )
    plan = telephony.create_plan(
        title=f"Fermeture {tag}",
        starts_on=(NOW + dt.timedelta(days=5)).date(),
        people=[person],
        sites=[where],
        by=technician,
    )
    acknowledgement = Acknowledgement.objects.create(
        source_key="checks",
        item_key=f"check:{check.pk}:flip:{flip.pk}",
        title=f"Sauvegarde {tag}",
        severity="warning",
        site=where,
        acknowledged_by=technician,
    )
    forwarding = telephony.set_forwarding(
        subject=line, active=True, target="+33549000000", by=technician
    )
    return {
        "site": where,
        "forwarding": forwarding,
        "room": RoomFactory(site=where),
        "person": person,
        "asset": asset,
        "agent": agent,
        "report": ReceivedReport.objects.create(
            agent=agent,
            protocol="glpi",
            body=zlib.compress(b"{}"),
            body_size=2,
            status="done",
            asset=asset,
        ),
        "finding": Finding.objects.create(
            asset=asset,
            rule="stale",
            severity="warning",
            reason="Pas d'inventaire",
            first_seen=NOW,
            last_seen=NOW,
        ),
        "channel": channel,
        "delivery": Delivery.objects.create(
            channel=channel,
            channel_name=channel.name,
            kind="check.down",
            severity="critical",
            title=f"Sauvegarde {tag} en panne",
            occurred_at=NOW,
            status="retrying",
        ),
        "mail": OutgoingMail.objects.create(
            kind="helpdesk.ticket",
            recipients=f"{tag.lower()}@example.org",
            subject=f"Ticket {tag}",
            body="Votre demande est enregistrée.",
            status="failed",
            attempts=1,
        ),
        "intervention": InterventionFactory(site=where, title=f"Visite {tag}"),
        "ticket": ticket,
        "attachment": attachment,
        "followup": attachment.followup,
        "line": line,
        "simcard": SimCardFactory(line=line),
        "extension": extension,
        "plan": plan,
        "plan_item": plan.items.first(),
        # A site of the demo territory (the crawl builds the world on it) may have one.
        "fallback": SiteFallback.objects.filter(site=where).first()
        or SiteFallbackFactory(site=where, number="+33549270000"),
        "check": check,
        "ping": ping,
        "flip": flip,
        "loan": loan,
        "reservation": reservation,
        "remoteaccess": RemoteAccessFactory(person=person),
        "acknowledgement": acknowledgement,
        "logentry": LogEntry.objects.create(
            kind="note", text=f"Note {tag}", author=technician, site=where
        ),
        "handover": HandOverNote.objects.create(text=f"Relève {tag}", author=technician),
        "token": create_api_token(
            user=owner_user, name=f"script {tag}", scope="read-write", expires_at=None
        )[0],
        # The account's own second factors and sessions (regie.accounts).
        "totp": TOTPDevice.objects.create(user=owner_user, name=f"Téléphone {tag}"),
        "passkey": WebAuthnCredential.objects.create(
            user=owner_user,
            name=f"Clé {tag}",
            credential_id=tag.encode(),
            public_key=b"\x00",
            aaguid="00000000-0000-0000-0000-000000000000",
        ),
        "usersession": UserSession.objects.create(
            user=owner_user,
            session_key=f"world-{tag.lower()}",
            last_seen_at=timezone.now(),
        ),
    }


def build_world(*, site, other_site, staff_user, technician):
    """``{key: (mine, theirs)}`` for every key the route table names."""
    # A charter in force (the demo's own, when the world is built on top of the demo).
    if not Charter.objects.exists():
        CharterFactory(version="2026.1")
    ComplianceSettings.load()  # the settings row, created on first read otherwise
    someone = PersonFactory(site=other_site, first_name="Hugo", last_name="Blanc")
    mine = _one_side(
        where=site,
        person=staff_user.person,
        owner_user=staff_user,
        technician=technician,
        tag="MELLE",
    )
    theirs = _one_side(
        where=other_site,
        person=someone,
        owner_user=technician,
        technician=technician,
        tag="PISCINE",
    )
    world = {key: (mine[key], theirs[key]) for key in mine}
    reference = {
        "organisation": OrganisationFactory,
        "department": DepartmentFactory,
        "assettype": AssetTypeFactory,
        "manufacturer": ManufacturerFactory,
        "assetmodel": AssetModelFactory,
        "supplier": SupplierFactory,
        "contract": ContractFactory,
        "category": CategoryFactory,
        "operator": OperatorFactory,
        "opcontract": OperatorContractFactory,
        "charter": CharterFactory,
    }
    for key, factory in reference.items():
        world[key] = (factory(), factory())
    world["oncall"] = (DepartmentOnCallFactory(), DepartmentOnCallFactory())
    world["cutoff"] = (
        CopperCutoffFactory(commune=OrganisationFactory(), cutoff_date=dt.date(2027, 1, 31)),
        CopperCutoffFactory(commune=OrganisationFactory(), cutoff_date=dt.date(2027, 2, 28)),
    )
    libreoffice, firefox = (
        Software.objects.create(name=name, normalized_name=name.lower(), normalized_publisher="")
        for name in ("LibreOffice", "Firefox")
    )
    world["software"] = (libreoffice, firefox)
    mine_plan, their_plan = (
        RoutePlan.objects.create(
            date=NOW.date() + dt.timedelta(days=days),
            base=where,
            day_start=dt.time(8),
            day_end=dt.time(17),
            road_factor=1.3,
            speed_kmh=50,
            baseline_distance_m=0,
            created_by=technician,
        )
        for days, where in ((1, site), (2, other_site))
    )
    world["routeplan"] = (mine_plan, their_plan)
    # Port 9 refuses at once: a preview or an apply records a failed run, quickly.
    source_a, source_b = (
        DirectorySource.objects.create(
            name=name, kind="ldap", url="ldap://127.0.0.1:9", base_dn="dc=mellois,dc=lan"
        )
        for name in ("Annuaire A", "Annuaire B")
    )
    world["dirsource"] = (source_a, source_b)
    world["syncrun"] = (
        DirectorySyncRun.objects.create(source=source_a, dry_run=True),
        DirectorySyncRun.objects.create(source=source_b, dry_run=True),
    )
    return world
