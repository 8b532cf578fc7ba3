"""A charity owner, in Arabic, in Chromium: the dashboard tells how fast the
charity reviews volunteers (or that there are not enough matches yet), and the
webhooks page adds an endpoint, shows its secret once and lists the deliveries."""

import pytest

from notifications import webhooks
from notifications.models import WebhookDelivery, WebhookEndpoint
from tests.browser import screenshot, signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def test_the_owner_sees_the_response_time_and_manages_a_webhook(live_server, browser, verified_charity, charity_owner):
    page = signed_in_page(browser, live_server, charity_owner)

    # 1. No figure yet: the dashboard says so rather than showing a misleading number.
    page.goto(f"{live_server.url}/ar/dashboard/?charity={verified_charity.pk}")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "لا توجد مطابقات كافية بعد" in page.locator(".review-time").inner_text()
    screenshot(page, "charity_dashboard_no_median_ar")

    # 2. Once the periodic task has measured it, the median reads as words.
    verified_charity.median_review_hours, verified_charity.review_sample_size = 4.5, 12
    verified_charity.save(update_fields=["median_review_hours", "review_sample_size"])
    page.reload()
    assert "تراجع المتطوعين عادةً خلال 5 ساعات" in page.locator(".review-time").inner_text()
    screenshot(page, "charity_dashboard_median_ar")

    # 3. The public profile shows it beside the verified badge.
    page.goto(f"{live_server.url}/ar/charities/{verified_charity.pk}/")
    assert "خلال 5 ساعات" in page.locator(".review-time").inner_text()
    screenshot(page, "charity_profile_median_ar")

    # 4. The owner adds a webhook endpoint; a plain http address is refused first.
    page.goto(f"{live_server.url}/ar/dashboard/?charity={verified_charity.pk}")
    page.get_by_role("link", name="ويب هوك").click()
    page.fill("input[name=url]", "http://hooks.resala.example.org/vb")
    page.get_by_role("button", name="أضف العنوان").click()
    page.wait_for_load_state()
    assert "https://" in page.locator(".invalid-feedback").inner_text()
    assert not WebhookEndpoint.objects.exists()
    page.fill("input[name=url]", "https://hooks.resala.example.org/vb")
    page.locator("input[name=kinds][value=match_confirmed]").check()
    page.get_by_role("button", name="أضف العنوان").click()
    page.wait_for_load_state()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in page.locator(".webhook-secret").inner_text()

    # 5. A failed delivery appears in the log with its event id; the secret is not shown again.
    (delivery,) = webhooks.webhook_event_record(
        charity_id=verified_charity.pk, kind="match_confirmed", event_key="m:1", payload={}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, attempts=5, last_error="HTTP 503", response_status=503
    )
    page.reload()
    assert page.locator(".webhook-secret").count() == 0
    assert str(delivery.event_id) in page.locator(".webhook-delivery").inner_text()
    screenshot(page, "charity_webhooks_ar")
