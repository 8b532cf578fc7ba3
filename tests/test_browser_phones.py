"""Proving a WhatsApp number on the settings page, in Arabic on a phone."""

import pytest

from notifications import phones
from notifications.models import Kind, Notification
from tests.browser import screenshot, sign_in
from volunteers.services import profile_update
from volunteers.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(user):
    row = Notification.objects.filter(recipient=user, kind=Kind.PHONE_CODE).latest("id")
    return phones.code_unseal(row.context["sealed_code"])


def test_a_volunteer_verifies_whatsapp_by_code_in_arabic(live_server, page, browser_reference_data, settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BPublicKeyForTheToggleOnly", "private"
    user = UserFactory(email="huda@example.org", language="ar")
    profile_update(user=user, changes={"region": "EG-C", "display_name": "هدى", "whatsapp_number": "0100 123 4567"})
    sign_in(page, live_server, user)

    page.goto(f"{live_server.url}/ar/notifications/settings/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    whatsapp = page.locator("[data-phone-channel=whatsapp]")
    assert "+201001234567" in whatsapp.inner_text() and "لم يتم التحقق" in whatsapp.inner_text()
    assert "أضف هذا الرقم إلى ملفك الشخصي أولًا" in page.locator("[data-phone-channel=sms]").inner_text()
    assert page.locator("[data-push-subscribe]").is_visible()
    screenshot(page, "phones_settings_ar")

    whatsapp.get_by_role("button", name="أرسل لي رمزًا").click()
    page.wait_for_load_state()
    assert "أرسلنا إليك رمزًا من 6 أرقام" in page.locator(".alert-success").inner_text()
    code_box = page.locator("#code-whatsapp")
    assert code_box.get_attribute("autocomplete") == "one-time-code"
    code_box.fill("123")
    page.locator("[data-phone-channel=whatsapp]").get_by_role("button", name="تأكيد").click()
    page.wait_for_load_state()
    assert "أدخل أرقام الرمز الستة" in page.locator(".alert-danger").inner_text()
    screenshot(page, "phones_code_ar")

    page.locator("#code-whatsapp").fill(_code(user))
    page.locator("[data-phone-channel=whatsapp]").get_by_role("button", name="تأكيد").click()
    page.wait_for_load_state()
    assert "تم التحقق من رقمك" in page.locator(".alert-success").inner_text()
    assert "تم التحقق" in page.locator("[data-phone-channel=whatsapp] .badge").inner_text()
    assert page.locator("#pref-match_invited-whatsapp").is_checked(), "invitations on WhatsApp by default"
    screenshot(page, "phones_verified_ar")
    assert phones.verified_number(user=user, channel="whatsapp") == "+201001234567"

    page.goto(f"{live_server.url}/ar/volunteer/")
    reach = page.locator("section[aria-labelledby=reach-heading]")
    assert "كيف نصل إليك" in reach.inner_text() and reach.locator("[data-push-subscribe]").is_visible()
    reach.scroll_into_view_if_needed()
    screenshot(page, "dashboard_reach_ar")
