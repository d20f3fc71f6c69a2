"""The telephony API: same validation and access rules as the pages."""

import pytest
from rest_framework.test import APIClient

from regie.core.history import history_of
from regie.core.testing import bearer_client
from regie.directory.tests.factories import PersonFactory
from regie.telephony.models import Forwarding, Line
from regie.telephony.tests.factories import (
    ExtensionFactory,
    LineFactory,
    OperatorContractFactory,
    OperatorFactory,
    SimCardFactory,
)

pytestmark = pytest.mark.django_db


def test_create_line_stores_e164(technician, site):
    response = bearer_client(technician).post(
        "/api/v1/phone-lines/",
        {"number": "05 49 27 00 00", "kind": "lift", "technology": "copper", "site": site.pk},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["number_display"], body["site_brief"]["name"]) == (
        "+33549270000",
        "05 49 27 00 00",
        site.name,
    )
    line = Line.objects.get()
    assert history_of(line).get().source == "api"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("05 49", "« 05 49 » n’est pas un numéro de téléphone possible (trop court)."),
        (
            "07 00 00 00 00",
            "« 07 00 00 00 00 » n’est pas un numéro valide "
            "(aucune tranche de numérotation ne le prévoit).",
        ),
    ],
)
def test_api_refuses_an_invalid_number(technician, number, message):
    response = bearer_client(technician).post(
        "/api/v1/phone-lines/", {"number": number, "kind": "analogue"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"number": [message]}
    assert Line.objects.count() == 0


def test_line_list_shape_and_query_count(reader, django_assert_max_num_queries):
    for _ in range(20):
        LineFactory(person=PersonFactory(), operator=OperatorFactory())
    client = bearer_client(reader)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/phone-lines/")
    body = response.json()
    assert body["count"] == 20
    assert set(body["results"][0]) == {
        "id",
        "number",
        "number_display",
        "label",
        "kind",
        "technology",
        "status",
        "operator",
        "operator_brief",
        "contract",
        "contract_brief",
        "person",
        "person_brief",
        "site",
        "site_brief",
        "desk_phone",
        "notes",
        "created_at",
        "updated_at",
    }


def test_staff_see_only_their_own_lines_and_extensions(staff_user, site):
    own = LineFactory(person=staff_user.person, site=site)
    LineFactory(person=PersonFactory(site=site), site=site)
    own_extension = ExtensionFactory(person=staff_user.person)
    ExtensionFactory(person=PersonFactory(site=site))
    client = bearer_client(staff_user)
    assert [row["id"] for row in client.get("/api/v1/phone-lines/").json()["results"]] == [own.pk]
    assert [row["id"] for row in client.get("/api/v1/extensions/").json()["results"]] == [
        own_extension.pk
    ]
    assert (
        client.patch(f"/api/v1/phone-lines/{own.pk}/", {"label": "x"}, format="json").status_code
        == 403
    )
    assert client.get("/api/v1/operators/").status_code == 403


def test_correspondent_sees_their_sites_lines_and_sims(correspondent, site, other_site):
    mine = LineFactory(site=site, kind="mobile")
    other = LineFactory(site=other_site, kind="mobile")
    sim = SimCardFactory(line=mine)
    SimCardFactory(line=other)
    client = bearer_client(correspondent)
    assert [row["id"] for row in client.get("/api/v1/phone-lines/").json()["results"]] == [mine.pk]
    assert [row["id"] for row in client.get("/api/v1/sim-cards/").json()["results"]] == [sim.pk]
    assert client.get(f"/api/v1/phone-lines/{other.pk}/").status_code == 404
    assert (
        client.post(
            "/api/v1/phone-lines/", {"number": "0549270000", "kind": "alarm"}, format="json"
        ).status_code
        == 403
    )


def test_reader_reads_and_cannot_write(reader):
    contract = OperatorContractFactory()
    client = bearer_client(reader)
    assert (
        client.get(f"/api/v1/operator-contracts/{contract.pk}/").json()["reference"]
        == contract.reference
    )
    assert client.delete(f"/api/v1/operator-contracts/{contract.pk}/").status_code == 403
    assert client.post("/api/v1/operators/", {"name": "SFR"}, format="json").status_code == 403


def test_without_token_401():
    line = LineFactory()
    assert APIClient().get(f"/api/v1/phone-lines/{line.pk}/").status_code == 401
    assert APIClient().get("/api/v1/forwardings/").status_code == 401


def test_set_forwarding_through_the_api(technician, reader):
    line = LineFactory()
    client = bearer_client(technician)
    response = client.post(
        "/api/v1/forwardings/",
        {"line": line.pk, "active": True, "target": "06 12 34 56 78", "note": "Fermeture"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["active"], body["target"], body["by"], body["line"]) == (
        True,
        "+33612345678",
        technician.pk,
        line.pk,
    )
    again = client.post("/api/v1/forwardings/", {"line": line.pk, "active": False}, format="json")
    assert again.status_code == 200
    forwarding = Forwarding.objects.get()
    assert forwarding.active is False
    assert {(r.source, r.field) for r in history_of(forwarding)} == {
        ("api", ""),
        ("api", "active"),
        ("api", "since"),
    }
    response = client.patch(
        f"/api/v1/forwardings/{forwarding.pk}/", {"active": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["target"] == "+33612345678"
    assert (
        bearer_client(reader)
        .patch(f"/api/v1/forwardings/{forwarding.pk}/", {"active": False}, format="json")
        .status_code
        == 403
    )
    forwarding.refresh_from_db()
    assert forwarding.active is True


def test_forwarding_api_refuses_bad_input(technician, staff_user):
    line = LineFactory()
    client = bearer_client(technician)
    bad_target = client.post(
        "/api/v1/forwardings/", {"line": line.pk, "active": True, "target": "12"}, format="json"
    )
    assert bad_target.status_code == 400
    assert list(bad_target.json()["errors"]) == ["target"]
    no_subject = client.post("/api/v1/forwardings/", {"active": True}, format="json")
    assert no_subject.status_code == 400
    unknown = client.post("/api/v1/forwardings/", {"line": 999999, "active": False}, format="json")
    assert unknown.status_code == 400
    no_target = client.post(
        "/api/v1/forwardings/", {"line": line.pk, "active": True}, format="json"
    )
    assert no_target.status_code == 400
    assert not Forwarding.objects.exists()
    assert (
        bearer_client(staff_user)
        .post("/api/v1/forwardings/", {"line": line.pk, "active": False}, format="json")
        .status_code
        == 403
    )
