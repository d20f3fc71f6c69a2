"""The daily round in the API: the round, acknowledgements, the log, hand-overs."""

from datetime import UTC

import pytest
from rest_framework.test import APIClient

from regie.core.testing import bearer_client
from regie.operations.daily.models import Acknowledgement, LogEntry, LogKind
from regie.operations.daily.services import acknowledge_item, add_log_entry, hand_over

pytestmark = pytest.mark.django_db

ROUND = "/api/v1/round/"
ACKS = "/api/v1/round/acknowledgements/"
LOG = "/api/v1/round/log/"
HAND_OVERS = "/api/v1/round/hand-overs/"


def keys(section):
    return [item["key"] for item in section["items"]]


def test_round_lists_sections_items_and_their_state(technician, site, two_sources):
    acknowledge_item(user=technician, item_key="check:3", comment="Vu")
    response = bearer_client(technician).get(ROUND)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"since", "hand_over", "open_count", "sections"}
    assert (data["since"], data["hand_over"], data["open_count"]) == (None, None, 4)
    assert [(s["key"], s["label"], s["order"], s["failed"]) for s in data["sections"]] == [
        ("checks", "Contrôles en échec", 10, False),
        ("findings", "Conformité", 20, False),
    ]
    checks = data["sections"][0]
    # Open items first (by severity, then age), then the acknowledged ones.
    assert keys(checks) == ["check:1", "check:2", "check:4", "check:3"]
    first = checks["items"][0]
    assert set(first) == {
        "key",
        "title",
        "detail",
        "url",
        "severity",
        "since",
        "site",
        "new",
        "acknowledgement",
    }
    assert (first["title"], first["url"], first["severity"], first["site"], first["new"]) == (
        "Sauvegarde NAS Melle",
        "/checks/1/",
        "critical",
        site.pk,
        False,
    )
    assert first["acknowledgement"] is None
    assert first["since"].endswith("Z")
    seen = checks["items"][3]["acknowledgement"]
    assert set(seen) == {
        "id",
        "comment",
        "acknowledged_by",
        "acknowledged_by_brief",
        "acknowledged_at",
    }
    assert seen["comment"] == "Vu"
    assert seen["acknowledged_by_brief"] == {
        "id": technician.pk,
        "username": "tech",
        "name": str(technician),
    }


def test_round_for_each_role(reader, correspondent, staff_user, two_sources):
    assert bearer_client(reader).get(ROUND).json()["open_count"] == 5
    data = bearer_client(correspondent).get(ROUND).json()
    assert [keys(section) for section in data["sections"]] == [
        ["check:1", "check:4"],
        ["finding:7"],
    ]
    assert bearer_client(staff_user).get(ROUND).status_code == 403
    assert APIClient().get(ROUND).status_code == 401


def test_round_with_no_source_is_empty(technician, sources):
    assert bearer_client(technician).get(ROUND).json() == {
        "since": None,
        "hand_over": None,
        "open_count": 0,
        "sections": [],
    }


def test_acknowledge_by_item_key(technician, site, two_sources):
    client = bearer_client(technician)
    response = client.post(ACKS, {"item_key": "check:1", "comment": "NAS redémarré"}, format="json")
    assert response.status_code == 201
    ack = Acknowledgement.objects.get()
    assert response.json() == {
        "id": ack.pk,
        "source_key": "checks",
        "item_key": "check:1",
        "title": "Sauvegarde NAS Melle",
        "url": "/checks/1/",
        "severity": "critical",
        "site": site.pk,
        "comment": "NAS redémarré",
        "acknowledged_by": technician.pk,
        "acknowledged_by_brief": {"id": technician.pk, "username": "tech", "name": str(technician)},
        "acknowledged_at": ack.acknowledged_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    entry = LogEntry.objects.get()
    assert (entry.kind, entry.author, entry.text) == (
        LogKind.ACKNOWLEDGEMENT,
        technician,
        "NAS redémarré",
    )
    listed = client.get(ACKS).json()
    assert [a["item_key"] for a in listed["results"]] == ["check:1"]
    assert client.get(f"{ACKS}{ack.pk}/").json()["comment"] == "NAS redémarré"
    round_item = client.get(ROUND).json()["sections"][0]["items"][-1]
    assert (round_item["key"], round_item["acknowledgement"]["id"]) == ("check:1", ack.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"item_key": "check:99"}, "item_key"),
        ({"item_key": "check:1", "source_key": "findings"}, "item_key"),
        ({"item_key": "check:1", "comment": "x" * 1001}, "comment"),
        ({"item_key": ""}, "item_key"),
        ({"item_key": ["check:1"]}, "item_key"),
        ({}, "item_key"),
    ],
)
def test_bad_acknowledgements_are_400_and_write_nothing(technician, two_sources, body, field):
    response = bearer_client(technician).post(ACKS, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"detail", "errors"}
    assert list(data["errors"]) == [field]
    assert Acknowledgement.objects.count() == 0
    assert LogEntry.objects.count() == 0


def test_stale_key_error_is_clear(technician, two_sources):
    response = bearer_client(technician).post(ACKS, {"item_key": "check:99"}, format="json")
    assert response.json()["errors"] == {
        "item_key": ["Cet élément ne figure pas (ou plus) dans votre tournée. Rechargez la page."]
    }


