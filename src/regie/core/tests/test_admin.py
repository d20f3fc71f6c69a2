import pytest
from django.urls import reverse

from regie.core.history import history_of
from regie.core.models import ChangeAction, Role
from regie.core.tests.factories import UserFactory


@pytest.mark.django_db
def test_admin_role_opens_account_administration_without_django_staff_flag(client, admin_user):
    assert admin_user.is_staff is False
    client.force_login(admin_user)
    response = client.get("/admin/core/user/")
    assert response.status_code == 200
    assert admin_user.username.encode() in response.content


@pytest.mark.parametrize("persona", ["technician", "reader", "correspondent", "staff_user"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/core/user/", "/admin/login/?next=/admin/"])
def test_other_roles_get_a_403_page_not_a_redirect_loop(client, request, persona, path):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(path, follow=True)
    assert response.redirect_chain == []
    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
    assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/core/user/"])
def test_anonymous_visitors_get_the_login_page_once(client, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain == [(f"{reverse('login')}?next={path}", 302)]
    assert response.status_code == 200
    assert "registration/login.html" in [template.name for template in response.templates]


@pytest.mark.django_db
def test_role_change_in_admin_is_recorded(client, admin_user):
    target = UserFactory(username="nadia", role=Role.STAFF)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/core/user/{target.pk}/change/",
        {
            "username": "nadia",
            "first_name": target.first_name,
            "last_name": target.last_name,
            "email": target.email,
            "role": Role.TECHNICIAN,
            "is_active": "on",
            "last_login_0": "",
            "date_joined_0": "",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.TECHNICIAN
    record = history_of(target).get()
    assert (record.action, record.field, record.actor) == (ChangeAction.UPDATE, "role", admin_user)


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator(monkeypatch):
    from django.core.management import call_command

    from regie.core.models import User

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Un-mot-de-passe-2026")
    call_command("createsuperuser", interactive=False, username="chef", email="chef@example.org")
    chef = User.objects.get(username="chef")
    assert (chef.role, chef.is_superuser, chef.effective_role) == (Role.ADMIN, True, Role.ADMIN)
    assert chef.check_password("Un-mot-de-passe-2026")
