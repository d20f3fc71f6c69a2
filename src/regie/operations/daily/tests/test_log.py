"""The main courante: notes, hand-over notes, and the dated log page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from regie.core.models import Role
from regie.core.tests.factories import UserFactory
from regie.operations.daily.models import LogEntry, LogKind
from regie.operations.daily.services import acknowledge_item, add_log_entry, hand_over
from regie.operations.daily.tests.pages import parse

pytestmark = pytest.mark.django_db

LOG = "/today/log/"
PARIS = ZoneInfo("Europe/Paris")


def entries(response):
    return [int(pk) for pk in parse(response).xpath("//li[@data-log-entry]/@data-log-entry")]


def test_a_note_is_added_to_the_log(client, technician):
    client.force_login(technician)
    response = client.post(
        "/today/log/new/", {"text": "Appelé le prestataire pour le NAS de Melle"}
    )
    assert response.status_code == 302
    assert response["Location"] == LOG
    entry = LogEntry.objects.get()
    assert (entry.kind, entry.author, entry.text) == (
        LogKind.NOTE,
        technician,
        "Appelé le prestataire pour le NAS de Melle",
    )
    page = client.get(LOG)
    assert entries(page) == [entry.pk]
    text = parse(page).xpath("//li[@data-log-entry]")[0].text_content()
    assert str(technician) in text
    assert "Note" in text


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001])
def test_an_empty_or_oversized_note_is_refused(client, technician, sources, text):
    client.force_login(technician)
    response = client.post("/today/log/new/", {"text": text})
    assert response.status_code == 400
    assert LogEntry.objects.count() == 0


def test_the_hand_over_note_is_stored_and_thanked(client, technician, sources):
    client.force_login(technician)
    response = client.post("/today/hand-over/", {"text": "RAS. Le switch de Lezay à surveiller."})
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    note = LogEntry.objects.get()
    assert (note.kind, note.author, note.text) == (
        LogKind.HAND_OVER,
        technician,
        "RAS. Le switch de Lezay à surveiller.",
    )
    page = client.get("/today/")
    assert "Consigne de relève enregistrée" in page.content.decode()
    assert (
        "Le switch de Lezay à surveiller."
        in parse(page).xpath("//section[contains(@class, 'hand-over')]")[0].text_content()
    )


def test_readers_and_correspondents_write_no_notes(client, reader, correspondent, sources):
    for user in (reader, correspondent):
        client.force_login(user)
        assert client.post("/today/log/new/", {"text": "Note"}).status_code == 403
        assert client.post("/today/hand-over/", {"text": "Relève"}).status_code == 403
    assert LogEntry.objects.count() == 0


def test_the_log_is_newest_first_and_filters_by_day_and_person(client, technician, admin_user):
    old = add_log_entry(user=technician, text="Lundi matin")
    LogEntry.objects.filter(pk=old.pk).update(at=datetime(2026, 11, 23, 8, 0, tzinfo=PARIS))
    late = add_log_entry(user=admin_user, text="Lundi tard")
    # 23:30 in Paris is still Monday there, though Tuesday is near in UTC terms.
    LogEntry.objects.filter(pk=late.pk).update(at=datetime(2026, 11, 23, 23, 30, tzinfo=PARIS))
    today = add_log_entry(user=technician, text="Aujourd'hui")
    client.force_login(admin_user)

    assert entries(client.get(LOG)) == [today.pk, late.pk, old.pk]
    assert entries(client.get(LOG, {"day": "2026-11-23"})) == [late.pk, old.pk]
    assert entries(client.get(LOG, {"day": "2026-11-24"})) == []
    assert entries(client.get(LOG, {"author": technician.pk})) == [today.pk, old.pk]
    assert entries(client.get(LOG, {"author": technician.pk, "day": "2026-11-23"})) == [old.pk]
    assert entries(client.get(LOG, {"kind": LogKind.HAND_OVER})) == []


def test_the_log_is_paginated_and_htmx_gets_the_results(client, technician):
    for number in range(30):
        add_log_entry(user=technician, text=f"Note {number}")
    client.force_login(technician)
    first = client.get(LOG)
    assert len(entries(first)) == 25
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(LOG, {"page": 2}, HTTP_HX_REQUEST="true")
    assert second.template_name == "daily/log.html#results"
    assert second.content.decode().lstrip().startswith('<div id="results"')
    assert len(entries(second)) == 5
    texts = [LogEntry.objects.get(pk=pk).text for pk in entries(second)]
    assert texts == [f"Note {number}" for number in range(4, -1, -1)]


def test_the_log_lists_with_a_fixed_number_of_queries(
    client, technician, two_sources, django_assert_max_num_queries
):
    for number in range(10):
        add_log_entry(user=technician, text=f"Note {number}")
    acknowledge_item(user=technician, item_key="check:1", comment="Vu")
    hand_over(user=technician, text="Relève")
    client.force_login(technician)
    with django_assert_max_num_queries(8):
        response = client.get(LOG)
    assert len(entries(response)) == 12


def test_an_acknowledgement_in_the_log_shows_the_item(client, technician, two_sources):
    acknowledge_item(user=technician, item_key="check:1", comment="Prestataire appelé")
    client.force_login(technician)
    line = parse(client.get(LOG)).xpath("//li[@data-log-entry]")[0]
    assert line.xpath(".//a/@href") == ["/checks/1/"]
    assert "Sauvegarde NAS Melle" in line.text_content()
    assert "Prestataire appelé" in line.text_content()
    assert "Prise en compte" in line.text_content()


def test_correspondents_see_only_the_log_of_their_sites(
    client, correspondent, technician, two_sources
):
    mine = acknowledge_item(user=technician, item_key="check:1", comment="Chez vous")
    acknowledge_item(user=technician, item_key="check:2", comment="Ailleurs")
    add_log_entry(user=technician, text="Note interne")
    hand_over(user=technician, text="Relève interne")
    client.force_login(correspondent)
    assert entries(client.get(LOG)) == [mine.log_entry.pk]


def test_staff_have_no_log(client, staff_user):
    client.force_login(staff_user)
    assert client.get(LOG).status_code == 403


def test_authors_to_filter_on_are_the_people_who_write(client, technician, reader):
    UserFactory(username="agent2", role=Role.STAFF)
    client.force_login(technician)
    options = parse(client.get(LOG)).xpath("//select[@name='author']/option/@value")
    assert str(technician.pk) in options
    assert str(reader.pk) not in options


def test_hand_over_moves_since_for_the_next_round(technician, two_sources):
    from regie.operations.daily.rounds import current_round

    checks, _ = two_sources
    assert current_round(technician).since is None
    before = timezone.now()
    note = hand_over(user=technician, text="Relève")
    assert current_round(technician).since == note.at
    assert note.at >= before
    assert checks.calls[-1][1] == note.at
