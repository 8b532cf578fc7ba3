"""Matching through a real Celery worker on Redis, against the test database:
the whole journey, a broker outage while a need is published, and a worker
killed in the middle of a matching run."""

import datetime as dt
from contextlib import closing, contextmanager
from zoneinfo import ZoneInfo

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from cases.tests.factories import CaseFactory
from matching.models import Match
from matching.tests.factories import make_charity, make_volunteer, weekly
from tests.celery_worker import _database_url, celery_worker, wait_until
from volunteerbank.celery import app

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def _next(weekday: int, hour: int, days_ahead: int = 10) -> dt.datetime:
    """A wall-clock hour in Cairo on the given weekday, at least `days_ahead` days from now."""
    day = timezone.now().date() + dt.timedelta(days=days_ahead)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Africa/Cairo"))


@contextmanager
def broker_at(url: str):
    """Point the app's producers at another broker (a closed port: the broker is down)."""

    def reset():  # kombu keeps one producer pool per broker URL: only our references are dropped
        app._pool = None
        app.amqp._producer_pool = None

    old = app.conf.broker_url
    reset()
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset()
        app.conf.broker_url = old


def _people(weekday):
    return {
        "right": make_volunteer("right", slots=[weekly(weekday, "09:00", "13:00")], skills=["first_aid"]),
        "giza": make_volunteer("giza", region="EG-GZ", slots=[weekly(weekday, "09:00", "13:00")]),
        "teacher": make_volunteer("teacher", activities=["tutoring"], slots=[weekly(weekday, "09:00", "13:00")]),
        "busy": make_volunteer("busy", slots=[weekly((weekday + 1) % 7, "09:00", "13:00")]),
    }


def _need_payload(starts):
    return {
        "activity_type": "food_baskets",
        "skills": ["first_aid"],
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "volunteers_needed": 1,
    }


def test_the_whole_journey_through_a_real_worker(charity_owner, tmp_path, django_capture_on_commit_callbacks):
    starts = _next(5, 10)
    people = _people(5)
    case = CaseFactory(charity=make_charity(charity_owner))
    staff, volunteer = APIClient(), APIClient()
    staff.force_authenticate(charity_owner)
    volunteer.force_authenticate(people["right"].user)
    log = tmp_path / "worker.log"
    with celery_worker(log_path=log):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(f"/api/v1/cases/{case.pk}/needs/", _need_payload(starts), format="json")
        assert response.status_code == 201, response.content
        need_id = response.json()["id"]
        assert wait_until(lambda: Match.objects.filter(need_id=need_id).exists()), log.read_text()

        listed = staff.get(
            f"/api/v1/charities/{case.charity_id}/matches/?status=proposed", HTTP_ACCEPT_LANGUAGE="en"
        ).json()
        assert [m["volunteer"]["display_name"] for m in listed["results"]] == ["right"]
        proposal = listed["results"][0]
        assert proposal["reasons"][:2] == [f"free {starts:%A}s \u206609:00–13:00\u2069", "has First aid"]
        assert proposal["volunteer"]["contact"] is None

        assert staff.post(f"/api/v1/matches/{proposal['id']}/approve/").status_code == 200
        mine = volunteer.get("/api/v1/me/matches/").json()["results"]
        assert [m["status"] for m in mine] == ["invited"]
        accepted = volunteer.post(f"/api/v1/matches/{proposal['id']}/accept/")
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["contact"]["email"] == charity_owner.email
        confirmed = staff.get(f"/api/v1/charities/{case.charity_id}/matches/?status=confirmed").json()["results"]
        assert confirmed[0]["volunteer"]["contact"]["email"] == "right@example.org"
    assert Match.objects.get().status == Match.Status.CONFIRMED


def test_a_need_published_while_the_broker_is_down_is_matched_by_the_sweep(
    charity_owner, tmp_path, django_capture_on_commit_callbacks
):
    from cases.services import need_create
    from core.models import ActivityType

    starts = _next(5, 10)
    people = _people(5)
    case = CaseFactory(charity=make_charity(charity_owner))
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        need = need_create(
            case=case,
            user=charity_owner,
            activity_type=ActivityType.objects.get(slug="food_baskets"),
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
        )
    need.refresh_from_db()
    assert need.matching_requested_at is not None  # saved and flagged
    assert not Match.objects.exists()
    log = tmp_path / "worker.log"
    with celery_worker(log_path=log):
        app.send_task("matching.tasks.matching_sweep_task")
        assert wait_until(lambda: Match.objects.filter(need=need).exists()), log.read_text()
    assert [m.volunteer_id for m in Match.objects.filter(need=need)] == [people["right"].pk]
    need.refresh_from_db()
    assert need.matching_requested_at is None


def test_a_worker_killed_mid_run_leaves_no_half_match_and_the_rerun_finishes(charity_owner, tmp_path):
    from cases.tests.factories import NeedFactory

    starts = _next(5, 10)
    people = _people(5)
    need = NeedFactory(
        case=CaseFactory(charity=make_charity(charity_owner)),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        volunteers_needed=1,
        matching_requested_at=timezone.now(),
    )
    log = tmp_path / "worker.log"
    # Hold the matches table, so the run blocks half-way (the need locked, nothing written); kill it.
    with celery_worker(log_path=log) as worker, connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("LOCK TABLE matching_match IN ACCESS EXCLUSIVE MODE")
        app.send_task("matching.tasks.match_need_task", args=[need.pk])

        def blocked():  # asked on a connection of its own: statistics are frozen within a transaction
            with closing(psycopg2.connect(_database_url())) as watcher, watcher.cursor() as look:
                look.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
                return look.fetchone()[0] > 0

        try:
            assert wait_until(blocked, timeout=90), log.read_text()
            worker.kill()
            worker.wait(timeout=10)
        finally:
            cursor.execute("ROLLBACK")
    assert not Match.objects.exists()
    assert type(need).objects.get(pk=need.pk).matching_requested_at is not None
    with celery_worker(log_path=tmp_path / "worker2.log"):
        app.send_task("matching.tasks.matching_sweep_task")
        assert wait_until(lambda: Match.objects.filter(need=need).exists()), (tmp_path / "worker2.log").read_text()
        app.send_task("matching.tasks.match_need_task", args=[need.pk])
        assert wait_until(lambda: type(need).objects.get(pk=need.pk).matching_requested_at is None)
    assert [m.volunteer_id for m in Match.objects.filter(need=need)] == [people["right"].pk]


def test_matching_tasks_ack_late_and_go_to_their_own_queue():
    from matching import tasks

    for task in (tasks.match_need_task, tasks.match_batch_task, tasks.matching_sweep_task, tasks.match_volunteer_task):
        assert task.acks_late is True
        assert app.amqp.router.route({}, task.name)["queue"].name == "matching"
