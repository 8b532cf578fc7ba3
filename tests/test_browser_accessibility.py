"""axe-core (vendored under tests/vendor/, injected only here) over every page of every
journey, in Arabic and English, on a phone (390x844) and a desktop: no serious or
critical violation of WCAG 2.1 A/AA or axe's best practices. The Arabic phone pass
saves a screenshot of each page in tests/artifacts/a11y_*.png to look at."""

from pathlib import Path

import pytest

from notifications.models import Kind
from notifications.services import notify
from notifications.tests.samples import SAMPLES
from tests.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def journeys(world, lang: str) -> list[tuple[str | None, str, str]]:
    """(who, name, path): who is an attribute of `world` (None: a visitor)."""
    w, code = world, world.report.tracking_code
    return [
        (None, "home", f"/{lang}/"),
        (None, "case_list", f"/{lang}/cases/"),
        (None, "case_detail", f"/{lang}/cases/{w.case.pk}/"),
        (None, "report_form", f"/{lang}/report/"),
        (None, "report_status", f"/{lang}/report/{code}/"),
        (None, "report_not_found", f"/{lang}/report/track/?code=ZZZZ-ZZZZ"),
        (None, "signup", f"/{lang}/accounts/signup/"),
        (None, "login", f"/{lang}/accounts/login/"),
        (None, "api_docs", "/api/docs/"),
        ("plain", "onboarding", f"/{lang}/volunteer/onboarding/"),
        ("plain", "charity_register", f"/{lang}/charities/register/"),
        ("volunteer", "volunteer_dashboard", f"/{lang}/volunteer/"),
        ("volunteer", "my_matches", f"/{lang}/matching/me/"),
        ("volunteer", "notifications", f"/{lang}/notifications/"),
        ("volunteer", "notification_settings", f"/{lang}/notifications/settings/"),
        ("volunteer", "privacy", f"/{lang}/volunteer/privacy/"),
        ("owner", "charity_dashboard", f"/{lang}/dashboard/"),
        ("owner", "case_edit", f"/{lang}/cases/{w.case.pk}/edit/"),
        ("owner", "need_create", f"/{lang}/cases/{w.case.pk}/needs/new/"),
        ("owner", "need_edit", f"/{lang}/needs/{w.open_need.pk}/edit/"),
        ("owner", "charity_review", f"/{lang}/matching/charities/{w.charity.pk}/"),
        ("owner", "charity_detail", f"/{lang}/charities/{w.charity.pk}/"),
        ("owner", "charity_impact", f"/{lang}/charities/{w.charity.pk}/impact/"),
        ("owner", "impact_share", f"/{lang}/impact/c/{w.charity.pk}/"),
        ("owner", "impact_platform", f"/{lang}/impact/"),
        ("moderator", "moderation_queue", f"/{lang}/moderation/"),
        ("moderator", "moderation_report", f"/{lang}/moderation/reports/{w.report.pk}/"),
        ("moderator", "moderation_charity", f"/{lang}/moderation/charities/{w.pending_charity.pk}/"),
        ("moderator", "audit_log", f"/{lang}/moderation/audit/"),
        ("moderator", "moderation_impact", f"/{lang}/moderation/impact/"),
    ]


# Moderate rules the issue named (case cards under h1, three review sections with one
# label, an empty header cell) are held to as well.
ALSO = {"heading-order", "landmark-unique", "empty-table-header"}

# Swagger UI's operation rows put a button inside a clickable summary and its tag headings
# skip a level: upstream markup we
# do not own. Everything else on /api/docs/ (lang, title, contrast) is checked.
UPSTREAM = {"api_docs": ["nested-interactive", "heading-order"]}


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


def audit(browser, live_server, world, *, lang: str, viewport: dict, shots: bool) -> dict:
    notify(
        kind=Kind.MATCH_INVITED,
        event_key="a11y",
        context=SAMPLES[Kind.MATCH_INVITED],
        recipients=[world.volunteer],
    )
    locale = "ar-EG" if lang == "ar" else "en-GB"
    # axe is injected as a script of its own: the test bypasses the CSP the pages are held to.
    context = browser.new_context(locale=locale, viewport=viewport, bypass_csp=True)
    page = context.new_page()
    failures, who_now = {}, "nobody"
    try:
        for who, name, path in journeys(world, lang):
            if who != who_now:
                context.clear_cookies()
                if who:
                    sign_in(page, live_server, getattr(world, who))
                who_now = who
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            if name == "api_docs":
                page.locator(".swagger-ui .opblock").first.wait_for()
            if shots:
                screenshot(page, f"a11y_{name}_{lang}")
            found = serious_violations(page, name)
            if found:
                failures[name] = found
        # forms after a submit with errors: every field's error at once
        context.clear_cookies()
        page.goto(f"{live_server.url}/{lang}/report/")
        page.locator("form[enctype] button[type=submit]").click()
        page.locator(".vb-error-summary").wait_for()
        if shots:
            screenshot(page, f"a11y_report_errors_{lang}")
        if found := serious_violations(page):
            failures["report_errors"] = found
    finally:
        context.close()
    return failures


def report(failures: dict) -> str:
    return "\n".join(f"{page}: {violation}" for page, found in failures.items() for violation in found)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_on_a_phone_has_no_serious_violation(browser, live_server, world, lang):
    failures = audit(browser, live_server, world, lang=lang, viewport=PHONE, shots=lang == "ar")
    assert not failures, report(failures)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_on_a_desktop_has_no_serious_violation(browser, live_server, world, lang):
    failures = audit(browser, live_server, world, lang=lang, viewport=DESKTOP, shots=False)
    assert not failures, report(failures)
