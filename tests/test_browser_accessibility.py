"""axe-core (vendored under tests/vendor/, injected only here) over every page of every
journey (tests/journeys.py), in Arabic and English, on a phone (390x844) and a desktop:
no serious or critical violation of WCAG 2.1 A/AA or axe's best practices. On the Arabic
phone every visible control is a 44x44 px target at least, and each page is saved in
tests/artifacts/a11y_*.png to look at."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import screenshot
from tests.journeys import journeys, pages_world, sign_in_recently, view_name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}

# Moderate rules the issue named (case cards under h1, three review sections with one
# label, an empty header cell) are held to as well.
ALSO = {"heading-order", "landmark-unique", "empty-table-header"}

# Swagger UI's operation rows put a button inside a clickable summary and its tag headings
# skip a level: upstream markup we do not own. Everything else on /api/docs/ (lang, title,
# contrast) is checked.
UPSTREAM = {
    "api_docs": ["nested-interactive", "heading-order"],
    # ReDoc's operation panels, drawn with its own styled components: its grey "required"
    # labels and its heading levels (the walk waits for them, so every run sees them).
    "api_redoc": ["color-contrast", "heading-order"],
}

# The API's reference pages are Swagger UI's and ReDoc's own widgets, read by developers
# at a desk: their controls are not held to the phone's tap size.
NOT_TAPPED = {"api_docs", "api_redoc"}

# WCAG 2.5.8 with the stricter 44 px of 2.5.5: the link, button, field, select, summary or
# checkbox/radio label a finger aims at; a link inside a sentence of a paragraph is exempt.
SMALL_TARGETS = (Path(__file__).resolve().parent / "tap_targets.js").read_text()


def serious_violations(page, name: str = "") -> list[str]:
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    if name in UPSTREAM:
        options["rules"] = {rule: {"enabled": False} for rule in UPSTREAM[name]}
    result = page.evaluate("options => axe.run(document, options)", options)
    found = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical") or violation["id"] in ALSO:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def small_targets(page, name: str) -> list[str]:
    small = [] if name in NOT_TAPPED else page.evaluate(SMALL_TARGETS)
    return small[:8] + ([f"and {len(small) - 8} more"] if len(small) > 8 else [])


@pytest.fixture
def journey_world(world, settings, live_server):
    # A tile server, so the location pickers show their Leaflet map and its controls.
    settings.MAP_TILE_URL = f"{live_server.url}/static/vendor/leaflet-1.9.4/images/layers.png?{{z}}/{{x}}/{{y}}"
    world.pages = pages_world(world)
    return world


def visit(browser, live_server, world, *, lang: str, viewport: dict, check, shots: bool) -> dict:
    """Walk every page as its person; `check(page, name)` lists what is wrong there."""
    locale = "ar-EG" if lang == "ar" else "en-GB"
    # axe is injected as a script of its own: the test bypasses the CSP the pages are held to.
    context = browser.new_context(locale=locale, viewport=viewport, bypass_csp=True)
    page = context.new_page()
    failures, who_now = {}, "nobody"
    try:
        for step in journeys(world, lang):
            if step.who != who_now:
                context.clear_cookies()
                if step.who:
                    sign_in_recently(page, live_server, getattr(world, step.who))
                who_now = step.who
            response = page.goto(f"{live_server.url}{step.path}")
            page.wait_for_load_state("load")
            prefix = lang if step.path.startswith(f"/{lang}/") else None
            if view_name(urlsplit(page.url).path, prefix) != view_name(step.path, prefix):
                failures[step.name] = [f"landed on {page.url}, not the page itself"]
                continue
            if response.status != step.status:
                failures[step.name] = [f"answered {response.status}"]
                continue
            if step.name == "api_docs":
                page.locator(".swagger-ui .opblock").first.wait_for()
            if step.name == "api_redoc":
                page.locator("[id^='operation/']").first.wait_for()
            if step.act:
                step.act(page)
            if shots:
                screenshot(page, f"a11y_{step.name}_{lang}")
            if found := check(page, step.name):
                failures[step.name] = found
    finally:
        context.close()
    return failures


def report(failures: dict) -> str:
    return "\n".join(f"{page}: {problem}" for page, found in failures.items() for problem in found)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_on_a_phone_has_no_serious_violation(browser, live_server, journey_world, lang):
    failures = visit(
        browser, live_server, journey_world, lang=lang, viewport=PHONE, check=serious_violations, shots=lang == "ar"
    )
    assert not failures, report(failures)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_on_a_desktop_has_no_serious_violation(browser, live_server, journey_world, lang):
    failures = visit(
        browser, live_server, journey_world, lang=lang, viewport=DESKTOP, check=serious_violations, shots=False
    )
    assert not failures, report(failures)


def test_every_control_on_an_arabic_phone_is_big_enough_to_tap(browser, live_server, journey_world):
    failures = visit(browser, live_server, journey_world, lang="ar", viewport=PHONE, check=small_targets, shots=False)
    assert not failures, report(failures)
