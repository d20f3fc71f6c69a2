"""Chromium for the project-level browser tests (the crawl, the header on a phone)."""

import os
import shutil

import pytest

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
