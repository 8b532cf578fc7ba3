"""What people send us on WhatsApp and SMS, and what providers tell us about ours.

The reply loop: "1" or "نعم" (or an invitation's Yes button) accepts the
sender's most recent open invitation, "2" or "لا" declines it, "إيقاف" or "STOP"
turns that channel off for every kind; anything else gets a short help reply.
The answer goes back on the same channel through the outbox. Each provider
message id is handled once (`InboundMessage` is unique per channel and id, and
is written in the same transaction as what the message did), so a repeated
delivery changes nothing. A sender whose number nobody has verified gets no
answer; the message is logged.

Accepting and declining belong to matching, which this leaf app may not import:
matching registers the handler at start-up (`reply_handler_register`), and the
handler calls the same services as the web page and the API."""

import logging

import phonenumbers
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.text import normalize_arabic
from notifications.channels import phone_for
from notifications.models import Channel, InboundMessage, Kind, Notification, PhoneVerification

logger = logging.getLogger(__name__)

ACCEPT_WORDS = frozenset({"1", "نعم", "ايوه", "ايوا", "yes", "y", "accept"})
DECLINE_WORDS = frozenset({"2", "لا", "no", "n", "decline"})
STOP_WORDS = frozenset({"ايقاف", "stop", "stopall", "unsubscribe", "الغاء", "توقف"})
# Delivery states only move forward; "failed" may arrive at any point.
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}

_reply_handler = None


def reply_handler_register(handler) -> None:
    """`handler(*, user, accept: bool, match_id: int | None) -> str` answers an
    invitation and returns what to tell the person (in the active language)."""
    global _reply_handler
    _reply_handler = handler


def e164(number: str) -> str:
    """'201001234567' (WhatsApp's wa_id) or '+20 100 123 4567' to '+201001234567'."""
    text = "".join(ch for ch in str(number) if ch.isdigit() or ch == "+")
    try:
        parsed = phonenumbers.parse(text if text.startswith("+") else f"+{text}", None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def sender_user(*, channel: str, number: str):
    """Whose verified number this is (and still on their profile), or None."""
    row = (
        PhoneVerification.objects.select_related("user")
        .filter(channel=channel, verified_number=number, user__is_active=True)
        .first()
    )
    if row and phone_for(row.user, channel) == number:
        return row.user
    return None


def _intent(text: str, button: str) -> tuple[str, int | None]:
    if button:
        action, _sep, match_id = button.partition(":")
        if action in ("accept", "decline"):
            return action, int(match_id) if match_id.isdigit() else None
    word = normalize_arabic(text).strip(" .!؟?")
    if word in ACCEPT_WORDS:
        return "accept", None
    if word in DECLINE_WORDS:
        return "decline", None
    if word in STOP_WORDS:
        return "stop", None
    return "help", None


def _help_text() -> str:
    return _(
        "Reply 1 (نعم) to accept your latest invitation, 2 (لا) to decline it, or STOP (إيقاف) to stop messages here."
    )


def inbound_message_handle(*, channel: str, message_id: str, sender: str, text: str = "", button: str = "") -> str:
    """Act on one inbound message, once. Returns what was done: "duplicate",
    "unknown", "accept", "decline", "stop" or "help"."""
    from notifications.services import notification_record, preferences_update

    number = e164(sender)
    with transaction.atomic():
        user = sender_user(channel=channel, number=number) if number else None
        try:
            with transaction.atomic():
                message = InboundMessage.objects.create(
                    channel=channel,
                    message_id=message_id[:128],
                    sender=number or sender[:32],
                    user=user,
                    text=text[:2000],
                )
        except IntegrityError:
            return "duplicate"
        if user is None:
            logger.warning("inbound %s message %s from an unknown number, ignored", channel, message_id)
            message.action = "unknown"
            message.save(update_fields=["action"])
            return "unknown"
        action, match_id = _intent(text, button)
        with translation.override(user.language or "ar"):
            if action in ("accept", "decline") and _reply_handler is not None:
                reply = _reply_handler(user=user, accept=action == "accept", match_id=match_id)
            elif action == "stop":
                from notifications.kinds import KINDS, is_choosable

                preferences_update(
                    user=user, choices=[(kind, channel, False) for kind in KINDS if is_choosable(kind, channel)]
                )
                reply = _("You will get no more messages here. Turn them back on in your notification settings.")
            else:
                action, reply = "help", _help_text()
        message.action = action
        message.save(update_fields=["action"])
        notification_record(
            kind=Kind.CHANNEL_REPLY,
            event_key=f"{channel}:{message.message_id}",
            context={"text": str(reply)},
            recipient=user,
            address=number,
            channel=Channel(channel),
        )
    return action


def delivery_status_update(*, channel: str, provider_id: str, status: str, error: str = "") -> int:
    """A provider's callback about one of our messages: record its latest state
    (never moving back from read to delivered); a failure fails the row with the
    provider's error. Returns how many rows changed (0 for an unknown id)."""
    rank = STATUS_RANK.get(status)
    if rank is None:
        return 0
    changed = 0
    with transaction.atomic():
        for row in Notification.objects.select_for_update(no_key=True).filter(channel=channel, provider_id=provider_id):
            if STATUS_RANK.get(row.delivery_status, 0) >= rank:
                continue
            row.delivery_status, row.delivery_status_at = status, timezone.now()
            fields = ["delivery_status", "delivery_status_at"]
            if status == "failed":
                row.status, row.last_error = Notification.Status.FAILED, (error or "failed (provider)")[:2000]
                fields += ["status", "last_error"]
            row.save(update_fields=fields)
            changed += 1
    return changed


def provider_event_handle(*, channel: str, messages: list[dict], statuses: list[dict]) -> list[str]:
    """One provider POST: every message and status it carries (a WhatsApp POST may
    batch several). Returns the action taken for each message."""
    for status in statuses:
        delivery_status_update(
            channel=channel, provider_id=status["id"], status=status["status"], error=status["error"]
        )
    return [
        inbound_message_handle(
            channel=channel, message_id=item["id"], sender=item["from"], text=item["text"], button=item["button"]
        )
        for item in messages
    ]
