"""Record notifications in the caller's transaction; deliver them after commit.

Rows are the truth and tasks are only nudges: a row due and pending is sent by
whichever comes first, its own task or the sweep, and the claim (a conditional
UPDATE) makes sure only one of them sends it."""

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput, StateConflict
from core.queue import enqueue_on_commit
from core.rows import insert as rows_insert
from notifications import channels
from notifications.kinds import KINDS, default_enabled, is_choosable
from notifications.models import (
    Channel,
    Digest,
    EmailOptOut,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
    PhoneVerification,
    PushSubscription,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SWEEP_BATCH = 500


def key_digest(value: str) -> str:
    """A stable stand-in for a secret or an address inside a key: event and
    idempotency keys are searchable and kept, so they never hold a live link's
    key or a person's email."""
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def forget_secrets(notification: Notification) -> list[str]:
    """An account message (password reset, email confirmation, a guardian's
    link) holds a live link: once it is sent or has failed for good, only its
    subject is kept. Returns the fields changed, for `save(update_fields=...)`."""
    if notification.kind != Kind.ACCOUNT_EMAIL or set(notification.context) <= {"subject"}:
        return []
    notification.context = {"subject": notification.context.get("subject", "")}
    return ["context"]


def claim_timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes, at most an hour: a mail server that is down gets air."""
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


# --- Preferences and quiet hours --------------------------------------------------------------


def settings_for(user) -> NotificationSettings:
    """The person's row, or the defaults (unsaved) when they never changed anything."""
    try:
        return user.notification_settings
    except NotificationSettings.DoesNotExist:
        return NotificationSettings(user=user)


def quiet_hours_end(row: NotificationSettings, moment: dt.datetime) -> dt.datetime | None:
    """When the quiet hours around `moment` end, in UTC, or None when `moment`
    is not in them. Computed in the person's zone so DST moves with them."""
    if not row.quiet_hours or row.quiet_start == row.quiet_end:
        return None
    zone = row.timezone if isinstance(row.timezone, ZoneInfo) else ZoneInfo(str(row.timezone))
    local = moment.astimezone(zone)
    now, start, end = local.time(), row.quiet_start, row.quiet_end
    if start < end:
        quiet, day = start <= now < end, local.date()
    else:
        quiet = now >= start or now < end
        day = local.date() + dt.timedelta(days=1) if now >= start else local.date()
    if not quiet:
        return None
    return dt.datetime.combine(day, end, tzinfo=zone).astimezone(dt.UTC)


def _with_choices(recipients, kind: str) -> list[tuple]:
    """(recipient, their quiet-hours settings or None, {channel: their choice for
    `kind`, None meaning the default}) for recipients given as users or as a
    queryset of users, read in one query."""
    channel_list = sorted(KINDS[kind].channels)
    chosen = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=kind)
    choices = {f"choice_{c}": Subquery(chosen.filter(channel=c).values("enabled")[:1]) for c in channel_list}
    # Where phones and browsers are reached, read in the same query: a verified number per phone channel.
    proved = PhoneVerification.objects.filter(user=OuterRef("pk")).exclude(verified_number="")
    for c in {Channel.WHATSAPP, Channel.SMS} & set(channel_list):
        choices[f"verified_{c}"] = Subquery(proved.filter(channel=c).values("verified_number")[:1])
    if Channel.PUSH in channel_list:
        choices["has_push"] = Exists(PushSubscription.objects.filter(user=OuterRef("pk")))
    if isinstance(recipients, QuerySet):
        people = None
        query = recipients
    else:
        people = [r for r in recipients if r is not None]
        if not people:
            return []
        query = get_user_model().objects.filter(pk__in=[person.pk for person in people])
    found = {user.pk: user for user in query.select_related("notification_settings").annotate(**choices)}
    return [
        (
            person,
            getattr(found[person.pk], "notification_settings", None),
            {c: getattr(found[person.pk], f"choice_{c}") for c in channel_list},
            {
                Channel.WHATSAPP: getattr(found[person.pk], "verified_whatsapp", None),
                Channel.SMS: getattr(found[person.pk], "verified_sms", None),
                Channel.PUSH: getattr(found[person.pk], "has_push", False),
            },
        )
        for person in (people if people is not None else sorted(found.values(), key=lambda user: user.pk))
        if person.pk in found
    ]


