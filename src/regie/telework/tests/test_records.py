"""The charter versions and the remote-access records, edited by hand."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from regie.core.history import history_of
from regie.core.tests.html import content_of, visible_text
from regie.directory.tests.factories import PersonFactory
from regie.telework.models import Charter, RemoteAccess
from regie.telework.tests.factories import CharterFactory, RemoteAccessFactory

pytestmark = pytest.mark.django_db


def test_the_current_charter_is_the_latest_in_force():
    CharterFactory(version="1", effective_date=dt.date(2025, 1, 1))
    second = CharterFactory(version="2", effective_date=dt.date(2026, 3, 1))
    CharterFactory(version="3", effective_date=dt.date(2027, 1, 1))
    in_force = [Charter.current(dt.date(2026, 12, 1)), Charter.current(dt.date(2024, 12, 1))]
    assert in_force == [second, None]


def test_technician_adds_a_charter_version(client, technician):
    client.force_login(technician)
    response = client.post(
        reverse("telework:charter-create"),
        {"version": "2027", "effective_date": "2027-01-01", "text": "Article premier."},
    )
    charter = Charter.objects.get()
    assert response.status_code == 302
    assert (charter.version, charter.effective_date) == ("2027", dt.date(2027, 1, 1))
    assert history_of(charter).get().action == "create"
    listing = client.get(reverse("telework:charter-list"))
    assert [row.obj for row in listing.context["rows"]] == [charter]


def test_remote_access_records_per_role(client, technician, staff_user, reader):
    mine = RemoteAccessFactory(person=staff_user.person)
    theirs = RemoteAccessFactory(person=PersonFactory())
    client.force_login(reader)
    listing = client.get(reverse("telework:remoteaccess-list"))
    assert {row.obj for row in listing.context["rows"]} == {mine, theirs}
    assert client.get(reverse("telework:remoteaccess-update", args=[mine.pk])).status_code == 403
    client.force_login(staff_user)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(technician)
    response = client.post(
        reverse("telework:remoteaccess-update", args=[theirs.pk]),
        {
            "person": theirs.person.pk,
            "mfa_enrolled": "",
            "office365_licence": "on",
            "recorded_on": "2026-11-20",
            "source": "Appel",
        },
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.mfa_enrolled, theirs.source) == (False, "Appel")
    assert RemoteAccess.objects.count() == 2


def test_remote_access_list_says_yes_and_no(client, reader):
    RemoteAccessFactory(person=PersonFactory(), mfa_enrolled=True, office365_licence=False)
    client.force_login(reader)
    html = client.get(reverse("telework:remoteaccess-list")).content.decode()
    cells = re.findall(r"<td>([^<]*)</td>", content_of(html))
    assert cells[:2] == ["Oui", "Non"]
    assert "True" not in visible_text(html)
    assert "False" not in visible_text(html)
