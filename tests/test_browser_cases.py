"""The journey of a reported case, in Arabic, in Chromium: reported by a stranger,
approved by a moderator, taken by a charity that adds a need."""

import pytest

from cases.models import Case, Need, Report
from cases.tests.conftest import jpeg_with_gps
from tests.browser import screenshot, signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def test_a_reported_case_is_approved_claimed_and_given_a_need(
    live_server, browser, page, tmp_path, settings, moderator_with_permission, verified_charity, charity_owner
):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps((640, 480)))

    # 1. A stranger reports a case with a photo and gets a tracking code.
    page.goto(f"{live_server.url}/ar/report/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("textarea[name=description]", "سيدة مسنة تعيش وحدها في شبرا وتحتاج أدوية ووجبات يومية")
    page.select_option("select[name=region]", label="القاهرة")
    page.fill("input[name=location_text]", "شبرا، قرب المحطة")
    page.set_input_files("input[name=photos]", str(photo))
    page.check("input[name=consent]")
    screenshot(page, "cases_report_form_ar")
    page.get_by_role("button", name="أرسل البلاغ").click()
    page.wait_for_load_state()
    code = page.locator("#tracking-code").inner_text().strip()
    report = Report.objects.get()
    assert code == report.tracking_code
    assert "بانتظار المراجعة" in page.content()
    screenshot(page, "cases_report_status_ar")

    # 2. A moderator opens it from the queue and approves it.
    moderator_page = signed_in_page(browser, live_server, moderator_with_permission)
    moderator_page.goto(f"{live_server.url}/ar/moderation/")
    screenshot(moderator_page, "cases_moderation_queue_ar")
    moderator_page.locator(".queue-report a").first.click()
    moderator_page.wait_for_load_state()
    moderator_page.fill("input[name=title]", "سيدة مسنة في شبرا تحتاج أدوية")
    moderator_page.fill("textarea[name=story]", "سيدة مسنة تعيش وحدها وتحتاج من يوصل إليها الدواء والطعام.")
    moderator_page.locator("input[name=photo_ids]").first.check()
    moderator_page.locator("#approve").scroll_into_view_if_needed()
    screenshot(moderator_page, "cases_moderation_report_ar")
    moderator_page.locator("#approve").click()
    moderator_page.wait_for_load_state()
    assert "اعتُمد البلاغ" in moderator_page.content()
    case = Case.objects.get()
    assert case.charity is None and case.status == "open"
    assert case.story.startswith("سيدة مسنة تعيش وحدها") and "قرب المحطة" not in case.story
    assert case.cover_photo and case.cover_photo.name != report.photos.get().image.name

    # 3. The charity takes it from its dashboard and adds a need.
    owner_page = signed_in_page(browser, live_server, charity_owner)
    owner_page.goto(f"{live_server.url}/ar/dashboard/")
    assert "سيدة مسنة في شبرا" in owner_page.content()
    screenshot(owner_page, "cases_dashboard_ar")
    owner_page.locator(".claimable-case button").first.click()
    owner_page.wait_for_load_state()
    assert "أصبحت الحالة تابعة لجهتك" in owner_page.content()
    owner_page.get_by_role("link", name="أضف احتياجًا").click()
    owner_page.wait_for_load_state()
    owner_page.select_option("select[name=activity_type]", index=1)
    owner_page.fill("input[name=starts_at]", "2030-01-10T16:00")
    owner_page.fill("input[name=ends_at]", "2030-01-10T19:00")
    owner_page.fill("input[name=volunteers_needed]", "٣")
    screenshot(owner_page, "cases_need_form_ar")
    owner_page.get_by_role("button", name="أضف الاحتياج").click()
    owner_page.wait_for_load_state()
    need = Need.objects.get()
    assert need.volunteers_needed == 3 and need.case == case
    assert "16:00–19:00" in owner_page.content()
    screenshot(owner_page, "cases_case_page_ar")
    case.refresh_from_db()
    assert case.charity == verified_charity

    # The stranger's code now leads to the case.
    page.reload()
    assert "معتمد" in page.content()
    page.goto(f"{live_server.url}/ar/cases/")
    assert "سيدة مسنة في شبرا" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot(page, "cases_list_ar")


def test_the_demo_home_page_and_a_case_page_in_both_languages(live_server, page, settings, tmp_path):
    from django.core.management import call_command

    settings.MEDIA_ROOT, settings.DEBUG = tmp_path / "media", True  # load_demo is for development only
    call_command("load_demo")
    page.goto(f"{live_server.url}/ar/")
    cards = page.locator(".case-card")
    assert cards.count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "cases_home_ar")
    cards.first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.locator("meta[property='og:title']").count() == 1
    assert page.locator(".need-item").count() == 1
    screenshot(page, "cases_case_page_public_ar")
    page.goto(page.url.replace("/ar/", "/en/"))
    assert page.get_attribute("html", "dir") == "ltr"
    assert "Help needed" in page.content()
    screenshot(page, "cases_case_page_public_en")
    page.wait_for_load_state("networkidle")


def test_a_long_list_says_more_than_and_filters_by_region_on_a_phone(live_server, page, settings, verified_charity):
    """At national scale the list counts up to a cap and says so; the region filter (a
    select written in Python) still filters, and a visitor reads it from the shared cache."""
    from cases.tests.factories import CaseFactory
    from core.models import Region

    settings.PUBLIC_LIST_MAX_RESULTS = 5
    settings.PUBLIC_CACHE_SECONDS = 300
    CaseFactory.create_batch(6, charity=verified_charity, title="بطاطين لأسر القاهرة")
    CaseFactory(charity=verified_charity, title="سلال غذائية في الرياض", region=Region.objects.get(code="SA-01"))
    page.goto(f"{live_server.url}/ar/cases/")
    assert "أكثر من 5 حالات" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    screenshot(page, "cases_list_capped_ar")
    page.select_option("select[name=region]", label="منطقة الرياض")
    page.get_by_role("button", name="تصفية").click()
    page.wait_for_load_state()
    assert "سلال غذائية في الرياض" in page.content() and "بطاطين لأسر القاهرة" not in page.content()
    assert page.locator("select[name=region] option[selected]").inner_text() == "منطقة الرياض"
    screenshot(page, "cases_list_region_ar")
