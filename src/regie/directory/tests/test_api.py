"""The directory endpoints: CRUD, access per role, validation, history, query counts."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from regie.core.history import history_of
from regie.core.models import ApiToken, ChangeAction, ChangeRecord, ChangeSource
from regie.core.testing import bearer_client
from regie.core.tokens import revoke_api_token
from regie.directory.models import Department, Organisation, Person, Room, Site
from regie.directory.tests.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SiteFactory,
)

SITE_KEYS = {
    "id",
    "name",
    "kind",
    "organisation",
    "organisation_brief",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "phone",
    "contact_name",
    "contact_phone",
    "contact_email",
    "access_notes",
    *(f"hours_{day}" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
    "correspondents",
    "created_at",
    "updated_at",
}
PERSON_KEYS = {
    "id",
    "first_name",
    "last_name",
    "directory_id",
    "directory_source",
    "manager",
    "full_name",
    "email",
    "phone",
    "mobile",
    "department",
    "department_brief",
    "site",
    "site_brief",
    "job_title",
    "active",
    "arrival_date",
    "departure_date",
    "user",
    "created_at",
    "updated_at",
}


def message(model, constraint_name):
    constraint = next(c for c in model._meta.constraints if c.name == constraint_name)
    with translation.override("fr"):
        return str(constraint.violation_error_message)


def api_changes(obj):
    return [(r.action, r.field, r.source) for r in history_of(obj).order_by("id")]


# --- sites -------------------------------------------------------------------------------


def test_technician_site_crud_with_history(technician):
    client = bearer_client(technician)
    commune = OrganisationFactory(name="Melle")
    created = client.post(
        "/api/v1/sites/",
        {
            "name": "Médiathèque de Melle",
            "kind": "media_library",
            "organisation": commune.pk,
            "hours_wed": "09:00-12:00, 14:00-18:00",
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == SITE_KEYS
    assert body["organisation_brief"] == {"id": commune.pk, "name": "Melle", "kind": "commune"}
    assert body["correspondents"] == []
    site = Site.objects.get(pk=body["id"])
    assert site.hours_wed == "09:00-12:00, 14:00-18:00"

    assert client.get(f"/api/v1/sites/{site.pk}/").json()["name"] == "Médiathèque de Melle"
    replaced = client.put(
        f"/api/v1/sites/{site.pk}/",
        {"name": "Médiathèque", "kind": "media_library", "organisation": commune.pk},
        format="json",
    )
    assert replaced.status_code == 200
    patched = client.patch(f"/api/v1/sites/{site.pk}/", {"city": "Melle"}, format="json")
    assert patched.status_code == 200
    site.refresh_from_db()
    # PUT leaves out optional fields it does not send, as DRF does.
    assert (site.name, site.city, site.hours_wed) == (
        "Médiathèque",
        "Melle",
        "09:00-12:00, 14:00-18:00",
    )
    assert client.delete(f"/api/v1/sites/{site.pk}/").status_code == 204
    assert not Site.objects.filter(pk=site.pk).exists()
    assert api_changes(site) == [
        ("create", "", "api"),
        ("update", "name", "api"),
        ("update", "city", "api"),
        ("delete", "", "api"),
    ]


def test_site_validation_uses_model_messages(technician, site):
    response = bearer_client(technician).patch(
        f"/api/v1/sites/{site.pk}/", {"latitude": "46.2"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"latitude": [message(Site, "site_position_complete")]}
    site.refresh_from_db()
    assert site.latitude is None
    assert history_of(site).count() == 0


@pytest.mark.parametrize("persona", ["admin_user", "technician", "reader"])
def test_wide_readers_list_every_site(request, persona, site, other_site):
    response = bearer_client(request.getfixturevalue(persona)).get("/api/v1/sites/")
    assert response.status_code == 200
    assert {s["name"] for s in response.json()["results"]} == {site.name, other_site.name}


def test_reader_cannot_write_sites(reader, site):
    client = bearer_client(reader)
    assert (
        client.patch(f"/api/v1/sites/{site.pk}/", {"city": "X"}, format="json").status_code == 403
    )
    assert client.delete(f"/api/v1/sites/{site.pk}/").status_code == 403
    assert client.post("/api/v1/sites/", {"name": "X"}, format="json").status_code == 403
    site.refresh_from_db()
    assert site.city == ""
    assert Site.objects.count() == 1


def test_correspondent_sees_and_edits_own_site_only(correspondent, site, other_site):
    client = bearer_client(correspondent)
    listed = client.get("/api/v1/sites/").json()
    assert [s["name"] for s in listed["results"]] == ["École de Melle"]
    assert listed["results"][0]["correspondents"] == [correspondent.pk]
    assert client.get(f"/api/v1/sites/{other_site.pk}/").status_code == 404
    edited = client.patch(f"/api/v1/sites/{site.pk}/", {"contact_name": "M. Roy"}, format="json")
    assert edited.status_code == 200
    site.refresh_from_db()
    assert site.contact_name == "M. Roy"
    assert client.delete(f"/api/v1/sites/{site.pk}/").status_code == 403
    assert (
        client.post(
            "/api/v1/sites/",
            {"name": "X", "kind": "school", "organisation": site.organisation_id},
            format="json",
        ).status_code
        == 403
    )
    assert Site.objects.count() == 2


def test_correspondent_cannot_change_correspondents(correspondent, site, reader):
    response = bearer_client(correspondent).patch(
        f"/api/v1/sites/{site.pk}/", {"correspondents": [reader.pk]}, format="json"
    )
    assert response.status_code == 200
    assert list(site.correspondents.all()) == [correspondent]


def test_staff_cannot_list_or_see_sites(staff_user, site):
    client = bearer_client(staff_user)
    assert client.get("/api/v1/sites/").status_code == 403
    assert client.get(f"/api/v1/sites/{site.pk}/").status_code == 404


def test_sites_need_a_valid_token(technician, site):
    assert APIClient().get("/api/v1/sites/").status_code == 401
    client = bearer_client(technician)
    revoke_api_token(token=ApiToken.objects.get(), by=technician)
    assert client.get(f"/api/v1/sites/{site.pk}/").status_code == 401


@pytest.mark.parametrize("page_size", [5, 100])
def test_site_list_runs_a_fixed_number_of_queries(
    technician, correspondent, django_assert_max_num_queries, page_size
):
    for site in SiteFactory.create_batch(page_size):
        site.correspondents.add(correspondent)
    client = bearer_client(technician)
    client.get("/api/v1/sites/")
    # token, count, page, correspondents
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/sites/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


# --- people ------------------------------------------------------------------------------


def test_technician_person_crud_with_history(technician, site):
    department = DepartmentFactory(name="Finances", code="FIN")
    client = bearer_client(technician)
    created = client.post(
        "/api/v1/people/",
        {
            "first_name": "Jeanne",
            "last_name": "Martin",
            "email": "j.martin@example.org",
            "department": department.pk,
            "site": site.pk,
        },
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == PERSON_KEYS
    assert body["full_name"] == "Jeanne Martin"
    assert body["department_brief"] == {"id": department.pk, "name": "Finances", "code": "FIN"}
    assert body["site_brief"] == {"id": site.pk, "name": "École de Melle"}
    person = Person.objects.get(pk=body["id"])
    patched = client.patch(f"/api/v1/people/{person.pk}/", {"active": False}, format="json")
    assert patched.status_code == 200
    person.refresh_from_db()
    assert person.active is False
    assert client.delete(f"/api/v1/people/{person.pk}/").status_code == 204
    assert not Person.objects.filter(pk=person.pk).exists()
    assert sorted(api_changes(person)) == [
        ("create", "", "api"),
        ("delete", "", "api"),
        ("update", "active", "api"),
    ]


def test_duplicate_person_email_is_400_on_email(technician):
    PersonFactory(email="Jeanne.Martin@example.org")
    response = bearer_client(technician).post(
        "/api/v1/people/",
        {"first_name": "Jeanne", "last_name": "Martin", "email": "jeanne.martin@example.org"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"email": [message(Person, "person_unique_email")]}
    assert Person.objects.count() == 1


def test_departure_before_arrival_is_400_on_departure(technician, staff_user):
    person = staff_user.person
    response = bearer_client(technician).patch(
        f"/api/v1/people/{person.pk}/",
        {"arrival_date": "2025-03-01", "departure_date": "2025-02-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "departure_date": [message(Person, "person_departure_after_arrival")]
    }
    person.refresh_from_db()
    assert person.arrival_date is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"active": "maybe"}, "active"),
        ({"site": "x"}, "site"),
        ({"department": 999999}, "department"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_person_values_are_400(technician, staff_user, payload, field):
    person = staff_user.person
    response = bearer_client(technician).patch(
        f"/api/v1/people/{person.pk}/", payload, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert history_of(person).count() == 0


def test_reader_reads_people_but_cannot_write(reader, staff_user):
    client = bearer_client(reader)
    person = staff_user.person
    assert client.get("/api/v1/people/").json()["count"] == 1
    assert (
        client.patch(f"/api/v1/people/{person.pk}/", {"phone": "1"}, format="json").status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/people/", {"first_name": "A", "last_name": "B"}, format="json"
        ).status_code
        == 403
    )
    person.refresh_from_db()
    assert person.phone == ""


def test_correspondent_sees_people_of_own_sites_read_only(correspondent, staff_user, other_site):
    outsider = PersonFactory(site=other_site)
    client = bearer_client(correspondent)
    assert [p["full_name"] for p in client.get("/api/v1/people/").json()["results"]] == [
        "Agnès Durand"
    ]
    assert client.get(f"/api/v1/people/{outsider.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/people/{staff_user.person.pk}/", {"phone": "1"}, format="json"
        ).status_code
        == 403
    )


def test_staff_sees_own_record_only(staff_user, site):
    colleague = PersonFactory(site=site)
    client = bearer_client(staff_user)
    assert (
        client.get(f"/api/v1/people/{staff_user.person.pk}/").json()["full_name"] == "Agnès Durand"
    )
    assert client.get(f"/api/v1/people/{colleague.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/people/{staff_user.person.pk}/", {"phone": "1"}, format="json"
        ).status_code
        == 403
    )
    assert client.get("/api/v1/people/").status_code == 403


def test_people_need_a_valid_token(staff_user):
    assert APIClient().get(f"/api/v1/people/{staff_user.person.pk}/").status_code == 401


@pytest.mark.parametrize("page_size", [5, 100])
def test_person_list_runs_a_fixed_number_of_queries(
    technician, site, django_assert_max_num_queries, page_size
):
    department = DepartmentFactory()
    PersonFactory.create_batch(page_size, site=site, department=department)
    client = bearer_client(technician)
    client.get("/api/v1/people/")
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/people/", {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_people_filters_and_search(technician, site, other_site):
    PersonFactory(first_name="Jeanne", last_name="Martin", site=site)
    PersonFactory(first_name="Paul", last_name="Roux", site=other_site, active=False)
    client = bearer_client(technician)
    assert [p["last_name"] for p in client.get("/api/v1/people/?q=jeanne").json()["results"]] == [
        "Martin"
    ]
    assert [
        p["last_name"] for p in client.get("/api/v1/people/?active=false").json()["results"]
    ] == ["Roux"]
    assert [
        p["last_name"]
        for p in client.get(f"/api/v1/people/?site={other_site.pk}").json()["results"]
    ] == ["Roux"]
    assert [
        p["last_name"] for p in client.get("/api/v1/people/?ordering=-last_name").json()["results"]
    ] == ["Roux", "Martin"]


# --- organisations, rooms, departments ---------------------------------------------------


def test_organisation_room_department_crud_as_technician(technician, site):
    client = bearer_client(technician)
    org = client.post(
        "/api/v1/organisations/",
        {"name": "Celles-sur-Belle", "kind": "commune", "insee_code": "79061"},
        format="json",
    )
    assert org.status_code == 201
    org_id = org.json()["id"]
    duplicate = client.post(
        "/api/v1/organisations/",
        {"name": "Autre", "kind": "commune", "insee_code": "79061"},
        format="json",
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"] == {
        "insee_code": [message(Organisation, "organisation_unique_insee_code")]
    }
    room = client.post("/api/v1/rooms/", {"site": site.pk, "name": "Baie"}, format="json")
    assert room.status_code == 201
    assert room.json()["site_brief"] == {"id": site.pk, "name": "École de Melle"}
    same_room = client.post("/api/v1/rooms/", {"site": site.pk, "name": "Baie"}, format="json")
    assert same_room.json()["errors"] == {"name": [message(Room, "room_unique_name_per_site")]}
    department = client.post(
        "/api/v1/departments/", {"name": "Écoles", "organisation": org_id}, format="json"
    )
    assert department.status_code == 201
    blocked = client.delete(f"/api/v1/organisations/{org_id}/")
    assert blocked.status_code == 409
    assert Organisation.objects.filter(pk=org_id).exists()
    assert client.delete(f"/api/v1/departments/{department.json()['id']}/").status_code == 204
    assert client.delete(f"/api/v1/rooms/{room.json()['id']}/").status_code == 204
    assert client.delete(f"/api/v1/organisations/{org_id}/").status_code == 204
    assert not Department.objects.exists()
    assert Room.objects.count() == 0
    assert set(
        ChangeRecord.objects.exclude(content_type__model="apitoken").values_list(
            "source", flat=True
        )
    ) == {ChangeSource.API}
    assert ChangeRecord.objects.filter(action=ChangeAction.DELETE).count() == 3


def test_correspondent_manages_rooms_of_own_sites(correspondent, site, other_site):
    RoomFactory(site=other_site)
    client = bearer_client(correspondent)
    created = client.post("/api/v1/rooms/", {"site": site.pk, "name": "Salle info"}, format="json")
    assert created.status_code == 201
    refused = client.post("/api/v1/rooms/", {"site": other_site.pk, "name": "X"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["site"]
    assert [r["name"] for r in client.get("/api/v1/rooms/").json()["results"]] == ["Salle info"]
    assert Room.objects.count() == 2
