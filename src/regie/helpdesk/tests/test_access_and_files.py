"""Who sees which tickets, follow-ups and files — on the pages and in the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from regie.helpdesk.models import Attachment, FollowUp, Ticket
from regie.helpdesk.services import add_followup

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def tickets(open_ticket, requester, colleague, outsider_staff, technician):
    mine = open_ticket(requester, title="Mon écran")
    add_followup(ticket=mine, text="Note interne", private=True, by=technician)
    add_followup(ticket=mine, text="On regarde", by=technician)
    same_site = open_ticket(colleague.person, title="Poste collègue")
    elsewhere = open_ticket(outsider_staff.person, title="Piscine")
    return mine, same_site, elsewhere


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff_user", {"Mon écran"}),
        ("correspondent", {"Mon écran", "Poste collègue"}),
        ("reader", {"Mon écran", "Poste collègue", "Piscine"}),
        ("technician", {"Mon écran", "Poste collègue", "Piscine"}),
    ],
)
def test_ticket_list_per_role_pages_and_api(client, request, tickets, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("api:ticket-list"))
    assert response.status_code == 200
    assert {row["title"] for row in response.json()["results"]} == expected
    page = client.get(reverse("helpdesk:ticket-list"))
    assert page.status_code == 200
    assert {row.obj.title for row in page.context["rows"]} == expected


def test_staff_never_see_private_follow_ups(client, staff_user, tickets):
    mine = tickets[0]
    client.force_login(staff_user)
    page = client.get(mine.get_absolute_url())
    assert page.status_code == 200
    assert "On regarde" in page.content.decode()
    assert "Note interne" not in page.content.decode()
    api = client.get(reverse("api:followup-list"), {"ticket": mine.pk})
    assert [row["text"] for row in api.json()["results"]] == ["On regarde"]
    private = FollowUp.objects.get(private=True)
    assert client.get(reverse("api:followup-detail", args=[private.pk])).status_code == 404


def test_technicians_see_private_follow_ups(client, technician, tickets):
    client.force_login(technician)
    page = client.get(tickets[0].get_absolute_url())
    assert "Note interne" in page.content.decode()


def test_others_tickets_are_404_for_staff(client, staff_user, tickets):
    client.force_login(staff_user)
    other = tickets[2]
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("api:ticket-detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("api:followup-list"),
        {"ticket": other.pk, "text": "coucou"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"ticket"}
    assert not FollowUp.objects.filter(text="coucou").exists()


def test_staff_cannot_write_private_follow_ups_via_api(client, staff_user, tickets):
    client.force_login(staff_user)
    response = client.post(
        reverse("api:followup-list"),
        {"ticket": tickets[0].pk, "text": "secret", "private": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not FollowUp.objects.filter(text="secret").exists()


def test_staff_create_a_ticket_for_themselves_only(client, staff_user, colleague):
    client.force_login(staff_user)
    url = reverse("api:ticket-list")
    refused = client.post(
        url,
        {"title": "x", "description": "y", "requester": colleague.person.pk},
        content_type="application/json",
    )
    assert refused.status_code == 400
    created = client.post(
        url,
        {"title": "Souris HS", "description": "Elle ne clique plus."},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    ticket = Ticket.objects.get()
    assert (ticket.title, ticket.requester.user, ticket.site) == (
        "Souris HS",
        staff_user,
        staff_user.person.site,
    )
    assert created.json()["status"] == "new"


def test_api_status_changes_go_through_the_workflow(client, technician, tickets):
    client.force_login(technician)
    ticket = tickets[1]
    url = reverse("api:ticket-status", args=[ticket.pk])
    bad = client.post(url, {"status": "closed"}, content_type="application/json")
    assert bad.status_code == 409
    assert bad.json() == {
        "detail": "Un ticket ne peut pas passer de « Nouveau » à « Clos ».",
        "errors": {},
    }
    unknown = client.post(url, {"status": "flying"}, content_type="application/json")
    assert unknown.status_code == 400
    patched = client.patch(
        reverse("api:ticket-detail", args=[ticket.pk]),
        {"status": "resolved"},
        content_type="application/json",
    )
    assert patched.status_code == 400
    assert Ticket.objects.get(pk=ticket.pk).status == "new"
    ok = client.post(url, {"status": "in_progress"}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["status"] == "in_progress"
    missing = client.post(
        reverse("api:ticket-status", args=[999999]),
        {"status": "resolved"},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_readers_cannot_assign(client, reader, technician, tickets):
    client.force_login(reader)
    url = reverse("api:ticket-assign", args=[tickets[0].pk])
    response = client.post(url, {"assignee": technician.pk}, content_type="application/json")
    assert response.status_code == 403
    assert Ticket.objects.get(pk=tickets[0].pk).assignee is None


# --- attachments -----------------------------------------------------------------------------


def _post_followup(client, ticket, upload):
    return client.post(
        reverse("helpdesk:ticket-followup", args=[ticket.pk]), {"text": "capture", "file": upload}
    )


def test_attachment_accepted_and_served_only_to_those_allowed(
    client, staff_user, outsider_staff, reader, tickets
):
    mine = tickets[0]
    client.force_login(staff_user)
    response = _post_followup(client, mine, SimpleUploadedFile("ecran.png", PNG, "image/png"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.size, attachment.content_type) == (
        "ecran.png",
        len(PNG),
        "image/png",
    )
    assert attachment.stored_name != "ecran.png" and len(attachment.stored_name) == 48
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"] == 'attachment; filename="ecran.png"'
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(outsider_staff)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(reader)
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_private_attachment_is_404_for_the_requester(client, staff_user, technician, tickets):
    client.force_login(technician)
    client.post(
        reverse("helpdesk:ticket-followup", args=[tickets[0].pk]),
        {"text": "log", "private": "on", "file": SimpleUploadedFile("a.txt", b"journal\n")},
    )
    attachment = Attachment.objects.get()
    client.force_login(staff_user)
    assert client.get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("facture.pdf", EXE, "Le contenu de « facture.pdf » n’est pas celui d’un fichier .pdf."),
        ("outil.exe", EXE, "Ce type de fichier n’est pas accepté."),
        ("notes.txt", PNG, "Le contenu de « notes.txt » n’est pas celui d’un fichier .txt."),
    ],
)
def test_forbidden_files_are_refused_and_nothing_is_written(
    client, staff_user, tickets, settings, name, content, message
):
    client.force_login(staff_user)
    before = FollowUp.objects.count()
    response = _post_followup(client, tickets[0], SimpleUploadedFile(name, content))
    assert response.status_code == 302
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(text.startswith(message) for text in shown), shown
    assert FollowUp.objects.count() == before
    assert not Attachment.objects.exists()
    directory = settings.HELPDESK_ATTACHMENT_DIR
    assert not directory.exists() or list(directory.iterdir()) == []


def test_too_large_files_are_refused(client, staff_user, tickets, settings):
    settings.HELPDESK_ATTACHMENT_MAX_BYTES = 1024
    client.force_login(staff_user)
    big = SimpleUploadedFile("gros.png", PNG + b"\x00" * 2000)
    response = _post_followup(client, tickets[0], big)
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["Le fichier est trop volumineux (2,0\xa0Kio) ; la limite est de 1,0\xa0Kio."]
    assert not Attachment.objects.exists()
