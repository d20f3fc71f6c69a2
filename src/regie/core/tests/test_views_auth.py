"""Logging in and out, login throttling, the language switch, and no CDN anywhere."""

import pytest
from django.urls import reverse

from regie.core.testing import EXTERNAL_ASSET
from regie.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-de-test"  # noqa: S105  # the factories' test password


def test_login_page_is_french_and_logs_in(client):
    UserFactory(username="camille")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    content = page.content.decode()
    assert '<html lang="fr">' in content
    assert "Connexion" in content
    assert 'for="id_username"' in content
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"]


def test_wrong_password_is_refused_in_french(client):
    UserFactory(username="camille")
    response = client.post(reverse("login"), {"username": "camille", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_with_an_explanation(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="camille")
    for _ in range(2):
        assert (
            client.post(reverse("login"), {"username": "camille", "password": "x"}).status_code
            == 200
        )
    response = client.post(reverse("login"), {"username": "camille", "password": "x"})
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert "Réessayez dans 15 minutes." in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "camille", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, technician):
    client.force_login(technician)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_base_layout_has_skip_link_csrf_header_user_and_local_htmx(client, technician):
    technician.first_name, technician.last_name = "Camille", "Roux"
    technician.save()
    client.force_login(technician)
    content = client.get(reverse("home")).content.decode()
    assert '<a class="skip-link" href="#main">Aller au contenu</a>' in content
    assert 'hx-headers=\'{"x-csrftoken": "' in content
    assert "Camille Roux" in content
    assert '<script src="/static/django_htmx/htmx-2.min.js" defer></script>' in content
    assert f'action="{reverse("logout")}" method="post"' in content
    assert not EXTERNAL_ASSET.search(content)


def test_switching_to_english_shows_english_labels(client, technician, colleague_asset):
    client.force_login(technician)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/fleet/assets/"})
    assert response.status_code == 302
    assert response["Location"] == "/fleet/assets/"
    content = client.get("/fleet/assets/").content.decode()
    assert '<html lang="en">' in content
    assert "<h1>Assets</h1>" in content
    assert ">Inventory number</a>" in content
    assert '<span class="badge badge-in_service">In service</span>' in content
    assert ">Equipment</a>" in content and ">Fleet</span>" in content
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    content = client.get("/fleet/assets/").content.decode()
    assert "<h1>Équipements</h1>" in content
    assert ">N° d&#x27;inventaire</a>" in content
    assert '<span class="badge badge-in_service">En service</span>' in content


def test_error_pages_are_french(client, reader, outside_asset):
    client.force_login(reader)
    response = client.get(reverse("assets:asset-update", args=[outside_asset.pk]))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    response = client.get("/fleet/assets/999999/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
