"""Personas shared by every test module.

Each role has a user; the correspondent corresponds for ``site`` (not ``other_site``); the
staff member owns ``owned_asset``; ``colleague_asset`` sits on the same site but belongs to a
colleague; ``outside_asset`` is on another site entirely.
"""

import os
import shutil

import pytest
from aiosmtpd.controller import Controller

from regie.assets.tests.factories import AssetFactory
from regie.core.models import Role
from regie.core.testing import TEST_REDIS_URL, SmtpRecorder, free_port
from regie.core.tests.factories import UserFactory
from regie.directory.tests.factories import PersonFactory, SiteFactory


def pytest_collection_modifyitems(items):
    # The page-by-page crawl is the longest work: its modules first, in their order. xdist's
    # loadfile hands the first module to the first worker and the second to the second, so
    # the two groups of roles run side by side and the rest of the suite fills in around them.
    items.sort(key=lambda item: item.get_closest_marker("crawl") is None)


@pytest.fixture(autouse=True)
def _fresh_software_catalogue_ids():
    # The worker's remembered catalogue ids outlive a test's database; each test starts empty.
    from regie.inventory.software import catalogue

    catalogue.forget()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are about hashing override this back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_required_second_factor(settings):
    # Tests sign in administrators and technicians with force_login; the second-factor tests
    # (regie/accounts/tests) set REGIE_MFA_REQUIRED_ROLES's default back themselves.
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture
def site(db):
    return SiteFactory(name="École de Melle")


@pytest.fixture
def other_site(db):
    return SiteFactory(name="Piscine de Chef-Boutonne")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def technician(db):
    return UserFactory(username="tech", role=Role.TECHNICIAN)


@pytest.fixture
def reader(db):
    return UserFactory(username="lecteur", role=Role.READER)


@pytest.fixture
def correspondent(site):
    user = UserFactory(username="correspondant", role=Role.CORRESPONDENT)
    site.correspondents.add(user)
    return user


@pytest.fixture
def staff_user(site):
    user = UserFactory(username="agent", role=Role.STAFF)
    PersonFactory(user=user, site=site, first_name="Agnès", last_name="Durand")
    return user


@pytest.fixture
def owned_asset(staff_user, site):
    return AssetFactory(name="PORTABLE-AGNES", site=site, assigned_to=staff_user.person)


@pytest.fixture
def colleague_asset(site):
    return AssetFactory(name="POSTE-ACCUEIL", site=site, assigned_to=PersonFactory(site=site))


@pytest.fixture
def outside_asset(other_site):
    return AssetFactory(name="POSTE-PISCINE", site=other_site)


# Redis for the RQ task backend: a database of its own on the local server, emptied around
# each test. Skipped when no Redis answers, unless REGIE_REQUIRE_REDIS is set (CI).
# Database 15, or 15 - n for pytest-xdist's worker gwn: two workers never share one (a flush
# or a registered RQ worker of one would show in the other's tests).


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        client.close()
        if os.environ.get("REGIE_REQUIRE_REDIS", "").lower() in {"1", "true", "yes", "on"}:
            pytest.fail(f"REGIE_REQUIRE_REDIS is set but Redis does not answer: {exc}")
        pytest.skip(f"no Redis on 127.0.0.1:6379 ({exc})")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def redis_tasks(redis_db, settings):
    """This process's tasks go to Redis, as with REGIE_REDIS_URL set."""
    settings.RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    return redis_db


# --- a real SMTP server on loopback, for every app that sends mail ----------------------------


@pytest.fixture
def smtp_server(settings):
    """Mail goes to a real SMTP server on a free loopback port; ``.messages`` it received."""
    recorder = SmtpRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    try:
        yield recorder
    finally:
        controller.stop()


# --- Chromium, for the browser tests (journeys, the crawl, the printed sheet) -----------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_REQUIRED = os.environ.get("REGIE_REQUIRE_BROWSER", "").lower() in {"1", "true", "yes"}


def require_chromium(monkeypatch):
    """Skip without Chromium, or fail when ``REGIE_REQUIRE_BROWSER`` is set (CI)."""
    if CHROMIUM is None:
        if BROWSER_REQUIRED:
            pytest.fail("REGIE_REQUIRE_BROWSER is set but chromium is not installed")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def chromium(monkeypatch):
    require_chromium(monkeypatch)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A page in French at 1280×900, with a 15 s timeout."""
    context = chromium.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- the demo territory's real sites, positions and opening hours (the route tests) -------


@pytest.fixture
def territory(db):
    from regie.demo.territory import build_territory
    from regie.directory.models import Site

    build_territory(password="mot-de-passe-demo", with_fleet=False)  # noqa: S106  # the demo's own
    return Site.objects.all()


@pytest.fixture
def head_office(territory):
    from regie.directory.models import Site, SiteKind

    return Site.objects.get(kind=SiteKind.HEAD_OFFICE)
