"""A new volunteer, in Arabic on a phone: sign up, onboard, fill the grid, reload."""

import datetime as dt

import pytest
from django.db import connections

from core.models import ActivityType, Region, Skill
from core.reference import reference_data_load
from tests.browser import screenshot
from volunteers.models import AvailabilitySlot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reference_data():
    """A transactional test before this one flushed the tables the data migration filled.
    Requested before `page`: once Playwright's event loop runs, Django opens a
    separate connection for this thread's context (see `own_connection_closed`)."""
    reference_data_load(region_model=Region, activity_type_model=ActivityType, skill_model=Skill)


@pytest.fixture
def own_connection_closed(page):
    """Close the connection the test body opened inside Playwright's context, so
    the test database can be dropped at the end of the run."""
    yield
    connections.close_all()


def test_a_new_volunteer_registers_free_time_in_arabic(reference_data, live_server, page, own_connection_closed):
    page.goto(f"{live_server.url}/ar/accounts/signup/")
    page.fill("input[name=email]", "amal@example.org")
    page.fill("input[name=password1]", "a-long-pass-2027")
    page.fill("input[name=password2]", "a-long-pass-2027")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ar/volunteer/onboarding/")
    assert page.get_attribute("html", "dir") == "rtl"

    page.fill("input[name=display_name]", "أمل")
    page.select_option("select[name=region]", "EG-C")
    page.get_by_text("سلال وكراتين غذائية").click()
    page.select_option("select[name=weekday]", "5")  # Saturday
    page.fill("input[name=start]", "٠٩:٠٠")
    page.fill("input[name=end]", "١٣:٠٠")
    screenshot(page, "volunteer_onboarding_ar")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ar/volunteer/")

    days = page.locator("#weekly-grid .day-row h3").all_inner_texts()
    assert days[0] == "السبت" and days[-1] == "الجمعة", "the Arabic week starts on Saturday"
    saturday, thursday = page.locator(".day-row[data-weekday='5']"), page.locator(".day-row[data-weekday='3']")
    assert saturday.locator(".slot-chip").count() == 1

    # a second weekly slot, added in the grid without a page load
    page.evaluate("window.loaded_once = true")
    thursday.locator("button.add-slot").click()
    thursday.locator("input[name=start]").fill("22:00")
    thursday.locator("input[name=end]").fill("24:00")
    thursday.locator("button[type=submit]").click()
    thursday.locator(".slot-chip").wait_for()

    # a mistake is explained in Arabic, in place, and nothing is saved
    sunday = page.locator(".day-row[data-weekday='6']")
    sunday.locator("button.add-slot").click()
    sunday.locator("input[name=start]").fill("18:00")
    sunday.locator("input[name=end]").fill("17:00")
    sunday.locator("button[type=submit]").click()
    sunday.locator(".invalid-feedback").wait_for()
    assert "يجب أن تكون النهاية بعد البداية" in sunday.locator(".invalid-feedback").inner_text()
    screenshot(page, "volunteer_grid_error_ar")
    sunday.get_by_role("button", name="إلغاء").click()
    sunday.locator("button.add-slot").wait_for()

    # a dated slot
    day = dt.date.today() + dt.timedelta(days=10)
    dated = page.locator("#dated-slots")
    dated.locator("input[name=date]").fill(day.isoformat())
    dated.locator("input[name=start]").fill("16:00")
    dated.locator("input[name=end]").fill("20:00")
    dated.locator("button[type=submit]").click()
    dated.locator("li[data-slot]").wait_for()
    assert page.evaluate("window.loaded_once") is True, "htmx swapped the panels; the page never reloaded"

    page.reload()
    assert page.locator(".day-row[data-weekday='5'] .slot-chip").inner_text().startswith("09:00 – 13:00")
    assert "منتصف الليل" in page.locator(".day-row[data-weekday='3'] .slot-chip").inner_text()
    assert page.locator("#dated-slots li[data-slot]").count() == 1
    assert "16:00 – 20:00" in page.locator("#dated-slots li[data-slot]").inner_text()
    assert page.locator("#no-commitments").is_visible()
    screenshot(page, "volunteer_dashboard_ar")

    stored = sorted((s.kind, s.weekday, s.date, s.start, s.end) for s in AvailabilitySlot.objects.all())
    assert stored == [
        ("dated", day.weekday(), day, 960, 1200),
        ("weekly", 3, None, 1320, 1440),
        ("weekly", 5, None, 540, 780),
    ]
