"""A volunteer commits to a repeating need: one answer, one commitment per day, later days too."""

import datetime as dt

import pytest
from django.test import override_settings
from icalendar import Calendar

from cases.services import need_cancel, series_create, series_extend_all
from cases.tests.factories import CaseFactory
from core.errors import InvalidInput
from core.models import ActivityType
from matching import calendar
from matching.models import Match, SeriesCommitment
from matching.occurrences import match_accept_series
from matching.services import InvitationClosed, match_approve, match_propose_for_need
from matching.tests.factories import FRI, local, make_charity, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def fridays(charity_owner):
    """Food baskets every Friday 18:00-20:00 in Cairo, 6 times from 2027-01-15, two places."""
    charity = make_charity(charity_owner)
    case = CaseFactory(charity=charity)
    with override_settings(SERIES_HORIZON_DAYS=30):  # the first three Fridays exist now
        return series_create(
            case=case,
            user=charity_owner,
            activity_type=ActivityType.objects.get(slug="food_baskets"),
            starts_at=local("2027-01-15", "18:00"),
            recurrence_rule="RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=6",
            duration_minutes=120,
            volunteers_needed=2,
            now=local("2027-01-01", "09:00"),
        )


@pytest.fixture
def invited(fridays, charity_owner):
    volunteer = make_volunteer("friday", slots=[weekly(FRI, "17:00", "21:00")])
    first = fridays.occurrences.order_by("starts_at").first()
    match_propose_for_need(need_id=first.pk)
    match = Match.objects.get(need=first, volunteer=volunteer)
    match_approve(match=match, user=charity_owner)
    match.refresh_from_db()
    return match


def test_accepting_the_series_confirms_every_day_with_one_answer(fridays, invited):
    user = invited.volunteer.user
    answer = match_accept_series(match=invited, user=user)
    assert len(answer.confirmed) == 3 and answer.skipped == {}
    confirmed = Match.objects.filter(volunteer=invited.volunteer, status=Match.Status.CONFIRMED)
    assert sorted(confirmed.values_list("need__occurrence_date", flat=True)) == [
        dt.date(2027, 1, 15),
        dt.date(2027, 1, 22),
        dt.date(2027, 1, 29),
    ]
    assert set(fridays.occurrences.values_list("volunteers_confirmed", flat=True)) == {1}
    assert SeriesCommitment.objects.filter(volunteer=invited.volunteer, series=fridays).count() == 1
    assert Notification.objects.filter(kind=Kind.MATCH_CONFIRMED).values("event_key").distinct().count() == 1
    assert (
        Notification.objects.filter(kind=Kind.NEED_REMINDER, recipient=user).values("event_key").distinct().count() == 3
    )
    # The calendar feed shows them all.
    feed = calendar.calendar_feed_create(user=user)
    events = Calendar.from_ical(calendar.feed_render(feed, base_url="http://testserver/")).walk("VEVENT")
    assert len(events) == 3


def test_days_created_later_confirm_the_committed_volunteer(fridays, invited):
    match_accept_series(match=invited, user=invited.volunteer.user)
    with override_settings(SERIES_HORIZON_DAYS=60):
        assert series_extend_all(now=local("2027-01-02", "09:00")) == 3
        assert series_extend_all(now=local("2027-01-02", "09:00")) == 0
    assert Match.objects.filter(volunteer=invited.volunteer, status=Match.Status.CONFIRMED).count() == 6


def test_a_clashing_or_full_day_is_skipped_and_named(fridays, invited, charity_owner):
    from matching.tests.factories import make_commitment

    second = fridays.occurrences.order_by("starts_at")[1]
    make_commitment(invited.volunteer, second.starts_at, second.ends_at)
    third = fridays.occurrences.order_by("starts_at")[2]
    type(third).objects.filter(pk=third.pk).update(volunteers_confirmed=2)
    answer = match_accept_series(match=invited, user=invited.volunteer.user)
    assert len(answer.confirmed) == 1
    assert answer.skipped == {second.pk: "clash", third.pk: "full"}


def test_only_the_invited_volunteer_may_accept_the_series(invited, other_volunteer):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        match_accept_series(match=invited, user=other_volunteer)
    assert not Match.objects.filter(status=Match.Status.CONFIRMED).exists()


def test_a_need_that_does_not_repeat_is_refused(charity_owner):
    volunteer = make_volunteer(slots=[weekly(5, "09:00", "13:00")])
    need = make_need(charity=make_charity(charity_owner))
    match_propose_for_need(need_id=need.pk)
    match = Match.objects.get(need=need, volunteer=volunteer)
    with pytest.raises(InvalidInput):
        match_accept_series(match=match, user=volunteer.user)


def test_an_answered_invitation_cannot_accept_the_series_again(fridays, invited):
    match_accept_series(match=invited, user=invited.volunteer.user)
    with pytest.raises(InvitationClosed):
        match_accept_series(match=invited, user=invited.volunteer.user)


def test_cancelling_one_day_tells_its_volunteer_and_keeps_the_others(fridays, invited, charity_owner):
    match_accept_series(match=invited, user=invited.volunteer.user)
    second = fridays.occurrences.order_by("starts_at")[1]
    need_cancel(need=second, user=charity_owner)
    statuses = dict(Match.objects.filter(volunteer=invited.volunteer).values_list("need__occurrence_date", "status"))
    assert statuses[dt.date(2027, 1, 22)] == Match.Status.CANCELLED
    assert statuses[dt.date(2027, 1, 15)] == statuses[dt.date(2027, 1, 29)] == Match.Status.CONFIRMED
    told = Notification.objects.filter(kind=Kind.MATCH_CANCELLED, recipient=invited.volunteer.user)
    assert told.exists()
    second.refresh_from_db()
    assert second.volunteers_confirmed == 0 and second.cancelled_at is not None
    # Matching never proposes anyone for a cancelled day.
    assert match_propose_for_need(need_id=second.pk) == []


def test_the_api_accepts_the_series_and_names_what_it_skipped(fridays, invited, api, other_volunteer):
    url = f"/api/v1/matches/{invited.pk}/accept-series/"
    assert api(other_volunteer).post(url).status_code == 404
    assert api().post(url).status_code == 401
    assert not Match.objects.filter(status=Match.Status.CONFIRMED).exists()
    response = api(invited.volunteer.user).post(url)
    assert response.status_code == 200, response.data
    assert len(response.data["confirmed"]) == 3 and response.data["skipped"] == []
    assert {m["need"]["series"] for m in response.data["confirmed"]} == {fridays.pk}
    again = api(invited.volunteer.user).post(url)
    assert again.status_code == 409


def test_the_dashboard_button_accepts_every_day(fridays, invited, client):
    client.force_login(invited.volunteer.user)
    page = client.get("/ar/matching/me/", HTTP_HX_REQUEST="true")
    assert f"/ar/matching/matches/{invited.pk}/accept-series/" in page.content.decode()
    response = client.post(f"/ar/matching/matches/{invited.pk}/accept-series/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Match.objects.filter(volunteer=invited.volunteer, status=Match.Status.CONFIRMED).count() == 3
