"""Closing or resolving a case withdraws what it still promised: open invitations
and proposals, commitments not yet started and their reminders; the invited and
confirmed volunteers are told. Matching does it through `cases.hooks`."""

import datetime as dt

import pytest

from cases import hooks
from cases import services as case_services
from cases.models import Case
from core.errors import StateConflict
from matching import services
from matching.case_events import case_finish_matches, case_handover_matches
from matching.models import Match
from matching.tests.factories import SAT, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_matching_is_connected_to_the_case_hooks():
    assert case_handover_matches in hooks.handlers(hooks.CASE_HANDED_OVER)
    assert case_finish_matches in hooks.handlers(hooks.CASE_FINISHED)


@pytest.fixture
def promised(charity, charity_owner):
    people = [make_volunteer(f"c{n}", slots=[weekly(SAT, "09:00", "13:00")]) for n in range(3)]
    need = make_need(charity=charity, volunteers_needed=3)
    services.match_propose_for_need(need_id=need.pk)
    by_person = {m.volunteer_id: m for m in need.matches.all()}
    confirmed, invited, proposed = (by_person[p.pk] for p in people)
    services.match_approve(match=confirmed, user=charity_owner)
    services.match_accept(match=confirmed, user=people[0].user)
    services.match_approve(match=invited, user=charity_owner)
    return need, confirmed, invited, proposed


@pytest.mark.parametrize("to_status", [Case.Status.CLOSED, Case.Status.RESOLVED])
def test_closing_withdraws_invitations_commitments_and_reminders(promised, charity_owner, to_status):
    need, confirmed, invited, proposed = promised
    reminder = Notification.objects.filter(kind=Kind.NEED_REMINDER, recipient=confirmed.volunteer.user)
    assert reminder.filter(status=Notification.Status.PENDING).exists()
    case_services.case_status_change(case=need.case, user=charity_owner, to_status=to_status, note="انتهى")
    statuses = dict(Match.objects.values_list("pk", "status"))
    assert statuses == {confirmed.pk: "cancelled", invited.pk: "cancelled", proposed.pk: "cancelled"}
    assert not reminder.filter(status=Notification.Status.PENDING).exists()
    told = Notification.objects.filter(kind=Kind.MATCH_CANCELLED)
    assert set(told.values_list("recipient", flat=True)) == {confirmed.volunteer.user_id, invited.volunteer.user_id}
    assert told.first().context["cancelled_by"] == "charity"
    need.refresh_from_db()
    assert need.volunteers_confirmed == 0
    # The invitation can no longer be accepted.
    with pytest.raises(services.InvitationClosed):
        services.match_accept(match=invited, user=invited.volunteer.user)


def test_a_commitment_already_under_way_stays(promised, charity_owner):
    need, confirmed, _invited, _proposed = promised
    case_finish_matches(case=need.case, user=charity_owner, now=need.starts_at + dt.timedelta(minutes=5))
    assert Match.objects.get(pk=confirmed.pk).status == Match.Status.CONFIRMED


def test_closing_a_case_twice_is_refused_and_tells_nobody_twice(promised, charity_owner):
    need, *_ = promised
    case_services.case_status_change(case=need.case, user=charity_owner, to_status=Case.Status.CLOSED)
    count = Notification.objects.filter(kind=Kind.MATCH_CANCELLED).count()
    with pytest.raises(StateConflict):
        case_services.case_status_change(case=need.case, user=charity_owner, to_status=Case.Status.CLOSED)
    assert Notification.objects.filter(kind=Kind.MATCH_CANCELLED).count() == count
