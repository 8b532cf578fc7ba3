"""Response time: each charity's median time to review proposed volunteers, and
the reminder when proposals have waited a day."""

import datetime as dt

import pytest
from django.utils import translation

from charities.models import Charity, Membership
from matching import response_times
from matching.models import Match
from matching.tests.factories import make_need, make_volunteer
from notifications.models import Kind, Notification, WebhookDelivery
from notifications.tests.factories import UserFactory, WebhookEndpointFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def _match(need, *, age_hours: float, reviewed_after: float | None = None, by=None, status=None) -> Match:
    volunteer = make_volunteer()
    proposed = NOW - dt.timedelta(hours=age_hours)
    reviewed = proposed + dt.timedelta(hours=reviewed_after) if reviewed_after is not None else None
    return Match.objects.create(
        need=need,
        volunteer=volunteer,
        charity=need.case.charity,
        status=status or (Match.Status.INVITED if reviewed else Match.Status.PROPOSED),
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        minutes=120,
        proposed_at=proposed,
        reviewed_at=reviewed,
        reviewed_by=by if reviewed else None,
    )


def _refreshed(charity) -> Charity:
    response_times.charity_response_times_refresh(now=NOW)
    charity.refresh_from_db()
    return charity


def test_the_median_of_staff_reviews_is_cached_on_the_charity(charity_owner):
    need = make_need(charity=None)
    Membership.objects.create(charity=need.case.charity, user=charity_owner, role=Membership.Role.OWNER)
    for hours in (1, 2, 3, 4, 10):
        _match(need, age_hours=100, reviewed_after=hours, by=charity_owner)
    charity = _refreshed(need.case.charity)
    assert charity.median_review_hours == pytest.approx(3.0)
    assert charity.review_sample_size == 5 and charity.response_time_updated_at == NOW


def test_too_few_matches_show_no_figure(charity_owner, settings):
    settings.RESPONSE_TIME_MIN_MATCHES = 5
    need = make_need()
    for hours in (1, 2, 3, 4):
        _match(need, age_hours=100, reviewed_after=hours, by=charity_owner)
    charity = _refreshed(need.case.charity)
    assert charity.median_review_hours is None and charity.review_sample_size == 4
    assert charity.review_time_text == ""


def test_ignoring_proposals_raises_the_median_instead_of_hiding_it(charity_owner):
    need = make_need()
    _match(need, age_hours=100, reviewed_after=1, by=charity_owner)
    _match(need, age_hours=100, reviewed_after=2, by=charity_owner)
    for age in (30, 40, 50):  # waiting longer than a day: counted with their age so far
        _match(need, age_hours=age)
    for age in (1, 5):  # still fresh: left out
        _match(need, age_hours=age)
    charity = _refreshed(need.case.charity)
    assert charity.review_sample_size == 5
    assert charity.median_review_hours == pytest.approx(30.0)


def test_invitations_the_system_sent_and_old_matches_are_not_the_charitys_work(charity_owner):
    need = make_need()
    for _ in range(5):
        _match(need, age_hours=100, reviewed_after=0.1, by=None)  # a reopened place invited automatically
    for _ in range(5):
        _match(need, age_hours=24 * 100, reviewed_after=1, by=charity_owner)  # outside the 90-day window
    charity = _refreshed(need.case.charity)
    assert (charity.median_review_hours, charity.review_sample_size) == (None, 0)


def test_a_figure_goes_away_when_its_matches_leave_the_window(charity_owner):
    need = make_need()
    for _ in range(5):
        _match(need, age_hours=100, reviewed_after=2, by=charity_owner)
    assert _refreshed(need.case.charity).median_review_hours == pytest.approx(2.0)
    Match.objects.update(proposed_at=NOW - dt.timedelta(days=200))
    charity = _refreshed(need.case.charity)
    assert (charity.median_review_hours, charity.review_sample_size) == (None, 0)


@pytest.mark.postgres
def test_the_database_and_python_agree(charity_owner):
    need, other = make_need(), make_need()
    for hours in (0.5, 1.25, 7, 9.5):
        _match(need, age_hours=200, reviewed_after=hours, by=charity_owner)
    for age in (26, 80, 300):
        _match(other, age_hours=age)
    _match(other, age_hours=90, reviewed_after=3, by=charity_owner)
    database = response_times.review_medians(now=NOW)
    python = response_times._medians_in_python(response_times._bounds(NOW))
    assert database.keys() == python.keys() == {need.case.charity_id, other.case.charity_id}
    for charity_id, (median, count) in python.items():
        assert database[charity_id][0] == pytest.approx(median) and database[charity_id][1] == count


def _invited(need, *, answered_after: float | None, status: str) -> Match:
    match = _match(need, age_hours=200, reviewed_after=1, status=status)
    match.invited_at = match.reviewed_at
    match.expires_at = match.invited_at + dt.timedelta(hours=48)
    match.answered_at = match.invited_at + dt.timedelta(hours=answered_after) if answered_after is not None else None
    match.save()
    return match