def preference_matrix(*, user) -> list[dict]:
    """Every kind and channel the person may choose, with what is in effect."""
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in user.notification_preferences.values_list("kind", "channel", "enabled")
    }
    return [
        {
            "kind": kind,
            "label": str(Kind(kind).label),
            "channel": channel,
            "enabled": chosen.get((kind, channel), default_enabled(kind, channel)),
        }
        for kind in Kind.values
        for channel in Channel.values
        if is_choosable(kind, channel)
    ]


def preferences_update(
    *,
    user,
    choices: Iterable[tuple[str, str, bool]] = (),
    time_zone: str | None = None,
    quiet_hours: bool | None = None,
    quiet_start: dt.time | None = None,
    quiet_end: dt.time | None = None,
) -> NotificationSettings:
    """Turn kinds on or off per channel and set the zone and quiet hours.
    All or nothing: a kind, channel or zone we do not know raises InvalidInput
    naming the field, and nothing is saved."""
    choices = list(choices)
    for kind, channel, _enabled in choices:
        if kind not in Kind.values:
            raise InvalidInput(_("Unknown kind of notification: %(kind)s.") % {"kind": kind}, field="preferences")
        if channel not in Channel.values or not is_choosable(kind, channel):
            raise InvalidInput(
                _("“%(kind)s” cannot be changed by %(channel)s.") % {"kind": Kind(kind).label, "channel": channel},
                field="preferences",
            )
    if time_zone is not None:
        try:
            ZoneInfo(time_zone)
        except (ValueError, KeyError, OSError):
            raise InvalidInput(_("Unknown time zone: %(zone)s.") % {"zone": time_zone}, field="timezone") from None
    # The same kind and channel named twice: the last one counts (one upsert may touch a row once).
    last = {(kind, channel): enabled for kind, channel, enabled in choices}
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user=user, kind=k, channel=c, enabled=e) for (k, c), e in last.items()],
            update_conflicts=True,
            unique_fields=["user", "kind", "channel"],
            update_fields=["enabled"],
        )
        row, _created = NotificationSettings.objects.get_or_create(user=user)
        changed = []
        for field, value in (
            ("timezone", time_zone),
            ("quiet_hours", quiet_hours),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
        ):
            if value is not None:
                setattr(row, field, ZoneInfo(value) if field == "timezone" else value)
                changed.append(field)
        if changed:
            row.save(update_fields=changed)
    return row


def unsubscribe(*, user=None, address: str = "", kind: str) -> None:
    """The one-click unsubscribe of an email: that kind, by email, off."""
    if user is not None:
        preferences_update(user=user, choices=[(kind, Channel.EMAIL, False)])
    else:
        EmailOptOut.objects.get_or_create(address=address.lower(), kind=kind)


# --- Recording ----------------------------------------------------------------------------------


def notification_record(
    *,
    kind: str,
    event_key: str,
    context: dict,
    recipient=None,
    address: str = "",
    channel: str = Channel.EMAIL,
    language: str | None = None,
    not_before: dt.datetime | None = None,
) -> Notification | None:
    """Write one outbox row for one recipient, channel and event, and queue its
    delivery after commit when it is due. The same event recorded twice yields
    one row (the idempotency key is unique per channel), so callers may repeat
    safely. Returns the new row, or None when it existed already."""
    now = timezone.now()
    language = language or (recipient.language if recipient else "ar")
    who = f"user:{recipient.pk}" if recipient else f"address:{key_digest(address)}"
    key = f"{kind}:{event_key}:{who}"
    in_app = channel == Channel.IN_APP
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                address=address,
                kind=kind,
                channel=channel,
                language=language,
                event_key=event_key[:150],
                idempotency_key=key[:200],
                context=context,
                not_before=not_before or now,
                status=Notification.Status.SENT if in_app else Notification.Status.PENDING,
                sent_at=now if in_app else None,
            )
    except IntegrityError:
        return None
    if not in_app and notification.not_before <= now:
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
    language: str | None = None,
    not_before: dt.datetime | None = None,
    charity_id: int | None = None,
) -> list[Notification]:
    """Tell people about one event: a row per recipient and channel they have
    on (in-app and email by default, SMS when chosen and a phone is known; email
    alone for a bare address, such as a reporter's). Email and SMS of a
    non-urgent kind falling in someone's quiet hours wait until they end.
    `charity_id` names the charity the event concerns: its webhook endpoints
    (and no other charity's) are owed the event too, whoever the people are.
    Call it inside the transaction of the change that causes the event;
    repeating the same event adds nothing. The rows written are returned."""
    if charity_id is not None:
        from notifications.webhooks import webhook_event_record

        webhook_event_record(
            charity_id=charity_id, kind=kind, event_key=event_key, payload=context, not_before=not_before
        )
    rows = []
    for recipient, channel, phone, when in _deliveries(kind, recipients, due=not_before or timezone.now()):
        row = notification_record(
            kind=kind,
            event_key=event_key,
            context=context,
            recipient=recipient,
            address=phone,
            channel=channel,
            not_before=when,
        )
        if row:
            rows.append(row)
    if address and not EmailOptOut.objects.filter(address=address.lower(), kind=kind).exists():
        row = notification_record(
            kind=kind,
            event_key=event_key,
            context=context,
            address=address,
            language=language,
            not_before=not_before,
        )
        if row:
            rows.append(row)
    return rows


