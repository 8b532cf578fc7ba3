"""Volunteers hear what became of a case they helped: its updates while they are
matched to it, and its outcome when it ends — one row per channel, none for the
charity member who acted, none twice."""

import pytest

from cases.models import Case, CaseFollow
from cases.services import case_follow, case_status_change, case_unfollow, case_update_post
from matching import services
from matching.models import Match
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(need, saturday_people, charity_owner):
    """A volunteer confirmed for the need (so following its case)."""
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.order_by("-score").first()
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=Match.objects.get(pk=match.pk), user=match.volunteer.user)
    return match.volunteer.user


def _channels(kind, user):
    return sorted(Notification.objects.filter(kind=kind, recipient=user).values_list("channel", flat=True))


def test_a_confirmed_volunteer_gets_the_cases_updates(need, helper, charity_owner):
    assert CaseFollow.objects.filter(case=need.case, user=helper, reason="volunteered").exists()
    case_update_post(case=need.case, user=charity_owner, text="وصلت السلال إلى 40 أسرة")
    assert _channels(Kind.CASE_UPDATE, helper) == ["email", "in_app"]
    assert _channels(Kind.CASE_UPDATE, charity_owner) == []


def test_a_volunteer_who_unfollows_hears_no_more(need, helper, charity_owner):
    case_unfollow(case=need.case, user=helper)
    case_update_post(case=need.case, user=charity_owner, text="تحديث")
    assert _channels(Kind.CASE_UPDATE, helper) == []


@pytest.mark.parametrize("end", [Case.Status.RESOLVED, Case.Status.CLOSED])
def test_when_the_case_ends_helpers_and_followers_hear_the_outcome_once(need, helper, charity_owner, plain_user, end):
    case_follow(case=need.case, user=plain_user)
    case_update_post(case=need.case, user=charity_owner, text="وزعنا 200 سلة", is_achievement=True)
    case_status_change(case=need.case, user=charity_owner, to_status=end)
    for person in (helper, plain_user):
        assert _channels(Kind.CASE_OUTCOME, person) == ["email", "in_app"]
    row = Notification.objects.get(kind=Kind.CASE_OUTCOME, recipient=helper, channel="email")
    assert row.context["outcome_text"] == "وزعنا 200 سلة", "the latest achievement when no note is given"
    assert _channels(Kind.CASE_OUTCOME, charity_owner) == []


def test_the_closing_note_is_the_outcome(need, helper, charity_owner):
    case_status_change(case=need.case, user=charity_owner, to_status=Case.Status.RESOLVED, note="تم علاج الطفل")
    row = Notification.objects.get(kind=Kind.CASE_OUTCOME, recipient=helper, channel="in_app")
    assert row.context["outcome_text"] == "تم علاج الطفل"
