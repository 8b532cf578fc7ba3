"""In Arabic, in Chromium: a moderator sees how long the oldest report has waited;
a charity moves a need with a confirmed volunteer, who is told."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.tests.factories import ReportFactory
from tests.browser import screenshot, signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_reference_data"),
]


def test_the_moderation_queue_shows_how_long_the_oldest_report_has_waited(
    live_server, browser, moderator_with_permission
):
    ReportFactory(created_at=timezone.now() - dt.timedelta(hours=3, minutes=5))
    ReportFactory(created_at=timezone.now() - dt.timedelta(minutes=20), description="أسرة تحتاج بطاطين للشتاء")
    page = signed_in_page(browser, live_server, moderator_with_permission)
    page.goto(f"{live_server.url}/ar/moderation/")
    stats = page.locator(".queue-stats")
    assert "بلاغان بانتظار المراجعة." in stats.inner_text()
    assert "أقدمها ينتظر منذ 3 ساعات" in page.locator(".queue-oldest").inner_text()
    screenshot(page, "trust_moderation_queue_age_ar")


def test_a_charity_moves_a_need_and_its_confirmed_volunteer_is_told(live_server, browser, charity_owner):
    from matching import services
    from matching.models import Match
    from matching.tests.factories import SAT, make_charity, make_need, make_volunteer, weekly
    from notifications.models import Kind, Notification

    need = make_need(charity=make_charity(charity_owner))
    volunteer = make_volunteer("sara", slots=[weekly(SAT, "09:00", "13:00")])
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.get(volunteer=volunteer)
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=Match.objects.get(pk=match.pk), user=volunteer.user)

    page = signed_in_page(browser, live_server, charity_owner)
    page.goto(f"{live_server.url}/ar/needs/{need.pk}/edit/")
    assert "لا يمكن تغيير شيء فيه سوى موعده" in page.locator(".need-times-only").inner_text()
    assert page.locator("input[name=volunteers_needed]").is_disabled()
    page.fill("input[name=starts_at]", "2027-01-16T10:00")
    page.fill("input[name=ends_at]", "2027-01-16T12:00")
    screenshot(page, "trust_need_reschedule_ar")
    page.get_by_role("button", name="حفظ").click()
    page.wait_for_load_state()
    assert "سيُبلَّغ متطوعوه" in page.content()
    rows = Notification.objects.filter(kind=Kind.NEED_TIME_CHANGED, recipient=volunteer.user)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]

    volunteer_page = signed_in_page(browser, live_server, volunteer.user)
    volunteer_page.goto(f"{live_server.url}/ar/notifications/")
    assert "موعد جديد" in volunteer_page.content()
    screenshot(volunteer_page, "trust_need_time_changed_bell_ar")
