"""The "Aujourd'hui" page: what each role sees, in which order, and the empty state."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.core.events import Severity
from regie.operations.daily.models import LogEntry
from regie.operations.daily.tests.conftest import RecordingSource, item
from regie.operations.daily.tests.pages import (
    ack_forms,
    open_keys,
    parse,
    section_ids,
)

pytestmark = pytest.mark.django_db

URL = "/today/"
ALL_CHECKS = ["check:1", "check:3", "check:2", "check:4"]


def test_url_name():
    assert reverse("daily:today") == URL


@pytest.mark.parametrize("persona", ["admin_user", "technician"])
def test_it_team_sees_every_item_by_severity_then_age_and_may_acknowledge(
    request, client, two_sources, persona
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)
    assert response.status_code == 200
    assert section_ids(response) == ["section-checks", "section-findings"]
    # Critical first (the older of the two first), then warning, then information.
    assert open_keys(response, "checks") == ALL_CHECKS
    assert open_keys(response, "findings") == ["finding:7"]
    assert len(ack_forms(response)) == 5
    page = parse(response)
    first = page.xpath("//li[@data-item-key='check:1']")[0]
    assert first.xpath(".//a[@class='round-item-title']/@href") == ["/checks/1/"]
    assert first.xpath(".//a[@class='round-item-title']/text()") == ["Sauvegarde NAS Melle"]
    assert first.xpath(".//span[contains(@class, 'badge-severity-critical')]/text()") == [
        "Critique"
    ]
    assert "Détail de check:1" in first.text_content()
    assert "depuis 2\xa0heures" in first.text_content()
    assert page.xpath("//h2[@id='section-checks-title']/text()")[0].strip() == (
        "Contrôles en échec"
    )


def test_reader_sees_everything_and_acknowledges_nothing(client, reader, two_sources):
    client.force_login(reader)
    response = client.get(URL)
    assert response.status_code == 200
    assert open_keys(response, "checks") == ALL_CHECKS
    assert ack_forms(response) == []
    assert b"hand-over-form" not in response.content


def test_correspondent_sees_only_the_items_of_their_sites(client, correspondent, two_sources):
    client.force_login(correspondent)
    response = client.get(URL)
    assert response.status_code == 200
    # check:2 is on the other site, check:3 on no site: both are the IT team's.
    assert open_keys(response, "checks") == ["check:1", "check:4"]
    assert open_keys(response, "findings") == ["finding:7"]
    assert len(ack_forms(response)) == 3
    assert b"hand-over-form" not in response.content
    checks, _ = two_sources
    assert checks.calls[-1][0] == correspondent


def test_staff_gets_403_and_anonymous_the_login_page(client, staff_user, two_sources):
    client.force_login(staff_user)
    assert client.get(URL).status_code == 403
    client.logout()
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    checks, _ = two_sources
    assert checks.calls == []


def test_with_no_source_the_page_says_there_is_nothing_to_do(client, technician, sources):
    client.force_login(technician)
    response = client.get(URL)
    assert response.status_code == 200
    assert section_ids(response) == []
    assert (
        "Rien à voir"
        in parse(response).xpath("//div[contains(@class, 'empty-round')]")[0].text_content()
    )


def test_sources_with_nothing_to_report_give_the_empty_state(client, technician, sources):
    RecordingSource("checks", "Contrôles", 10, [])
    client.force_login(technician)
    response = client.get(URL)
    assert section_ids(response) == []
    assert b"empty-round" in response.content


def test_a_failing_source_is_reported_and_the_others_still_show(
    client, technician, sources, caplog
):
    def broken(user, since):
        raise RuntimeError("base injoignable")

    from regie.core.rounds import RoundSource, register_source

    register_source(RoundSource(key="broken", label="Cassé", order=1, items=broken))
    RecordingSource("checks", "Contrôles", 10, [item("check:9", Severity.INFO, timedelta(0))])
    client.force_login(technician)
    response = client.get(URL)
    assert response.status_code == 200
    assert section_ids(response) == ["section-broken", "section-checks"]
    assert open_keys(response, "checks") == ["check:9"]
    assert "n'a pas pu être chargée" in response.content.decode()
    assert "round source 'broken' failed" in caplog.text


def test_sources_get_the_last_hand_over_time_as_since(client, technician, two_sources):
    from regie.operations.daily.services import hand_over

    checks, findings = two_sources
    client.force_login(technician)
    client.get(URL)
    assert checks.calls[-1] == (technician, None)
    note = hand_over(user=technician, text="RAS, le NAS de Melle redémarre seul.")
    client.get(URL)
    assert checks.calls[-1] == (technician, note.at)
    assert findings.calls[-1] == (technician, note.at)


def test_the_last_hand_over_note_is_shown_at_the_top(client, technician, admin_user, two_sources):
    from regie.operations.daily.services import hand_over

    old = hand_over(user=admin_user, text="Ancienne consigne")
    LogEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=1))
    latest = hand_over(user=admin_user, text="Le prestataire passe à 14 h à Melle.")
    LogEntry.objects.filter(pk=latest.pk).update(at=timezone.now() - timedelta(hours=3))
    client.force_login(technician)
    response = client.get(URL)
    box = parse(response).xpath("//section[contains(@class, 'hand-over')]")[0]
    assert "Le prestataire passe à 14 h à Melle." in box.text_content()
    assert "Ancienne consigne" not in box.text_content()
    assert str(admin_user) in box.text_content()
    # Items that appeared after the note (3 hours ago) are marked new, older ones are not.
    new = parse(response).xpath("//li[.//span[contains(@class, 'badge-new')]]/@data-item-key")
    assert new == ["check:1", "check:3", "check:4"]


def test_hand_over_notes_are_hidden_from_correspondents(
    client, correspondent, technician, two_sources
):
    from regie.operations.daily.services import hand_over

    hand_over(user=technician, text="Note interne à l'équipe")
    client.force_login(correspondent)
    response = client.get(URL)
    assert "Note interne" not in response.content.decode()


def test_menu_has_the_entry_for_the_it_team_not_for_staff(client, technician, staff_user, sources):
    client.force_login(technician)
    menu = parse(client.get("/")).xpath("//nav[@id='mainnav']//a")
    assert ("Aujourd'hui", URL) in [(a.text_content(), a.get("href")) for a in menu]
    client.force_login(staff_user)
    menu = parse(client.get("/")).xpath("//nav[@id='mainnav']//a")
    assert URL not in [a.get("href") for a in menu]


def test_the_page_has_a_print_stylesheet(client, technician, sources):
    client.force_login(technician)
    response = client.get(URL)
    assert "/static/daily/daily.css" in parse(response).xpath("//link[@rel='stylesheet']/@href")
    from django.contrib.staticfiles import finders

    with open(finders.find("daily/daily.css"), encoding="utf-8") as css:
        assert "@media print" in css.read()
