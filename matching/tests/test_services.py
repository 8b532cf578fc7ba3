"""Every state change of a match, through the services, with the rows it writes."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from cases.models import Case, CaseFollow, Need
from core.errors import NotAllowed, StateConflict
from matching import services
from matching.models import Match
from matching.services import DoubleBooking, InvitationClosed, NeedFull
from matching.tests.factories import SAT, local, make_commitment, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification
from notifications.services import digest_release

pytestmark = pytest.mark.django_db


def _propose(need):
    return services.match_propose_for_need(need_id=need.pk)


def _rows(kind, user=None):
    rows = Notification.objects.filter(kind=kind)
    return rows.filter(recipient=user) if user else rows


def _digest_rows(user):
    """The hourly digest of new volunteers, as the charity's staff get it when the hour ends."""
    digest_release(now=timezone.now() + dt.timedelta(hours=1))
    return _rows(Kind.MATCHES_DIGEST, user)


def test_it_proposes_three_per_open_place_best_first_and_clears_the_flag(need, saturday_people, charity_owner):
    made = _propose(need)
    assert len(made) == 3
    matches = list(need.matches.order_by("-score"))
    assert matches[0].volunteer == saturday_people[0]  # the one with first aid
    assert all(m.status == Match.Status.PROPOSED and m.proposed_at for m in matches)
    assert {"code": "skill", "slug": "first_aid", "name_ar": "الإسعافات الأولية", "name_en": "First aid"} in matches[
        0
    ].reasons
    need.refresh_from_db()
    assert need.matching_requested_at is None
    assert _digest_rows(charity_owner).count() == 2  # email and in-app


def test_running_it_again_changes_nothing(need, saturday_people):
    _propose(need)
    before = list(need.matches.values_list("pk", "volunteer_id", "score", "status"))
    assert _propose(need) == []
    assert list(need.matches.values_list("pk", "volunteer_id", "score", "status")) == before


def test_a_declined_volunteer_is_never_proposed_again(need, saturday_people, charity_owner):
    _propose(need)
    best = need.matches.order_by("-score").first()
    services.match_reject(match=best, user=charity_owner)
    refill = _propose(need)
    assert [m.volunteer_id for m in refill] != [best.volunteer_id]
    assert need.matches.filter(volunteer=best.volunteer).count() == 1
    assert need.matches.get(volunteer=best.volunteer).status == Match.Status.DECLINED_BY_CHARITY
    assert need.matches.filter(status=Match.Status.PROPOSED).count() == 3


def test_a_draft_case_keeps_its_flag_until_published(need, saturday_people):
    Case.objects.filter(pk=need.case_id).update(status=Case.Status.DRAFT)
    assert _propose(need) == []
    assert Need.objects.get(pk=need.pk).matching_requested_at is not None
    Case.objects.filter(pk=need.case_id).update(status=Case.Status.OPEN)
    assert len(_propose(need)) == 3


def test_approving_invites_the_volunteer_for_48_hours(need, saturday_people, charity_owner):
    _propose(need)
    match = need.matches.order_by("-score").first()
    before = timezone.now()
    services.match_approve(match=match, user=charity_owner)
    match.refresh_from_db()
    assert match.status == Match.Status.INVITED
    assert match.reviewed_by == charity_owner
    assert before <= match.reviewed_at <= timezone.now()
    assert match.expires_at - match.invited_at == dt.timedelta(hours=48)
    invited = _rows(Kind.MATCH_INVITED, match.volunteer.user)
    assert set(invited.values_list("channel", flat=True)) == {"email", "in_app"}
    assert invited.first().context["need_starts_at"] == "2027-01-09T08:00:00+00:00"


def test_the_invitation_deadline_is_configurable(need, saturday_people, charity_owner, settings):
    settings.MATCHING_INVITATION_HOURS = 6
    _propose(need)
    match = services.match_approve(match=need.matches.first(), user=charity_owner)
    assert match.expires_at - match.invited_at == dt.timedelta(hours=6)


def test_only_the_charitys_staff_may_review(need, saturday_people, other_charity_staff):
    _propose(need)
    match = need.matches.first()
    with pytest.raises(NotAllowed):
        services.match_approve(match=match, user=other_charity_staff)
    with pytest.raises(NotAllowed):
        services.match_reject(match=match, user=other_charity_staff)
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED


