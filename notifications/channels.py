"""Delivery channels. A sender delivers one notification or says how it failed:
`TransientDeliveryError` is retried with back-off, `PermanentDeliveryError` is
not. Providers live in `sms`, `whatsapp` and `push`; their HTTP goes through `http`."""

import json
import smtplib
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from notifications import messages
from notifications.models import Notification


class TransientDeliveryError(Exception):
    """The provider may accept it later (timeouts, 4xx from SMTP, a server down)."""

    retry_in = None


class PermanentDeliveryError(Exception):
    """It will never go through (a malformed or refused address)."""


def phone_for(user, channel: str = "sms") -> str:
    """The number on the person's profile for a channel: the WhatsApp or SMS number,
    else their phone. Messages go there only once it is verified (`PhoneVerification`)."""
    profile = getattr(user, "volunteer_profile", None)
    specific = getattr(profile, "whatsapp_number" if channel == "whatsapp" else "sms_number", "")
    return specific or getattr(profile, "phone", "") or getattr(user, "phone", "") or ""


def _smtp_code_is_permanent(exc: smtplib.SMTPException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    code = getattr(exc, "smtp_code", None)
    return isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError) and code is not None and code >= 500


def email_send(notification: Notification) -> None:
    address = notification.address or (notification.recipient.email if notification.recipient else "")
    if not address:
        raise PermanentDeliveryError("no email address")
    subject, text, html, unsubscribe = messages.render_email(notification)
    headers = {}
    if unsubscribe:
        headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address], headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPException as exc:
        if _smtp_code_is_permanent(exc):
            raise PermanentDeliveryError(str(exc)) from exc
        raise TransientDeliveryError(str(exc)) from exc
    except OSError as exc:  # refused connection, timeout, DNS
        raise TransientDeliveryError(str(exc)) from exc


def log_line(notification: Notification, *, channel: str, text: str) -> None:
    """Development messages (no provider configured): one JSON line each in SMS_LOG_PATH."""
    line = {"channel": channel, "to": notification.address, "text": text, "at": timezone.now().isoformat()}
    try:
        path = Path(settings.SMS_LOG_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise TransientDeliveryError(str(exc)) from exc


def sms_send(notification: Notification) -> str:
    """Through the configured SMS provider (`notifications.sms`); the log in development."""
    from notifications import sms

    if not notification.address:
        raise PermanentDeliveryError("no phone number")
    return sms.provider().send(
        to=notification.address, body=messages.render_short(notification), notification=notification
    )


def whatsapp_send(notification: Notification) -> str:
    from notifications import whatsapp

    return whatsapp.whatsapp_send(notification)


def push_send(notification: Notification) -> str:
    from notifications import push

    return push.push_send(notification)


def in_app_send(notification: Notification) -> None:
    """In-app rows are delivered by being written; nothing leaves the process."""


# A sender returns the provider's message id (kept for its status callbacks) or nothing.
SENDERS = {
    "email": email_send,
    "sms": sms_send,
    "whatsapp": whatsapp_send,
    "push": push_send,
    "in_app": in_app_send,
}
