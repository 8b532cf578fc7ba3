"""The admin never writes what a service owns: a need's time, a case's status and
charity, a match's status are read-only there, and the admin's actions call the
services (so the matches' copies, the notices and the reminders follow)."""

import datetime as dt

import pytest

from cases.models import Case, Need
from cases.tests.factories import case_admin_edit
from matching import services
from matching.models import Match
from matching.tests.factories import SAT, make_charity, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(charity_owner):
    person = make_volunteer("admin-case", slots=[weekly(SAT, "08:00", "16:00")])
    need = make_need(charity=make_charity(charity_owner), volunteers_needed=2)
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.get(volunteer=person)
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=match, user=person.user)
    return Match.objects.get(pk=match.pk)


def test_the_need_page_edits_no_time(admin_client, confirmed):
    need = confirmed.need
    page = admin_client.get(f"/en/admin/cases/need/{need.pk}/change/").content.decode()
    assert 'name="starts_at' not in page and 'name="ends_at' not in page
    later = need.starts_at + dt.timedelta(hours=3)
    admin_client.post(
        f"/en/admin/cases/need/{need.pk}/change/",
        {"starts_at_0": later.date().isoformat(), "starts_at_1": later.time().isoformat(), "volunteers_needed": 1},
    )
    assert Need.objects.get(pk=need.pk).starts_at == need.starts_at


def test_the_case_inline_edits_no_need_time(admin_client, confirmed):
    page = admin_client.get(f"/en/admin/cases/case/{confirmed.need.case_id}/change/").content.decode()
    assert "needs-0-starts_at" not in page
    assert 'name="status"' not in page and 'name="charity"' not in page


def test_the_reschedule_action_goes_through_the_service(admin_client, confirmed):
    need = confirmed.need
    later = need.starts_at + dt.timedelta(hours=3)
    url = "/en/admin/cases/need/"
    asked = admin_client.post(url, {"action": "reschedule", "_selected_action": [need.pk]})
    assert asked.status_code == 200 and 'name="starts_at"' in asked.content.decode()
    done = admin_client.post(
        url,
        {
            "action": "reschedule",
            "_selected_action": [need.pk],
            "apply": "1",
            "starts_at": later.isoformat(),
            "ends_at": (later + dt.timedelta(hours=2)).isoformat(),
        },
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Need.objects.get(pk=need.pk).starts_at == later
    assert Match.objects.get(pk=confirmed.pk).starts_at == later  # the copy followed
    assert Notification.objects.filter(kind=Kind.NEED_TIME_CHANGED, recipient=confirmed.volunteer.user).exists()


def test_the_match_page_is_view_only_and_cancelling_uses_the_service(admin_client, confirmed):
    page = admin_client.get(f"/en/admin/matching/match/{confirmed.pk}/change/").content.decode()
    assert 'name="status"' not in page
    admin_client.post(f"/en/admin/matching/match/{confirmed.pk}/change/", {"status": "cancelled"})
    assert Match.objects.get(pk=confirmed.pk).status == Match.Status.CONFIRMED
    admin_client.post("/en/admin/matching/match/", {"action": "cancel_commitments", "_selected_action": [confirmed.pk]})
    assert Match.objects.get(pk=confirmed.pk).status == Match.Status.CANCELLED
    assert Need.objects.get(pk=confirmed.need_id).volunteers_confirmed == 0
    assert Notification.objects.filter(kind=Kind.MATCH_CANCELLED, recipient=confirmed.volunteer.user).exists()


def test_closing_from_the_admin_withdraws_the_matches(admin_client, confirmed):
    case = confirmed.need.case
    admin_client.post("/en/admin/cases/case/", {"action": "close_cases", "_selected_action": [case.pk]})
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
    assert Match.objects.get(pk=confirmed.pk).status == Match.Status.CANCELLED


def test_editing_a_case_title_in_the_admin_keeps_the_search_copy(admin_client, confirmed):
    case = confirmed.need.case
    case_admin_edit(admin_client, case, title="قافلة طبية جديدة")
    case.refresh_from_db()
    assert case.title == "قافلة طبية جديدة"
    assert "قافله" in case.search_text or "قافلة" in case.search_text


def test_a_staff_user_without_the_permission_cannot_act(client, make_user, confirmed):
    from django.contrib.auth.models import Permission

    viewer = make_user("viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_match"))
    client.force_login(viewer)
    client.post("/en/admin/matching/match/", {"action": "cancel_commitments", "_selected_action": [confirmed.pk]})
    assert Match.objects.get(pk=confirmed.pk).status == Match.Status.CONFIRMED
