"""A need with confirmed volunteers moves in time: matches follow, volunteers are told
once per channel, reminders move; through the service, the API and the web form."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Need
from cases.services import need_update
from cases.services.needs import _time_moved_handlers
from core.errors import InvalidInput, StateConflict
from matching import services
from matching.models import Match
from matching.reschedule import need_reschedule_matches
from matching.tests.factories import local, make_commitment
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

NEW_START, NEW_END = local("2027-01-16", "10:00"), local("2027-01-16", "12:00")  # a week later


@pytest.fixture
def booked(need, saturday_people, charity_owner):
    """One volunteer confirmed (the need's only place), two still invited, none proposed."""
    services.match_propose_for_need(need_id=need.pk)
    matches = list(need.matches.order_by("-score"))
    services.match_review_many(matches=matches, user=charity_owner, approve=True)
    confirmed, *invited = [Match.objects.get(pk=m.pk) for m in matches]
    services.match_accept(match=confirmed, user=confirmed.volunteer.user)
    need.refresh_from_db()
    return need, Match.objects.get(pk=confirmed.pk), invited


def _notices(user=None):
    rows = Notification.objects.filter(kind=Kind.NEED_TIME_CHANGED)
    return rows.filter(recipient=user) if user else rows


def _reminders(user):
    return Notification.objects.filter(kind=Kind.NEED_REMINDER, recipient=user)


def test_matching_is_connected_to_a_needs_move():
    assert need_reschedule_matches in _time_moved_handlers


def test_moving_a_confirmed_need_moves_its_matches_and_tells_each_volunteer_once_per_channel(booked, charity_owner):
    need, confirmed, invited = booked
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    for match in Match.objects.filter(need=need):
        assert (match.starts_at, match.ends_at, match.minutes) == (NEW_START, NEW_END, 120)
    confirmed.refresh_from_db()
    assert confirmed.status == Match.Status.CONFIRMED, "the volunteer keeps their place"
    for match in (confirmed, *invited):
        rows = _notices(match.volunteer.user)
        assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
        row = rows.get(channel="email")
        assert row.context["old_starts_at"] == "2027-01-09T08:00:00+00:00"
        assert row.context["need_starts_at"] == "2027-01-16T08:00:00+00:00"
        assert row.context["confirmed"] is (match.pk == confirmed.pk)
        assert row.context["url"] == f"/matching/me/#match-{match.pk}"
        assert row.not_before <= timezone.now(), "urgent: not held"
    assert _notices().count() == 6
    assert not _notices(charity_owner).exists()


def test_the_reminder_is_withdrawn_and_recorded_again_for_the_new_time(booked, charity_owner):
    need, confirmed, _invited = booked
    person = confirmed.volunteer.user
    old = list(_reminders(person))
    assert len(old) == 2
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    assert {r.status for r in _reminders(person).filter(pk__in=[r.pk for r in old])} == {"cancelled"}
    fresh = _reminders(person).exclude(pk__in=[r.pk for r in old])
    assert sorted(fresh.values_list("channel", flat=True)) == ["email", "in_app"]
    assert {r.not_before for r in fresh} == {NEW_START - dt.timedelta(hours=24)}
    assert {r.context["need_starts_at"] for r in fresh} == {"2027-01-16T08:00:00+00:00"}


def test_a_small_move_updates_silently_but_still_moves_the_reminder(booked, charity_owner, settings):
    settings.NEED_TIME_CHANGE_NOTICE_MINUTES = 10
    need, confirmed, _invited = booked
    start = need.starts_at + dt.timedelta(minutes=10)
    need_update(need=need, user=charity_owner, starts_at=start, ends_at=need.ends_at)
    assert not _notices().exists()
    confirmed.refresh_from_db()
    assert confirmed.starts_at == start
    live = _reminders(confirmed.volunteer.user).exclude(status="cancelled")
    assert {r.not_before for r in live} == {start - dt.timedelta(hours=24)}


def test_a_moved_end_alone_counts_as_a_move(booked, charity_owner):
    need, confirmed, _invited = booked
    need_update(need=need, user=charity_owner, ends_at=need.ends_at + dt.timedelta(hours=2))
    assert _notices(confirmed.volunteer.user).count() == 2
    confirmed.refresh_from_db()
    assert confirmed.minutes == 240


def test_the_same_move_twice_tells_nobody_twice(booked, charity_owner):
    need, confirmed, _invited = booked
    old_start, old_end = need.starts_at, need.ends_at
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    need.refresh_from_db()
    need_reschedule_matches(need=need, old_starts_at=old_start, old_ends_at=old_end)  # a replayed handler
    assert _notices(confirmed.volunteer.user).count() == 2
    assert _notices().count() == 6


def test_moving_it_back_is_a_new_notice(booked, charity_owner):
    need, confirmed, _invited = booked
    old_start, old_end = need.starts_at, need.ends_at
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    need_update(need=need, user=charity_owner, starts_at=old_start, ends_at=old_end)
    assert _notices(confirmed.volunteer.user).count() == 4


def test_proposed_volunteers_are_not_told(need, saturday_people, charity_owner):
    services.match_propose_for_need(need_id=need.pk)
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    assert not _notices().exists()
    assert set(need.matches.values_list("starts_at", flat=True)) == {NEW_START}


def test_other_fields_stay_locked_once_someone_is_confirmed(booked, charity_owner):
    need, _confirmed, _invited = booked
    with pytest.raises(StateConflict) as error:
        need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END, volunteers_needed=3)
    assert error.value.field == "volunteers_needed"
    need.refresh_from_db()
    assert (need.starts_at, need.volunteers_needed) == (local("2027-01-09", "10:00"), 1)
    assert not _notices().exists()
    # the same values sent back (as a form does) are not a change
    need_update(need=need, user=charity_owner, volunteers_needed=1, description=need.description)


