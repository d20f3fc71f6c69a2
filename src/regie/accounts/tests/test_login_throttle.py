"""Failed logins block an address, and only slow an account down: an attacker typing a user's
name from elsewhere cannot keep that user out."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from regie.accounts.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, password, address="192.0.2.10", username="alice"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_good_password_logs_in(client, alice):
    assert login(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_many_failures_from_one_address_block_that_address(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for n in range(4):
        # Several accounts, so the per-account slow-down does not answer first.
        assert login(client, "mauvais", username=f"inconnu{n}").status_code == 200
    assert login(client, "mauvais", username="autre").status_code == 429
    blocked = login(client, PASSWORD)
    assert blocked.status_code == 429
    assert "Trop de connexions échouées depuis cette adresse." in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # The account itself is not blocked: from another address the right password works.
    assert login(client, PASSWORD, address="192.0.2.99").status_code == 302


def test_failures_on_one_account_only_slow_it_down(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    for n in range(3):
        assert login(client, "mauvais", address=f"203.0.113.{n}").status_code == 200
    # The fourth try from anywhere waits a second, without checking the password.
    refused = login(client, PASSWORD, address="192.0.2.50")
    assert refused.status_code == 200
    assert "Réessayez dans 1 seconde." in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # After the wait the right password works, from any address.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2)):
        assert login(client, PASSWORD, address="192.0.2.50").status_code == 302


def test_the_wait_grows_and_stops_at_a_minute(client, alice, settings):
    from regie.accounts import throttle

    settings.AXES_FAILURE_LIMIT = 1000
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(10):
            response = login(client, "mauvais", address="203.0.113.9")
            assert "Réessayez" not in response.content.decode()  # each try was checked
            wait = throttle.seconds_to_wait("ALICE")
            waits.append(wait)
            clock.shift(wait)
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_failures_are_forgotten_after_a_quarter_of_an_hour(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 1000
    for _ in range(5):
        with time_machine.travel(timezone.now() + timezone.timedelta(seconds=120)):
            login(client, "mauvais", address="203.0.113.1")
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=20)):
        assert login(client, PASSWORD).status_code == 302