def test_approving_twice_is_a_conflict(need, saturday_people, charity_owner):
    _propose(need)
    match = need.matches.first()
    services.match_approve(match=match, user=charity_owner)
    with pytest.raises(StateConflict):
        services.match_approve(match=match, user=charity_owner)
    assert _rows(Kind.MATCH_INVITED).filter(channel="in_app").count() == 1


def _invite_all(need, owner):
    _propose(need)
    matches = list(need.matches.order_by("-score"))
    services.match_review_many(matches=matches, user=owner, approve=True)
    return [Match.objects.get(pk=m.pk) for m in matches]


def test_accepting_confirms_tells_the_charity_and_follows_the_case(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    services.match_accept(match=first, user=first.volunteer.user)
    first.refresh_from_db()
    need.refresh_from_db()
    assert first.status == Match.Status.CONFIRMED
    assert first.answered_at is not None
    assert need.volunteers_confirmed == 1
    assert _rows(Kind.MATCH_CONFIRMED, charity_owner).count() == 2
    assert CaseFollow.objects.filter(case=need.case, user=first.volunteer.user, reason="volunteered").exists()
    reminder = _rows(Kind.NEED_REMINDER, first.volunteer.user).first()
    assert reminder.not_before == local("2027-01-08", "10:00")


def test_more_invitations_than_places_but_confirmations_stop_at_capacity(need, saturday_people, charity_owner):
    first, second, _third = _invite_all(need, charity_owner)
    assert need.matches.filter(status=Match.Status.INVITED).count() == 3
    services.match_accept(match=first, user=first.volunteer.user)
    with pytest.raises(NeedFull):
        services.match_accept(match=second, user=second.volunteer.user)
    second.refresh_from_db()
    assert second.status == Match.Status.INVITED
    assert second.waitlisted_at is not None
    assert Need.objects.get(pk=need.pk).volunteers_confirmed == 1


def test_accepting_someone_elses_invitation_is_refused(need, saturday_people, charity_owner):
    first, second, _ = _invite_all(need, charity_owner)
    with pytest.raises(NotAllowed):
        services.match_accept(match=first, user=second.volunteer.user)
    first.refresh_from_db()
    assert first.status == Match.Status.INVITED


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("expired", "This invitation has expired."),
        ("declined", "You have declined this invitation."),
        ("confirmed", "You have already confirmed this invitation."),
    ],
)
def test_a_closed_invitation_cannot_be_accepted(need, saturday_people, charity_owner, state, message):
    first, *_ = _invite_all(need, charity_owner)
    user = first.volunteer.user
    if state == "expired":
        Match.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    elif state == "declined":
        services.match_decline(match=first, user=user)
    else:
        services.match_accept(match=first, user=user)
    with translation.override("en"), pytest.raises(InvitationClosed) as error:
        services.match_accept(match=first, user=user)
    assert error.value.status_code == 409
    assert str(error.value.message) == message
    assert Need.objects.get(pk=need.pk).volunteers_confirmed == (1 if state == "confirmed" else 0)


