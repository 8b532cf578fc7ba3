"""Playwright in Arabic on a phone: the volunteer's calendar link on the dashboard
(create, copy, subscribe, replace, revoke), the one-event download on an
invitation, and upcoming commitments readable offline until signing out."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from matching.models import CalendarFeed, Match
from matching.tests.factories import local, make_need, make_volunteer
from tests.browser import ARTIFACTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _match(volunteer, status, day, title):
    starts = local(day, "10:00")
    need = make_need(starts=starts, ends=starts + dt.timedelta(hours=2), description=title)
    return Match.objects.create(
        need=need,
        volunteer=volunteer,
        charity=need.case.charity,
        status=status,
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        minutes=120,
        proposed_at=timezone.now(),
        invited_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=48),
    )


def _events(body: bytes) -> list[str]:
    return [str(event["UID"]) for event in Calendar.from_ical(body).walk("VEVENT")]


def test_the_volunteer_manages_a_calendar_link_in_arabic(live_server, page):
    mona = make_volunteer("mona", display_name="منى")
    commitment = _match(mona, Match.Status.CONFIRMED, "2027-07-10", "توزيع سلال رمضان")
    invitation = _match(mona, Match.Status.INVITED, "2027-07-17", "إفطار صائم")
    sign_in(page, live_server, mona.user)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{live_server.url}/ar/volunteer/")
    assert page.get_attribute("html", "dir") == "rtl"
    section = page.locator("[data-testid=calendar-feed]")
    assert "التزاماتك في تقويم هاتفك" in section.inner_text()
    download = page.locator("[data-testid=invitation] [data-testid=match-calendar]")
    assert download.get_attribute("href") == f"/ar/matching/matches/{invitation.pk}/calendar.ics"
    section.get_by_role("button", name="إنشاء رابط تقويمي").click()

    url_box = page.locator("[data-testid=calendar-url]")
    url_box.wait_for()
    assert "رابط تقويمك الجديد جاهز" in page.locator(".alert").first.inner_text()
    first_url = url_box.input_value()
    token = CalendarFeed.objects.get(volunteer=mona).token
    assert first_url == f"{live_server.url}/calendar/{token}.ics"
    subscribe = page.locator("[data-testid=calendar-subscribe]").get_attribute("href")
    assert subscribe == first_url.replace("http://", "webcal://")
    assert page.evaluate("getComputedStyle(document.querySelector('#calendar-url')).direction") == "ltr"
    box = section.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the section fits the phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    section.get_by_role("button", name="نسخ").click()
    # expect() polls from Playwright's side: wait_for_function's string would be an eval the CSP refuses.
    expect(page.locator("[data-copy]")).to_have_text("نُسخ")
    screenshot(page, "calendar_link_ar")
    page.locator("#volunteer-matches").locator("..").screenshot(path=str(ARTIFACTS / "calendar_section_ar.png"))

    feed = page.request.get(first_url)
    assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert _events(feed.body()) == [f"match-{commitment.pk}@volunteerbank"]
    single = page.request.get(f"{live_server.url}/ar/matching/matches/{invitation.pk}/calendar.ics")
    assert _events(single.body()) == [f"match-{invitation.pk}@volunteerbank"]

    section.get_by_role("button", name="إنشاء رابط جديد").click()
    expect(page.locator("#calendar-url")).not_to_have_value(first_url)
    gone = page.request.get(first_url)
    assert gone.status == 404 and "لم يعد يعمل" in gone.text()

    page.locator("[data-testid=calendar-feed]").get_by_role("button", name="إلغاء الرابط").click()
    page.get_by_role("button", name="إنشاء رابط تقويمي").wait_for()
    assert not CalendarFeed.objects.exists()
    screenshot(page, "calendar_link_revoked_ar")


def test_upcoming_commitments_read_offline_until_signing_out(live_server, page):
    mona = make_volunteer("mona", display_name="منى")
    match = _match(mona, Match.Status.CONFIRMED, "2027-07-10", "توزيع سلال رمضان")
    sign_in(page, live_server, mona.user)

    page.goto(f"{live_server.url}/ar/volunteer/")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now controlled by the worker, which keeps this copy
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function("caches.open('vb-pages').then(c => c.keys()).then(k => k.length > 0)")

    page.context.set_offline(True)
    page.reload()
    commitment = page.locator("[data-testid=commitment]")
    assert commitment.count() == 1
    assert match.need.case.title in commitment.inner_text() and "10:00–12:00" in commitment.inner_text()
    assert match.need.case.charity.name_ar in commitment.inner_text()
    assert page.get_attribute("html", "dir") == "rtl"
    screenshot(page, "commitments_offline_ar")
    page.locator("#volunteer-matches").screenshot(path=str(ARTIFACTS / "commitments_offline_section_ar.png"))

    page.context.set_offline(False)
    page.click(".navbar-toggler")
    page.get_by_role("button", name="خروج").click()
    page.wait_for_url(lambda url: "/volunteer/" not in url)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/ar/volunteer/")
    assert "غير متصل" in page.locator("h1").inner_text(), "signing out forgets the offline copy"
    assert page.locator("[data-testid=commitment]").count() == 0
    page.context.set_offline(False)
