"""Delivery: claimed once, sent once, transient failures retried with back-off,
permanent ones recorded, runaway loops held by the rate limit."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.channels import TransientDeliveryError
from notifications.models import Channel, Kind, Notification
from notifications.tests.factories import UserFactory, verify_phone
from notifications.tests.samples import SAMPLES
from notifications.tests.smtp import closed_port, smtp_server

pytestmark = pytest.mark.django_db


def _email(person=None, kind=Kind.MATCH_CANCELLED, key="e1") -> Notification:
    person = person or UserFactory()
    services.notify(kind=kind, event_key=key, context=SAMPLES[kind], recipients=[person])
    return Notification.objects.get(recipient=person, channel=Channel.EMAIL, event_key=key)


def _smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def test_delivering_sends_the_email_once_and_records_it():
    row = _email()
    services.notification_deliver(notification_id=row.pk)
    assert services.notification_deliver(notification_id=row.pk) is None, "a sent row is not ours to send again"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Notification.Status.SENT, 1, "")
    assert row.sent_at is not None
    assert len(mail.outbox) == 1


def test_the_same_event_recorded_twice_is_delivered_once():
    person = UserFactory()
    for _ in range(2):
        services.notify(
            kind=Kind.MATCH_INVITED, event_key="match:5", context=SAMPLES[Kind.MATCH_INVITED], recipients=[person]
        )
    for row in Notification.objects.filter(channel=Channel.EMAIL):
        services.notification_deliver(notification_id=row.pk)
    assert len(mail.outbox) == 1


def test_two_claims_of_one_row_give_it_to_one_worker():
    row = _email()
    assert services.notification_claim(notification_id=row.pk) is not None
    assert services.notification_claim(notification_id=row.pk) is None


def test_a_row_claimed_by_a_dead_worker_is_claimed_again_after_the_timeout(settings):
    row = _email()
    services.notification_claim(notification_id=row.pk)
    Notification.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT - 5)
    )
    assert services.notification_claim(notification_id=row.pk) is None, "still within the timeout"
    Notification.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT + 1)
    )
    assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_a_row_held_for_later_is_not_sent_early():
    row = _email()
    Notification.objects.filter(pk=row.pk).update(not_before=timezone.now() + dt.timedelta(hours=1))
    assert services.notification_deliver(notification_id=row.pk) is None
    assert mail.outbox == []


def test_an_smtp_server_that_cannot_be_reached_is_retried_with_back_off_then_failed(settings):
    _smtp(settings, closed_port())
    row = _email()
    with pytest.raises(TransientDeliveryError):
        services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)
    assert row.last_error and row.not_before > timezone.now() + dt.timedelta(seconds=50)
    for attempt in range(2, services.MAX_ATTEMPTS + 1):
        Notification.objects.filter(pk=row.pk).update(not_before=timezone.now())
        if attempt < services.MAX_ATTEMPTS:
            with pytest.raises(TransientDeliveryError):
                services.notification_deliver(notification_id=row.pk)
        else:
            services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == (Notification.Status.FAILED, services.MAX_ATTEMPTS, None)


def test_an_smtp_server_saying_try_later_is_retried(settings):
    with smtp_server(rcpt_reply="451 4.3.0 try again later") as port:
        _smtp(settings, port)
        row = _email()
        with pytest.raises(TransientDeliveryError):
            services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING and "451" in row.last_error


def test_an_address_the_smtp_server_refuses_fails_at_once_and_is_never_shown_sent(settings):
    with smtp_server(rcpt_reply="550 5.1.1 no such user") as port:
        _smtp(settings, port)
        row = _email()
        services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at) == (Notification.Status.FAILED, 1, None)
    assert "550" in row.last_error
    assert services.notification_sweep() == [], "a permanent failure is not retried"


def test_the_rate_limit_holds_a_runaway_loop_without_dropping_anything(settings):
    settings.NOTIFICATIONS_RATE_LIMITS = {"email": (2, 100)}
    person = UserFactory()
    rows = [_email(person, key=f"loop:{n}") for n in range(3)]
    for row in rows:
        services.notification_deliver(notification_id=row.pk)
    assert len(mail.outbox) == 2
    held = Notification.objects.get(pk=rows[2].pk)
    assert (held.status, held.attempts) == (Notification.Status.PENDING, 0)
    assert held.not_before > timezone.now() + dt.timedelta(minutes=50)
    other = _email(key="someone-else")
    assert services.notification_deliver(notification_id=other.pk).status == Notification.Status.SENT
    Notification.objects.filter(status=Notification.Status.SENT).update(sent_at=timezone.now() - dt.timedelta(hours=2))
    Notification.objects.filter(pk=held.pk).update(not_before=timezone.now())
    assert services.notification_deliver(notification_id=held.pk).status == Notification.Status.SENT


def test_the_global_rate_limit_holds_everyone_for_a_minute(settings):
    settings.NOTIFICATIONS_RATE_LIMITS = {"email": (100, 1)}
    first, second = _email(key="a"), _email(key="b")
    services.notification_deliver(notification_id=first.pk)
    held = services.notification_deliver(notification_id=second.pk)
    assert held.status == Notification.Status.PENDING
    assert timezone.now() < held.not_before <= timezone.now() + dt.timedelta(minutes=1)
    assert len(mail.outbox) == 1


def test_the_sweep_queues_due_and_stuck_rows_and_nothing_else(settings):
    due, later, stuck, busy, sent = (_email(key=k) for k in "abcde")
    Notification.objects.filter(pk=later.pk).update(not_before=timezone.now() + dt.timedelta(hours=1))
    old = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT + 1)
    Notification.objects.filter(pk=stuck.pk).update(status=Notification.Status.SENDING, claimed_at=old)
    Notification.objects.filter(pk=busy.pk).update(status=Notification.Status.SENDING, claimed_at=timezone.now())
    Notification.objects.filter(pk=sent.pk).update(status=Notification.Status.SENT)
    assert sorted(services.notification_sweep()) == sorted([due.pk, stuck.pk])


def test_resend_puts_a_failed_row_back_in_the_queue(django_capture_on_commit_callbacks):
    row = _email()
    Notification.objects.filter(pk=row.pk).update(status=Notification.Status.FAILED, attempts=5, last_error="x")
    row.refresh_from_db()
    with django_capture_on_commit_callbacks() as queued:
        services.notification_resend(notification=row)
    assert len(queued) == 1
    assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_sms_in_development_is_written_to_the_log_file(settings, tmp_path):
    settings.SMS_LOG_PATH = tmp_path / "sms.log"
    person = UserFactory(language="en")
    person.phone = "+966501234567"
    verify_phone(person, "+966501234567")
    services.preferences_update(user=person, choices=[(Kind.MATCH_CANCELLED, Channel.SMS, True)])
    context = SAMPLES[Kind.MATCH_CANCELLED]
    services.notify(kind=Kind.MATCH_CANCELLED, event_key="c1", context=context, recipients=[person])
    row = Notification.objects.get(channel=Channel.SMS)
    assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    line = (tmp_path / "sms.log").read_text()
    assert "+966501234567" in line and "Cancelled: توزيع سلال رمضان" in line