def test_acknowledging_twice_is_409(technician, admin_user, two_sources):
    acknowledge_item(user=technician, item_key="check:1", comment="Premier")
    response = bearer_client(admin_user).post(ACKS, {"item_key": "check:1"}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Cet élément a déjà été pris en compte.", "errors": {}}
    assert Acknowledgement.objects.count() == 1


def test_acknowledgements_access_per_role(
    technician, reader, correspondent, staff_user, two_sources
):
    mine = acknowledge_item(user=technician, item_key="check:1")
    other = acknowledge_item(user=technician, item_key="check:2")
    assert (
        bearer_client(reader).post(ACKS, {"item_key": "check:3"}, format="json").status_code == 403
    )
    assert [a["id"] for a in bearer_client(reader).get(ACKS).json()["results"]] == [
        other.pk,
        mine.pk,
    ]
    client = bearer_client(correspondent)
    assert [a["id"] for a in client.get(ACKS).json()["results"]] == [mine.pk]
    assert client.get(f"{ACKS}{other.pk}/").status_code == 404
    assert client.post(ACKS, {"item_key": "check:2"}, format="json").status_code == 400
    assert client.post(ACKS, {"item_key": "check:4"}, format="json").status_code == 201
    staff = bearer_client(staff_user)
    assert staff.get(ACKS).status_code == 403
    assert staff.post(ACKS, {"item_key": "check:3"}, format="json").status_code == 403
    assert APIClient().get(ACKS).status_code == 401
    assert Acknowledgement.objects.count() == 3


def test_acknowledgements_are_never_changed_nor_deleted(technician, two_sources):
    ack = acknowledge_item(user=technician, item_key="check:1", comment="Vu")
    client = bearer_client(technician)
    assert client.patch(f"{ACKS}{ack.pk}/", {"comment": "Autre"}, format="json").status_code == 405
    assert client.delete(f"{ACKS}{ack.pk}/").status_code == 405
    ack.refresh_from_db()
    assert ack.comment == "Vu"


def test_log_lists_filters_and_creates_notes(technician, admin_user, two_sources):
    note = add_log_entry(user=admin_user, text="Appelé le prestataire pour le NAS de Melle")
    relief = hand_over(user=technician, text="Relève")
    client = bearer_client(technician)
    data = client.get(LOG).json()
    assert [e["id"] for e in data["results"]] == [relief.pk, note.pk]
    assert set(data["results"][0]) == {
        "id",
        "kind",
        "at",
        "author",
        "author_brief",
        "text",
        "acknowledgement",
        "acknowledgement_brief",
        "site",
    }
    assert [e["id"] for e in client.get(LOG, {"author": admin_user.pk}).json()["results"]] == [
        note.pk
    ]
    assert [e["id"] for e in client.get(LOG, {"kind": "hand_over"}).json()["results"]] == [
        relief.pk
    ]
    assert client.get(LOG, {"day": "1999-01-01"}).json()["count"] == 0
    assert client.get(LOG, {"day": "pas une date"}).status_code == 400

    response = client.post(LOG, {"text": "Badge de Lezay remplacé"}, format="json")
    assert response.status_code == 201
    created = LogEntry.objects.get(pk=response.json()["id"])
    assert (created.kind, created.author, created.text) == (
        LogKind.NOTE,
        technician,
        "Badge de Lezay remplacé",
    )
    assert response.json()["author_brief"]["username"] == "tech"


@pytest.mark.parametrize(
    "body", [{}, {"text": ""}, {"text": "   "}, {"text": "x" * 4001}, {"text": ["liste"]}]
)
def test_bad_notes_are_400(technician, body):
    response = bearer_client(technician).post(LOG, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["text"]
    assert LogEntry.objects.count() == 0


def test_log_writes_per_role(reader, correspondent, staff_user, technician):
    add_log_entry(user=technician, text="Note")
    for user in (reader, correspondent):
        client = bearer_client(user)
        assert client.post(LOG, {"text": "Note"}, format="json").status_code == 403
        assert client.post(HAND_OVERS, {"text": "Relève"}, format="json").status_code == 403
    assert bearer_client(reader).get(LOG).json()["count"] == 1
    assert bearer_client(correspondent).get(LOG).json()["count"] == 0
    assert bearer_client(staff_user).get(LOG).status_code == 403
    assert LogEntry.objects.count() == 1


def test_hand_over_moves_the_rounds_since(technician, two_sources):
    client = bearer_client(technician)
    response = client.post(HAND_OVERS, {"text": "RAS"}, format="json")
    assert response.status_code == 201
    note = LogEntry.objects.get()
    assert (note.kind, note.text, response.json()["kind"]) == (
        LogKind.HAND_OVER,
        "RAS",
        "hand_over",
    )
    add_log_entry(user=technician, text="Pas une relève")
    assert [e["id"] for e in client.get(HAND_OVERS).json()["results"]] == [note.pk]
    data = client.get(ROUND).json()
    assert data["since"] == response.json()["at"]
    assert data["hand_over"]["text"] == "RAS"
    checks, _ = two_sources
    assert checks.calls[-1][1] == note.at


def test_log_list_query_count_is_fixed(technician, two_sources, django_assert_max_num_queries):
    for number in range(20):
        add_log_entry(user=technician, text=f"Note {number}")
    acknowledge_item(user=technician, item_key="check:1", comment="Vu")
    client = bearer_client(technician)
    with django_assert_max_num_queries(6):
        assert client.get(LOG).json()["count"] == 21
