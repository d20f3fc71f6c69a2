import pytest
from django.urls import reverse

from regie.core.models import Role
from regie.core.tests.factories import UserFactory


@pytest.fixture
def camille(db):
    return UserFactory(username="camille", role=Role.TECHNICIAN, password="Bon-mot-de-passe-1")


def login(client, password, address="192.0.2.10"):
    return client.post(
        reverse("login"),
        {"username": "camille", "password": password},
        REMOTE_ADDR=address,
    )


def test_good_password_logs_in(client, camille):
    response = login(client, "Bon-mot-de-passe-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(camille.pk)


def test_fifth_failure_locks_the_account_even_for_the_right_password(client, camille, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        assert login(client, "mauvais").status_code == 200
    locked = login(client, "mauvais")
    assert locked.status_code == 429
    assert login(client, "Bon-mot-de-passe-1").status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_is_per_address(client, camille, settings):
    settings.AXES_FAILURE_LIMIT = 2
    login(client, "mauvais")
    assert login(client, "mauvais").status_code == 429
    assert login(client, "Bon-mot-de-passe-1", address="192.0.2.99").status_code == 302
