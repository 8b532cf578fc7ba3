"""A charity asks the charity holding a case to hand it over; that charity's owner decides."""

import pytest

from cases import services
from cases.models import CaseHandover
from charities.models import Charity, Membership
from core.errors import NotAllowed, StateConflict

pytestmark = pytest.mark.django_db


def _other_charity(user) -> Charity:
    return Charity.objects.get(memberships__user=user)


def test_the_owner_accepts_and_the_case_moves(open_case, charity_owner, other_charity_staff):
    other = _other_charity(other_charity_staff)
    handover = services.case_handover_request(case=open_case, charity=other, user=other_charity_staff)
    services.case_handover_decide(handover=handover, user=charity_owner, accept=True)
    open_case.refresh_from_db()
    assert open_case.charity == other
    with pytest.raises(StateConflict):
        services.case_handover_decide(handover=handover, user=charity_owner, accept=False)


def test_declining_keeps_the_case(open_case, charity_owner, other_charity_staff, verified_charity):
    handover = services.case_handover_request(
        case=open_case, charity=_other_charity(other_charity_staff), user=other_charity_staff
    )
    services.case_handover_decide(handover=handover, user=charity_owner, accept=False)
    open_case.refresh_from_db()
    assert open_case.charity == verified_charity
    assert CaseHandover.objects.get().status == "declined"


def test_a_coordinator_cannot_decide_and_asking_twice_conflicts(
    open_case, make_user, other_charity_staff, verified_charity
):
    coordinator = make_user("coord@example.org")
    Membership.objects.create(charity=verified_charity, user=coordinator, role="coordinator")
    other = _other_charity(other_charity_staff)
    handover = services.case_handover_request(case=open_case, charity=other, user=other_charity_staff)
    with pytest.raises(StateConflict):
        services.case_handover_request(case=open_case, charity=other, user=other_charity_staff)
    with pytest.raises(NotAllowed):
        services.case_handover_decide(handover=handover, user=coordinator, accept=True)


def test_the_dashboard_lets_the_owner_accept(client, open_case, charity_owner, other_charity_staff):
    handover = services.case_handover_request(
        case=open_case, charity=_other_charity(other_charity_staff), user=other_charity_staff
    )
    client.force_login(charity_owner)
    assert "Al-Orman" in client.get("/en/dashboard/").content.decode()
    client.post(f"/en/handovers/{handover.pk}/", {"accept": "1"})
    open_case.refresh_from_db()
    assert open_case.charity == _other_charity(other_charity_staff)


def test_staff_of_another_charity_cannot_decide_from_the_page(client, open_case, other_charity_staff, plain_user):
    handover = services.case_handover_request(
        case=open_case, charity=_other_charity(other_charity_staff), user=other_charity_staff
    )
    client.force_login(plain_user)
    assert client.post(f"/en/handovers/{handover.pk}/", {"accept": "1"}).status_code == 404


def test_the_holders_owners_hear_of_a_request_at_once(open_case, charity_owner, other_charity_staff, make_user):
    from notifications.models import Kind, Notification

    coordinator = make_user("coordinator.h@example.org")
    Membership.objects.create(charity=open_case.charity, user=coordinator, role=Membership.Role.COORDINATOR)
    handover = services.case_handover_request(
        case=open_case, charity=_other_charity(other_charity_staff), user=other_charity_staff, message="نحن أقرب"
    )
    told = Notification.objects.filter(kind=Kind.CASE_HANDOVER, event_key=f"handover:{handover.pk}:requested")
    assert set(told.values_list("recipient", flat=True)) == {charity_owner.pk}
    assert told.first().context["message"] == "نحن أقرب"
