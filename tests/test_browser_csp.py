"""The Content-Security-Policy (django-csp, `script-src 'self'`) breaks no page: each main
page, in Arabic at 390x844, loads with no violation reported, htmx included; the API docs
render from our own files with the network cut off."""

import pytest
from django.db import connections

from cases.tests.factories import CaseFactory, NeedFactory, ReportFactory
from tests.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


def _watched(page, live_server):
    """Record CSP violations (event and console) and every request that leaves the site."""
    seen = {"console": [], "outside": [], "failed": []}
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda m: seen["console"].append(m.text) if "Content Security Policy" in m.text or m.type == "error" else None,
    )
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))

    def route(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            seen["outside"].append(route.request.url)
            route.abort()

    page.context.route("**/*", route)
    return seen


def _clean(page, seen, where):
    violations = page.evaluate("window.__csp")
    assert violations == [], f"{where}: {violations}"
    csp_console = [m for m in seen["console"] if "Content Security Policy" in m]
    assert csp_console == [], f"{where}: {csp_console}"
    assert seen["outside"] == [], f"{where} reached outside: {seen['outside']}"


@pytest.fixture
def closed_connections():
    yield
    connections.close_all()


def test_public_and_volunteer_pages_work_under_the_policy(live_server, page, volunteer, closed_connections):
    seen = _watched(page, live_server)
    case = CaseFactory()
    NeedFactory(case=case)

    response = page.goto(f"{live_server.url}/ar/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    _clean(page, seen, "home")

    page.goto(f"{live_server.url}/ar/cases/{case.pk}/")
    _clean(page, seen, "case page")

    page.goto(f"{live_server.url}/ar/report/")
    assert page.get_attribute("html", "dir") == "rtl"
    _clean(page, seen, "report form")

    # The volunteer's grid: htmx swaps in the form and saves a slot without a page load.
    sign_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/ar/volunteer/")
    page.evaluate("window.loaded_once = true")
    saturday = page.locator(".day-row[data-weekday='5']")
    saturday.locator("button.add-slot").click()
    saturday.locator("input[name=start]").fill("09:00")
    saturday.locator("input[name=end]").fill("13:00")
    saturday.locator("button[type=submit]").click()
    saturday.locator(".slot-chip").wait_for()
    assert page.evaluate("window.loaded_once") is True, "htmx swapped it in place"
    bar = saturday.locator("svg.day-bar rect").bounding_box()
    row = saturday.locator("svg.day-bar").bounding_box()
    # 09:00-13:00 of 24 hours, drawn from the right in Arabic
    assert abs(bar["width"] / row["width"] - 4 / 24) < 0.02
    assert abs((row["x"] + row["width"] - bar["x"] - bar["width"]) / row["width"] - 9 / 24) < 0.02
    screenshot(page, "csp_volunteer_grid_ar")
    _clean(page, seen, "volunteer dashboard")


def test_staff_pages_work_under_the_policy(
    live_server, page, browser, charity_owner, verified_charity, moderator_with_permission, closed_connections
):
    CaseFactory(charity=verified_charity)
    ReportFactory()
    seen = _watched(page, live_server)
    sign_in(page, live_server, charity_owner)
    page.goto(f"{live_server.url}/ar/dashboard/?charity={verified_charity.pk}")
    page.wait_for_load_state("networkidle")
    _clean(page, seen, "charity dashboard")

    moderator = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844}).new_page()
    seen = _watched(moderator, live_server)
    sign_in(moderator, live_server, moderator_with_permission)
    moderator.goto(f"{live_server.url}/ar/moderation/")
    moderator.wait_for_load_state("networkidle")
    screenshot(moderator, "csp_moderation_queue_ar")
    _clean(moderator, seen, "moderation queue")


@pytest.mark.parametrize(("path", "ready"), [("/api/docs/", ".swagger-ui .info"), ("/api/redoc/", "h1")])
def test_the_api_docs_render_offline_from_our_own_files(live_server, page, path, ready, closed_connections):
    seen = _watched(page, live_server)
    page.goto(f"{live_server.url}{path}")
    page.locator(ready).first.wait_for(timeout=20000)
    assert "Volunteer Bank API" in page.content()
    assert page.get_attribute("html", "lang") == "en"
    _clean(page, seen, path)
    assert seen["failed"] == [], seen["failed"]
