"""Single-need matching keeps the cap the regional assignment keeps: nobody is
proposed for more than MATCHING_MAX_OVERLAPPING_PROPOSALS needs at one time."""

import datetime as dt

import pytest

from matching import services
from matching.models import Match
from matching.tests.factories import SAT, local, make_need, make_volunteer, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_free(db):
    return [make_volunteer(f"free{n}", slots=[weekly(SAT, "09:00", "13:00")]) for n in range(3)]


def _proposed(need) -> set[int]:
    return set(Match.objects.filter(need=need).values_list("volunteer_id", flat=True))


def test_a_volunteer_asked_for_one_need_is_not_proposed_for_another_at_the_same_time(charity, three_free):
    everyone = {person.pk for person in three_free}
    first = make_need(charity=charity, volunteers_needed=1)  # Saturday 10:00-12:00, three proposals wanted
    services.match_propose_for_need(need_id=first.pk)
    assert _proposed(first) == everyone

    overlapping = make_need(charity=charity, volunteers_needed=1, starts=local("2027-01-09", "11:00"))
    assert services.match_propose_for_need(need_id=overlapping.pk) == []
    assert _proposed(overlapping) == set()

    # Back to back is not at the same time.
    before = make_need(
        charity=charity, volunteers_needed=1, starts=local("2027-01-09", "09:00"), ends=local("2027-01-09", "10:00")
    )
    services.match_propose_for_need(need_id=before.pk)
    assert _proposed(before) == everyone


def test_an_answered_proposal_frees_the_volunteer_and_the_cap_is_a_setting(charity, three_free, settings):
    first = make_need(charity=charity, volunteers_needed=1)
    services.match_propose_for_need(need_id=first.pk)
    declined = Match.objects.filter(need=first).order_by("volunteer_id").first()
    Match.objects.filter(pk=declined.pk).update(status=Match.Status.DECLINED_BY_VOLUNTEER)

    overlapping = make_need(charity=charity, volunteers_needed=1, starts=local("2027-01-09", "11:00"))
    services.match_propose_for_need(need_id=overlapping.pk)
    assert _proposed(overlapping) == {declined.volunteer_id}

    settings.MATCHING_MAX_OVERLAPPING_PROPOSALS = 2
    third = make_need(charity=charity, volunteers_needed=1, starts=local("2027-01-09", "10:30"))
    services.match_propose_for_need(need_id=third.pk)
    # Each has one open proposal at 10:30: under a cap of two, all are asked again; then nobody.
    assert _proposed(third) == {person.pk for person in three_free}
    fourth = make_need(charity=charity, volunteers_needed=1, starts=local("2027-01-09", "10:45"))
    assert services.match_propose_for_need(need_id=fourth.pk) == []


def test_the_cap_does_not_refuse_a_volunteers_own_offer(charity, three_free):
    first = make_need(charity=charity, volunteers_needed=1)
    services.match_propose_for_need(need_id=first.pk)
    overlapping = make_need(
        charity=charity, volunteers_needed=1, starts=local("2027-01-09", "11:00"), matching_requested_at=None
    )
    offer = services.match_offer(need=overlapping, user=three_free[0].user, now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert offer.source == Match.Source.OFFER
