"""Record notifications in the caller's transaction; deliver them after commit."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.queue import enqueue_on_commit
from notifications import channels
from notifications.models import Channel, Notification

CLAIM_TIMEOUT = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5


def notification_record(
    *,
    kind: str,
    event_key: str,
    context: dict,
    recipient=None,
    address: str = "",
    channel: str = Channel.EMAIL,
    language: str | None = None,
) -> Notification | None:
    """Write one outbox row for one recipient, channel and event, and queue its
    delivery after commit. The same event recorded twice yields one row (the
    idempotency key is unique per channel), so callers may repeat safely.
    Returns the row, or None when it existed already."""
    language = language or (recipient.language if recipient else "ar")
    who = f"user:{recipient.pk}" if recipient else f"address:{address.lower()}"
    key = f"{kind}:{event_key}:{who}"
    status = Notification.Status.SENT if channel == Channel.IN_APP else Notification.Status.PENDING
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                address=address,
                kind=kind,
                channel=channel,
                language=language,
                idempotency_key=key,
                context=context,
                status=status,
                sent_at=timezone.now() if status == Notification.Status.SENT else None,
            )
    except IntegrityError:
        return None
    if status == Notification.Status.PENDING:
        from notifications.tasks import notification_deliver_task

        enqueue_on_commit(notification_deliver_task, notification.pk)
    return notification


def notify(
    *,
    kind: str,
    event_key: str,
    context: dict,
    recipients=(),
    address: str = "",
) -> list[Notification]:
    """Tell people about one event: a row per recipient and channel (email and
    in-app for an account; email alone for a bare address, such as a reporter's).
    Call it inside the transaction of the change that causes the event; repeating
    the same event adds nothing. The rows written are returned."""
    rows = []
    for recipient in recipients:
        for channel in (Channel.IN_APP, Channel.EMAIL):
            row = notification_record(
                kind=kind, event_key=event_key, context=context, recipient=recipient, channel=channel
            )
            if row:
                rows.append(row)
    if address:
        row = notification_record(kind=kind, event_key=event_key, context=context, address=address)
        if row:
            rows.append(row)
    return rows


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take a due row for delivery with one conditional UPDATE, so two workers
    never both send it; a row claimed longer than CLAIM_TIMEOUT ago (its worker
    died) can be claimed again."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, not_before__lte=now)
        .filter(
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING],
        )
        .exclude(status=Notification.Status.SENDING, claimed_at__gt=now - CLAIM_TIMEOUT)
        .update(status=Notification.Status.SENDING, claimed_at=now)
    )
    return Notification.objects.select_related("recipient").get(pk=notification_id) if claimed else None


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Send one row through its channel and record the outcome. Raises
    TransientDeliveryError (after putting the row back to pending) so the task
    retries; a permanent error or the last attempt marks the row failed."""
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return None
    notification.attempts += 1
    try:
        channels.SENDERS[notification.channel](notification)
    except channels.PermanentDeliveryError as exc:
        notification.status, notification.last_error = Notification.Status.FAILED, str(exc)
    except channels.TransientDeliveryError as exc:
        notification.last_error = str(exc)
        gave_up = notification.attempts >= MAX_ATTEMPTS
        notification.status = Notification.Status.FAILED if gave_up else Notification.Status.PENDING
        notification.save(update_fields=["status", "attempts", "last_error"])
        if not gave_up:
            raise
        return notification
    else:
        notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
        notification.last_error = ""
    notification.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    return notification
