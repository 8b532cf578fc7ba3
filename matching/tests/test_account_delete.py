"""Deleting an account cancels the person's open proposals, invitations and
commitments, telling the charities, before anything is anonymised."""

import pytest

from cases.models import Need
from matching import services
from matching.account import match_withdraw_for_account
from matching.models import Match
from matching.tests.factories import SAT, SUN, local, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification
from volunteers.privacy import ANONYMISERS, account_delete

pytestmark = pytest.mark.django_db


def test_it_runs_before_the_profile_is_emptied():
    assert ANONYMISERS.index(match_withdraw_for_account) == 0


def test_deleting_the_account_cancels_and_tells_the_charities(charity, charity_owner, api):
    person = make_volunteer("leaving", slots=[weekly(SAT, "09:00", "13:00"), weekly(SUN, "09:00", "13:00")])
    other = make_volunteer("staying", slots=[weekly(SAT, "09:00", "13:00")])
    committed = make_need(charity=charity, volunteers_needed=1)
    invited_need = make_need(charity=charity, starts=local("2027-01-10", "10:00"))
    proposed_need = make_need(charity=charity, starts=local("2027-01-16", "10:00"))
    for need in (committed, invited_need, proposed_need):
        services.match_propose_for_need(need_id=need.pk)
    mine = {m.need_id: m for m in Match.objects.filter(volunteer=person)}
    services.match_approve(match=mine[committed.pk], user=charity_owner)
    services.match_accept(match=mine[committed.pk], user=person.user)
    services.match_approve(match=mine[invited_need.pk], user=charity_owner)
    waiting = Match.objects.get(need=committed, volunteer=other)
    reminder = Notification.objects.filter(kind=Kind.NEED_REMINDER, recipient=person.user)
    assert reminder.filter(status=Notification.Status.PENDING).exists()

    response = api(person.user).delete("/api/v1/me/", {"password": "s3cret-pass!"}, format="json")
    assert response.status_code in (200, 204), response.content

    assert set(Match.objects.filter(volunteer=person).values_list("status", flat=True)) == {"cancelled"}
    assert Need.objects.get(pk=committed.pk).volunteers_confirmed == 0
    assert not reminder.filter(status=Notification.Status.PENDING).exists()
    told = Notification.objects.filter(kind=Kind.MATCH_CANCELLED, recipient=charity_owner)
    assert told.count() == 2 * 2  # the commitment and the invitation, in the app and by email
    assert {n.context["volunteer_name"] for n in told} == {""}  # no name of the person being erased
    # The place reopened: the next proposed volunteer is invited.
    assert Match.objects.get(pk=waiting.pk).status == Match.Status.INVITED


def test_deleting_someone_with_nothing_open_changes_no_match(charity):
    person = make_volunteer("quiet")
    account_delete(user=person.user)
    assert not Match.objects.exists()
