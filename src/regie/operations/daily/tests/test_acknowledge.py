"""Acknowledging a round item from the page, with and without htmx."""

import pytest
from django.test import Client
from django.utils import timezone

from regie.core.events import Severity
from regie.operations.daily.models import Acknowledgement, LogEntry, LogKind
from regie.operations.daily.tests.pages import acknowledged_keys, open_keys, parse

pytestmark = pytest.mark.django_db

URL = "/today/acknowledge/"


def post(client, key, comment="", source="checks", **extra):
    return client.post(URL, {"source": source, "key": key, "comment": comment}, **extra)


def test_acknowledge_moves_the_item_and_writes_the_log(client, technician, site, two_sources):
    client.force_login(technician)
    before = timezone.now()
    response = post(client, "check:1", "Appelé le prestataire pour le NAS de Melle")
    assert response.status_code == 302
    assert response["Location"] == "/today/"

    ack = Acknowledgement.objects.get()
    assert (ack.source_key, ack.item_key, ack.title, ack.url, ack.severity, ack.site) == (
        "checks",
        "check:1",
        "Sauvegarde NAS Melle",
        "/checks/1/",
        Severity.CRITICAL,
        site,
    )
    assert ack.comment == "Appelé le prestataire pour le NAS de Melle"
    assert ack.acknowledged_by == technician
    assert ack.acknowledged_at >= before
    entry = LogEntry.objects.get()
    assert (entry.kind, entry.author, entry.acknowledgement, entry.text, entry.at, entry.site) == (
        LogKind.ACKNOWLEDGEMENT,
        technician,
        ack,
        "Appelé le prestataire pour le NAS de Melle",
        ack.acknowledged_at,
        site,
    )

    page = client.get("/today/")
    assert open_keys(page, "checks") == ["check:3", "check:2", "check:4"]
    assert acknowledged_keys(page, "checks") == ["check:1"]
    done = parse(page).xpath("//li[@data-item-key='check:1']")[0].text_content()
    assert f"Pris en compte par {technician}" in done
    assert "Appelé le prestataire pour le NAS de Melle" in done
    assert "Élément pris en compte." in page.content.decode()


def test_htmx_gets_the_section_back_in_place(client, technician, two_sources):
    client.force_login(technician)
    response = post(client, "check:3", "Vu", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.template_name == "daily/today.html#section"
    assert "HX-Request" in response["Vary"]
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="section-checks"')
    assert "<html" not in body
    assert open_keys(response, "checks") == ["check:1", "check:2", "check:4"]
    assert acknowledged_keys(response, "checks") == ["check:3"]
    assert Acknowledgement.objects.get().item_key == "check:3"


def test_an_empty_comment_is_allowed(client, technician, two_sources):
    client.force_login(technician)
    assert post(client, "finding:7", source="findings").status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.item_key, ack.comment) == ("finding:7", "")
    assert LogEntry.objects.get().text == ""


@pytest.mark.parametrize("key", ["check:99", "finding:7"])  # unknown; known but not in "checks"
def test_an_unknown_or_stale_item_is_refused_and_nothing_written(
    client, technician, two_sources, key
):
    client.force_login(technician)
    response = post(client, key, "Vu")
    assert response.status_code == 400
    assert "ne figure pas (ou plus) dans votre tournée" in response.content.decode()
    assert Acknowledgement.objects.count() == 0
    assert LogEntry.objects.count() == 0


def test_an_item_that_disappeared_is_refused_in_place_with_htmx(client, technician, two_sources):
    checks, _ = two_sources
    client.force_login(technician)
    checks.items = [i for i in checks.items if i.key != "check:2"]  # resolved meanwhile
    response = post(client, "check:2", "Vu", HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 2xx only
    alert = parse(response).xpath("//p[@role='alert']")[0].text_content()
    assert "ne figure pas (ou plus) dans votre tournée" in alert
    assert open_keys(response, "checks") == ["check:1", "check:3", "check:4"]
    assert Acknowledgement.objects.count() == 0
    assert LogEntry.objects.count() == 0


def test_a_comment_too_long_is_refused(client, technician, two_sources):
    client.force_login(technician)
    response = post(client, "check:1", "x" * 1001)
    assert response.status_code == 400
    assert "au plus 1000 caractères" in response.content.decode()
    # The text typed is kept in the form.
    kept = parse(response).xpath("//li[@data-item-key='check:1']//textarea/text()")
    assert kept == ["x" * 1001]
    assert Acknowledgement.objects.count() == 0
    assert post(client, "check:1", "x" * 1000).status_code == 302
    assert len(Acknowledgement.objects.get().comment) == 1000


def test_acknowledging_twice_is_refused(client, technician, admin_user, two_sources):
    client.force_login(technician)
    post(client, "check:1", "Premier")
    client.force_login(admin_user)
    response = post(client, "check:1", "Second")
    assert response.status_code == 400
    assert "déjà été pris en compte" in response.content.decode()
    assert list(Acknowledgement.objects.values_list("comment", flat=True)) == ["Premier"]
    assert LogEntry.objects.count() == 1


def test_reader_and_staff_may_not_acknowledge(client, reader, staff_user, two_sources):
    for user in (reader, staff_user):
        client.force_login(user)
        assert post(client, "check:1", "Vu").status_code == 403
    assert Acknowledgement.objects.count() == 0


def test_correspondent_acknowledges_items_of_their_sites_only(
    client, correspondent, site, two_sources
):
    client.force_login(correspondent)
    assert post(client, "check:2", "Pas chez moi").status_code == 400  # other site
    assert post(client, "check:3", "Sans site").status_code == 400  # the IT team's
    assert Acknowledgement.objects.count() == 0
    assert post(client, "check:4", "Écran rallumé").status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.item_key, ack.site, ack.acknowledged_by) == ("check:4", site, correspondent)


def test_posts_need_the_csrf_token(technician, two_sources):
    client = Client(enforce_csrf_checks=True)
    client.force_login(technician)
    for url, data in [
        (URL, {"source": "checks", "key": "check:1"}),
        ("/today/log/new/", {"text": "Note"}),
        ("/today/hand-over/", {"text": "Relève"}),
    ]:
        assert client.post(url, data).status_code == 403
    assert Acknowledgement.objects.count() == 0
    assert LogEntry.objects.count() == 0


def test_get_is_not_allowed_on_actions(client, technician, two_sources):
    client.force_login(technician)
    assert client.get(URL).status_code == 405
    assert client.get("/today/hand-over/").status_code == 405
