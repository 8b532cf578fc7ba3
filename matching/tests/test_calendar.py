"""The calendar feed and the one-event downloads: services, the feed over HTTP,
the dashboard's link management and the API.

The matching conftest freezes `timezone.now()` at 2027-01-01 08:00 UTC. Egypt is
UTC+2 in January and UTC+3 from 2027-04-30 to 2027-10-29; Riyadh is UTC+3 always.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import timezone
from icalendar import Calendar

from matching import calendar
from matching.models import CalendarFeed, Match
from matching.tests.factories import local, make_charity, make_need, make_volunteer
from volunteers import privacy

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
SECRET = "اسم المستفيدة فاطمة، هاتف 01001234567، شقة 4"


def _match(volunteer, *, status=Match.Status.CONFIRMED, region="EG-C", starts=None, hours=2, charity=None, **need):
    """A match in the state the services leave it, for a need of its own."""
    starts = starts or local("2027-01-09", "10:00")
    ends = starts + dt.timedelta(hours=hours)
    need = make_need(region=region, starts=starts, ends=ends, charity=charity, **need)
    need.case.private_details = SECRET
    need.case.latitude, need.case.longitude = 30.0444, 31.2357
    need.case.public_latitude, need.case.public_longitude = 30.061, 31.219
    need.case.save(update_fields=["private_details", "latitude", "longitude", "public_latitude", "public_longitude"])
    now = timezone.now()
    return Match.objects.create(
        need=need,
        volunteer=volunteer,
        charity=need.case.charity,
        status=status,
        starts_at=starts,
        ends_at=ends,
        minutes=hours * 60,
        proposed_at=now,
        invited_at=now,
        answered_at=now if status == Match.Status.CONFIRMED else None,
    )


def _events(body: bytes) -> dict:
    parsed = Calendar.from_ical(body)
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


@pytest.fixture
def mona(db):
    return make_volunteer("mona", display_name="منى")


@pytest.fixture
def feed(mona):
    return calendar.calendar_feed_create(user=mona.user)


def _feed_get(client, feed, **headers):
    return client.get(f"/calendar/{feed.token}.ics", **headers)


# --- services and rendering ------------------------------------------------------


def test_the_feed_has_exactly_the_confirmed_commitments(mona, feed, other_volunteer):
    winter = _match(mona, starts=local("2027-01-09", "10:00"))
    summer = _match(mona, starts=local("2027-07-10", "18:00"))
    _match(mona, status=Match.Status.INVITED, starts=local("2027-02-01", "10:00"))
    _match(mona, status=Match.Status.CANCELLED, starts=local("2027-02-02", "10:00"))
    _match(mona, status=Match.Status.DECLINED_BY_VOLUNTEER, starts=local("2027-02-03", "10:00"))
    _match(mona, starts=local("2026-09-01", "10:00"))  # ended more than 90 days ago
    someone_else = make_volunteer("karim")
    _match(someone_else, starts=local("2027-01-10", "10:00"))

    events = _events(calendar.feed_render(feed, base_url="https://vb.example/"))

    assert set(events) == {f"match-{winter.pk}@volunteerbank", f"match-{summer.pk}@volunteerbank"}
    assert all(str(event["STATUS"]) == "CONFIRMED" for event in events.values())


def test_cairo_times_follow_summer_time_and_riyadh_stays_at_plus_three(mona, feed):
    winter = _match(mona, starts=local("2027-01-09", "10:00"))
    summer = _match(mona, starts=local("2027-07-10", "18:00"))
    riyadh = _match(mona, region="SA-01", starts=local("2027-07-10", "18:00", RIYADH), hours=3)

    body = calendar.feed_render(feed, base_url="https://vb.example/")
    events = _events(body)

    start = events[f"match-{winter.pk}@volunteerbank"].decoded("DTSTART")
    assert start.tzinfo.key == "Africa/Cairo"
    assert (start.hour, start.utcoffset()) == (10, dt.timedelta(hours=2))
    assert start.astimezone(dt.UTC) == dt.datetime(2027, 1, 9, 8, tzinfo=dt.UTC)
    start = events[f"match-{summer.pk}@volunteerbank"].decoded("DTSTART")
    assert (start.hour, start.utcoffset()) == (18, dt.timedelta(hours=3))
    assert start.astimezone(dt.UTC) == dt.datetime(2027, 7, 10, 15, tzinfo=dt.UTC)
    event = events[f"match-{riyadh.pk}@volunteerbank"]
    assert event.decoded("DTSTART").tzinfo.key == "Asia/Riyadh"
    assert event.decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(2027, 7, 10, 15, tzinfo=dt.UTC)
    assert event.decoded("DTEND").astimezone(dt.UTC) == dt.datetime(2027, 7, 10, 18, tzinfo=dt.UTC)
    # Each TZID comes with its VTIMEZONE, so calendars that do not know the zone still place it right.
    zones = {str(zone["TZID"]) for zone in Calendar.from_ical(body).walk("VTIMEZONE")}
    assert zones == {"Africa/Cairo", "Asia/Riyadh"}


def test_an_event_tells_the_case_place_and_charity_contact_but_no_private_detail(mona, feed, charity_owner):
    charity = make_charity(charity_owner)
    charity.whatsapp = "+201001112223"
    charity.save(update_fields=["whatsapp"])
    match = _match(mona, charity=charity, description="توزيع السلال")

    body = calendar.feed_render(feed, base_url="https://vb.example/")
    event = _events(body)[f"match-{match.pk}@volunteerbank"]

    case = match.need.case
    assert str(event["SUMMARY"]) == f"توزيع السلال · {case.title}"
    assert str(event["LOCATION"]) == "القاهرة، مصر"
    description = str(event["DESCRIPTION"])
    assert case.title in description and charity.name_ar in description
    assert charity_owner.email in description and "+201001112223" in description
    assert str(event["URL"]) == f"https://vb.example/ar/cases/{case.pk}/"
    assert str(event["SEQUENCE"]) == "0" and event.decoded("DTSTAMP")
    text = body.decode()
    assert "فاطمة" not in text and "01001234567" not in text and "30.0444" not in text
    assert (event["GEO"].latitude, event["GEO"].longitude) == (30.061, 31.219)  # the blurred public point


def test_the_feed_speaks_the_volunteers_own_language(mona, feed):
    mona.user.language = "en"
    mona.user.save(update_fields=["language"])
    match = _match(mona)

    body = calendar.feed_render(calendar.calendar_feed_get_by_token(feed.token), base_url="https://vb.example/")
    event = _events(body)[f"match-{match.pk}@volunteerbank"]

    assert str(event["LOCATION"]) == "Cairo, Egypt"
    assert str(event["URL"]).endswith(f"/en/cases/{match.need.case_id}/")
    assert "Organisation:" in str(event["DESCRIPTION"])
    assert "Volunteer Bank: my commitments" in body.decode()


def test_a_new_link_replaces_the_old_token(mona, feed):
    old = feed.token
    new = calendar.calendar_feed_create(user=mona.user)
    assert new.pk == feed.pk and new.token != old and len(new.token) >= 43
    assert CalendarFeed.objects.filter(volunteer=mona).count() == 1
    with pytest.raises(Http404):
        calendar.calendar_feed_get_by_token(old)


def test_only_a_volunteer_gets_a_feed(plain_user):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        calendar.calendar_feed_create(user=plain_user)
    assert not CalendarFeed.objects.exists()


def test_deleting_the_account_deletes_the_feed(mona, feed, client):
    privacy.account_delete(user=mona.user)
    assert not CalendarFeed.objects.exists()
    assert _feed_get(client, feed).status_code == 404


# --- the feed over HTTP ---------------------------------------------------------------


def test_the_feed_is_served_as_text_calendar_without_signing_in(client, mona, feed):
    match = _match(mona)
    response = _feed_get(client, feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    events = _events(response.content)
    assert list(events) == [f"match-{match.pk}@volunteerbank"]
    assert str(events[f"match-{match.pk}@volunteerbank"]["URL"]).startswith("http://testserver/ar/cases/")


def test_a_repeated_poll_gets_304_and_head_answers(client, mona, feed):
    _match(mona)
    first = _feed_get(client, feed)
    again = _feed_get(client, feed, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.head(f"/calendar/{feed.token}.ics").status_code == 200


def test_the_feed_takes_a_constant_number_of_queries(client, mona, feed, django_assert_max_num_queries):
    for day in range(1, 4):
        _match(mona, starts=local(f"2027-02-0{day}", "10:00"))
    with django_assert_max_num_queries(3):
        assert _feed_get(client, feed).status_code == 200
    for day in range(4, 10):
        _match(mona, starts=local(f"2027-02-0{day}", "10:00"))
    with django_assert_max_num_queries(3):
        response = _feed_get(client, feed)
    assert len(_events(response.content)) == 9


@pytest.mark.parametrize("token", ["unknown-token", "x" * 64, "x" * 300, "%00", "..", "٣٣"])
def test_an_unknown_token_is_a_clear_404(client, db, token):
    response = client.get(f"/calendar/{token}.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    if len(token) <= 64 and token != "..":
        assert "This calendar link does not work any more" in response.content.decode()


def test_a_revoked_or_replaced_link_says_so_in_arabic(client, mona, feed):
    old = feed.token
    calendar.calendar_feed_create(user=mona.user)
    response = client.get(f"/calendar/{old}.ics", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "لوحة المتطوع" in response.content.decode()
    calendar.calendar_feed_revoke(user=mona.user)
    assert _feed_get(client, CalendarFeed(token=old)).status_code == 404


def test_a_disabled_account_feed_is_a_404(client, mona, feed):
    mona.user.is_active = False
    mona.user.save(update_fields=["is_active"])
    assert _feed_get(client, feed).status_code == 404


def test_the_feed_refuses_post(client, feed):
    assert client.post(f"/calendar/{feed.token}.ics").status_code == 405


# --- the dashboard --------------------------------------------------------------------


def test_the_dashboard_offers_to_create_a_link_then_shows_it(client, mona):
    client.force_login(mona.user)
    html = client.get("/ar/volunteer/").content.decode()
    assert 'data-testid="calendar-feed"' in html and "calendar-url" not in html

    response = client.post("/ar/matching/calendar/", {"action": "create"})
    assert response.status_code == 302 and response["Location"] == "/ar/volunteer/#calendar"
    feed = CalendarFeed.objects.get(volunteer=mona)
    html = client.get("/ar/volunteer/").content.decode()
    assert f"http://testserver/calendar/{feed.token}.ics" in html
    assert f'href="webcal://testserver/calendar/{feed.token}.ics"' in html


def test_the_dashboard_rotates_and_revokes(client, mona, feed):
    client.force_login(mona.user)
    client.post("/ar/matching/calendar/", {"action": "create"})
    assert _feed_get(client, feed).status_code == 404
    fresh = CalendarFeed.objects.get(volunteer=mona)
    assert _feed_get(client, fresh).status_code == 200

    client.post("/ar/matching/calendar/", {"action": "revoke"})
    client.post("/ar/matching/calendar/", {"action": "revoke"})  # twice changes nothing
    assert not CalendarFeed.objects.exists()
    assert _feed_get(client, fresh).status_code == 404


def test_managing_the_link_needs_a_volunteer_and_a_post(client, plain_user, mona):
    assert client.post("/ar/matching/calendar/", {"action": "create"}).status_code == 302  # to sign in
    client.force_login(mona.user)
    assert client.get("/ar/matching/calendar/").status_code == 405
    client.force_login(plain_user)
    response = client.post("/ar/matching/calendar/", {"action": "create"}, follow=True)
    assert "للمتطوعين فقط" in response.content.decode()
    assert not CalendarFeed.objects.exists()


# --- one-event downloads -------------------------------------------------------------


def test_an_invitation_downloads_as_one_tentative_event_without_contact(client, mona, charity_owner):
    match = _match(mona, status=Match.Status.INVITED, charity=make_charity(charity_owner))
    client.force_login(mona.user)
    html = client.get("/ar/matching/me/").content.decode()
    assert f'href="/ar/matching/matches/{match.pk}/calendar.ics"' in html

    response = client.get(f"/ar/matching/matches/{match.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    event = events[f"match-{match.pk}@volunteerbank"]
    assert len(events) == 1 and str(event["STATUS"]) == "TENTATIVE"
    assert charity_owner.email not in response.content.decode()


def test_a_commitment_downloads_with_the_same_uid_as_in_the_feed(client, mona, feed):
    match = _match(mona)
    client.force_login(mona.user)
    download = _events(client.get(f"/ar/matching/matches/{match.pk}/calendar.ics").content)
    subscribed = _events(_feed_get(client, feed).content)
    assert set(download) == set(subscribed) == {f"match-{match.pk}@volunteerbank"}


def test_nobody_else_downloads_an_invitation(client, mona, other_volunteer, charity_owner):
    match = _match(mona, status=Match.Status.INVITED, charity=make_charity(charity_owner))
    path = f"/ar/matching/matches/{match.pk}/calendar.ics"
    assert client.get(path).status_code == 302  # anonymous: to sign in
    for outsider in (other_volunteer, charity_owner):
        client.force_login(outsider)
        assert client.get(path).status_code == 404


def test_a_closed_match_has_no_download(client, mona):
    match = _match(mona, status=Match.Status.CANCELLED)
    client.force_login(mona.user)
    assert client.get(f"/ar/matching/matches/{match.pk}/calendar.ics").status_code == 404


# --- API --------------------------------------------------------------------------------


def test_the_api_creates_shows_rotates_and_revokes_the_link(api, mona):
    client = api(mona.user)
    assert client.get("/api/v1/me/calendar/").json() == {"url": None, "webcal_url": None}

    created = client.post("/api/v1/me/calendar/")
    assert created.status_code == 201
    token = CalendarFeed.objects.get(volunteer=mona).token
    assert created.json() == {
        "url": f"http://testserver/calendar/{token}.ics",
        "webcal_url": f"webcal://testserver/calendar/{token}.ics",
    }
    assert client.get("/api/v1/me/calendar/").json() == created.json()

    rotated = client.post("/api/v1/me/calendar/").json()
    assert rotated["url"] != created.json()["url"]
    assert api().get(f"/calendar/{token}.ics").status_code == 404

    assert client.delete("/api/v1/me/calendar/").status_code == 204
    assert client.delete("/api/v1/me/calendar/").status_code == 204
    assert client.get("/api/v1/me/calendar/").json()["url"] is None


def test_the_api_link_is_for_signed_in_volunteers(api, plain_user, db):
    assert api().get("/api/v1/me/calendar/").status_code in (401, 403)
    assert api().post("/api/v1/me/calendar/").status_code in (401, 403)
    response = api(plain_user).post("/api/v1/me/calendar/")
    assert response.status_code == 403 and "detail" in response.json()
    assert api(plain_user).put("/api/v1/me/calendar/").status_code == 405


def test_the_api_lists_matches_with_their_calendar_url(api, mona):
    match = _match(mona, status=Match.Status.INVITED)
    item = api(mona.user).get("/api/v1/me/matches/").json()["results"][0]
    assert item["calendar_url"] == f"http://testserver/api/v1/matches/{match.pk}/calendar.ics"


def test_the_api_downloads_one_event_for_its_volunteer_only(api, mona, other_volunteer):
    match = _match(mona)
    path = f"/api/v1/matches/{match.pk}/calendar.ics"
    response = api(mona.user).get(path, HTTP_ACCEPT="text/calendar")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert list(_events(response.content)) == [f"match-{match.pk}@volunteerbank"]
    assert api(other_volunteer).get(path).status_code == 404
    assert api().get(path).status_code in (401, 403)
    assert api(mona.user).get("/api/v1/matches/99999999999999999999/calendar.ics").status_code == 404


def test_the_admin_lists_feeds_without_their_tokens(client, feed, make_user):
    admin = make_user("root@example.org", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/en/admin/matching/calendarfeed/")
    assert response.status_code == 200 and "منى" in response.content.decode()
    detail = client.get(f"/en/admin/matching/calendarfeed/{feed.pk}/change/").content.decode()
    assert feed.token not in detail
