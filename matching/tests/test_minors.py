"""A minor is matched only once a guardian has confirmed by the signed link:
every path (the ranking's index and list paths, an offer, an accept) refuses
them until then, and again after the guardian withdraws."""

import datetime as dt

import pytest
from django.utils import timezone

from matching import candidates, services
from matching.models import Match
from matching.services import NotMatchable
from matching.tests.factories import SAT, make_need, make_volunteer, weekly
from volunteers.guardians import (
    guardian_confirm,
    guardian_request,
    guardian_token,
    guardian_withdraw,
    volunteer_adults_refresh,
)
from volunteers.models import AvailabilitySlot

pytestmark = pytest.mark.django_db


def _born_years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + dt.timedelta(days=days)


@pytest.fixture
def minor(db):
    return make_volunteer("teen", slots=[weekly(SAT, "09:00", "13:00")], birth_date=_born_years_ago(15))


def _consent(profile):
    consent = guardian_request(user=profile.user, email="parent@example.org")
    guardian_confirm(token=guardian_token(consent))
    profile.refresh_from_db()
    return consent


def test_a_minor_without_consent_cannot_offer(charity, minor):
    need = make_need(charity=charity)
    with pytest.raises(NotMatchable):
        services.match_offer(need=need, user=minor.user)
    assert not Match.objects.exists()


def test_the_offer_api_says_why_with_a_409(charity, minor, api):
    need = make_need(charity=charity)
    response = api(minor.user).post(f"/api/v1/needs/{need.pk}/offer/")
    assert response.status_code == 409
    assert "18" in str(response.json())


def test_the_rankings_list_path_leaves_a_minor_out_until_a_guardian_confirms(charity, minor):
    need = make_need(charity=charity)
    assert candidates.rank(need, [minor.pk], limit=5) == []
    _consent(minor)
    assert [c.volunteer_id for c in candidates.rank(need, [minor.pk], limit=5)] == [minor.pk]


def test_the_rankings_index_path_leaves_a_minor_out_until_a_guardian_confirms(charity, minor):
    need = make_need(charity=charity)
    assert candidates.best(need, limit=5) == []
    _consent(minor)
    assert [c.volunteer_id for c in candidates.best(need, limit=5)] == [minor.pk]


def test_a_minor_with_consent_can_offer(charity, minor):
    _consent(minor)
    match = services.match_offer(need=make_need(charity=charity), user=minor.user)
    assert match.status == Match.Status.PROPOSED


def test_after_the_guardian_withdraws_the_minor_cannot_accept(charity, charity_owner, minor):
    consent = _consent(minor)
    need = make_need(charity=charity)
    services.match_propose_for_need(need_id=need.pk)
    match = Match.objects.get(volunteer=minor)
    services.match_approve(match=match, user=charity_owner)
    guardian_withdraw(token=guardian_token(consent))
    with pytest.raises(NotMatchable):
        services.match_accept(match=match, user=minor.user)
    match.refresh_from_db()
    assert match.status == Match.Status.INVITED
    assert not AvailabilitySlot.objects.get(volunteer=minor).matchable


def test_a_minor_who_turns_18_becomes_matchable_by_the_daily_task(charity, minor, monkeypatch):
    minor.birth_date = _born_years_ago(18, days=1)  # 18 tomorrow
    minor.save(update_fields=["birth_date"])
    assert volunteer_adults_refresh() == 0
    tomorrow = timezone.now() + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: tomorrow)
    assert volunteer_adults_refresh() == 1
    assert AvailabilitySlot.objects.get(volunteer=minor).matchable
    assert [c.volunteer_id for c in candidates.best(make_need(charity=charity), limit=5)] == [minor.pk]
