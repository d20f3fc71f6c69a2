"""Writes of telework: booking the pool, lending and taking back equipment.

Every write that could double-book an asset locks the asset's row first, so two people
booking the same laptop at the same moment are served one after the other and the second
one is refused with a clear message.
"""

from __future__ import annotations

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.assets.models import Asset, AssetStatus
from regie.assets.services import save_asset
from regie.core.history import bulk_create_with_history, save_with_history
from regie.core.models import ChangeSource, User
from regie.directory.models import Person
from regie.telework.models import (
    Charter,
    CharterAcceptance,
    Loan,
    Reservation,
    ReservationStatus,
    ReturnCondition,
)
from regie.telework.pool import is_lendable, lendable_assets


def normalised_name(name: str) -> str:
    """A name without case, accents or extra spaces: "  Élodie  MÜLLER" → "elodie muller"."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def names_match(typed: str, person: Person) -> bool:
    return bool(typed.strip()) and normalised_name(typed) == normalised_name(person.full_name)


def _lock(asset: Asset) -> Asset:
    return Asset.objects.select_for_update().select_related("asset_type").get(pk=asset.pk)


def _check_free(
    asset: Asset,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    ignore: Reservation | None = None,
) -> None:
    clash = Reservation.objects.booked().filter(asset=asset).overlapping(start, end)
    if ignore is not None:
        clash = clash.exclude(pk=ignore.pk)
    first = clash.select_related("person").first()
    if first is not None:
        raise ValidationError(
            _(
                "%(asset)s is already booked by %(person)s from %(start)s to %(end)s: "
                "choose other dates or other equipment."
            )
            % {
                "asset": asset,
                "person": first.person,
                "start": timezone.localtime(first.start).strftime("%d/%m/%Y %H:%M"),
                "end": timezone.localtime(first.end).strftime("%d/%m/%Y %H:%M"),
            }
        )
    loan = Loan.objects.open().filter(asset=asset).select_related("person").first()
    if loan is not None and start.date() <= loan.due_date:
        raise ValidationError(
            _("%(asset)s is on loan to %(person)s until %(due)s.")
            % {"asset": asset, "person": loan.person, "due": loan.due_date.strftime("%d/%m/%Y")}
        )


def book_equipment(
    *,
    asset: Asset,
    person: Person,
    start: datetime.datetime,
    end: datetime.datetime,
    by: User | None,
    notes: str = "",
    source: str = ChangeSource.WEB,
) -> Reservation:
    """Book ``asset`` for ``person``; refused if it is not lendable or already booked."""
    with transaction.atomic():
        asset = _lock(asset)
        if not is_lendable(asset):
            raise ValidationError(_("%(asset)s is not lendable equipment.") % {"asset": asset})
        if end <= start:
            raise ValidationError({"end": _("The end must be after the start.")})
        _check_free(asset, start, end)
        reservation = Reservation(
            asset=asset, person=person, start=start, end=end, notes=notes, booked_by=by
        )
        reservation.full_clean()
        save_with_history(instance=reservation, by=by, source=source)
    return reservation


def book_many(
    *,
    bookings: list[tuple[Asset, Person]],
    start: datetime.datetime,
    end: datetime.datetime,
    by: User | None,
    notes: str = "",
    source: str = ChangeSource.WEB,
) -> list[Reservation]:
    """:func:`book_equipment` for many (asset, person) pairs at once, in a fixed number of
    queries (the continuity plan books the whole pool). The same checks: an asset that is
    not lendable, already booked over the period or on loan then is skipped, not booked;
    returns the reservations made."""
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    with transaction.atomic():
        ids = [asset.pk for asset, _person in bookings]
        locked = set(
            Asset.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True)
        )
        lendable = set(lendable_assets().filter(pk__in=ids).values_list("pk", flat=True))
        booked = set(
            Reservation.objects.booked()
            .filter(asset__in=ids)
            .overlapping(start, end)
            .values_list("asset", flat=True)
        )
        loaned = {
            asset_id
            for asset_id, due in Loan.objects.open()
            .filter(asset__in=ids)
            .values_list("asset", "due_date")
            if start.date() <= due
        }
        free = (locked & lendable) - booked - loaned
        reservations = []
        for asset, person in bookings:
            if asset.pk not in free:
                continue
            free.discard(asset.pk)  # the same asset twice in the list: booked once
            reservations.append(
                Reservation(
                    asset=asset, person=person, start=start, end=end, notes=notes, booked_by=by
                )
            )
        return bulk_create_with_history(instances=reservations, by=by, source=source)


def change_reservation(
    *,
    reservation: Reservation,
    start: datetime.datetime,
    end: datetime.datetime,
    notes: str,
    by: User | None,
    source: str = ChangeSource.WEB,
) -> Reservation:
    """Move a booked reservation to other dates or change its notes; refused if the new dates
    clash with another booking or a loan. The history says who changed what."""
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    with transaction.atomic():
        asset = _lock(reservation.asset)
        reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if reservation.status != ReservationStatus.BOOKED:
            raise ValidationError(_("Only a booked reservation can be changed."))
        _check_free(asset, start, end, ignore=reservation)
        reservation.start, reservation.end, reservation.notes = start, end, notes
        reservation.full_clean()
        save_with_history(instance=reservation, by=by, source=source)
    return reservation


def cancel_reservation(
    *, reservation: Reservation, by: User | None, source: str = ChangeSource.WEB
) -> Reservation:
    """Cancel a booked reservation; the history says who cancelled it."""
    with transaction.atomic():
        reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
        if reservation.status != ReservationStatus.BOOKED:
            raise ValidationError(_("Only a booked reservation can be cancelled."))
        reservation.status = ReservationStatus.CANCELLED
        save_with_history(instance=reservation, by=by, source=source)
    return reservation


def check_out_equipment(
    *,
    asset: Asset,
    person: Person,
    due_date: datetime.date,
    typed_name: str,
    by: User | None,
    reservation: Reservation | None = None,
    source: str = ChangeSource.WEB,
) -> Loan:
    """Lend ``asset`` to ``person``, who accepts the current charter by typing their name.

    The asset goes "on loan" (recorded in its history); a reservation of that person covering
    now, if given, is marked checked out.
    """
    now = timezone.now()
    charter = Charter.current(timezone.localdate(now))
    if charter is None:
        raise ValidationError(_("No IT charter is in force: add one before lending equipment."))
    if not names_match(typed_name, person):
        raise ValidationError(
            {
                "typed_name": _(
                    "The name typed does not match %(name)s: the borrower must type their "
                    "full name to accept the charter."
                )
                % {"name": person.full_name}
            }
        )
    if due_date < timezone.localdate(now):
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    with transaction.atomic():
        asset = _lock(asset)
        if not is_lendable(asset):
            raise ValidationError(_("%(asset)s is not lendable equipment.") % {"asset": asset})
        if Loan.objects.open().filter(asset=asset).exists():
            raise ValidationError(_("This equipment is already on loan."))
        if reservation is not None:
            reservation = Reservation.objects.select_for_update().get(pk=reservation.pk)
            if reservation.asset_id != asset.pk or reservation.person_id != person.pk:
                raise ValidationError(
                    _("This reservation is for other equipment or another person.")
                )
            if reservation.status != ReservationStatus.BOOKED:
                raise ValidationError(_("This reservation is not booked any more."))
        # Someone else's booking during the loan would be broken by it.
        end = timezone.make_aware(datetime.datetime.combine(due_date, datetime.time.max))
        _check_free(asset, now, end, ignore=reservation)
        acceptance = CharterAcceptance.objects.create(
            person=person, charter=charter, accepted_at=now, typed_name=typed_name.strip()
        )
        loan = Loan(
            asset=asset,
            person=person,
            reservation=reservation,
            acceptance=acceptance,
            checked_out_at=now,
            due_date=due_date,
            checked_out_by=by,
        )
        loan.full_clean()
        save_with_history(instance=loan, by=by, source=source)
        if reservation is not None:
            reservation.status = ReservationStatus.CHECKED_OUT
            save_with_history(instance=reservation, by=by, source=source)
        asset.status = AssetStatus.ON_LOAN
        save_asset(asset=asset, by=by, source=source)
    return loan


def check_in_equipment(
    *,
    loan: Loan,
    condition: str,
    note: str = "",
    by: User | None,
    source: str = ChangeSource.WEB,
) -> Loan:
    """Take back lent equipment, noting its condition; the asset returns to stock."""
    if condition not in ReturnCondition.values:
        raise ValidationError({"return_condition": _("Choose the condition of the equipment.")})
    if condition != ReturnCondition.GOOD and not note.strip():
        raise ValidationError({"return_note": _("Describe the damage or the missing accessories.")})
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise ValidationError(_("This equipment has already been returned."))
        asset = _lock(loan.asset)
        loan.returned_at = timezone.now()
        loan.return_condition = condition
        loan.return_note = note.strip()
        loan.returned_by = by
        save_with_history(instance=loan, by=by, source=source)
        asset.status = AssetStatus.STOCK
        save_asset(asset=asset, by=by, source=source)
    return loan