def notify_digest(
    *, kind: str, key: str, context: dict, recipients=(), now: dt.datetime | None = None, charity_id: int | None = None
) -> Digest:
    """At most one message per `key` (a need) and clock hour: records the digest
    of the current hour with the latest context, so the caller passes the running
    total (e.g. `match_count`) each time. Its people are the `recipients` given
    and, with `charity_id`, that charity's staff (and webhooks). They are told
    when the hour ends (`digest_release`, run by the sweep). Matching calls this
    on every run, so it is one upsert."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    if isinstance(recipients, QuerySet):
        ids = set(recipients.values_list("pk", flat=True))
    else:
        ids = {r.pk for r in recipients if r is not None}
    digest = Digest(
        kind=kind,
        key=key[:150],
        hour=hour,
        context=context,
        recipient_ids=sorted(ids),
        charity_id=charity_id,
        created_at=now,
    )
    rows_insert(
        Digest,
        [digest],
        ["kind", "key", "hour", "context", "recipient_ids", "charity_id", "created_at"],
        unique=["kind", "key", "hour"],
        update=["context", "recipient_ids"],
    )
    return digest


_digest_audience = None


def digest_audience_register(audience) -> None:
    """`audience(charity_id)` gives the users of a charity a digest is for (its
    staff). Registered by the charities app: notifications may not import it."""
    global _digest_audience
    _digest_audience = audience


def digest_release(*, now: dt.datetime | None = None) -> int:
    """Tell the people of every digest whose hour has ended, each in its own
    transaction. Safe to run twice or in two workers at once: a digest being
    released is skipped, and its notifications are idempotent per event.
    Returns how many digests were released."""
    now = now or timezone.now()
    due = Digest.objects.filter(released_at__isnull=True, hour__lte=now - dt.timedelta(hours=1))
    released = 0
    for pk in due.order_by("hour").values_list("pk", flat=True)[:SWEEP_BATCH]:
        with transaction.atomic():
            digest = (
                Digest.objects.select_for_update(no_key=True, skip_locked=True)
                .filter(pk=pk, released_at__isnull=True)
                .first()
            )
            if digest is None:
                continue
            people = get_user_model().objects.filter(pk__in=digest.recipient_ids)
            if digest.charity_id is not None and _digest_audience is not None:
                people = people | _digest_audience(digest.charity_id)
            notify(
                kind=digest.kind,
                event_key=f"{digest.key}:{digest.hour:%Y%m%dT%H}",
                context=digest.context,
                recipients=people.distinct(),
                charity_id=digest.charity_id,
            )
            digest.released_at = now
            digest.save(update_fields=["released_at"])
            released += 1
    return released


def _deliveries(kind: str, recipients, *, due: dt.datetime):
    """(recipient, channel, phone, not_before) for each channel each recipient
    has on for the kind: in-app and email by default, SMS when chosen and a phone
    is known. Email and SMS of a non-urgent kind falling in someone's quiet hours
    wait until they end. `recipients` may be a queryset of users (read once)."""
    spec = KINDS[kind]
    for recipient, quiet, choices, reach in _with_choices(recipients, kind):
        held = None
        if not spec.urgent:
            held = quiet_hours_end(quiet or NotificationSettings(user=recipient), due)
        for channel in sorted(spec.channels):
            chosen = choices[channel]
            if not (default_enabled(kind, channel) if chosen is None else chosen):
                continue
            phone = ""
            if channel in (Channel.SMS, Channel.WHATSAPP):
                # Only a proved number, and only while it is still the one on the profile.
                phone = reach[channel] or ""
                if not phone or phone != channels.phone_for(recipient, channel):
                    continue
            if channel == Channel.PUSH and not reach[Channel.PUSH]:
                continue
            yield recipient, channel, phone, due if channel == Channel.IN_APP else (held or due)


def notify_reminder(*, kind: str, key: str, context: dict, recipients=(), at: dt.datetime):
    """A message held until `at` (a need's start minus 24 hours). The key should
    include the start time, so a moved need gets a fresh reminder; cancel the
    old one with `notification_cancel`."""
    return notify(kind=kind, event_key=key, context=context, recipients=recipients, not_before=at)


def notification_cancel(*, kind: str, event_key: str) -> int:
    """Withdraw messages of an event not delivered yet (a reminder of a need that
    moved): pending email and SMS rows, and in-app rows not yet shown (they are
    stored sent, hidden until `not_before`). Returns how many were withdrawn."""
    not_yet_shown = Q(channel=Channel.IN_APP, status=Notification.Status.SENT, not_before__gt=timezone.now())
    return (
        Notification.objects.filter(kind=kind, event_key=event_key)
        .filter(Q(status=Notification.Status.PENDING) | not_yet_shown)
        .update(status=Notification.Status.CANCELLED)
    )


# --- Delivery -----------------------------------------------------------------------------------


def notification_claim(*, notification_id: int) -> Notification | None:
    """Take a due row for delivery with one conditional UPDATE, so two workers
    never both send it; a row claimed longer than the claim timeout ago (its
    worker died) can be claimed again."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .filter(
            Q(status=Notification.Status.PENDING, not_before__lte=now)
            | Q(status=Notification.Status.SENDING, claimed_at__lte=now - claim_timeout())
        )
        .update(status=Notification.Status.SENDING, claimed_at=now)
    )
    return Notification.objects.select_related("recipient").get(pk=notification_id) if claimed else None


