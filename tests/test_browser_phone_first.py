"""Phone-first journeys in Arabic at 390x844: every error at once with focus on the
first, the weekly grid keeping its new form on screen, "use my location" and the map
picker, the organisation's way in at sign-up, and an accepted invitation saying so."""

import pytest
from playwright.sync_api import expect

from matching.models import Match
from tests.browser import screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def test_the_report_form_shows_every_error_and_focuses_the_first(live_server, page):
    page.goto(f"{live_server.url}/ar/report/")
    page.fill("#id_location_text", "حلوان")
    page.locator("form[enctype] button[type=submit]").click()
    summary = page.locator(".vb-error-summary")
    summary.wait_for()
    assert summary.locator("a").count() == 3
    assert page.evaluate("document.activeElement.id") == "id_description"
    assert page.input_value("#id_location_text") == "حلوان"
    described = page.get_attribute("#id_description", "aria-describedby")
    assert page.locator(f"#{described}").inner_text() == "صِف ما المطلوب."
    summary.locator("a").nth(1).click()
    assert page.evaluate("document.activeElement.id") == "id_region"
    screenshot(page, "phone_report_errors_ar")


def test_adding_a_time_at_the_bottom_of_the_grid_keeps_the_form_on_screen(live_server, page, volunteer):
    sign_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/ar/volunteer/")
    last_day = page.locator(".day-row").last
    last_day.scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    last_day.locator(".add-slot").click()
    form = page.locator("#weekly-grid .slot-form")
    form.wait_for()
    page.wait_for_timeout(300)
    box = form.bounding_box()
    assert box["y"] >= 0 and box["y"] + min(box["height"], 200) <= 844, box
    assert page.evaluate("document.activeElement.closest('.slot-form') !== null")
    screenshot(page, "phone_grid_add_ar")


def test_use_my_location_and_the_map_fill_the_profile(live_server, browser, volunteer, settings):
    settings.MAP_TILE_URL = f"{live_server.url}/static/vendor/leaflet-1.9.4/images/layers.png?{{z}}/{{x}}/{{y}}"
    context = browser.new_context(
        locale="ar-EG",
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": 30.0561, "longitude": 31.2394},
        permissions=["geolocation"],
    )
    page = context.new_page()
    sign_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/ar/volunteer/#profile")
    page.get_by_role("button", name="استخدم موقعي").click()
    # expect() polls from Playwright's side: wait_for_function's string would be an eval the CSP refuses.
    expect(page.locator("#id_latitude")).not_to_have_value("")
    assert page.input_value("#id_latitude") == "30.0561"
    assert page.input_value("#id_longitude") == "31.2394"
    map_box = page.locator("[data-location-map]")
    map_box.locator(".leaflet-marker-icon").wait_for()
    map_box.scroll_into_view_if_needed()
    box = map_box.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.8)  # away from pin and zoom
    expect(page.locator("#id_latitude")).not_to_have_value("30.0561")
    screenshot(page, "phone_location_picker_ar")
    context.close()


def test_without_a_tile_server_there_is_no_map_but_typing_works(live_server, page, volunteer, settings):
    settings.MAP_TILE_URL = ""
    sign_in(page, live_server, volunteer)
    page.goto(f"{live_server.url}/ar/volunteer/")
    assert page.locator("[data-location-map]").count() == 0
    assert page.get_by_role("button", name="استخدم موقعي").is_visible()
    page.fill("#id_latitude", "30.1")
    page.fill("#id_longitude", "31.3")
    with page.expect_navigation():
        page.get_by_role("button", name="حفظ ملفي الشخصي").click()
    assert page.locator(".alert-success").is_visible()
    volunteer.volunteer_profile.refresh_from_db()
    assert (volunteer.volunteer_profile.latitude, volunteer.volunteer_profile.longitude) == (30.1, 31.3)


def test_an_organisation_signs_up_straight_to_its_registration(live_server, page):
    page.goto(f"{live_server.url}/ar/")
    page.locator("#main-nav").evaluate("el => el.classList.add('show')")
    page.get_by_role("link", name="للجهات الخيرية").click()
    page.get_by_role("link", name="تسجيل جهة خيرية").wait_for()
    screenshot(page, "phone_signup_organisation_ar")
    page.fill("input[name=email]", "society@example.org")
    page.fill("input[name=password1]", "a-long-pass-2027")
    page.fill("input[name=password2]", "a-long-pass-2027")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/ar/charities/register/")
    assert page.locator("h1").count() == 1


def test_accepting_an_invitation_says_so_and_links_the_case(live_server, page, world):
    sign_in(page, live_server, world.volunteer)
    page.goto(f"{live_server.url}/ar/volunteer/")
    invitation = page.locator("[data-testid=invitation]").first
    invitation.wait_for()
    assert page.locator("#matches").bounding_box()["y"] < page.locator("#free-time").bounding_box()["y"]
    invitation.get_by_role("button", name="قبول").click()
    notice = page.locator("[data-testid=answer-notice]")
    notice.wait_for()
    assert world.case.title in notice.inner_text()
    link = page.locator("[data-testid=commitment] h3 a").first
    assert link.get_attribute("href").endswith(f"/cases/{world.case.pk}/")
    assert Match.objects.get(pk=world.invited.pk).status == Match.Status.CONFIRMED
    screenshot(page, "phone_invitation_accepted_ar")
