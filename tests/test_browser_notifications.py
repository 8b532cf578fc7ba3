import pytest
from django.db import connections

from notifications.models import Channel, Kind, Notification
from notifications.services import notify
from notifications.tests.samples import SAMPLES
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def orm_beside_playwright(page):
    """The ORM used while Playwright runs opens its own connection (another
    context); close it, or the test database cannot be dropped at the end."""
    yield
    connections.close_all()


def test_the_bell_shows_an_unread_invitation_and_opening_it_marks_it_read(
    live_server, page, make_user, orm_beside_playwright
):
    volunteer = make_user("huda@example.org", password="a-long-pass-2027")
    notify(kind=Kind.MATCH_INVITED, event_key="match:1", context=SAMPLES[Kind.MATCH_INVITED], recipients=[volunteer])
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.fill("input[name=login]", "huda@example.org")
    page.fill("input[name=password]", "a-long-pass-2027")
    page.locator("form button[type=submit]").last.click()
    # The form is sent once pwa.js has emptied the page cache: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/ar/")
    bell = page.locator("#notification-bell")
    assert bell.locator(".badge").inner_text() == "1"
    assert "غير مقروء" in bell.text_content()
    assert bell.is_visible(), "on a phone the bell stays outside the collapsed menu"
    screenshot(page, "notifications_bell_ar")
    bell.click()
    page.wait_for_url("**/ar/notifications/")
    item = page.locator(".list-group-item").first
    assert "دعوة للتطوع: توزيع سلال رمضان" in item.inner_text()
    screenshot(page, "notifications_list_ar")

    item.locator("a").click()
    page.wait_for_load_state()
    assert "تدعوك جمعية الخير إلى المساعدة" in page.locator("article").inner_text()
    assert "1 شعبان 1448 هـ" in page.locator("article").inner_text()
    assert page.locator("#notification-bell .badge").count() == 0
    screenshot(page, "notification_detail_ar")
    row = Notification.objects.get(recipient=volunteer, channel=Channel.IN_APP)
    assert row.read_at is not None


def test_the_settings_page_in_arabic(live_server, page, make_user, orm_beside_playwright):
    make_user("omar@example.org", password="a-long-pass-2027")
    page.goto(f"{live_server.url}/ar/accounts/login/")
    page.fill("input[name=login]", "omar@example.org")
    page.fill("input[name=password]", "a-long-pass-2027")
    page.locator("form button[type=submit]").last.click()
    # The form is sent once pwa.js has emptied the page cache: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/ar/notifications/settings/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.uncheck("#pref-case_update-email")
    page.locator("form button[type=submit]").last.click()
    # The form is sent once pwa.js has emptied the page cache: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert "حُفظت إعدادات إشعاراتك" in page.content()
    assert not page.is_checked("#pref-case_update-email")
    screenshot(page, "notification_settings_ar")
