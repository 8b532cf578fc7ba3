"""Playwright on Debian's Chromium (never `playwright install`: it downloads)."""

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844})
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def browser_reference_data(transactional_db, page):
    """Regions and taxonomies come from a data migration, which an earlier transactional
    test's flush may have emptied; load them again (it never duplicates). The ORM used
    beside Playwright opens its own connection: close it, so the test database drops."""
    from django.db import connections

    from core.models import ActivityType, Region, Skill
    from core.reference import reference_data_load

    reference_data_load(region_model=Region, activity_type_model=ActivityType, skill_model=Skill)
    yield
    connections.close_all()


def sign_in(page, live_server, user) -> None:
    """Sign the page's browser context in as `user` with a session cookie (no form)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def signed_in_page(browser, live_server, user):
    """A new phone-sized Arabic page, signed in as `user`: for a second person in one test."""
    page = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, live_server, user)
    return page