def _rate_limited_until(notification: Notification, now: dt.datetime) -> dt.datetime | None:
    """When a runaway loop would mail someone (or everyone) too often, the row
    waits. Limits are per channel: per recipient per hour, and per minute overall."""
    limits = settings.NOTIFICATIONS_RATE_LIMITS.get(notification.channel)
    if not limits:
        return None
    per_recipient, per_minute = limits
    sent = Notification.objects.filter(channel=notification.channel, status=Notification.Status.SENT)
    if sent.filter(sent_at__gt=now - dt.timedelta(minutes=1)).count() >= per_minute:
        return now + dt.timedelta(minutes=1)
    mine = sent.filter(sent_at__gt=now - dt.timedelta(hours=1))
    mine = (
        mine.filter(recipient=notification.recipient)
        if notification.recipient_id
        else mine.filter(address__iexact=notification.address)
    )
    recent = list(mine.order_by("-sent_at").values_list("sent_at", flat=True)[:per_recipient])
    if len(recent) >= per_recipient:
        return recent[-1] + dt.timedelta(hours=1)
    return _daily_cap_until(notification, sent, now)


def _daily_cap_until(notification: Notification, sent: QuerySet, now: dt.datetime) -> dt.datetime | None:
    """At most NOTIFICATIONS_DAILY_CAPS[channel] messages to one person in 24 hours
    (WhatsApp and SMS cost money, and a phone buzzing all day gets muted). Codes
    and answers the person asked for are never held."""
    cap = settings.NOTIFICATIONS_DAILY_CAPS.get(notification.channel)
    if not cap or KINDS[notification.kind].required or notification.recipient_id is None:
        return None
    day = sent.filter(recipient=notification.recipient, sent_at__gt=now - dt.timedelta(days=1))
    day = day.exclude(kind__in=[k for k, spec in KINDS.items() if spec.required])
    recent = list(day.order_by("-sent_at").values_list("sent_at", flat=True)[:cap])
    if len(recent) >= cap:
        return recent[-1] + dt.timedelta(days=1)
    return None


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Send one row through its channel and record the outcome. A transient
    failure puts the row back to pending with a back-off `not_before` and raises
    TransientDeliveryError so the task retries; a permanent error or the last
    attempt marks the row failed; a rate limit holds it without an attempt.
    Returns the row, or None when it was not ours to send."""
    notification = notification_claim(notification_id=notification_id)
    if notification is None:
        return None
    now = timezone.now()
    if held := _rate_limited_until(notification, now):
        notification.status, notification.not_before = Notification.Status.PENDING, held
        notification.last_error = "held by the rate limit"
        notification.save(update_fields=["status", "not_before", "last_error"])
        logger.warning("notification %s held by the %s rate limit", notification.pk, notification.channel)
        return notification
    notification.attempts += 1
    try:
        provider_id = channels.SENDERS[notification.channel](notification)
    except channels.PermanentDeliveryError as exc:
        notification.status, notification.last_error = Notification.Status.FAILED, str(exc)[:2000]
    except channels.TransientDeliveryError as exc:
        notification.last_error = str(exc)[:2000]
        gave_up = notification.attempts >= MAX_ATTEMPTS
        notification.status = Notification.Status.FAILED if gave_up else Notification.Status.PENDING
        notification.not_before = now + retry_delay(notification.attempts)
        forgotten = [*(forget_secrets(notification) if gave_up else []), *_forget_code(notification, gave_up)]
        notification.save(update_fields=["status", "attempts", "last_error", "not_before", *forgotten])
        if not gave_up:
            exc.retry_in = retry_delay(notification.attempts)
            raise
        return notification
    else:
        notification.status, notification.sent_at = Notification.Status.SENT, timezone.now()
        notification.last_error, notification.provider_id = "", (provider_id or "")[:128]
    forgotten = [*forget_secrets(notification), *_forget_code(notification, True)]
    notification.save(update_fields=["status", "attempts", "last_error", "sent_at", "provider_id", *forgotten])
    return notification


def _forget_code(notification: Notification, final: bool) -> list[str]:
    """A verification code leaves the outbox once it has been sent (or never will be)."""
    if final and notification.kind == Kind.PHONE_CODE and notification.context:
        notification.context = {}
        return ["context"]
    return []


def notification_sweep(*, now: dt.datetime | None = None) -> list[int]:
    """Release the digests whose hour has ended, then queue again every row that
    is due and pending (its message was lost in a broker outage, or it waited for
    quiet hours or a back-off) and every row whose worker died mid-delivery.
    Returns the ids queued."""
    from notifications.tasks import notification_deliver_task

    now = now or timezone.now()
    digest_release(now=now)
    ids = list(
        Notification.objects.exclude(channel=Channel.IN_APP)
        .filter(
            Q(status=Notification.Status.PENDING, not_before__lte=now)
            | Q(status=Notification.Status.SENDING, claimed_at__lte=now - claim_timeout())
        )
        .order_by("not_before")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in ids:
        notification_deliver_task.apply_async(args=[pk])
    return ids


def notification_resend(*, notification: Notification) -> Notification:
    """An admin's "send again": the row becomes pending and due now, with a fresh
    count of attempts, and is queued after commit. An account message whose
    body was blanked after sending cannot be sent again (StateConflict)."""
    from notifications.tasks import notification_deliver_task

    if notification.kind == Kind.ACCOUNT_EMAIL and not notification.context.get("body"):
        raise StateConflict(_("An account message is not kept once sent: ask the person to request a new one."))
    with transaction.atomic():
        notification.status, notification.attempts = Notification.Status.PENDING, 0
        notification.not_before, notification.last_error, notification.sent_at = timezone.now(), "", None
        notification.save(update_fields=["status", "attempts", "not_before", "last_error", "sent_at"])
        enqueue_on_commit(notification_deliver_task, notification.pk)
    return notification


# --- Reading ------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> Notification:
    """Idempotent: the first reading time is kept."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    from notifications.selectors import notification_list_for_user

    return notification_list_for_user(user=user).filter(read_at__isnull=True).update(read_at=timezone.now())
