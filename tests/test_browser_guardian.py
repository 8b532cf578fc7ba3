"""A minor names a guardian, who agrees on the signed link's page: in Arabic, on a
phone, in Chromium. Until then the dashboard says why no invitation comes."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from notifications.models import Kind, Notification
from tests.browser import screenshot, sign_in
from volunteers.models import GuardianConsent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


@pytest.fixture
def minor(db):
    from volunteers.services import profile_update
    from volunteers.tests.factories import UserFactory

    user = UserFactory(email="teen@example.org")
    today = timezone.localdate()
    profile_update(
        user=user,
        changes={
            "region": "EG-C",
            "display_name": "يوسف",
            "activity_types": ["food_baskets"],
            "birth_date": today.replace(year=today.year - 15) - dt.timedelta(days=3),
        },
    )
    return user


def test_a_guardian_agrees_on_the_signed_link(live_server, browser, page, minor):
    sign_in(page, live_server, minor)
    page.goto(f"{live_server.url}/ar/volunteer/")
    assert page.get_attribute("html", "dir") == "rtl"
    card = page.locator("#guardian")
    assert "موافقة أحد الوالدين" in card.inner_text()
    page.fill("#guardian-email", "parent@example.org")
    screenshot(page, "guardian_request_ar")
    card.get_by_role("button", name="أرسل الرابط").click()
    page.wait_for_load_state()
    assert "ننتظر الرد" in page.locator("#guardian").inner_text()
    screenshot(page, "guardian_request_sent_ar")

    body = Notification.objects.get(kind=Kind.ACCOUNT_EMAIL, address="parent@example.org").context["body"]
    link = re.search(r"https?://\S+/guardian/\S+/", body).group(0)
    path = link.split("/ar/", 1)[1]
    guardian = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844}).new_page()
    guardian.goto(f"{live_server.url}/ar/{path}")
    assert guardian.get_attribute("html", "dir") == "rtl"
    assert "كيف تسحب موافقتك" in guardian.content() and "يوسف" in guardian.content()
    assert GuardianConsent.objects.get().confirmed_at is None  # opening the link changes nothing
    screenshot(guardian, "guardian_page_ar")
    guardian.get_by_role("button", name="أوافق على تطوع ابني أو ابنتي").click()
    guardian.wait_for_load_state()
    assert "سُجّلت موافقتك" in guardian.content()
    assert guardian.get_by_role("button", name="سحب موافقتي").is_visible()
    screenshot(guardian, "guardian_page_confirmed_ar")
    assert GuardianConsent.objects.get().confirmed_at is not None

    page.goto(f"{live_server.url}/ar/volunteer/")
    assert "وافق parent@example.org" in page.locator("#guardian").inner_text()
    screenshot(page, "guardian_dashboard_confirmed_ar")
