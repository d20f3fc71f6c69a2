"""The page-by-page check's crawler: every page, as each role meets it, in a real Chromium.

For each role the crawl starts at the home page and follows every link of every page it
opens (the menu, the lists, one object of each kind: its detail and edit pages, its tabs),
visiting one URL per route (and per tab). Each page is then seen in French and in English, at
1366×768 and 390×844, and fails on:

- a server error (5xx);
- an axe-core violation, or a colour-contrast item axe could not decide on a button or link
  (every rule in French at both sizes; the English pass runs the language rules only);
- a string of the other language (from the catalogues; stored data such as names is exempt);
- an ISO date or timestamp, or a Python repr, in the visible text;
- a horizontal scroll of the page itself;
- an error in the browser's console.

Every page is saved as a full-page screenshot under ``test-output/crawl/<lang>-<size>/<role>/``
(CI keeps them), the findings and timings of each group of roles in
``test-output/crawl/findings-<group>.txt``. The data is the demo territory, plus one row of
every other kind on the correspondent's site and for the staff member (the access matrix's
world). The groups of roles are the ``test_crawl_*`` modules.

Needs Debian's ``chromium``; skipped without it unless ``REGIE_REQUIRE_BROWSER`` is set.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from regie.api.tests.access_world import build_world
from regie.conftest import require_chromium
from regie.core.models import Role, User
from regie.demo.territory import build_territory
from regie.directory.models import Site
from regie.inventory.models import ReceivedReport, ReportStatus
from regie.tests.crawl import (  # the rules: what counts as wrong
    AXE_EVERY_RULE_IN,
    AXE_LANGUAGE_RULES,
    AXE_SCRIPT,
    READ_PAGE,
    RUN_AXE,
    Finding,
    catalogue_phrases,
    data_strings,
    text_findings,
)

OUTPUT = Path(__file__).resolve().parents[3] / "test-output" / "crawl"
PASSWORD = "Crawl-Régie-2026"  # noqa: S105  # the demo accounts' password in this test

ROLES = (Role.ADMIN, Role.TECHNICIAN, Role.READER, Role.CORRESPONDENT, Role.STAFF)
# REGIE_CRAWL_ROLES=staff,reader narrows a local run to some roles; CI crawls them all.
CRAWLED = tuple(
    role
    for role in ROLES
    if role in os.environ.get("REGIE_CRAWL_ROLES", ",".join(ROLES)).split(",")
)
LANGUAGES = ("fr", "en")
SIZES = {"1366x768": (1366, 768), "390x844": (390, 844)}

# Not followed: other programs' pages, files, the language switch and the session.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/i18n/", "/logout/", "/login/", "/health")
SKIPPED_ROUTES = {"helpdesk:attachment-download", "continuity:kit"}  # files, not pages
KEPT_QUERY = {"tab"}  # a tab is a page of its own; filters, sorting and paging are not
# Refused pages seen on purpose: (name, URL, the roles that get it, the status expected).
ERROR_PAGES = (
    ("error-404", "/directory/sites/999999/", ROLES, 404),
    ("error-403", "/alerts/channels/new/", ROLES[1:], 403),
)


@dataclass
class Page:
    name: str
    url: str
    expected_status: int = 200
    linked_from: str = ""  # the first page found linking here


@pytest.fixture
def crawl_world(transactional_db, monkeypatch):
    """The demo territory and one row of every kind, with a logged-in session per role."""
    require_chromium(monkeypatch)
    started = time.perf_counter()
    build_territory(password=PASSWORD)
    users = {role: User.objects.filter(role=role).order_by("pk").first() for role in ROLES}
    correspondent_site = Site.objects.filter(correspondents=users[Role.CORRESPONDENT]).first()
    build_world(
        site=correspondent_site,
        other_site=Site.objects.exclude(pk=correspondent_site.pk).order_by("pk").first(),
        staff_user=users[Role.STAFF],
        technician=users[Role.TECHNICIAN],
    )
    # The world's inventory report says "done", a status the pipeline never sets.
    ReceivedReport.objects.filter(status="done").update(status=ReportStatus.PROCESSED)
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        # Signed in with their second factor (the world gives some of them a TOTP app).
        session = client.session
        session["regie_second_factor"] = "totp"
        session.save()
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(f"crawl data loaded in {time.perf_counter() - started:.1f} s")
    yield sessions
    # Under Playwright's sync API the test body runs in another context, which gets its
    # own database connection: close it, or PostgreSQL cannot drop the test database.
    connections.close_all()


def crawl_roles(roles, *, live_server, sessions, chromium, name: str) -> None:
    """Crawl ``roles`` (those of them ``REGIE_CRAWL_ROLES`` keeps) in both languages at both
    sizes; fail with every finding. Screenshots go under ``OUTPUT``, the findings and the
    timings in ``OUTPUT/findings-<name>.txt``."""
    phrases = catalogue_phrases()
    data = data_strings()
    findings: list[Finding] = []
    timings: list[str] = []
    started = time.perf_counter()
    for role in (role for role in roles if role in CRAWLED):
        for lang in LANGUAGES:
            for size in SIZES:
                shutil.rmtree(OUTPUT / f"{lang}-{size}" / role, ignore_errors=True)
        pages: list[Page] | None = None
        for lang in LANGUAGES:
            for size in SIZES:
                combo_started = time.perf_counter()
                crawler = Crawler(
                    browser=chromium,
                    base_url=live_server.url,
                    session=sessions[role],
                    role=role,
                    lang=lang,
                    size=size,
                    phrases=phrases,
                    data=data,
                )
                try:
                    pages = crawler.run(pages)
                finally:
                    crawler.close()
                findings += crawler.findings
                spent = ", ".join(
                    f"{step} {seconds:.1f}" for step, seconds in crawler.spent.items()
                )
                timings.append(
                    f"{role:<13} {lang}-{size:<8} {len(pages):>4} pages "
                    f"{time.perf_counter() - combo_started:6.1f} s ({spent})"
                )
    total = time.perf_counter() - started
    summary = "\n".join([*timings, f"crawl ({name}): {total:.1f} s"])
    report = "\n".join(str(finding) for finding in findings)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"findings-{name}.txt").write_text(f"{report}\n\n{summary}\n", encoding="utf-8")
    print(summary)
    assert not findings, (
        f"{len(findings)} problems (test-output/crawl/findings-{name}.txt):\n{report}"
    )


class Crawler:
    """One role in one language at one size: one browser context, one tab."""

    def __init__(self, *, browser, base_url, session, role, lang, size, phrases, data):
        width, height = SIZES[size]
        self.base_url = base_url
        self.role, self.lang, self.size = role, lang, size
        self.phrases, self.data = phrases[lang], data
        self.findings: list[Finding] = []
        self.context = browser.new_context(
            locale="fr-FR" if lang == "fr" else "en-GB",
            viewport={"width": width, "height": height},
        )
        self.context.add_cookies(
            [
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url},
                {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": base_url},
            ]
        )
        self.context.add_init_script(AXE_SCRIPT)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.console: list[str] = []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.console.append(str(error)))
        self.spent = dict.fromkeys(("open", "read", "axe", "screenshot"), 0.0)
        self.folder = OUTPUT / f"{lang}-{size}" / role
        self.folder.mkdir(parents=True, exist_ok=True)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        # The page's own status (a 403 page seen on purpose) is judged apart, not here.
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") == self.page.url
        ):
            return
        self.console.append(message.text)

    def close(self) -> None:
        self.context.close()

    def run(self, pages: list[Page] | None) -> list[Page]:
        """Check ``pages``, or discover them by following links from the home page."""
        if pages is not None:
            for page in pages:
                self.visit(page)
            return pages
        return list(self.discover())

    def discover(self) -> Iterator[Page]:
        queue = [Page("home", reverse("home"))]
        queue += [
            Page(name, url, status)
            for name, url, roles, status in ERROR_PAGES
            if self.role in roles
        ]
        seen = {page.name for page in queue}
        while queue:
            page = queue.pop(0)
            links = self.visit(page)
            if links is None:
                continue
            yield page
            if page.expected_status != 200:
                continue
            for link in links:
                found = self.page_of(link)
                if found is not None and found.name not in seen:
                    seen.add(found.name)
                    found.linked_from = page.name
                    queue.append(found)

    def page_of(self, href: str) -> Page | None:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != self.base_url:
            return None
        if parts.path.startswith(SKIPPED_PREFIXES):
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if match.view_name in SKIPPED_ROUTES:
            return None
        kept = [(key, value) for key, value in parse_qsl(parts.query) if key in KEPT_QUERY]
        name = (match.view_name or "home").replace(":", "-")
        name += "".join(f"-{key}-{value}" for key, value in kept)
        return Page(name, parts.path + (f"?{urlencode(kept)}" if kept else ""))

    def visit(self, page: Page) -> list[str] | None:
        """Open and check one page; its links, or None when it is not an HTML page."""
        self.console.clear()
        clock = time.perf_counter()
        try:
            response = self.page.goto(self.base_url + page.url, wait_until="load")
        except Exception as error:  # noqa: BLE001  # a download, a crash: say which
            if "Download is starting" in str(error):
                return None
            self.fail(page, f"could not open: {str(error).splitlines()[0]}")
            return None
        if response is None:
            return None
        if not response.headers.get("content-type", "").startswith("text/html"):
            return None
        clock = self.lap("open", clock)
        reasons: list[str] = []
        if response.status >= 500:
            reasons.append(f"server error {response.status}")
        elif response.status != page.expected_status:
            reasons.append(
                f"answered {response.status}, expected {page.expected_status} "
                f"(linked from {page.linked_from})"
            )
        content = self.page.evaluate(READ_PAGE)
        reasons += text_findings(
            content["texts"], lang=self.lang, phrases=self.phrases, data=self.data
        )
        if content["scrollWidth"] > content["innerWidth"]:
            reasons.append(
                f"horizontal scroll: {content['scrollWidth']} px wide in {content['innerWidth']} px"
            )
        clock = self.lap("read", clock)
        only = None if self.lang == AXE_EVERY_RULE_IN else list(AXE_LANGUAGE_RULES)
        axe = self.page.evaluate(RUN_AXE, only)
        clock = self.lap("axe", clock)
        for rule in axe["violations"]:
            targets = ", ".join(rule["targets"])
            reasons.append(
                f"axe {rule['id']} ({rule['impact']}, {rule['count']} elements): {targets}"
            )
        for target in axe["contrast"]:
            reasons.append(f"axe colour contrast to review on a control: {target}")
        reasons += [f"console error: {message}" for message in self.console]
        # JPEG: a quarter faster than PNG to take, and smaller to keep as an artefact.
        self.page.screenshot(
            path=self.folder / f"{page.name}.jpg", full_page=True, type="jpeg", quality=70
        )
        self.lap("screenshot", clock)
        for reason in reasons:
            self.fail(page, reason)
        return content["links"]

    def lap(self, step: str, since: float) -> float:
        now = time.perf_counter()
        self.spent[step] += now - since
        return now

    def fail(self, page: Page, reason: str) -> None:
        self.findings.append(Finding(self.role, self.lang, self.size, page.name, page.url, reason))