def test_a_need_that_has_started_cannot_move(booked, charity_owner):
    need, _confirmed, _invited = booked
    Need.objects.filter(pk=need.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    Match.objects.filter(need=need).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    need.refresh_from_db()
    with pytest.raises(StateConflict):
        need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    assert not _notices().exists()


def test_a_move_into_the_past_is_refused_and_nothing_changes(booked, charity_owner):
    need, confirmed, _invited = booked
    with pytest.raises(InvalidInput):
        need_update(need=need, user=charity_owner, starts_at=timezone.now() - dt.timedelta(days=1))
    confirmed.refresh_from_db()
    assert confirmed.starts_at == local("2027-01-09", "10:00")
    assert not _notices().exists()
    assert not _reminders(confirmed.volunteer.user).filter(status="cancelled").exists()


def test_the_notice_says_when_the_new_time_clashes_with_another_commitment(booked, charity_owner):
    need, confirmed, _invited = booked
    make_commitment(confirmed.volunteer, NEW_START, NEW_END)
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    assert _notices(confirmed.volunteer.user).get(channel="email").context["clashes"] is True


def test_a_move_into_the_next_day_sends_the_notice_and_no_second_reminder(booked, charity_owner, monkeypatch):
    need, confirmed, _invited = booked
    now = local("2027-01-08", "09:00")
    monkeypatch.setattr("matching.reschedule.timezone.now", lambda: now)
    monkeypatch.setattr("cases.services.needs.timezone.now", lambda: now)
    start = local("2027-01-08", "18:00")
    need_update(need=need, user=charity_owner, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    person = confirmed.volunteer.user
    assert _notices(person).count() == 2
    assert not _reminders(person).exclude(status="cancelled").exists(), "the notice already gives the new time"


# --- Through HTTP --------------------------------------------------------------------------------


def _iso(moment):
    return moment.isoformat()


def test_the_api_reschedules_a_confirmed_need(booked, charity_owner, api):
    need, confirmed, _invited = booked
    response = api(charity_owner).patch(
        f"/api/v1/needs/{need.pk}/", {"starts_at": _iso(NEW_START), "ends_at": _iso(NEW_END)}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["starts_at"].startswith("2027-01-16")
    assert _notices(confirmed.volunteer.user).count() == 2


def test_the_api_refuses_other_fields_of_a_confirmed_need(booked, charity_owner, api):
    need, _confirmed, _invited = booked
    response = api(charity_owner).patch(
        f"/api/v1/needs/{need.pk}/", {"starts_at": _iso(NEW_START), "volunteers_needed": 4}, format="json"
    )
    assert response.status_code == 409
    assert "volunteers_needed" in response.json()
    need.refresh_from_db()
    assert need.starts_at == local("2027-01-09", "10:00")
    assert not _notices().exists()


def test_the_api_refuses_outsiders_and_saves_nothing(booked, other_charity_staff, volunteer, api):
    need, _confirmed, _invited = booked
    payload = {"starts_at": _iso(NEW_START), "ends_at": _iso(NEW_END)}
    assert api(other_charity_staff).patch(f"/api/v1/needs/{need.pk}/", payload, format="json").status_code == 404
    assert api(volunteer).patch(f"/api/v1/needs/{need.pk}/", payload, format="json").status_code == 404
    assert api().patch(f"/api/v1/needs/{need.pk}/", payload, format="json").status_code in (401, 403)
    need.refresh_from_db()
    assert need.starts_at == local("2027-01-09", "10:00")
    assert not _notices().exists()


def test_the_api_refuses_an_end_before_the_start_and_saves_nothing(booked, charity_owner, api):
    need, _confirmed, _invited = booked
    payload = {"starts_at": _iso(NEW_END), "ends_at": _iso(NEW_START)}
    response = api(charity_owner).patch(f"/api/v1/needs/{need.pk}/", payload, format="json")
    assert response.status_code == 400
    assert "ends_at" in response.json()
    need.refresh_from_db()
    assert need.starts_at == local("2027-01-09", "10:00")
    assert not _notices().exists()
    assert not Match.objects.filter(starts_at=NEW_END).exists()


def _form(need, start, end):
    return {
        "activity_type": need.activity_type_id,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "volunteers_needed": "1",
    }


def test_the_web_form_reschedules_a_confirmed_need(booked, charity_owner, client):
    need, confirmed, _invited = booked
    client.force_login(charity_owner)
    response = client.post(f"/ar/needs/{need.pk}/edit/", _form(need, NEW_START, NEW_END))  # Cairo wall-clock times
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.starts_at == NEW_START
    assert _notices(confirmed.volunteer.user).count() == 2


def test_the_web_form_refuses_outsiders(booked, other_charity_staff, client):
    need, _confirmed, _invited = booked
    client.force_login(other_charity_staff)
    assert client.post(f"/ar/needs/{need.pk}/edit/", _form(need, NEW_START, NEW_END)).status_code == 404
    need.refresh_from_db()
    assert need.starts_at == local("2027-01-09", "10:00")
    assert not _notices().exists()


def test_the_web_form_shows_a_bad_time_and_saves_nothing(booked, charity_owner, client):
    need, _confirmed, _invited = booked
    client.force_login(charity_owner)
    response = client.post(f"/ar/needs/{need.pk}/edit/", _form(need, NEW_END, NEW_START))
    assert response.status_code == 200
    assert "يجب أن يكون وقت الانتهاء بعد وقت البدء." in response.content.decode()
    need.refresh_from_db()
    assert need.starts_at == local("2027-01-09", "10:00")
    assert not _notices().exists()


def test_the_notice_email_gives_both_times_in_arabic_and_keeps_the_place(booked, charity_owner):
    from django.core import mail

    from notifications.services import notification_deliver

    need, confirmed, _invited = booked
    make_commitment(confirmed.volunteer, NEW_START, NEW_END)
    need_update(need=need, user=charity_owner, starts_at=NEW_START, ends_at=NEW_END)
    row = _notices(confirmed.volunteer.user).get(channel="email")
    notification_deliver(notification_id=row.pk)
    (message,) = mail.outbox
    assert message.subject.startswith("موعد جديد")
    assert "9 يناير" in message.body and "16 يناير" in message.body
    assert "10:00 بتوقيت القاهرة" in message.body and "هـ" in message.body
    assert "مكانك محفوظ" in message.body
    assert "يتعارض مع التزام آخر" in message.body
    assert f"/ar/matching/me/#match-{confirmed.pk}" in message.body, "a link straight to the cancel button"
