import pytest

from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_arabic_home_page_is_laid_out_right_to_left(live_server, page):
    page.goto(f"{live_server.url}/ar/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    brand = page.locator(".navbar-brand").bounding_box()
    toggler = page.locator(".navbar-toggler").bounding_box()
    assert brand["x"] > toggler["x"], "in RTL the brand sits on the right and the menu button on the left"
    direction = page.evaluate("getComputedStyle(document.querySelector('main')).direction")
    assert direction == "rtl"
    assert "بوقتك" in page.locator("h1").inner_text()
    screenshot(page, "home_ar")


def test_the_english_home_page_is_left_to_right(live_server, page):
    page.goto(f"{live_server.url}/en/")
    assert page.get_attribute("html", "dir") == "ltr"
    brand = page.locator(".navbar-brand").bounding_box()
    toggler = page.locator(".navbar-toggler").bounding_box()
    assert brand["x"] < toggler["x"]
    screenshot(page, "home_en")


def test_sign_up_in_arabic_in_the_browser(live_server, page):
    page.goto(f"{live_server.url}/ar/accounts/signup/")
    page.fill("input[name=email]", "huda@example.org")
    page.fill("input[name=password1]", "a-long-pass-2027")
    page.fill("input[name=password2]", "a-long-pass-2027")
    screenshot(page, "signup_ar")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "huda@example.org" in page.content()
