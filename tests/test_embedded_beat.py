"""`make run` has no broker and no beat: a thread runs the periodic tasks there."""

import datetime as dt

import pytest
from django.utils import timezone

from core.embedded_beat import EmbeddedBeat
from notifications import services as outbox
from notifications.models import Digest, Kind, Notification
from notifications.tests.factories import UserFactory
from volunteerbank.celery import app
from volunteerbank.schedule import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def test_it_runs_each_periodic_task_when_due_and_not_before():
    beat = EmbeddedBeat({"sweep": {"task": "notifications.tasks.notification_sweep_task", "schedule": 60.0}}, app)
    assert beat.run_due() == [], "just started"
    staff = UserFactory()
    outbox.notify_digest(
        kind=Kind.MATCHES_DIGEST,
        key="need:1",
        context={"match_count": 2},
        recipients=[staff],
        now=timezone.now() - dt.timedelta(hours=2),
    )
    beat.last_run["sweep"] = timezone.now() - dt.timedelta(seconds=61)
    assert beat.run_due() == ["sweep"]
    assert Digest.objects.get().released_at is not None
    assert Notification.objects.filter(kind=Kind.MATCHES_DIGEST, recipient=staff).count() == 2
    assert beat.run_due() == [], "not again within the minute"


def test_it_knows_every_task_of_the_schedule():
    beat = EmbeddedBeat(BEAT_SCHEDULE, app)
    assert set(beat.tasks.values()) <= set(app.tasks)
