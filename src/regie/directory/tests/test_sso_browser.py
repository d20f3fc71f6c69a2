"""Single sign-on in a real Chromium, against a real OpenID provider on loopback: the
certified ``oidc-provider`` from npm (tests/oidc-provider/server.js), answering with the
claims Entra ID puts in its ID tokens (oid, tid, preferred_username, groups, roles, amr).

Régie is configured as for Entra ID (tenant id set, so ``oid`` is the person's id) with its
issuer pointed at the loopback provider. Needs Node.js and ``npm ci --prefix
tests/oidc-provider``; skipped without them unless ``REGIE_REQUIRE_OIDC`` is set (CI), and
without Chromium unless ``REGIE_REQUIRE_BROWSER`` is.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connections

from regie.core.models import ChangeRecord, Role, User
from regie.core.testing import free_port
from regie.directory.models import Person

pytestmark = pytest.mark.browser

REQUIRED = os.environ.get("REGIE_REQUIRE_OIDC", "").lower() in {"1", "true", "yes", "on"}
PROVIDER_DIR = Path(__file__).resolve().parents[4] / "tests" / "oidc-provider"
SECRET = "test-client-secret"  # noqa: S105  # the loopback provider's test client
TECH_GROUP = "5e0c1f7a-0000-4000-8000-00000000e001"
ADMIN_GROUP = "5e0c1f7a-0000-4000-8000-00000000e002"
OTHER_GROUP = "5e0c1f7a-0000-4000-8000-00000000e0ff"
TENANT = "0a1b2c3d-0000-4000-8000-000000000001"


def account(number: int, username: str, groups: list[str], amr: list[str]) -> dict[str, object]:
    return {
        "sub": f"pairwise-sub-{number}",
        "oid": f"00000000-0000-4000-8000-{number:012d}",
        "tid": TENANT,
        "preferred_username": f"{username}@ville-exemple.fr",
        "name": f"{username.capitalize()} Agent",
        "given_name": username.capitalize(),
        "family_name": "Agent",
        "email": f"{username}@ville-exemple.fr",
        "groups": groups,
        "roles": [],
        "amr": amr,
    }


ACCOUNTS = {
    "tech": account(1, "tech", [OTHER_GROUP, TECH_GROUP], ["pwd", "mfa"]),
    "agent": account(2, "agent", [OTHER_GROUP], ["pwd"]),
    "mover": account(3, "mover", [ADMIN_GROUP], ["pwd", "mfa"]),
    "gone": account(4, "gone", [TECH_GROUP], ["pwd"]),
}


def require(condition: bool, message: str) -> None:
    if not condition:
        if REQUIRED:
            pytest.fail(f"{message}, and REGIE_REQUIRE_OIDC is set")
        pytest.skip(message)


@pytest.fixture(scope="module")
def oidc_provider(live_server, tmp_path_factory):
    node = shutil.which("node")
    require(node is not None, "node is not installed (Debian package nodejs)")
    require(
        (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir(),
        "the test provider is not installed (npm ci --prefix tests/oidc-provider)",
    )
    accounts_file = tmp_path_factory.mktemp("oidc") / "accounts.json"
    accounts_file.write_text(json.dumps(ACCOUNTS))
    port = free_port()
    process = subprocess.Popen(  # noqa: S603  # fixed arguments
        [str(node), "server.js"],
        cwd=PROVIDER_DIR,
        env={
            **os.environ,
            "PORT": str(port),
            "REDIRECT_URI": f"{live_server.url}/oidc/callback/",
            "CLIENT_ID": "regie",
            "CLIENT_SECRET": SECRET,
            "ACCOUNTS_FILE": str(accounts_file),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2):  # noqa: S310  # loopback
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.communicate()[0].decode(errors="replace")
                pytest.fail(f"the test OpenID provider did not start:\n{output}")
            time.sleep(0.1)
    try:
        yield issuer, accounts_file
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(oidc_provider, live_server, settings):
    issuer, accounts_file = oidc_provider
    settings.OIDC_TENANT_ID = TENANT  # Entra ID's claims: the person is found by oid
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = "regie"
    settings.OIDC_CLIENT_SECRET = SECRET
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLES = {"admin": [ADMIN_GROUP], "technician": [TECH_GROUP]}
    settings.OIDC_LABEL = ""
    settings.PUBLIC_URL = live_server.url
    yield accounts_file
    accounts_file.write_text(json.dumps(ACCOUNTS))
    connections.close_all()


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Se connecter avec Microsoft").click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/interaction/"))
    page.fill("input[name=username]", username)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
def test_a_technician_group_member_lands_on_the_home_page_as_technician(
    sso, live_server, browser_page
):
    sign_in(browser_page, live_server, "tech")
    browser_page.wait_for_url(f"{live_server.url}/")
    nav = browser_page.get_by_role("navigation", name="Menu principal")
    assert nav.get_by_role("link", name="Tickets").is_visible()
    assert nav.get_by_role("link", name="Équipements").is_visible()
    user = User.objects.get(person__directory_id=ACCOUNTS["tech"]["oid"])
    assert user.role == Role.TECHNICIAN
    assert user.username == "tech@ville-exemple.fr"
    assert not user.has_usable_password()
    assert user.person.email == "tech@ville-exemple.fr"
    # The provider vouched for a second factor (amr "mfa"): the session says so.
    session_cookie = next(c for c in browser_page.context.cookies() if c["name"] == "sessionid")
    from django.contrib.sessions.backends.db import SessionStore

    assert SessionStore(session_key=session_cookie["value"])["regie_second_factor"] == "sso"


@pytest.mark.django_db(transaction=True)
def test_a_user_with_no_mapped_group_lands_as_staff(sso, live_server, browser_page):
    sign_in(browser_page, live_server, "agent")
    browser_page.wait_for_url(f"{live_server.url}/")
    nav = browser_page.get_by_role("navigation", name="Menu principal")
    assert nav.get_by_role("link", name="Mes demandes").is_visible()
    assert nav.get_by_role("link", name="Tickets").count() == 0
    user = User.objects.get(person__directory_id=ACCOUNTS["agent"]["oid"])
    assert user.role == Role.STAFF
    session_cookie = next(c for c in browser_page.context.cookies() if c["name"] == "sessionid")
    from django.contrib.sessions.backends.db import SessionStore

    assert "regie_second_factor" not in SessionStore(session_key=session_cookie["value"])


@pytest.mark.django_db(transaction=True)
def test_a_changed_group_demotes_at_the_next_sign_in(sso, live_server, chromium):
    first = chromium.new_context(locale="fr-FR")
    try:
        page = first.new_page()
        sign_in(page, live_server, "mover")
        page.wait_for_url(f"{live_server.url}/")
        assert (
            page.get_by_role("navigation", name="Menu principal")
            .get_by_role("link", name="Tickets")
            .is_visible()
        )
    finally:
        first.close()
    user = User.objects.get(person__directory_id=ACCOUNTS["mover"]["oid"])
    assert user.role == Role.ADMIN

    moved = {**ACCOUNTS, "mover": {**ACCOUNTS["mover"], "groups": [OTHER_GROUP]}}
    sso.write_text(json.dumps(moved))
    second = chromium.new_context(locale="fr-FR")
    try:
        page = second.new_page()
        sign_in(page, live_server, "mover")
        page.wait_for_url(f"{live_server.url}/")
        nav = page.get_by_role("navigation", name="Menu principal")
        assert nav.get_by_role("link", name="Mes demandes").is_visible()
        assert nav.get_by_role("link", name="Tickets").count() == 0
    finally:
        second.close()
    user.refresh_from_db()
    assert user.role == Role.STAFF
    assert User.objects.filter(person__directory_id=ACCOUNTS["mover"]["oid"]).count() == 1
    change = ChangeRecord.objects.get(object_id=user.pk, field="role")
    assert (change.old_value, change.new_value) == ("Administrateur", "Agent")


@pytest.mark.django_db(transaction=True)
def test_the_providers_refusal_shows_a_clear_page(sso, live_server, browser_page):
    browser_page.goto(f"{live_server.url}/login/")
    browser_page.get_by_role("link", name="Se connecter avec Microsoft").click()
    browser_page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/interaction/"))
    browser_page.get_by_role("button", name="Refuse").click()
    browser_page.wait_for_url(re.compile(r"/oidc/callback/"))
    assert browser_page.get_by_role("heading", name="Échec de la connexion").is_visible()
    assert browser_page.get_by_text("Le fournisseur d'identité a refusé la connexion.").is_visible()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_account_disabled_in_regie_is_refused(sso, live_server, browser_page):
    user = User.objects.create_user("gone", role=Role.TECHNICIAN, is_active=False)
    Person.objects.create(
        first_name="Gone", last_name="Agent", user=user, directory_id=ACCOUNTS["gone"]["oid"]
    )
    sign_in(browser_page, live_server, "gone")
    browser_page.wait_for_url(re.compile(r"/oidc/callback/"))
    assert browser_page.get_by_role("heading", name="Échec de la connexion").is_visible()
    assert browser_page.get_by_text("Ce compte est désactivé dans Régie.").is_visible()
    # Not signed in: the login page shows its form rather than sending on to the home page.
    browser_page.goto(f"{live_server.url}/login/")
    assert browser_page.get_by_role("button", name="Connexion").is_visible()
