"""Every write of a reservation or a loan leaves its history, with its author and its source,
through the pages and through the API alike."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from regie.api.tests.clients import bearer_client
from regie.core.history import history_of
from regie.directory.tests.factories import PersonFactory
from regie.telework.models import Loan, Reservation
from regie.telework.services import book_equipment, check_out_equipment
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def laptop():
    return PoolLaptopFactory(name="PRET-HIST")


@pytest.fixture
def person():
    return PersonFactory(first_name="Lucie", last_name="Morel")


@pytest.fixture
def reservation(laptop, person, admin_user):
    return book_equipment(
        asset=laptop,
        person=person,
        start=dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC),
        by=admin_user,
    )


@pytest.fixture
def loan(laptop, person, admin_user):
    CharterFactory()
    return check_out_equipment(
        asset=laptop,
        person=person,
        due_date=dt.date(2026, 12, 10),
        typed_name="Lucie Morel",
        by=admin_user,
    )


def rows(instance):
    """The history of ``instance``, oldest first, as (action, field, old, new, author, source)."""
    return [
        (r.action, r.field, r.old_value, r.new_value, r.actor, r.source)
        for r in history_of(instance).order_by("pk")
    ]


BOOKING = {"start": "2026-12-02T08:00:00Z", "end": "2026-12-04T17:00:00Z"}


def test_booking_on_the_page_records_the_creation_by_its_author(client, technician, laptop, person):
    client.force_login(technician)
    response = client.post(
        reverse("telework:reservation-create"),
        {
            "asset": laptop.pk,
            "person": person.pk,
            "start": "2026-12-02T09:00",
            "end": "2026-12-04T18:00",
        },
    )
    reservation = Reservation.objects.get()
    assert response.status_code == 302
    assert rows(reservation) == [("create", "", "", "", technician, "web")]


def test_booking_through_the_api_records_the_creation_by_its_author(technician, laptop, person):
    response = bearer_client(technician).post(
        "/api/v1/reservations/",
        {"asset": laptop.pk, "person": person.pk, **BOOKING},
        format="json",
    )
    assert response.status_code == 201
    reservation = Reservation.objects.get(pk=response.json()["id"])
    assert rows(reservation) == [("create", "", "", "", technician, "api")]


def test_cancelling_on_the_page_records_who_cancelled(client, technician, admin_user, reservation):
    client.force_login(technician)
    response = client.post(reverse("telework:reservation-cancel", args=[reservation.pk]))
    assert response.status_code == 302
    assert rows(reservation) == [
        ("create", "", "", "", admin_user, "web"),
        ("update", "status", "Réservé", "Annulée", technician, "web"),
    ]


def test_cancelling_through_the_api_records_who_cancelled(technician, admin_user, reservation):
    response = bearer_client(technician).post(f"/api/v1/reservations/{reservation.pk}/cancel/")
    assert response.status_code == 200
    assert rows(reservation) == [
        ("create", "", "", "", admin_user, "web"),
        ("update", "status", "Réservé", "Annulée", technician, "api"),
    ]


def test_a_refused_cancellation_records_nothing(technician, admin_user, reservation):
    client = bearer_client(technician)
    assert client.post(f"/api/v1/reservations/{reservation.pk}/cancel/").status_code == 200
    again = client.post(f"/api/v1/reservations/{reservation.pk}/cancel/")
    assert again.status_code == 409
    assert len(rows(reservation)) == 2


def test_lending_a_booking_on_the_page_records_the_loan_and_the_reservation(
    client, technician, admin_user, laptop, person, reservation
):
    CharterFactory()
    client.force_login(technician)
    response = client.post(
        reverse("telework:loan-create"),
        {
            "asset": laptop.pk,
            "person": person.pk,
            "reservation": reservation.pk,
            "due_date": "2026-12-04",
            "typed_name": "Lucie Morel",
        },
    )
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert rows(loan) == [("create", "", "", "", technician, "web")]
    assert rows(reservation) == [
        ("create", "", "", "", admin_user, "web"),
        ("update", "status", "Réservé", "Sorti", technician, "web"),
    ]


def test_lending_through_the_api_records_the_loan_and_the_reservation(
    technician, admin_user, laptop, person, reservation
):
    CharterFactory()
    response = bearer_client(technician).post(
        "/api/v1/loans/",
        {
            "asset": laptop.pk,
            "person": person.pk,
            "reservation": reservation.pk,
            "due_date": "2026-12-04",
            "typed_name": "Lucie Morel",
        },
        format="json",
    )
    assert response.status_code == 201
    loan = Loan.objects.get(pk=response.json()["id"])
    assert rows(loan) == [("create", "", "", "", technician, "api")]
    assert rows(reservation) == [
        ("create", "", "", "", admin_user, "web"),
        ("update", "status", "Réservé", "Sorti", technician, "api"),
    ]


def test_returning_on_the_page_records_the_condition_and_who_took_it_back(
    client, technician, admin_user, loan
):
    client.force_login(technician)
    response = client.post(
        reverse("telework:loan-checkin", args=[loan.pk]),
        {"return_condition": "damaged", "return_note": "Écran fêlé"},
    )
    assert response.status_code == 302
    assert rows(loan) == [
        ("create", "", "", "", admin_user, "web"),
        ("update", "returned_at", "", "01/12/2026 10:00", technician, "web"),
        ("update", "return_condition", "", "Endommagé", technician, "web"),
        ("update", "return_note", "", "Écran fêlé", technician, "web"),
        ("update", "returned_by", "", str(technician), technician, "web"),
    ]


def test_returning_through_the_api_records_the_condition_and_who_took_it_back(
    technician, admin_user, loan
):
    response = bearer_client(technician).post(
        f"/api/v1/loans/{loan.pk}/check-in/", {"return_condition": "good"}, format="json"
    )
    assert response.status_code == 200
    assert rows(loan) == [
        ("create", "", "", "", admin_user, "web"),
        ("update", "returned_at", "", "01/12/2026 10:00", technician, "api"),
        ("update", "return_condition", "", "Bon état", technician, "api"),
        ("update", "returned_by", "", str(technician), technician, "api"),
    ]
