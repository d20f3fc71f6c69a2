"""The demo's telework: a pool of laptops to lend, loans past and current, reservations, and
what is known of each person's remote access (MFA, Office 365).

The charter in force is created with the territory; each loan here has the acceptance of
it that a check-out records. Most of the pool stays free, so a continuity plan has laptops
to lend; most people have a remote-access record, not all (readiness shows them unknown).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from regie.assets.models import Asset, AssetKind, AssetStatus, AssetType
from regie.core.models import User
from regie.directory.models import Person, Room, Site, SiteKind
from regie.telework.models import (
    Charter,
    CharterAcceptance,
    Loan,
    RemoteAccess,
    Reservation,
    ReservationStatus,
    ReturnCondition,
)

POOL_SIZE = 10
CURRENT_LOANS = 4
PAST_LOANS = 8
RESERVATIONS = 3
ACCESS_SHARE = 0.85  # people with a remote-access record
MFA_SHARE = 0.8
OFFICE365_SHARE = 0.92


@dataclass
class TeleworkSummary:
    pool: int = 0
    current_loans: int = 0
    past_loans: int = 0
    reservations: int = 0
    remote_access: int = 0
    peripherals: int = 0


def build_telework(
    *, rng: random.Random, now: dt.datetime, people: list[Person], admin: User
) -> TeleworkSummary:
    summary = TeleworkSummary()
    charter = Charter.current(now.date())
    pool = _pool_laptops(rng, now.date())
    summary.pool = len(pool)
    borrowers = [p for p in people if p.active and p.site is not None]
    if charter is not None:
        summary.past_loans, summary.current_loans = _loans(
            rng, now, pool, borrowers, charter, admin
        )
    free = [asset for asset in pool if asset.status == AssetStatus.STOCK]
    summary.reservations = _reservations(rng, now, free, borrowers, admin)
    summary.remote_access = _remote_access(rng, now.date(), people)
    summary.peripherals = _peripherals(rng, now.date())
    return summary


def _peripheral_type(name: str, prefix: str) -> AssetType:
    found = AssetType.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    return AssetType.objects.create(name=name, prefix=prefix, kind=AssetKind.PERIPHERAL)


def _peripherals(rng: random.Random, today: dt.date) -> int:
    """Headsets and webcams for most laptop holders (readiness asks for both)."""
    headset = _peripheral_type("Casque", "CASQ")
    webcam = _peripheral_type("Webcam", "CAM")
    holders = (
        Asset.objects.filter(
            asset_type__kind=AssetKind.LAPTOP,
            status=AssetStatus.IN_SERVICE,
            assigned_to__isnull=False,
        )
        .select_related("assigned_to")
        .order_by("pk")
    )
    number = (Asset.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    made = []
    for laptop in holders:
        for kind, share, label in ((headset, 0.9, "CASQUE"), (webcam, 0.9, "WEBCAM")):
            if rng.random() >= share:
                continue
            made.append(
                Asset(
                    inventory_number=f"{kind.prefix}-{number:06d}",
                    name=f"{label}-{number:04d}",
                    asset_type=kind,
                    status=AssetStatus.IN_SERVICE,
                    site=laptop.site,
                    assigned_to=laptop.assigned_to,
                    department=laptop.department,
                    purchase_date=today - dt.timedelta(days=rng.randint(60, 900)),
                    purchase_price=Decimal("89.00") if kind == headset else Decimal("59.00"),
                )
            )
            number += 1
    Asset.objects.bulk_create(made)
    return len(made)


def _pool_laptops(rng: random.Random, today: dt.date) -> list[Asset]:
    """Ten laptops bought for lending, kept at the IT store of the head office."""
    template = (
        Asset.objects.filter(asset_type__prefix="PORT", model__isnull=False)
        .select_related("model", "manufacturer")
        .order_by("pk")
        .first()
    )
    laptop_type = AssetType.objects.get(prefix="PORT")
    head_office = Site.objects.filter(kind=SiteKind.HEAD_OFFICE).order_by("pk").first()
    store = Room.objects.filter(site=head_office, name="Réserve informatique").first()
    number = (Asset.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    bought = today - dt.timedelta(days=rng.randint(200, 400))
    laptops = []
    for index in range(POOL_SIZE):
        serial = "PRET" + "".join(rng.choice("0123456789ABCDEF") for _ in range(8))
        laptops.append(
            Asset(
                inventory_number=f"PORT-{number + index:06d}",
                name=f"PORTABLE-PRET-{index + 1:02d}",
                asset_type=laptop_type,
                manufacturer=template.manufacturer if template else None,
                model=template.model if template else None,
                serial_number=serial,
                hardware_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(),
                status=AssetStatus.STOCK,
                site=head_office,
                room=store,
                purchase_date=bought,
                purchase_price=Decimal("1090.00"),
                warranty_end=bought + dt.timedelta(days=3 * 365),
                notes="Parc de prêt pour le télétravail et le plan de continuité.",
            )
        )
    Asset.objects.bulk_create(laptops)
    return laptops


def _loans(
    rng: random.Random,
    now: dt.datetime,
    pool: list[Asset],
    borrowers: list[Person],
    charter: Charter,
    admin: User,
) -> tuple[int, int]:
    people = rng.sample(borrowers, PAST_LOANS + CURRENT_LOANS)
    acceptances: list[CharterAcceptance] = []
    loans: list[Loan] = []
    for index, person in enumerate(people):
        current = index >= PAST_LOANS
        asset = pool[index % POOL_SIZE] if current else pool[(index * 3) % POOL_SIZE]
        if current:
            out = now - dt.timedelta(days=rng.randint(3, 25))
            due = (out + dt.timedelta(days=rng.choice((30, 60)))).date()
            if index == PAST_LOANS:
                due = now.date() - dt.timedelta(days=4)  # one is overdue
        else:
            out = now - dt.timedelta(days=rng.randint(60, 300))
            due = (out + dt.timedelta(days=30)).date()
        acceptance = CharterAcceptance(
            person=person, charter=charter, accepted_at=out, typed_name=person.full_name
        )
        acceptances.append(acceptance)
        loan = Loan(
            asset=asset,
            person=person,
            acceptance=acceptance,
            checked_out_at=out,
            due_date=due,
            checked_out_by=admin,
        )
        if not current:
            loan.returned_at = out + dt.timedelta(days=rng.randint(7, 30))
            loan.return_condition = rng.choice(
                [ReturnCondition.GOOD] * 5
                + [ReturnCondition.MISSING_ACCESSORIES, ReturnCondition.DAMAGED]
            )
            loan.returned_by = admin
        else:
            asset.status = AssetStatus.ON_LOAN
        loans.append(loan)
    CharterAcceptance.objects.bulk_create(acceptances)
    Loan.objects.bulk_create(loans)
    Asset.objects.bulk_update(pool, ["status"])
    return PAST_LOANS, CURRENT_LOANS


def _reservations(
    rng: random.Random, now: dt.datetime, free: list[Asset], borrowers: list[Person], admin: User
) -> int:
    chosen = free[:RESERVATIONS]
    reservations = []
    for asset in chosen:
        start = (now + dt.timedelta(days=rng.randint(3, 20))).replace(
            hour=8, minute=30, second=0, microsecond=0
        )
        reservations.append(
            Reservation(
                asset=asset,
                person=rng.choice(borrowers),
                start=start,
                end=start + dt.timedelta(days=rng.choice((5, 12, 30))),
                status=ReservationStatus.BOOKED,
                booked_by=admin,
                notes="Télétravail ponctuel.",
            )
        )
    Reservation.objects.bulk_create(reservations)
    return len(reservations)


def _remote_access(rng: random.Random, today: dt.date, people: list[Person]) -> int:
    """Most people have a record; the laptop holders, who telework, were enrolled first."""
    teleworkers = set(
        Asset.objects.filter(
            asset_type__kind=AssetKind.LAPTOP,
            status=AssetStatus.IN_SERVICE,
            assigned_to__isnull=False,
        ).values_list("assigned_to", flat=True)
    )
    records = []
    for person in people:
        if not person.active or rng.random() >= ACCESS_SHARE:
            continue
        bonus = 0.17 if person.pk in teleworkers else 0.0
        records.append(
            RemoteAccess(
                person=person,
                mfa_enrolled=rng.random() < MFA_SHARE + bonus,
                office365_licence=rng.random() < OFFICE365_SHARE + bonus,
                recorded_on=today - dt.timedelta(days=rng.randint(1, 60)),
                source="Export de la console Microsoft 365",
            )
        )
    RemoteAccess.objects.bulk_create(records)
    return len(records)
