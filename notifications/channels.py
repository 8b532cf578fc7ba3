"""Delivery channels. A sender delivers one notification or says how it failed:
`TransientDeliveryError` is retried with back-off, `PermanentDeliveryError` is
not. An SMS or WhatsApp provider plugs in by adding a sender to `SENDERS`."""

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


def phone_for(user) -> str:
    """The number SMS goes to. Accounts have none yet; the volunteer profile
    (issue 3) provides one once merged."""
    profile = getattr(user, "volunteer_profile", None)
    return getattr(profile, "phone", "") or getattr(user, "phone", "") or ""


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


def sms_log_send(notification: Notification) -> None:
    """Development SMS: one JSON line per message in SMS_LOG_PATH."""
    if not notification.address:
        raise PermanentDeliveryError("no phone number")
    line = {"to": notification.address, "text": messages.render_short(notification), "at": timezone.now().isoformat()}
    try:
        path = Path(settings.SMS_LOG_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise TransientDeliveryError(str(exc)) from exc


def in_app_send(notification: Notification) -> None:
    """In-app rows are delivered by being written; nothing leaves the process."""


SENDERS = {
    "email": email_send,
    "sms": sms_log_send,
    "in_app": in_app_send,
}
