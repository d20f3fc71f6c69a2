"""Every write of a reservation or a loan leaves its history, with its author and its source,
through the pages and through the API alike."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from regie.core.history import history_of
from regie.core.testing import bearer_client
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


def test_changing_on_the_page_records_the_new_dates_and_notes(
    client, technician, admin_user, reservation
):
    client.force_login(technician)
    url = reverse("telework:reservation-update", args=[reservation.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"start": "2026-12-03T09:00", "end": "2026-12-04T18:00", "notes": "Avec souris"}
    )
    assert response.status_code == 302
    assert rows(reservation) == [
        ("create", "", "", "", admin_user, "web"),
        (
            "update",
            "start",
            "02/12/2026 09:00",
            "03/12/2026 09:00",
            technician,
            "web",
        ),
        ("update", "notes", "", "Avec souris", technician, "web"),
    ]
    assert client.get(reservation.get_absolute_url()).status_code == 200


def test_changing_through_the_api_records_the_new_dates(technician, admin_user, reservation):
    response = bearer_client(technician).patch(
        f"/api/v1/reservations/{reservation.pk}/", {"end": "2026-12-05T17:00:00Z"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["end"] == "2026-12-05T17:00:00Z"
    assert rows(reservation) == [
        ("create", "", "", "", admin_user, "web"),
        (
            "update",
            "end",
            "04/12/2026 18:00",
            "05/12/2026 18:00",
            technician,
            "api",
        ),
    ]


def test_a_refused_change_changes_and_records_nothing(
    client, technician, reader, admin_user, laptop, reservation
):
    other = book_equipment(
        asset=laptop,
        person=PersonFactory(first_name="Paul", last_name="Roux"),
        start=dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC),
        by=admin_user,
    )
    api = bearer_client(technician)
    url = f"/api/v1/reservations/{reservation.pk}/"
    clash = api.patch(url, {"end": "2026-12-07T08:00:00Z"}, format="json")
    assert clash.status_code == 409
    assert "est déjà réservé par Paul Roux" in clash.json()["detail"]
    backwards = api.patch(url, {"end": "2026-12-01T08:00:00Z"}, format="json")
    assert backwards.status_code == 400
    assert list(backwards.json()["errors"]) == ["end"]
    assert bearer_client(reader).patch(url, {"notes": "x"}, format="json").status_code == 403
    client.force_login(technician)
    page = client.post(
        reverse("telework:reservation-update", args=[reservation.pk]),
        {"start": "2026-12-02T09:00", "end": "2026-12-07T09:00", "notes": ""},
    )
    assert page.status_code == 200
    assert "est déjà réservé par Paul Roux" in page.content.decode()
    reservation.refresh_from_db()
    assert (reservation.end, reservation.notes) == (
        dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC),
        "",
    )
    assert rows(reservation) == [("create", "", "", "", admin_user, "web")]
    assert len(rows(other)) == 1