def test_the_time_volunteers_take_to_answer_counts_expired_invitations_in_full(charity_owner):
    need = make_need()
    for hours in (1, 2, 3):
        _invited(need, answered_after=hours, status=Match.Status.CONFIRMED)
    _invited(need, answered_after=5, status=Match.Status.DECLINED_BY_VOLUNTEER)
    _invited(need, answered_after=None, status=Match.Status.EXPIRED)  # 48 hours
    _invited(need, answered_after=None, status=Match.Status.INVITED)  # still open: left out
    charity = _refreshed(need.case.charity)
    assert charity.median_answer_hours == pytest.approx(3.0)
    with translation.override("en"):
        assert charity.answer_time_text == "Volunteers usually answer your invitations within 3 hours"
    python = response_times._answer_medians_in_python(response_times._bounds(NOW))
    assert response_times.answer_medians(now=NOW)[need.case.charity_id] == pytest.approx(python[need.case.charity_id])


@pytest.mark.parametrize(
    ("hours", "english", "arabic"),
    [
        (0.4, "Usually reviews volunteers within an hour", "خلال ساعة"),
        (4.2, "Usually reviews volunteers within 5 hours", "5"),
        (70, "Usually reviews volunteers within 3 days", "3"),
    ],
)
def test_the_figure_reads_as_plain_words(hours, english, arabic):
    charity = Charity(median_review_hours=hours)
    with translation.override("en"):
        assert charity.review_time_text == english
    with translation.override("ar"):
        text = charity.review_time_text
        assert arabic in text and "Usually" not in text


# --- The 24-hour reminder -------------------------------------------------------------------------


@pytest.fixture
def waiting_need(charity_owner):
    """A need whose two proposals have waited more than a day; an owner and a coordinator."""
    need = make_need()
    charity = need.case.charity
    Membership.objects.create(charity=charity, user=charity_owner, role=Membership.Role.OWNER)
    Membership.objects.create(charity=charity, user=UserFactory(), role=Membership.Role.COORDINATOR)
    _match(need, age_hours=30)
    _match(need, age_hours=25)
    _match(need, age_hours=2)  # not yet a day
    return need


def test_staff_are_reminded_once_per_staff_member_and_channel(waiting_need):
    assert response_times.match_waiting_remind(now=NOW) == 1
    rows = Notification.objects.filter(kind=Kind.MATCH_WAITING)
    staff = set(Membership.objects.filter(charity=waiting_need.case.charity).values_list("user_id", flat=True))
    assert sorted((r.recipient_id, r.channel) for r in rows) == sorted(
        (user, channel) for user in staff for channel in ("email", "in_app")
    )
    assert {r.context["waiting_count"] for r in rows} == {2}
    assert rows.first().context["url"] == f"/matching/needs/{waiting_need.pk}/review/"
    from notifications.messages import render_email

    subject, text, _html, _unsubscribe = render_email(rows.filter(channel="email").first())
    assert f"/matching/needs/{waiting_need.pk}/review/" in text and "2" in text and subject


def test_running_the_reminder_twice_a_day_adds_nothing_and_the_next_day_reminds_again(waiting_need):
    response_times.match_waiting_remind(now=NOW)
    assert response_times.match_waiting_remind(now=NOW + dt.timedelta(hours=3)) == 0
    assert Notification.objects.filter(kind=Kind.MATCH_WAITING).count() == 4
    response_times.match_waiting_remind(now=NOW + dt.timedelta(days=1))
    assert Notification.objects.filter(kind=Kind.MATCH_WAITING).count() == 8


def test_no_reminder_once_everything_is_reviewed(waiting_need, charity_owner):
    Match.objects.filter(need=waiting_need, proposed_at__lte=NOW - dt.timedelta(hours=24)).update(
        status=Match.Status.DECLINED_BY_CHARITY, reviewed_at=NOW, reviewed_by=charity_owner
    )
    assert response_times.match_waiting_remind(now=NOW) == 0
    assert not Notification.objects.filter(kind=Kind.MATCH_WAITING).exists()


def test_no_reminder_for_a_need_that_has_started(waiting_need):
    assert response_times.match_waiting_remind(now=waiting_need.starts_at + dt.timedelta(minutes=1)) == 0


def test_the_reminder_reaches_the_charitys_webhook_only(waiting_need):
    mine = WebhookEndpointFactory(charity=waiting_need.case.charity)
    theirs = WebhookEndpointFactory()
    response_times.match_waiting_remind(now=NOW)
    assert list(WebhookDelivery.objects.values_list("endpoint_id", "kind")) == [(mine.pk, Kind.MATCH_WAITING)]
    assert not theirs.deliveries.exists()


def test_the_periodic_tasks_run(waiting_need):
    from matching.tasks import charity_response_times_task, match_waiting_task

    # The tasks use the real clock; the rows are dated around NOW, a few days ahead of it or behind.
    assert isinstance(match_waiting_task(), int)
    assert isinstance(charity_response_times_task(), int)
