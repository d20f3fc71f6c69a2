"""The login's second step, enrolment required by role, and what an unverified session reaches.

Codes are computed the way an authenticator app computes them (django-otp's RFC 6238 TOTP).
"""

import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from regie.accounts.factors import SECOND_FACTOR, new_recovery_codes
from regie.accounts.models import AccountSecurity
from regie.accounts.tests.conftest import PASSWORD, current_code
from regie.core.models import Role
from regie.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def password_step(client, username="alice", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_settings_default_requires_admins_and_technicians(monkeypatch):
    import importlib

    import regie.settings

    monkeypatch.delenv("REGIE_MFA_REQUIRED_ROLES", raising=False)
    assert importlib.reload(regie.settings).MFA_REQUIRED_ROLES == ["admin", "technician"]
    monkeypatch.setenv("REGIE_MFA_REQUIRED_ROLES", "none")
    assert importlib.reload(regie.settings).MFA_REQUIRED_ROLES == []
    monkeypatch.setenv("REGIE_MFA_REQUIRED_ROLES", "admin,chef")
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="chef"):
        importlib.reload(regie.settings)
    monkeypatch.delenv("REGIE_MFA_REQUIRED_ROLES")
    importlib.reload(regie.settings)


def test_account_with_totp_is_asked_for_it_then_verified(client, alice, alice_totp):
    response = password_step(client)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("login-verify"))
    page = client.get(home["Location"])
    assert "Second facteur" in page.content.decode()
    response = client.post(
        reverse("login-verify"), {"code": current_code(alice_totp), "next": "/fleet/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fleet/"
    assert client.session[SECOND_FACTOR] == "totp"
    assert client.get(reverse("home")).status_code == 200


def test_wrong_code_is_refused_and_leaves_the_session_unverified(client, alice, alice_totp):
    password_step(client)
    wrong = f"{(int(current_code(alice_totp)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("login-verify"), {"code": wrong})
    assert response.status_code == 200
    assert "Ce code est faux, déjà utilisé ou expiré." in response.content.decode()
    assert SECOND_FACTOR not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_a_totp_code_cannot_be_replayed(client, alice, alice_totp):
    code = current_code(alice_totp)
    password_step(client)
    assert client.post(reverse("login-verify"), {"code": code}).status_code == 302
    other = client.__class__()
    password_step(other)
    response = other.post(reverse("login-verify"), {"code": code})
    assert response.status_code == 200
    assert SECOND_FACTOR not in other.session


def test_recovery_code_signs_in_once(client, alice, alice_totp):
    codes = new_recovery_codes(user=alice)
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=alice).count() == 10
    # Stored hashed: no code appears as such in the database.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert not {code.replace("-", "") for code in codes} & stored
    password_step(client)
    response = client.post(reverse("login-verify"), {"code": codes[3].upper()}, follow=True)
    assert client.session[SECOND_FACTOR] == "recovery"
    assert "Codes de secours restants : 9" in response.content.decode()
    assert StaticToken.objects.filter(device__user=alice).count() == 9
    other = client.__class__()
    password_step(other)
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        refused = other.post(reverse("login-verify"), {"code": codes[3]})
    assert refused.status_code == 200
    assert SECOND_FACTOR not in other.session


def test_user_without_factor_and_role_not_required_passes(client, mfa_required):
    reader = UserFactory(username="lecteur", role=Role.READER)
    password_step(client, "lecteur")
    assert client.get(reverse("home")).status_code == 200
    assert reader.pk


def test_a_reader_promoted_while_signed_in_is_sent_to_enrolment(client, mfa_required):
    """The sign-in noted "no factor, none required" for the reader's role only."""
    reader = UserFactory(username="lecteur", role=Role.READER)
    password_step(client, "lecteur")
    assert client.get(reverse("home")).status_code == 200
    reader.role = Role.TECHNICIAN
    reader.save()
    promoted = client.get(reverse("home"))
    assert promoted.status_code == 302
    assert promoted["Location"].startswith(reverse("accounts:factor-add"))


def test_a_factor_added_from_another_browser_is_asked_at_the_next_sign_in(client, mfa_required):
    reader = UserFactory(username="lecteur", role=Role.READER)
    password_step(client, "lecteur")
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.create(user=reader, name="Téléphone", confirmed=True)
    client.logout()
    password_step(client, "lecteur")
    asked = client.get(reverse("home"))
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("login-verify"))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TECHNICIAN])
def test_required_role_without_factor_reaches_only_enrolment(client, mfa_required, role):
    UserFactory(username="chef", role=role, is_staff=role == Role.ADMIN)
    assert password_step(client, "chef").status_code == 302
    for url in [
        "/",
        "/fleet/assets/",
        "/directory/people/",
        "/helpdesk/tickets/",
        "/admin/",
        "/account/",
        "/account/sessions/",
        "/account/tokens/",
        "/login/verify/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:factor-add")), url
    api = client.get("/api/v1/assets/")
    assert api.status_code == 403
    assert "second facteur" in api.json()["detail"]
    assert client.post("/api/v1/assets/", {}, content_type="application/json").status_code == 403
    enrol = client.get(reverse("accounts:factor-add"))
    assert enrol.status_code == 200
    assert "<svg" in enrol.content.decode()
    # What stays open: logging out, the language, health.
    assert client.get("/health").status_code in {200, 503}
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_enrolment_with_totp_then_recovery_codes_then_every_page(client, alice, mfa_required):
    password_step(client)
    assert client.get(reverse("accounts:factor-add")).status_code == 200
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    wrong = client.post(reverse("accounts:factor-add"), {"name": "Téléphone", "code": "000000"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        response = client.post(
            reverse("accounts:factor-add"), {"name": "Téléphone", "code": current_code(device)}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:recovery-codes")
    device.refresh_from_db()
    assert device.confirmed and device.name == "Téléphone"
    assert client.session[SECOND_FACTOR] == "totp"
    shown = client.get(reverse("accounts:recovery-codes")).content.decode()
    assert shown.count("<li><code>") == 10
    # Shown once only.
    again = client.get(reverse("accounts:recovery-codes")).content.decode()
    assert "<li><code>" not in again
    assert client.get(reverse("home")).status_code == 200
    # The next login asks for the new factor.
    client.post(reverse("logout"))
    password_step(client)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login-verify"))


def test_exempt_account_signs_in_with_a_password_alone(client, alice, mfa_required):
    AccountSecurity.objects.create(user=alice, mfa_exempt=True)
    password_step(client)
    assert client.get(reverse("home")).status_code == 200


def test_exempt_account_with_a_factor_is_still_asked_for_it(client, alice, alice_totp):
    AccountSecurity.objects.create(user=alice, mfa_exempt=True)
    password_step(client)
    assert client.get(reverse("home")).status_code == 302


def test_password_alone_cannot_add_a_factor_to_an_account_that_has_one(client, alice, alice_totp):
    password_step(client)
    response = client.get(reverse("accounts:factor-add"))
    assert response["Location"].startswith(reverse("login-verify"))
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 302
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_sso_marker_counts_as_verified(client, alice, alice_totp, mfa_required):
    client.force_login(alice)
    session = client.session
    session[SECOND_FACTOR] = "sso"
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_token_api_requests_are_not_sessions_and_pass(alice, mfa_required):
    from regie.core.testing import bearer_client

    assert bearer_client(alice).get("/api/v1/assets/").status_code == 200


def test_remove_factor_needs_the_password(client, alice, alice_totp):
    client.force_login(alice)
    session = client.session
    session[SECOND_FACTOR] = "totp"
    session.save()
    new_recovery_codes(user=alice)
    url = reverse("accounts:totp-remove", args=[alice_totp.pk])
    wrong = client.post(url, {"password": "pas-le-bon"})
    assert wrong.status_code == 200
    assert "Ce n'est pas votre mot de passe." in html.unescape(wrong.content.decode())
    assert TOTPDevice.objects.filter(pk=alice_totp.pk).exists()
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=alice_totp.pk).exists()
    # The last factor gone, the recovery codes go with it and the session must enrol again.
    assert not StaticToken.objects.filter(device__user=alice).exists()
    assert SECOND_FACTOR not in client.session


def test_removed_factor_no_longer_signs_in(client, alice, alice_totp):
    code = current_code(alice_totp)
    alice_totp.delete()
    password_step(client)
    assert client.get(reverse("home")).status_code == 200  # no factor left: not asked
    assert client.post(reverse("login-verify"), {"code": code}).status_code == 302
    assert SECOND_FACTOR not in client.session


def test_cannot_remove_another_users_factor(client, alice, alice_totp):
    bob = UserFactory(username="bob", role=Role.READER)
    client.force_login(bob)
    url = reverse("accounts:totp-remove", args=[alice_totp.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"password": PASSWORD}).status_code == 404
    assert TOTPDevice.objects.filter(pk=alice_totp.pk).exists()


def test_code_without_csrf_token_is_refused(alice, alice_totp):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("login-verify"), {"code": current_code(alice_totp)})
    assert response.status_code == 403
    assert SECOND_FACTOR not in client.session


def test_regenerating_recovery_codes_replaces_the_old_ones(client, alice, alice_totp):
    old = new_recovery_codes(user=alice)
    client.force_login(alice)
    session = client.session
    session[SECOND_FACTOR] = "totp"
    session.save()
    page = client.post(reverse("accounts:recovery-codes"), follow=True).content.decode()
    assert page.count("<li><code>") == 10
    assert old[0] not in page
    other = client.__class__()
    password_step(other)
    assert other.post(reverse("login-verify"), {"code": old[0]}).status_code == 200
    assert SECOND_FACTOR not in other.session


def test_passkey_scripts_speak_french(client):
    import json
    import re

    catalog = client.get(reverse("otp_webauthn:js-i18n-catalog")).content.decode()
    found = re.search(r'"Registration successful!": ("[^"]*")', catalog)
    assert found and json.loads(found.group(1)) == "Clé d'accès enregistrée."
