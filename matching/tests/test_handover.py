"""A case handed over to another charity takes everything hanging off it along:
its matches, its waiting digests, the volunteers' reminders and the webhook
routing; both charities and the volunteers who said yes are told; the move is audited."""

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import AuditEntry, CaseHandover
from charities.models import Membership
from matching import services
from matching.models import Match
from matching.tests.factories import SAT, make_charity, make_need, make_volunteer, weekly
from notifications.models import Digest, Kind, Notification, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [make_volunteer(f"h{n}", slots=[weekly(SAT, "09:00", "13:00")], phone="+201001234567") for n in range(4)]


@pytest.fixture
def setup(charity, charity_owner, people, make_user):
    """A need for three with one volunteer confirmed, one invited and two proposed; another charity asks for it."""
    need = make_need(charity=charity, volunteers_needed=3)
    services.match_propose_for_need(need_id=need.pk)
    matches = {m.volunteer_id: m for m in need.matches.all()}
    first, second, third, _fourth = (matches[p.pk] for p in people)
    services.match_approve(match=first, user=charity_owner)
    services.match_accept(match=first, user=people[0].user)
    services.match_approve(match=second, user=charity_owner)
    newcomer = make_user("owner@newcomer.example.org")
    other = make_charity(newcomer)
    handover = case_services.case_handover_request(case=need.case, charity=other, user=newcomer)
    return {
        "need": need,
        "old": charity,
        "new": other,
        "newcomer": newcomer,
        "handover": handover,
        "confirmed": Match.objects.get(pk=first.pk),
        "invited": Match.objects.get(pk=second.pk),
        "proposed": Match.objects.get(pk=third.pk),
    }


def _accept(setup, charity_owner):
    return case_services.case_handover_decide(handover=setup["handover"], user=charity_owner, accept=True)


def test_the_new_charity_approves_old_proposals_and_the_old_one_loses_the_contacts(api, setup, charity_owner):
    _accept(setup, charity_owner)
    old, new = setup["old"], setup["new"]
    listed = api(charity_owner).get(f"/api/v1/charities/{old.pk}/matches/?status=confirmed").json()
    assert listed["count"] == 0
    assert "+201001234567" not in str(listed)
    mine = api(setup["newcomer"]).get(f"/api/v1/charities/{new.pk}/matches/?status=confirmed").json()
    assert mine["count"] == 1
    assert mine["results"][0]["volunteer"]["contact"]["phone"] == "+201001234567"
    response = api(setup["newcomer"]).post(f"/api/v1/matches/{setup['proposed'].pk}/approve/")
    assert response.status_code == 200, response.content
    assert api(charity_owner).post(f"/api/v1/matches/{setup['proposed'].pk}/reject/").status_code == 404
    assert set(Match.objects.filter(need=setup["need"]).values_list("charity_id", flat=True)) == {new.pk}


def test_an_invitation_accepted_after_the_handover_goes_to_the_new_charity_only(setup, charity_owner, people):
    old_hook = WebhookEndpoint.objects.create(charity=setup["old"], url="https://old.example.org/hook")
    new_hook = WebhookEndpoint.objects.create(charity=setup["new"], url="https://new.example.org/hook")
    _accept(setup, charity_owner)
    services.match_accept(match=setup["invited"], user=people[1].user)
    told = Notification.objects.filter(kind=Kind.MATCH_CONFIRMED, event_key=f"match:{setup['invited'].pk}:confirmed")
    assert set(told.values_list("recipient", flat=True)) == {setup["newcomer"].pk}
    deliveries = WebhookDelivery.objects.filter(kind=Kind.MATCH_CONFIRMED, payload__match_id=setup["invited"].pk)
    assert set(deliveries.values_list("endpoint", flat=True)) == {new_hook.pk}
    assert old_hook.pk not in set(deliveries.values_list("endpoint", flat=True))
    # The volunteer reads the new charity's name and contact, not the coordinator of the old one.
    contacts = services_contacts(setup["invited"])
    assert contacts["name"] == setup["new"].name
    assert contacts["email"] == setup["newcomer"].email


def services_contacts(match):
    from matching.selectors import charity_contacts

    return charity_contacts(Match.objects.select_related("need__case__charity", "reviewed_by").get(pk=match.pk))


