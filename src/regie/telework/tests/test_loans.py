"""Reservations, check-out with the charter, check-in, and the asset's status history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from regie.assets.models import AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.core.history import history_of
from regie.directory.tests.factories import PersonFactory
from regie.telework.models import (
    CharterAcceptance,
    Loan,
    Reservation,
    ReservationStatus,
    ReturnCondition,
)
from regie.telework.services import (
    book_equipment,
    cancel_reservation,
    check_in_equipment,
    check_out_equipment,
    names_match,
)
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def at(day, hour=9):
    return dt.datetime(2026, 12, day, hour, 0, tzinfo=dt.UTC)


@pytest.fixture
def laptop():
    return PoolLaptopFactory(name="PRET-01")


@pytest.fixture
def person():
    return PersonFactory(first_name="Élodie", last_name="Müller")


def test_booking_overlapping_dates_is_refused_in_french(laptop, person, technician):
    first = book_equipment(asset=laptop, person=person, start=at(2), end=at(5), by=technician)
    other = PersonFactory(first_name="Marc", last_name="Petit")
    with pytest.raises(ValidationError) as error:
        book_equipment(asset=laptop, person=other, start=at(4), end=at(8), by=technician)
    assert error.value.messages == [
        f"{laptop} est déjà réservé par Élodie Müller du 02/12/2026 10:00 au 05/12/2026 10:00 : "
        "choisissez d'autres dates ou un autre matériel."
    ]
    assert list(Reservation.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.parametrize(("start", "end"), [(1, 3), (3, 4), (4, 9), (1, 9)])
def test_every_kind_of_overlap_is_refused(laptop, person, technician, start, end):
    book_equipment(asset=laptop, person=person, start=at(2), end=at(5), by=technician)
    with pytest.raises(ValidationError):
        book_equipment(asset=laptop, person=person, start=at(start), end=at(end), by=technician)
    assert Reservation.objects.count() == 1


def test_adjacent_reservations_are_allowed(laptop, person, technician):
    book_equipment(asset=laptop, person=person, start=at(2), end=at(5), by=technician)
    before = book_equipment(asset=laptop, person=person, start=at(1), end=at(2), by=technician)
    after = book_equipment(asset=laptop, person=person, start=at(5), end=at(7), by=technician)
    assert Reservation.objects.count() == 3
    assert (before.end, after.start) == (at(2), at(5))


def test_a_cancelled_reservation_frees_the_dates(laptop, person, technician):
    first = book_equipment(asset=laptop, person=person, start=at(2), end=at(5), by=technician)
    cancel_reservation(reservation=first, by=technician)
    second = book_equipment(asset=laptop, person=person, start=at(3), end=at(4), by=technician)
    first.refresh_from_db()
    assert first.status == ReservationStatus.CANCELLED
    assert second.status == ReservationStatus.BOOKED


def test_equipment_outside_the_pool_cannot_be_booked(person, technician):
    desktop = AssetFactory(name="POSTE-COMPTA")
    with pytest.raises(ValidationError) as error:
        book_equipment(asset=desktop, person=person, start=at(2), end=at(5), by=technician)
    assert error.value.messages == [f"{desktop} n'est pas un matériel prêtable."]
    assert Reservation.objects.count() == 0


def test_end_before_start_is_refused(laptop, person, technician):
    with pytest.raises(ValidationError) as error:
        book_equipment(asset=laptop, person=person, start=at(5), end=at(2), by=technician)
    assert error.value.message_dict == {"end": ["La fin doit être après le début."]}


@time_machine.travel(NOW, tick=False)
def test_check_out_records_acceptance_and_puts_the_asset_on_loan(laptop, person, technician):
    charter = CharterFactory(version="2.0", effective_date=dt.date(2026, 6, 1))
    CharterFactory(version="1.0", effective_date=dt.date(2025, 1, 1))
    CharterFactory(version="3.0", effective_date=dt.date(2027, 1, 1))  # not in force yet
    reservation = book_equipment(
        asset=laptop, person=person, start=at(1, 8), end=at(10), by=technician
    )
    loan = check_out_equipment(
        asset=laptop,
        person=person,
        due_date=dt.date(2026, 12, 10),
        typed_name="  elodie   MULLER ",
        by=technician,
        reservation=reservation,
    )
    laptop.refresh_from_db()
    reservation.refresh_from_db()
    assert laptop.status == AssetStatus.ON_LOAN
    assert reservation.status == ReservationStatus.CHECKED_OUT
    acceptance = CharterAcceptance.objects.get()
    assert (acceptance.person, acceptance.charter, acceptance.typed_name) == (
        person,
        charter,
        "elodie   MULLER",
    )
    assert acceptance.accepted_at == NOW
    assert (loan.acceptance, loan.checked_out_at, loan.checked_out_by) == (
        acceptance,
        NOW,
        technician,
    )
    [change] = [record for record in history_of(laptop) if record.field == "status"]
    assert (change.old_value, change.new_value, change.actor) == ("En stock", "En prêt", technician)


@time_machine.travel(NOW, tick=False)
def test_a_wrong_typed_name_is_refused_and_nothing_changes(laptop, person, technician):
    CharterFactory()
    with pytest.raises(ValidationError) as error:
        check_out_equipment(
            asset=laptop,
            person=person,
            due_date=dt.date(2026, 12, 10),
            typed_name="Elodie Muler",
            by=technician,
        )
    assert error.value.message_dict == {
        "typed_name": [
            "Le nom saisi ne correspond pas à Élodie Müller : l'emprunteur doit saisir son nom "
            "complet pour accepter la charte."
        ]
    }
    laptop.refresh_from_db()
    assert laptop.status == AssetStatus.STOCK
    assert (Loan.objects.count(), CharterAcceptance.objects.count()) == (0, 0)


@time_machine.travel(NOW, tick=False)
def test_check_out_without_a_charter_in_force_is_refused(laptop, person, technician):
    CharterFactory(effective_date=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError) as error:
        check_out_equipment(
            asset=laptop,
            person=person,
            due_date=dt.date(2026, 12, 10),
            typed_name="Élodie Müller",
            by=technician,
        )
    assert error.value.messages == [
        "Aucune charte informatique n'est en vigueur : ajoutez-en une avant de prêter du matériel."
    ]
    assert Loan.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_equipment_cannot_be_lent_twice_or_over_someone_elses_booking(laptop, person, technician):
    CharterFactory()
    other = PersonFactory(first_name="Marc", last_name="Petit")
    book_equipment(asset=laptop, person=other, start=at(8), end=at(12), by=technician)
    with pytest.raises(ValidationError) as error:
        check_out_equipment(
            asset=laptop,
            person=person,
            due_date=dt.date(2026, 12, 9),
            typed_name="Élodie Müller",
            by=technician,
        )
    assert "Marc Petit" in error.value.messages[0]
    check_out_equipment(
        asset=laptop,
        person=person,
        due_date=dt.date(2026, 12, 7),
        typed_name="Élodie Müller",
        by=technician,
    )
    with pytest.raises(ValidationError) as error:
        check_out_equipment(
            asset=laptop,
            person=other,
            due_date=dt.date(2026, 12, 7),
            typed_name="Marc Petit",
            by=technician,
        )
    assert error.value.messages == ["Ce matériel est déjà en prêt."]
    assert Loan.objects.count() == 1


def test_the_database_refuses_two_open_loans_of_one_asset(laptop, person, technician):
    from django.db import IntegrityError, transaction

    charter = CharterFactory()
    loans = []
    for _ in range(2):
        acceptance = CharterAcceptance.objects.create(
            person=person, charter=charter, accepted_at=NOW, typed_name="Élodie Müller"
        )
        loans.append(
            Loan(
                asset=laptop,
                person=person,
                acceptance=acceptance,
                checked_out_at=NOW,
                due_date=dt.date(2026, 12, 10),
            )
        )
    loans[0].save()
    with pytest.raises(IntegrityError), transaction.atomic():
        loans[1].save()
    assert Loan.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_check_in_notes_the_condition_and_returns_the_asset_to_stock(laptop, person, technician):
    CharterFactory()
    loan = check_out_equipment(
        asset=laptop,
        person=person,
        due_date=dt.date(2026, 12, 10),
        typed_name="Élodie Müller",
        by=technician,
    )
    with pytest.raises(ValidationError) as error:
        check_in_equipment(loan=loan, condition=ReturnCondition.DAMAGED, by=technician)
    assert error.value.message_dict == {
        "return_note": ["Décrivez les dégâts ou les accessoires manquants."]
    }
    check_in_equipment(
        loan=loan,
        condition=ReturnCondition.MISSING_ACCESSORIES,
        note="Chargeur manquant",
        by=technician,
    )
    loan.refresh_from_db()
    laptop.refresh_from_db()
    assert (loan.returned_at, loan.return_condition, loan.return_note, loan.returned_by) == (
        NOW,
        ReturnCondition.MISSING_ACCESSORIES,
        "Chargeur manquant",
        technician,
    )
    assert laptop.status == AssetStatus.STOCK
    changes = [(r.old_value, r.new_value) for r in history_of(laptop) if r.field == "status"]
    assert sorted(changes) == [("En prêt", "En stock"), ("En stock", "En prêt")]
    with pytest.raises(ValidationError) as error:
        check_in_equipment(loan=loan, condition=ReturnCondition.GOOD, by=technician)
    assert error.value.messages == ["Ce matériel a déjà été rendu."]


def test_typed_names_match_without_case_or_accents():
    person = PersonFactory.build(first_name="Anne-Sophie", last_name="Lefèvre")
    assert names_match("anne-sophie LEFEVRE", person)
    assert names_match("Anne-Sophie  Lefèvre", person)
    assert not names_match("Anne Sophie Lefèvre", person)
    assert not names_match("", person)
