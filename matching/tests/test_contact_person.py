"""The contact confirmed volunteers see is the need's coordinator, not whoever sorts first."""

import datetime as dt

import pytest
from django.utils import timezone

from charities.models import Membership
from matching import selectors
from matching.tests.factories import make_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(charity, charity_owner, make_user):
    """The owner plus a coordinator whose role name sorts before "owner"."""
    aaron = make_user("aaron@example.org")
    Membership.objects.create(charity=charity, user=aaron, role=Membership.Role.COORDINATOR)
    return {"owner": charity_owner, "coordinator": aaron}


def test_the_contact_is_the_needs_coordinator(charity, team):
    need = make_need(charity=charity)
    need.coordinator = team["owner"]
    need.save(update_fields=["coordinator"])
    assert selectors.contact_people([need])[need.pk] == team["owner"], "not the coordinator who sorts first"
    need.coordinator = team["coordinator"]
    need.save(update_fields=["coordinator"])
    assert selectors.contact_people([need])[need.pk] == team["coordinator"]


def test_a_coordinator_who_left_falls_back_to_the_owner(charity, team):
    need = make_need(charity=charity)
    need.coordinator = team["coordinator"]
    need.save(update_fields=["coordinator"])
    Membership.objects.filter(user=team["coordinator"]).delete()
    assert selectors.contact_people([need])[need.pk] == team["owner"]


def test_a_new_need_is_coordinated_by_whoever_created_it(charity, team):
    from cases.services import need_create
    from cases.tests.factories import CaseFactory
    from core.models import ActivityType

    case = CaseFactory(charity=charity)
    starts = timezone.now() + dt.timedelta(days=30)
    need = need_create(
        case=case,
        user=team["coordinator"],
        activity_type=ActivityType.objects.first(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    assert need.coordinator == team["coordinator"]


def test_contacts_for_many_needs_take_one_query(charity, team, django_assert_num_queries):
    needs = [make_need(charity=charity) for _ in range(5)]
    for need in needs:
        need.case  # noqa: B018 - loaded beforehand, as the callers do
    with django_assert_num_queries(1):
        people = selectors.contact_people(needs)
    assert set(people) == {n.pk for n in needs}
