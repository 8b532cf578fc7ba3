"""Playwright on the impact pages, in Arabic and English, on a phone (390x844) and a
desktop: the charity's dashboard, the platform page with its map, the share page.
Arabic reads right to left (the first month's column on the right), nothing spills
sideways on the phone, and every page is saved in tests/artifacts/impact_*.png."""

import pytest

from impact import services
from impact.tests.conftest import build_world
from tests.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}

# The x of the first and the last column of the first chart on the page.
COLUMNS = """() => {
  const rects = [...document.querySelector('svg.vb-chart').querySelectorAll('rect')];
  return [rects[0].x.baseVal.value, rects[rects.length - 1].x.baseVal.value];
}"""


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_impact_pages_read_well_in_both_directions(
    browser, live_server, charity_owner, other_charity_staff, lang, size, viewport
):
    world = build_world(charity_owner, other_charity_staff)
    services.impact_rebuild()
    context = browser.new_context(locale="ar-EG" if lang == "ar" else "en-GB", viewport=viewport)
    page = context.new_page()
    try:
        sign_in(page, live_server, charity_owner)
        page.goto(f"{live_server.url}/{lang}/charities/{world.charity.pk}/impact/?from=2026-06&to=2026-11")
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
        first, last = page.evaluate(COLUMNS)
        assert (first > last) if lang == "ar" else (first < last)
        figures = page.locator(".vb-figure dd").all_inner_texts()
        assert ("٨٠٪" if lang == "ar" else "80%") in figures
        if size == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"impact_charity_{lang}_{size}")

        page.goto(f"{live_server.url}/{lang}/charities/{world.charity.pk}/impact/?from=2026-10&to=2026-09")
        assert page.locator(".vb-error-summary").count() == 1
        screenshot(page, f"impact_charity_error_{lang}_{size}")

        context.clear_cookies()
        page.goto(f"{live_server.url}/{lang}/impact/")
        assert page.locator("svg.vb-map g").count() == 40 and page.locator("svg.vb-map").count() == 2
        if size == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"impact_platform_{lang}_{size}")

        page.goto(f"{live_server.url}/{lang}/impact/c/{world.charity.pk}/")
        assert page.locator("meta[property='og:description']").get_attribute("content")
        screenshot(page, f"impact_share_{lang}_{size}")
    finally:
        context.close()
