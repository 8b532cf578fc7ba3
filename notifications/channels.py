"""Delivery channels. A channel sends one notification and says how it failed:
`TransientDeliveryError` is retried with back-off, `PermanentDeliveryError` is not."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import Notification


class TransientDeliveryError(Exception):
    """The provider may accept it later (timeouts, 4xx from SMTP, a server down)."""


class PermanentDeliveryError(Exception):
    """It will never go through (a malformed or refused address)."""


def _render_email(notification: Notification) -> tuple[str, str, str | None]:
    """Subject, text and HTML, in the recipient's language. Account messages
    come rendered by django-allauth; other kinds from their templates."""
    context = notification.context
    if notification.kind == "account_email":
        return context["subject"], context["body"], context.get("html")
    with translation.override(notification.language):
        template = f"notifications/email/{notification.kind}"
        subject = render_to_string(f"{template}.subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), text, html


def email_send(notification: Notification) -> None:
    address = notification.address or (notification.recipient.email if notification.recipient else "")
    if not address:
        raise PermanentDeliveryError("no email address")
    subject, text, html = _render_email(notification)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(str(exc)) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(str(exc)) from exc


SENDERS = {
    "email": email_send,
}
