"""Notifications through real Celery workers on Redis: delivered once, across a
broker outage and a worker killed mid-delivery."""

from contextlib import contextmanager

import pytest
from django.conf import settings

from notifications.models import Channel, Kind, Notification
from notifications.services import notification_sweep, notify
from notifications.tests.samples import SAMPLES
from notifications.tests.smtp import closed_port, smtp_server
from tests.celery_worker import celery_worker, wait_until
from volunteerbank.celery import app


@contextmanager
def broker_at(url: str):
    """Point this process's Celery app at another broker, then back."""

    def reset():  # the pools are rebuilt from broker_url on next use (kombu keeps one per URL)
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    app.conf.broker_url = url
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = original
        reset()


def _status(row):
    row.refresh_from_db()
    return row.status


def _mails(path):
    return [p for p in path.glob("*.log") if not p.name.startswith("worker")]


def _notify(person, capture):
    with capture(execute=True):
        notify(kind=Kind.MATCH_CANCELLED, event_key="m1", context=SAMPLES[Kind.MATCH_CANCELLED], recipients=[person])
    return Notification.objects.get(recipient=person, channel=Channel.EMAIL)


def test_delivery_tasks_go_to_the_notifications_queue_and_the_sweep_runs_every_minute():
    for task in ("notifications.tasks.notification_deliver_task", "notifications.tasks.webhook_deliver_task"):
        assert app.amqp.router.route({}, task)["queue"].name == "notifications"
    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("notification_sweep_task")]
    assert entry["schedule"] <= 60


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_what_notify_records(make_user, tmp_path, django_capture_on_commit_callbacks):
    person = make_user("amina@example.org")
    with celery_worker(extra_env={"EMAIL_URL": f"filemail:///{tmp_path}"}, log_path=tmp_path / "worker.log"):
        row = _notify(person, django_capture_on_commit_callbacks)
        assert wait_until(lambda: _status(row) == Notification.Status.SENT), (tmp_path / "worker.log").read_text()
    (mail,) = _mails(tmp_path)
    assert "amina@example.org" in mail.read_text()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_notifications_recorded_while_the_broker_is_down_are_delivered_once_it_is_back(
    make_user, tmp_path, django_capture_on_commit_callbacks
):
    person = make_user("omar@example.org")
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0"):
        row = _notify(person, django_capture_on_commit_callbacks)  # the publish fails; the request does not
    assert _status(row) == Notification.Status.PENDING
    with celery_worker(extra_env={"EMAIL_URL": f"filemail:///{tmp_path}"}, log_path=tmp_path / "worker.log"):
        assert wait_until(lambda: _status(row) == Notification.Status.PENDING, timeout=2)
        assert row.pk in notification_sweep()
        assert wait_until(lambda: _status(row) == Notification.Status.SENT), (tmp_path / "worker.log").read_text()
        notification_sweep()  # a second sweep finds nothing to send again
    assert len(_mails(tmp_path)) == 1
    assert row.attempts == 1


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_leaves_the_row_to_be_claimed_again_and_sent_once(
    make_user, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 2
    person = make_user("huda@example.org")
    with smtp_server(hang=True) as port:
        hanging = {"EMAIL_URL": f"smtp://127.0.0.1:{port}", "NOTIFICATIONS_CLAIM_TIMEOUT": "2"}
        with celery_worker(extra_env=hanging, log_path=tmp_path / "worker-1.log") as worker:
            row = _notify(person, django_capture_on_commit_callbacks)
            assert wait_until(lambda: _status(row) == Notification.Status.SENDING)
            worker.kill()
            worker.wait(timeout=10)
    assert _status(row) == Notification.Status.SENDING, "the dead worker never finished"
    working = {"EMAIL_URL": f"filemail:///{tmp_path}", "NOTIFICATIONS_CLAIM_TIMEOUT": "2"}
    with celery_worker(extra_env=working, log_path=tmp_path / "worker-2.log"):
        assert wait_until(lambda: row.pk in notification_sweep(), timeout=10)
        assert wait_until(lambda: _status(row) == Notification.Status.SENT), (tmp_path / "worker-2.log").read_text()
    assert len(_mails(tmp_path)) == 1
    assert row.attempts == 1