def test_digests_and_reminders_follow_the_case(setup, charity_owner):
    need = setup["need"]
    assert Digest.objects.filter(key=f"need:{need.pk}:proposals", charity_id=setup["old"].pk).exists()
    _accept(setup, charity_owner)
    assert set(Digest.objects.filter(released_at__isnull=True).values_list("charity_id", flat=True)) == {
        setup["new"].pk
    }
    reminders = Notification.objects.filter(kind=Kind.NEED_REMINDER, status=Notification.Status.PENDING)
    assert reminders.exists()
    assert {r.context["charity_name"] for r in reminders} == {setup["new"].name_ar}


def test_both_charities_and_the_volunteers_are_told_and_the_move_is_audited(setup, charity_owner, people):
    _accept(setup, charity_owner)
    told = Notification.objects.filter(kind=Kind.CASE_HANDOVER)
    recipients = set(told.values_list("recipient", flat=True))
    assert {charity_owner.pk, setup["newcomer"].pk, people[0].user_id, people[1].user_id} <= recipients
    assert people[2].user_id not in recipients  # a proposal the volunteer never saw
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CASE_HANDED_OVER)
    assert (entry.actor, entry.case, entry.charity) == (charity_owner, setup["need"].case, setup["new"])


def test_declining_moves_nothing(setup, charity_owner):
    case_services.case_handover_decide(handover=setup["handover"], user=charity_owner, accept=False)
    assert set(Match.objects.values_list("charity_id", flat=True)) == {setup["old"].pk}
    assert not Notification.objects.filter(
        kind=Kind.CASE_HANDOVER, recipient=setup["confirmed"].volunteer.user
    ).exists()
    assert Notification.objects.filter(kind=Kind.CASE_HANDOVER, recipient=setup["newcomer"]).exists()


# --- The API ----------------------------------------------------------------------------------------


def test_the_api_asks_and_the_holder_accepts(api, charity, charity_owner, make_user):
    need = make_need(charity=charity)
    newcomer = make_user("asker@example.org")
    other = make_charity(newcomer)
    response = api(newcomer).post(
        f"/api/v1/cases/{need.case_id}/handovers/", {"charity": other.pk, "message": "نحن أقرب"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["to_charity"] == other.pk and body["case"] == need.case_id
    again = api(newcomer).post(f"/api/v1/cases/{need.case_id}/handovers/", {"charity": other.pk}, format="json")
    assert again.status_code == 409 and again.json()["detail"]
    handover = CaseHandover.objects.get()
    assert api(newcomer).post(f"/api/v1/handovers/{handover.pk}/accept/").status_code == 404
    assert api(charity_owner).get(f"/api/v1/handovers/{handover.pk}/accept/").status_code == 405
    accepted = api(charity_owner).post(f"/api/v1/handovers/{handover.pk}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    need.case.refresh_from_db()
    assert need.case.charity == other
    repeated = api(charity_owner).post(f"/api/v1/handovers/{handover.pk}/decline/")
    assert repeated.status_code in (404, 409)


def test_the_api_refuses_outsiders_and_coordinators(api, charity, charity_owner, make_user, plain_user):
    need = make_need(charity=charity)
    assert api().post(f"/api/v1/cases/{need.case_id}/handovers/", {}, format="json").status_code in (401, 403)
    outsider = api(plain_user).post(f"/api/v1/cases/{need.case_id}/handovers/", {"charity": 1}, format="json")
    assert outsider.status_code in (400, 403, 404)
    newcomer = make_user("asker2@example.org")
    other = make_charity(newcomer)
    not_theirs = api(plain_user).post(f"/api/v1/cases/{need.case_id}/handovers/", {"charity": other.pk}, format="json")
    assert not_theirs.status_code in (403, 404)
    handover = case_services.case_handover_request(case=need.case, charity=other, user=newcomer)
    coordinator = make_user("coordinator@example.org")
    Membership.objects.create(charity=charity, user=coordinator, role=Membership.Role.COORDINATOR)
    assert api(coordinator).post(f"/api/v1/handovers/{handover.pk}/accept/").status_code == 403
    assert api(plain_user).post(f"/api/v1/handovers/{handover.pk}/decline/").status_code == 404
    declined = api(charity_owner).post(f"/api/v1/handovers/{handover.pk}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert CaseHandover.objects.get().decided_at <= timezone.now()
