"""Playwright in Arabic on a phone (390x844), the whole path after the match: a
confirmed volunteer checks in with the code the coordinator's phone shows, the
coordinator marks the others, the hours appear on the volunteer's page, a
certificate is issued, anyone verifies it, and once revoked it reads revoked."""

import datetime as dt

import pytest
from django.utils import timezone

from attendance.models import Attendance, Certificate
from attendance.tests.factories import confirmed_match
from charities.models import Membership
from matching.tests.factories import make_charity, make_need, make_volunteer
from tests.browser import screenshot, sign_in, signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pdf,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def _fits_the_phone(page):
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_from_confirmed_to_a_verified_certificate_in_arabic(live_server, page, browser, make_user):
    owner = make_user("owner@khair.example.org")
    charity = make_charity(owner)
    charity.name_ar = "جمعية الخير"
    charity.save()
    starts = timezone.now() - dt.timedelta(minutes=20)
    need = make_need(
        charity=charity, starts=starts, ends=starts + dt.timedelta(hours=3), description="توزيع سلال غذائية"
    )
    need.case.title = "سلال الشتاء لأسر شبرا"
    need.case.save()
    mona = make_volunteer("mona", display_name="منى عبد الرحمن")
    karim = make_volunteer("karim", display_name="كريم")
    confirmed_match(need, mona)
    karim_match = confirmed_match(need, karim)
    assert Membership.objects.filter(user=owner, role="owner").exists()

    # The coordinator's phone shows the check-in code and its QR.
    coordinator = signed_in_page(browser, live_server, owner)
    coordinator.goto(f"{live_server.url}/ar/attendance/needs/{need.pk}/")
    code = coordinator.locator("[data-testid=check-in-code]").inner_text().strip()
    assert len(code) == 6 and coordinator.locator(".checkin-qr svg").count() == 1
    assert "من حضر؟" in coordinator.locator("h1").inner_text()
    _fits_the_phone(coordinator)
    screenshot(coordinator, "attendance_coordinator_ar")

    # The volunteer types the code on their phone.
    sign_in(page, live_server, mona.user)
    page.goto(f"{live_server.url}/ar/volunteer/")
    page.locator("[data-testid=check-in]").first.click()
    page.locator("#code").fill("123")
    page.get_by_role("button", name="تسجيل الحضور").click()
    assert "هذا الرمز غير صحيح" in page.locator("#code-error").inner_text()
    page.locator("#code").fill(code)
    page.get_by_role("button", name="تسجيل الحضور").click()
    page.get_by_text("سُجّل حضورك").wait_for()
    _fits_the_phone(page)
    screenshot(page, "attendance_checked_in_ar")
    assert Attendance.objects.get(volunteer=mona).source == "check_in"

    # The coordinator marks Karim as staying 45 minutes.
    coordinator.reload()
    card = coordinator.locator(f"#match-{karim_match.pk}")
    card.locator("input[name=minutes]").fill("٤٥")
    card.get_by_role("button", name="جزئي").click()
    coordinator.get_by_text("حُفظ: كريم").wait_for()
    assert Attendance.objects.get(volunteer=karim).minutes == 45
    _fits_the_phone(coordinator)
    screenshot(coordinator, "attendance_marked_ar")

    # The volunteer's hours, then a certificate.
    page.goto(f"{live_server.url}/ar/attendance/hours/")
    assert page.locator("[data-testid=total-hours]").inner_text() == "3 ساعات"
    _fits_the_phone(page)
    screenshot(page, "attendance_hours_ar")
    page.locator("#certificate-charity").select_option(label="جمعية الخير")  # its owner may revoke it
    page.get_by_role("button", name="احصل على شهادة").click()
    page.get_by_text("هذه الشهادة سارية").wait_for()
    certificate = Certificate.objects.get()
    pdf = page.request.get(f"{live_server.url}/certificates/{certificate.code}.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # Anyone verifies it, from the link the QR carries.
    public = browser.new_context(locale="ar-EG", viewport={"width": 390, "height": 844}).new_page()
    public.goto(f"{live_server.url}/verify/{certificate.code}/")
    status = public.locator("[data-testid=certificate-status]")
    assert "هذه الشهادة سارية" in status.inner_text()
    body = public.locator("main").inner_text()
    assert "منى عبد الرحمن" in body and "3 ساعات" in body and "جمعية الخير" in body
    _fits_the_phone(public)
    screenshot(public, "attendance_verify_valid_ar")

    # The issuing charity's owner revokes it; it then verifies as revoked.
    coordinator.goto(f"{live_server.url}/ar/verify/{certificate.code}/")
    coordinator.get_by_role("button", name="إلغاء هذه الشهادة").click()
    coordinator.get_by_text("أُلغيت الشهادة.").wait_for()
    public.reload()
    assert "أُلغيت هذه الشهادة" in public.locator("[data-testid=certificate-status]").inner_text()
    screenshot(public, "attendance_verify_revoked_ar")
