"""Mes sessions: each signed-in browser is listed, and the user can end it or all the others."""

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regie.accounts.models import UserSession
from regie.accounts.tests.conftest import PASSWORD
from regie.core.models import Role
from regie.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


def signed_in(username, address, agent):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_each_login_is_listed_with_browser_address_and_the_current_one_marked(alice):
    office = signed_in("alice", "192.0.2.10", FIREFOX)
    phone = signed_in("alice", "198.51.100.7", PHONE)
    assert UserSession.objects.filter(user=alice).count() == 2
    page = office.get(reverse("accounts:sessions"))
    content = page.content.decode()
    assert "Firefox · Windows" in content
    assert "Chrome · Android" in content
    assert "192.0.2.10" in content and "198.51.100.7" in content
    assert content.count("Cette session") == 1
    rows = page.context["sessions"]
    assert rows[0]["current"] and rows[0]["row"].address == "192.0.2.10"
    assert phone.get(reverse("home")).status_code == 200


def test_last_seen_is_written_at_most_once_a_minute(alice):
    client = signed_in("alice", "192.0.2.10", FIREFOX)
    row = UserSession.objects.get(user=alice)
    first = row.last_seen_at
    client.get(reverse("home"))
    row.refresh_from_db()
    assert row.last_seen_at == first
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        client.get(reverse("home"))
    row.refresh_from_db()
    assert row.last_seen_at > first


def test_ending_a_session_signs_that_browser_out(alice):
    office = signed_in("alice", "192.0.2.10", FIREFOX)
    phone = signed_in("alice", "198.51.100.7", PHONE)
    target = UserSession.objects.get(address="198.51.100.7")
    response = office.post(reverse("accounts:session-end", args=[target.pk]))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=target.session_key).exists()
    assert not UserSession.objects.filter(pk=target.pk).exists()
    assert phone.get(reverse("home"))["Location"].startswith(reverse("login"))
    assert office.get(reverse("home")).status_code == 200


def test_end_all_other_sessions_keeps_the_current_one(alice):
    office = signed_in("alice", "192.0.2.10", FIREFOX)
    others = [signed_in("alice", f"198.51.100.{n}", PHONE) for n in (1, 2)]
    response = office.post(reverse("accounts:sessions-end-others"), follow=True)
    assert "Autres sessions fermées : 2." in response.content.decode()
    assert UserSession.objects.filter(user=alice).count() == 1
    for client in others:
        assert client.get(reverse("home")).status_code == 302
    assert office.get(reverse("home")).status_code == 200


def test_another_users_session_cannot_be_ended(alice):
    signed_in("alice", "192.0.2.10", FIREFOX)
    UserFactory(username="bob", role=Role.READER)
    bob = signed_in("bob", "192.0.2.20", FIREFOX)
    target = UserSession.objects.get(user=alice)
    assert bob.post(reverse("accounts:session-end", args=[target.pk])).status_code == 404
    assert Session.objects.filter(session_key=target.session_key).exists()
    assert bob.post(reverse("accounts:sessions-end-others")).status_code == 302
    assert Session.objects.filter(session_key=target.session_key).exists()


def test_ending_a_session_needs_a_post_with_csrf(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get(reverse("home"))
    row = UserSession.objects.get(user=alice)
    assert client.get(reverse("accounts:session-end", args=[row.pk])).status_code == 405
    assert client.post(reverse("accounts:session-end", args=[row.pk])).status_code == 403
    assert UserSession.objects.filter(pk=row.pk).exists()


def test_logged_out_sessions_are_not_listed(alice):
    gone = signed_in("alice", "192.0.2.10", FIREFOX)
    gone.post(reverse("logout"))
    here = signed_in("alice", "192.0.2.11", FIREFOX)
    rows = here.get(reverse("accounts:sessions")).context["sessions"]
    assert [item["row"].address for item in rows] == ["192.0.2.11"]
    assert UserSession.objects.filter(user=alice).count() == 1


def test_password_change_in_regies_look(client, alice):
    client.force_login(alice)
    page = client.get(reverse("accounts:password-change"))
    assert "Changer mon mot de passe" in page.content.decode()
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-mot-2026!",
            "new_password2": "Nouveau-mot-2026!",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("Nouveau-mot-2026!")
    assert client.get(reverse("home")).status_code == 200  # this session stays signed in


def test_api_token_requests_record_no_session(alice):
    from regie.core.testing import bearer_client

    assert bearer_client(alice).get("/api/v1/assets/").status_code == 200
    assert not UserSession.objects.exists()
    assert not Session.objects.exists()
