"""The telework API: booking (409 on overlap), lending, returning, readiness, access."""

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from regie.assets.models import AssetStatus
from regie.assets.tests.factories import AssetFactory
from regie.core.history import history_of
from regie.core.testing import bearer_client
from regie.directory.tests.factories import PersonFactory
from regie.telework.models import Loan, Reservation
from regie.telework.services import check_out_equipment
from regie.telework.tests.factories import CharterFactory, PoolLaptopFactory, laptop_type

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def laptop():
    return PoolLaptopFactory(name="PRET-API")


def test_booking_then_an_overlap_answers_409(technician, laptop):
    person = PersonFactory(first_name="Nina", last_name="Caron")
    client = bearer_client(technician)
    body = {
        "asset": laptop.pk,
        "person": person.pk,
        "start": "2026-12-02T08:00:00Z",
        "end": "2026-12-04T17:00:00Z",
    }
    first = client.post("/api/v1/reservations/", body, format="json")
    assert first.status_code == 201
    assert set(first.json()) == {
        "id",
        "asset",
        "asset_brief",
        "person",
        "person_brief",
        "start",
        "end",
        "status",
        "notes",
        "created_at",
    }
    assert (first.json()["status"], first.json()["start"]) == ("booked", "2026-12-02T08:00:00Z")
    second = client.post(
        "/api/v1/reservations/",
        {**body, "start": "2026-12-04T08:00:00Z", "end": "2026-12-06T08:00:00Z"},
        format="json",
    )
    assert second.status_code == 409
    assert "est déjà réservé par Nina Caron" in second.json()["detail"]
    adjacent = client.post(
        "/api/v1/reservations/",
        {**body, "start": "2026-12-04T17:00:00Z", "end": "2026-12-06T08:00:00Z"},
        format="json",
    )
    assert adjacent.status_code == 201
    assert Reservation.objects.count() == 2


def test_bad_reservation_input_is_a_400(technician, laptop):
    response = bearer_client(technician).post(
        "/api/v1/reservations/",
        {"asset": laptop.pk, "person": 999999, "start": "demain"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"person", "start", "end"}
    assert Reservation.objects.count() == 0


def test_check_out_and_check_in_through_the_api(technician, laptop):
    CharterFactory(version="3")
    person = PersonFactory(first_name="Rémi", last_name="Garnier")
    client = bearer_client(technician)
    body = {
        "asset": laptop.pk,
        "person": person.pk,
        "due_date": "2026-12-08",
        "typed_name": "Remi Garnie",
    }
    wrong = client.post("/api/v1/loans/", body, format="json")
    assert wrong.status_code == 400
    assert list(wrong.json()["errors"]) == ["typed_name"]
    assert Loan.objects.count() == 0
    created = client.post("/api/v1/loans/", {**body, "typed_name": "rémi garnier"}, format="json")
    assert created.status_code == 201
    data = created.json()
    assert (data["charter_version"], data["due_date"], data["returned_at"], data["overdue"]) == (
        "3",
        "2026-12-08",
        None,
        False,
    )
    laptop.refresh_from_db()
    assert laptop.status == AssetStatus.ON_LOAN
    assert history_of(laptop).filter(field="status").get().source == "api"
    again = client.post("/api/v1/loans/", {**body, "typed_name": "Rémi Garnier"}, format="json")
    assert again.status_code == 409
    returned = client.post(
        f"/api/v1/loans/{data['id']}/check-in/", {"return_condition": "good"}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["return_condition"] == "good"
    laptop.refresh_from_db()
    assert laptop.status == AssetStatus.STOCK
    twice = client.post(
        f"/api/v1/loans/{data['id']}/check-in/", {"return_condition": "good"}, format="json"
    )
    assert twice.status_code == 409


def test_staff_see_only_their_loans_and_cannot_lend(staff_user, technician, laptop):
    CharterFactory()
    mine = check_out_equipment(
        asset=laptop,
        person=staff_user.person,
        due_date=dt.date(2026, 12, 9),
        typed_name="Agnès Durand",
        by=technician,
    )
    other_person = PersonFactory(first_name="Yves", last_name="Noel")
    theirs = check_out_equipment(
        asset=PoolLaptopFactory(),
        person=other_person,
        due_date=dt.date(2026, 12, 9),
        typed_name="Yves Noel",
        by=technician,
    )
    client = bearer_client(staff_user)
    listing = client.get("/api/v1/loans/")
    assert [loan["id"] for loan in listing.json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/loans/{theirs.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/loans/{mine.pk}/check-in/", {"return_condition": "good"}, format="json"
        ).status_code
        == 403
    )
    body = {
        "asset": PoolLaptopFactory().pk,
        "person": staff_user.person.pk,
        "due_date": "2026-12-09",
        "typed_name": "Agnès Durand",
    }
    assert client.post("/api/v1/loans/", body, format="json").status_code == 403
    assert Loan.objects.count() == 2


def test_readiness_endpoint_gives_each_criterion(staff_user, reader):
    person = staff_user.person
    response = bearer_client(staff_user).get(f"/api/v1/people/{person.pk}/readiness")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"person", "name", "colour", "criteria"}
    assert (body["person"], body["name"], body["colour"]) == (person.pk, "Agnès Durand", "red")
    assert [c["key"] for c in body["criteria"]] == [
        "laptop",
        "inventory",
        "encryption",
        "antivirus",
        "os",
        "vpn",
        "mfa",
        "office365",
        "headset",
        "webcam",
        "phone",
    ]
    assert body["criteria"][0] == {
        "key": "laptop",
        "label": "Portable géré",
        "colour": "red",
        "reason": "Aucun portable géré : cette personne travaillerait sur un ordinateur personnel.",
    }
    other = PersonFactory()
    assert bearer_client(staff_user).get(f"/api/v1/people/{other.pk}/readiness").status_code == 404
    assert bearer_client(reader).get(f"/api/v1/people/{other.pk}/readiness").status_code == 200
    assert APIClient().get(f"/api/v1/people/{other.pk}/readiness").status_code == 401


def test_readiness_endpoint_says_unknown_for_a_laptop_that_never_reported(staff_user):
    person = staff_user.person
    AssetFactory(asset_type=laptop_type(), assigned_to=person)
    body = bearer_client(staff_user).get(f"/api/v1/people/{person.pk}/readiness").json()
    by_key = {c["key"]: c for c in body["criteria"]}
    assert body["colour"] == "unknown"
    assert by_key["antivirus"] == {
        "key": "antivirus",
        "label": "Antivirus",
        "colour": "unknown",
        "reason": "Jamais inventorié.",
    }


def test_readiness_schema_lists_unknown_among_the_colours(db):
    schema = APIClient().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    colours = {"green", "amber", "unknown", "red"}
    readiness = components["Readiness"]["properties"]["colour"]
    enum = components[readiness["$ref"].rsplit("/", 1)[-1]]["enum"]
    assert set(enum) == colours


def test_loan_list_query_count(technician, django_assert_max_num_queries):
    CharterFactory()
    for index in range(10):
        check_out_equipment(
            asset=PoolLaptopFactory(),
            person=PersonFactory(first_name="A", last_name=f"B{index}"),
            due_date=dt.date(2026, 12, 9),
            typed_name=f"A B{index}",
            by=technician,
        )
    client = bearer_client(technician)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/loans/")
    assert response.json()["count"] == 10
