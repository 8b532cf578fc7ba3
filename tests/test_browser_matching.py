"""Playwright in Arabic: a charity reviews its proposed volunteers and invites
one; the volunteer accepts and sees the charity's contact."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from matching import services
from matching.models import Match
from matching.tests.factories import make_charity, make_need, make_volunteer, weekly
from tests.browser import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_a_charity_approves_and_the_volunteer_accepts_in_arabic(live_server, page, charity_owner):
    day = timezone.now().date() + dt.timedelta(days=10)
    day += dt.timedelta(days=(5 - day.weekday()) % 7)  # a Saturday
    starts = dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Africa/Cairo"))
    mona = make_volunteer("mona", slots=[weekly(5, "09:00", "13:00")], skills=["first_aid"], display_name="منى")
    make_volunteer("karim", slots=[weekly(5, "08:00", "20:00")], display_name="كريم")
    charity = make_charity(charity_owner)
    need = make_need(charity=charity, starts=starts, skills=["first_aid"], volunteers_needed=1)
    services.match_propose_for_need(need_id=need.pk)

    sign_in(page, live_server, charity_owner)
    page.goto(f"{live_server.url}/ar/matching/charities/{charity.pk}/")
    proposals = page.locator("[data-testid=proposal]")
    proposals.first.wait_for()
    assert page.get_attribute("html", "dir") == "rtl"
    assert proposals.count() == 2
    assert "منى" in proposals.first.inner_text()
    assert "لديه مهارة الإسعافات الأولية" in proposals.first.inner_text()
    assert "@" not in page.locator("section.need-review").inner_text()
    screenshot(page, "matching_charity_review_ar")
    proposals.first.locator("input[type=checkbox]").check()
    page.get_by_role("button", name="دعوة المحددين").click()
    page.locator("[data-testid=invited]").wait_for()
    assert "منى" in page.locator("[data-testid=invited]").inner_text()
    screenshot(page, "matching_charity_invited_ar")

    page.context.clear_cookies()
    sign_in(page, live_server, mona.user)
    page.goto(f"{live_server.url}/ar/matching/me/")
    invitation = page.locator("[data-testid=invitation]")
    assert "هـ" in invitation.locator("[data-testid=when]").inner_text()  # the Hijri date
    assert "10:00–12:00" in invitation.inner_text()
    screenshot(page, "matching_volunteer_invitation_ar")
    invitation.get_by_role("button", name="قبول").click()
    page.locator("[data-testid=commitment]").wait_for()
    assert charity_owner.email in page.locator("[data-testid=charity-contact]").inner_text()
    screenshot(page, "matching_volunteer_confirmed_ar")
    assert Match.objects.get(volunteer=mona).status == Match.Status.CONFIRMED
