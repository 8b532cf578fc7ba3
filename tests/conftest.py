"""One small world for the API-wide tests (contract, unknown fields, fuzz): a volunteer
with free time, a verified charity with an open case and needs, matches in each state
the actions start from, a pending report and a pending charity, and a moderator."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient


def build_world(*, volunteer, other_volunteer, charity_owner, verified_charity, other_charity_staff, moderator, plain):
    from cases.models import Case
    from cases.services import case_update_post
    from cases.tests.factories import CaseFactory, NeedFactory, ReportFactory
    from charities.models import Charity
    from charities.tests.factories import CharityFactory
    from core.models import ActivityType
    from matching.models import Match
    from volunteers.services import availability_slot_add

    profile = volunteer.volunteer_profile
    slot = availability_slot_add(volunteer=profile, weekday=5, date=None, start="09:00", end="13:00")
    case = CaseFactory(charity=verified_charity, title="Winter blankets")
    case_update_post(case=case, user=charity_owner, text="The first 20 blankets are bought.")
    food = ActivityType.objects.get(slug="food_baskets")
    starts = timezone.now() + dt.timedelta(days=5)
    need = NeedFactory(case=case, activity_type=food, starts_at=starts, volunteers_needed=2)
    invited_need = NeedFactory(
        case=case, activity_type=food, starts_at=starts + dt.timedelta(days=1), volunteers_needed=2
    )
    now = timezone.now()
    common = {"charity": verified_charity, "volunteer": profile, "proposed_at": now, "minutes": 240}
    proposed = Match.objects.create(
        need=need, status=Match.Status.PROPOSED, starts_at=need.starts_at, ends_at=need.ends_at, score=0.8, **common
    )
    invited = Match.objects.create(
        need=invited_need,
        status=Match.Status.INVITED,
        starts_at=invited_need.starts_at,
        ends_at=invited_need.ends_at,
        invited_at=now,
        expires_at=now + dt.timedelta(hours=48),
        **common,
    )
    open_need = NeedFactory(
        case=case, activity_type=food, starts_at=starts + dt.timedelta(days=2), volunteers_needed=3
    )  # nobody matched yet: other_volunteer may offer
    claimable = CaseFactory(charity=None, title="Reported case")
    report = ReportFactory()
    pending_charity = CharityFactory(status=Charity.Status.PENDING, name_en="New society")
    after = _after_the_match(profile=profile, case=case, charity=verified_charity, owner=charity_owner)
    return SimpleNamespace(
        **after,
        volunteer=volunteer,
        profile=profile,
        slot=slot,
        other_volunteer=other_volunteer,
        owner=charity_owner,
        charity=verified_charity,
        other_staff=other_charity_staff,
        moderator=moderator,
        plain=plain,
        case=case,
        need=need,
        open_need=open_need,
        proposed=proposed,
        invited=invited,
        claimable=claimable,
        report=report,
        pending_charity=pending_charity,
        closed_status=Case.Status.CLOSED,
    )


def _after_the_match(*, profile, case, charity, owner) -> dict:
    """Attendance and hours: a need that ended an hour ago and one happening now, each
    with the volunteer confirmed; attested hours, a pending hours request and a certificate."""
    from attendance.certificates import certificate_issue
    from attendance.services import attendance_mark, hours_request_approve, hours_request_create
    from cases.tests.factories import NeedFactory
    from core.models import ActivityType
    from matching.models import Match

    now = timezone.now()
    food = ActivityType.objects.get(slug="food_baskets")
    confirmed = {}
    for name, starts in (("past", now - dt.timedelta(hours=3)), ("live", now - dt.timedelta(minutes=30))):
        need = NeedFactory(
            case=case,
            activity_type=food,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            volunteers_confirmed=1,
        )
        confirmed[name] = Match.objects.create(
            need=need,
            volunteer=profile,
            charity=charity,
            status=Match.Status.CONFIRMED,
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=120,
            proposed_at=now - dt.timedelta(days=3),
            answered_at=now - dt.timedelta(days=2),
        )
    attendance_mark(match=confirmed["past"], user=owner, status="partial", minutes=90)
    day = timezone.localdate() - dt.timedelta(days=3)
    approved = hours_request_create(
        user=profile.user, charity=charity, date=day, minutes=60, description="Sorted donated clothes."
    )
    hours_request_approve(request=approved, user=owner)
    pending = hours_request_create(
        user=profile.user, charity=charity, date=day, minutes=45, description="Packed food baskets at home."
    )
    certificate = certificate_issue(user=profile.user, charity=charity)
    return {
        "attended_match": confirmed["past"],
        "live_match": confirmed["live"],
        "live_need": confirmed["live"].need,
        "hours_request": pending,
        "certificate": certificate,
    }


@pytest.fixture
def world(
    volunteer,
    other_volunteer,
    charity_owner,
    verified_charity,
    other_charity_staff,
    moderator_with_permission,
    plain_user,
):
    return build_world(
        volunteer=volunteer,
        other_volunteer=other_volunteer,
        charity_owner=charity_owner,
        verified_charity=verified_charity,
        other_charity_staff=other_charity_staff,
        moderator=moderator_with_permission,
        plain=plain_user,
    )


@pytest.fixture
def api():
    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