def test_a_commitment_at_the_same_time_blocks_the_accept(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    make_commitment(first.volunteer, local("2027-01-09", "11:00"), local("2027-01-09", "13:00"))
    with pytest.raises(DoubleBooking):
        services.match_accept(match=first, user=first.volunteer.user)


def test_declining_tells_the_charity_and_flags_the_need(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    services.match_decline(match=first, user=first.volunteer.user)
    first.refresh_from_db()
    assert first.status == Match.Status.DECLINED_BY_VOLUNTEER
    assert first.answered_at is not None
    assert _rows(Kind.MATCH_DECLINED, charity_owner).exists()
    assert Need.objects.get(pk=need.pk).matching_requested_at is not None


def test_a_cancellation_invites_the_next_proposed_volunteer(need, saturday_people, charity_owner):
    _propose(need)
    best, second, third = need.matches.order_by("-score")
    services.match_approve(match=best, user=charity_owner)
    services.match_accept(match=best, user=best.volunteer.user)
    services.match_cancel(match=best, user=best.volunteer.user, reason="ill")
    best.refresh_from_db()
    second.refresh_from_db()
    assert best.status == Match.Status.CANCELLED
    assert Need.objects.get(pk=need.pk).volunteers_confirmed == 0
    assert second.status == Match.Status.INVITED  # invited, not confirmed: they must accept
    assert _rows(Kind.MATCH_INVITED, second.volunteer.user).exists()
    assert _rows(Kind.MATCH_CANCELLED, charity_owner).exists()
    assert _rows(Kind.NEED_REMINDER, best.volunteer.user).get(channel="email").status == "cancelled"
    assert Match.objects.get(pk=third.pk).status == Match.Status.PROPOSED


def test_a_cancellation_reinvites_the_waitlisted_first(need, saturday_people, charity_owner):
    first, _second, third = _invite_all(need, charity_owner)
    services.match_accept(match=first, user=first.volunteer.user)
    with pytest.raises(NeedFull):
        services.match_accept(match=third, user=third.volunteer.user)
    services.match_cancel(match=first, user=charity_owner)
    third.refresh_from_db()
    assert third.status == Match.Status.INVITED and third.waitlisted_at is None
    assert _rows(Kind.MATCH_INVITED, third.volunteer.user).filter(channel="in_app").count() == 2
    services.match_accept(match=third, user=third.volunteer.user)
    assert Match.objects.get(pk=third.pk).status == Match.Status.CONFIRMED
    assert _rows(Kind.MATCH_CANCELLED, first.volunteer.user).exists()


def test_a_need_that_gains_places_reinvites_the_waitlisted(need, saturday_people, charity_owner):
    first, second, _third = _invite_all(need, charity_owner)
    services.match_accept(match=first, user=first.volunteer.user)
    with pytest.raises(NeedFull):
        services.match_accept(match=second, user=second.volunteer.user)
    Need.objects.filter(pk=need.pk).update(volunteers_needed=2)
    _propose(need)
    second.refresh_from_db()
    assert second.waitlisted_at is None
    assert _rows(Kind.MATCH_INVITED, second.volunteer.user).filter(channel="in_app").count() == 2


def test_an_overdue_invitation_expires_and_passes_to_the_next(need, saturday_people, charity_owner):
    _propose(need)
    best, second, _ = need.matches.order_by("-score")
    services.match_approve(match=best, user=charity_owner)
    assert services.match_expire(match=best) is None  # not overdue yet
    later = timezone.now() + dt.timedelta(hours=49)
    services.match_expire(match=best, now=later)
    best.refresh_from_db()
    assert best.status == Match.Status.EXPIRED
    assert _rows(Kind.MATCH_EXPIRED, best.volunteer.user).exists()
    assert Match.objects.get(pk=second.pk).status == Match.Status.INVITED


def test_only_the_volunteer_or_the_charity_may_cancel(need, saturday_people, charity_owner, other_charity_staff):
    first, *_ = _invite_all(need, charity_owner)
    services.match_accept(match=first, user=first.volunteer.user)
    with pytest.raises(NotAllowed):
        services.match_cancel(match=first, user=other_charity_staff)
    assert Match.objects.get(pk=first.pk).status == Match.Status.CONFIRMED


def test_an_offer_enters_the_review_list_with_its_reason(need, saturday_people, charity_owner):
    helper = make_volunteer("helper", slots=[weekly(SAT, "10:00", "12:00")])
    match = services.match_offer(need=need, user=helper.user)
    assert match.status == Match.Status.PROPOSED
    assert match.source == Match.Source.OFFER
    assert match.reasons[0] == {"code": "offered"}
    assert match.score > 0
    assert _digest_rows(charity_owner).exists()
    with pytest.raises(StateConflict):
        services.match_offer(need=need, user=helper.user)
    assert need.matches.filter(volunteer=helper).count() == 1


def test_an_offer_is_refused_for_the_wrong_gender_or_a_clash(charity):
    need = make_need(charity=charity, gender="female")
    man = make_volunteer("man", gender="male")
    with translation.override("en"), pytest.raises(StateConflict, match="women only"):
        services.match_offer(need=need, user=man.user)
    woman = make_volunteer("woman", gender="female")
    make_commitment(woman, need.starts_at, need.ends_at)
    with pytest.raises(DoubleBooking):
        services.match_offer(need=need, user=woman.user)
    assert not need.matches.exists()
