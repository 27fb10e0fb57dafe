"""Headless Chromium (Debian's, driven by Playwright) and axe-core for end-to-end tests."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_22_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run scripts/test, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(live_server, settings, transactional_db):
    """The live server's URL, with the site configured to link to it in emails."""
    settings.SITE_URL = live_server.url
    return live_server.url


class AccessibilityChecker:
    def __init__(self):
        self.axe = Axe()

    def violations(self, page) -> list[str]:
        # After a click the next page may still be loading, its stylesheet not yet applied:
        # axe would then judge unstyled links (target-size failed once so in the full suite).
        page.wait_for_load_state("load")
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_A_AA}, "resultTypes": ["violations"]})
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in results.response["violations"]
        ]

    def assert_no_violations(self, page):
        found = self.violations(page)
        assert found == [], f"axe-core found WCAG 2.2 A/AA violations on {page.url}:\n" + "\n".join(found)


@pytest.fixture(scope="session")
def axe():
    return AccessibilityChecker()
