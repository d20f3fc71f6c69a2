"""In a real Chromium: a technician sets up an authenticator app when first signing in, then
signs in with a code; an administrator registers a passkey with Chromium's virtual
authenticator (CDP WebAuthn domain), then signs in with the passkey alone and with it as the
second step. The live server answers on "localhost": browsers refuse an IP address as a
passkey's relying party.

Needs Debian's ``chromium``; skipped without it unless ``REGIE_REQUIRE_BROWSER`` is set.
"""

import base64
import re

import pytest
from django.db import connections
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from regie.accounts.models import UserSession
from regie.accounts.tests.conftest import PASSWORD
from regie.core.models import Role
from regie.core.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def closing_connections():
    yield
    connections.close_all()


def sign_in_with_password(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def log_out(page):
    if "/admin/" in page.url:
        page.goto(page.url.split("/admin/")[0] + "/")
    page.locator("details.account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r"/login/"))


def code_from_secret(secret, drift=0):
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, drift=drift):06d}"


def test_totp_enrolment_then_login_with_a_code(
    live_server, browser_page, settings, closing_connections
):
    settings.MFA_REQUIRED_ROLES = ["admin", "technician"]
    user = UserFactory(username="camille", role=Role.TECHNICIAN)
    page = browser_page
    sign_in_with_password(page, live_server.url, "camille")
    page.wait_for_url(re.compile(r"/account/factors/add/"))
    # Nothing else opens before a factor is set up.
    for path in ("/", "/admin/", "/fleet/assets/", "/account/sessions/"):
        page.goto(f"{live_server.url}{path}")
        assert "/account/factors/add/" in page.url, path
    page.goto(f"{live_server.url}/api/v1/assets/")
    assert "second facteur" in page.content()
    page.goto(f"{live_server.url}/account/factors/add/")
    assert page.locator(".totp-qr svg").is_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.fill("input[name=name]", "Téléphone de Camille")
    page.fill("input[name=code]", code_from_secret(secret))
    page.get_by_role("button", name="Valider l'application").click()
    page.wait_for_url(re.compile(r"/account/recovery-codes/"))
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Je les ai notés").click()
    assert page.get_by_role("cell", name="Téléphone de Camille").is_visible()
    assert TOTPDevice.objects.get(user=user).confirmed

    log_out(page)
    sign_in_with_password(page, live_server.url, "camille")
    page.wait_for_url(re.compile(r"/login/verify/"))
    # The code of the next 30 s step: the app's clock may run ahead (one step tolerated), and
    # the code used at enrolment cannot be used twice.
    page.fill("input[name=code]", code_from_secret(secret, drift=1))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/account/sessions/")
    assert page.get_by_text("Cette session").is_visible()
    assert UserSession.objects.filter(user=user).count() >= 1


def add_virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, authenticator["authenticatorId"]


def test_passkey_registered_then_used_alone_and_as_second_step(
    live_server, browser_page, settings, closing_connections
):
    settings.MFA_REQUIRED_ROLES = ["admin", "technician"]
    user = UserFactory(username="dominique", role=Role.ADMIN, is_staff=True, is_superuser=True)
    page = browser_page
    cdp, authenticator_id = add_virtual_authenticator(page)
    sign_in_with_password(page, live_server.url, "dominique")
    page.wait_for_url(re.compile(r"/account/factors/add/"))
    page.get_by_role("button", name="Enregistrer une clé d'accès").click()
    page.wait_for_url(re.compile(r"/account/recovery-codes/"))
    assert len(page.locator("#recovery-codes li").all_inner_texts()) == 10
    credential = WebAuthnCredential.objects.get(user=user)
    assert credential.confirmed
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
    assert len(stored["credentials"]) == 1
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/" in page.url

    # A passkey alone signs in: it is two factors (the device and its user verification).
    log_out(page)
    page.get_by_role("button", name="Se connecter avec une clé d'accès").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/" in page.url and "/login" not in page.url

    # As the second step after the password.
    log_out(page)
    sign_in_with_password(page, live_server.url, "dominique")
    page.wait_for_url(re.compile(r"/login/verify/"))
    page.get_by_role("button", name="Utiliser une clé d'accès").click()
    page.wait_for_url(f"{live_server.url}/")
    credential.refresh_from_db()
    assert credential.sign_count >= 2 or credential.last_used_at is not None
