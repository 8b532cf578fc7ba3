"""The periodic sweep, the volunteer trigger, the admin action and the commands."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, Need
from matching import services, sweep
from matching.models import Match
from matching.tests.factories import SAT, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_the_sweep_expires_overdue_invitations_and_batches_needs_per_region(
    charity, charity_owner, saturday_people, settings
):
    settings.MATCHING_SWEEP_BATCH = 2
    cairo = [make_need(charity=charity) for _ in range(3)]
    riyadh = make_need(region="SA-01")
    Case.objects.filter(pk=cairo[2].case_id).update(status=Case.Status.CLOSED)
    services.match_propose_for_need(need_id=cairo[0].pk)
    invited = services.match_approve(match=cairo[0].matches.first(), user=charity_owner)
    later = invited.expires_at + dt.timedelta(minutes=1)
    result = sweep.matching_sweep(now=later)
    assert result["expired"] == 1
    assert Match.objects.get(pk=invited.pk).status == Match.Status.EXPIRED
    assert Notification.objects.filter(kind=Kind.MATCH_EXPIRED, recipient=invited.volunteer.user).exists()
    assert result["batches"] == {cairo[0].region_id: [cairo[1].pk, cairo[0].pk], riyadh.region_id: [riyadh.pk]}


def test_a_batch_shares_the_volunteers_of_overlapping_needs(charity, saturday_people):
    needs = [make_need(charity=charity, volunteers_needed=1) for _ in range(2)]
    # Three wanted each, five people free: each proposed once (MATCHING_MAX_OVERLAPPING_PROPOSALS=1).
    assert sweep.match_needs(need_ids=[n.pk for n in needs]) == 5
    assert sweep.match_needs(need_ids=[n.pk for n in needs]) == 0
    per_person = Match.objects.values_list("volunteer_id", flat=True)
    assert len(per_person) == len(set(per_person)) == 5


def test_a_volunteer_who_adds_free_time_is_matched_against_open_needs(charity):
    need = make_need(charity=charity)
    person = make_volunteer("late", slots=[weekly(SAT, "09:00", "13:00")])
    assert sweep.match_for_volunteer(volunteer_id=person.pk) == 1
    assert Match.objects.filter(need=need, volunteer=person).exists()
    tutor = make_volunteer("tutor", activities=["tutoring"], slots=[weekly(SAT, "09:00", "13:00")])
    assert sweep.match_for_volunteer(volunteer_id=tutor.pk) == 0


def test_changing_free_time_queues_matching_by_name(volunteer, django_capture_on_commit_callbacks):
    from volunteers.services import availability_slot_add

    with django_capture_on_commit_callbacks() as queued:
        availability_slot_add(volunteer=volunteer.volunteer_profile, weekday=SAT, start="09:00", end="13:00")
    assert len(queued) == 1


def test_publishing_a_need_queues_matching(charity, charity_owner, django_capture_on_commit_callbacks):
    from cases.services import need_create
    from core.models import ActivityType

    case = make_need(charity=charity).case
    with django_capture_on_commit_callbacks() as queued:
        need_create(
            case=case,
            user=charity_owner,
            activity_type=ActivityType.objects.get(slug="food_baskets"),
            starts_at=dt.datetime(2027, 2, 6, 8, tzinfo=dt.UTC),
            ends_at=dt.datetime(2027, 2, 6, 10, tzinfo=dt.UTC),
        )
    assert len(queued) == 1


def test_the_admin_reruns_matching_for_the_selected_needs(admin_client, need, saturday_people):
    services.match_propose_for_need(need_id=need.pk)
    Need.objects.filter(pk=need.pk).update(volunteers_needed=2)
    response = admin_client.post(
        "/ar/admin/matching/match/",
        {"action": "rerun_matching", "_selected_action": [need.matches.first().pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert need.matches.count() == 5  # all five Saturday volunteers now


def test_the_admin_lists_matches_with_filters(admin_client, need, saturday_people):
    services.match_propose_for_need(need_id=need.pk)
    response = admin_client.get("/ar/admin/matching/match/?status__exact=proposed")
    assert response.status_code == 200
    assert "sat0" in response.content.decode()


def test_the_match_need_command_reruns_matching(need, saturday_people):
    out = io.StringIO()
    call_command("match_need", str(need.pk), stdout=out)
    call_command("match_need", str(need.pk), stdout=out)
    assert out.getvalue().splitlines() == [f"need {need.pk}: 3 new proposals", f"need {need.pk}: 0 new proposals"]


def test_the_benchmark_refuses_sqlite_clearly(monkeypatch):
    from matching.management.commands import bench_matching

    monkeypatch.setattr(bench_matching, "connection", SimpleNamespace(vendor="sqlite"))
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_matching", "--size", "10")


def test_the_sweep_keeps_to_its_horizon_but_heals_flagged_needs_beyond_it(charity, settings):
    settings.MATCHING_ASSIGNMENT_HORIZON_DAYS = 14
    now = dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    soon = make_need(charity=charity, matching_requested_at=None)
    later = make_need(charity=charity, starts=dt.datetime(2027, 3, 6, 8, tzinfo=dt.UTC), matching_requested_at=None)
    flagged = make_need(charity=charity, starts=dt.datetime(2027, 3, 6, 8, tzinfo=dt.UTC))
    batches = sweep.matching_sweep(now=now)["batches"]
    assert set(batches[soon.region_id]) == {soon.pk, flagged.pk}
    assert later.pk not in batches[soon.region_id]
