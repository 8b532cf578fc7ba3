"""Proving a phone number by a one-time code before WhatsApp or SMS is used.

`phone_verification_start` sends a 6-digit code to the number on the person's
profile for that channel, through the outbox on that very channel (so proving
WhatsApp proves the number reaches WhatsApp). `phone_verification_confirm`
checks it: 10 minutes, 5 wrong tries, then a new code is needed. The code is
stored hashed on the verification row; the outbox row carries it sealed
(encrypted with a key derived from SECRET_KEY) and forgets it once sent."""

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import InvalidInput, StateConflict
from core.text import ascii_digits
from notifications.channels import phone_for
from notifications.models import Channel, Kind, PhoneChannel, PhoneVerification

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_TRIES = 5
RESEND_AFTER = dt.timedelta(seconds=60)
CODES_PER_DAY = 5


def _fernet() -> Fernet:
    key = hashlib.sha256(f"notifications.phone-code:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def code_seal(code: str) -> str:
    return _fernet().encrypt(code.encode()).decode()


def code_unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode() if sealed else ""
    except InvalidToken:
        return ""


def _code_hash(row: PhoneVerification, code: str) -> str:
    return salted_hmac("notifications.phone-code", f"{row.user_id}:{row.channel}:{row.number}:{code}").hexdigest()


def _channel(channel: str) -> str:
    if channel not in PhoneChannel.values:
        raise InvalidInput(_("Choose whatsapp or sms."), field="channel")
    return channel


def verified_number(*, user, channel: str) -> str:
    """The proved number of a channel, while it is still the one on the profile."""
    row = PhoneVerification.objects.filter(user=user, channel=channel).exclude(verified_number="").first()
    if row and row.verified_number == phone_for(user, channel):
        return row.verified_number
    return ""


def phone_status(*, user) -> list[dict]:
    """Each phone channel: the number on the profile, whether it is proved, and
    whether a code is waiting to be typed."""
    rows = {row.channel: row for row in PhoneVerification.objects.filter(user=user)}
    now = timezone.now()
    status = []
    for channel, label in PhoneChannel.choices:
        number, row = phone_for(user, channel), rows.get(channel)
        status.append(
            {
                "channel": channel,
                "label": label,
                "number": number,
                "verified": bool(row and number and row.verified_number == number),
                "code_pending": bool(
                    row and row.code_hash and row.number == number and row.code_expires_at and row.code_expires_at > now
                ),
            }
        )
    return status


def phone_verification_start(*, user, channel: str, now: dt.datetime | None = None) -> PhoneVerification:
    """Send a fresh code to the profile's number on `channel`. 400 without a
    number; 409 when asked again within a minute or more than 5 times a day."""
    from notifications.services import notification_record

    now = now or timezone.now()
    channel = _channel(channel)
    number = phone_for(user, channel)
    if not number:
        raise InvalidInput(_("Add this number to your profile first."), field="channel")
    with transaction.atomic():
        row, _created = PhoneVerification.objects.select_for_update(no_key=True).get_or_create(
            user=user, channel=channel
        )
        if row.code_sent_at and now - row.code_sent_at < RESEND_AFTER:
            raise StateConflict(_("A code was just sent. Wait a minute before asking for another."))
        if row.code_sent_at and row.code_sent_at.date() == now.date() and row.codes_today >= CODES_PER_DAY:
            raise StateConflict(_("Too many codes today. Try again tomorrow."))
        row.codes_today = row.codes_today + 1 if row.code_sent_at and row.code_sent_at.date() == now.date() else 1
        code = f"{secrets.randbelow(10**6):06d}"
        row.number, row.attempts, row.code_sent_at = number, 0, now
        row.code_expires_at, row.code_hash = now + CODE_LIFETIME, ""
        row.code_hash = _code_hash(row, code)
        row.save()
        notification_record(
            kind=Kind.PHONE_CODE,
            event_key=f"{channel}:{row.pk}:{now.timestamp()}",
            context={"sealed_code": code_seal(code)},
            recipient=user,
            address=number,
            channel=Channel(channel),
        )
    return row


def phone_verification_confirm(*, user, channel: str, code: str, now: dt.datetime | None = None) -> PhoneVerification:
    """Check a code. The right one proves the number (and takes it from anyone
    who had proved it before); a wrong one costs a try (400 naming `code`); an
    expired, used-up or missing code is a 409 asking for a new one."""
    now = now or timezone.now()
    channel = _channel(channel)
    code = ascii_digits(str(code or "")).strip()
    if not (len(code) == 6 and code.isdigit()):
        raise InvalidInput(_("Enter the 6 digits of the code."), field="code")
    wrong = None
    with transaction.atomic():
        row = PhoneVerification.objects.select_for_update(no_key=True).filter(user=user, channel=channel).first()
        if row is None or not row.code_hash:
            raise StateConflict(_("Ask for a code first."))
        if row.code_expires_at <= now:
            raise StateConflict(_("This code has expired. Ask for a new one."))
        if row.attempts >= MAX_TRIES:
            raise StateConflict(_("Too many wrong tries. Ask for a new code."))
        if row.number != phone_for(user, channel):
            raise StateConflict(_("Your number changed since the code was sent. Ask for a new one."))
        if not hmac.compare_digest(row.code_hash, _code_hash(row, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            wrong = MAX_TRIES - row.attempts
        else:
            PhoneVerification.objects.filter(channel=channel, verified_number=row.number).exclude(pk=row.pk).update(
                verified_number="", verified_at=None
            )
            row.verified_number, row.verified_at, row.code_hash = row.number, now, ""
            row.save(update_fields=["verified_number", "verified_at", "code_hash"])
    if wrong is not None:  # the try is counted (committed above), then refused
        if wrong == 0:
            raise StateConflict(_("Too many wrong tries. Ask for a new code."))
        raise InvalidInput(
            ngettext("Wrong code. %(count)d try left.", "Wrong code. %(count)d tries left.", wrong) % {"count": wrong},
            field="code",
        )
    return row
