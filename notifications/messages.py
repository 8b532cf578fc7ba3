"""What a notification says: the title, the body in plain text and HTML, in
the recipient's language, with times in local time (and the Hijri date in
Arabic), and the signed one-click unsubscribe link of its kind."""

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core import calendars
from notifications.models import Kind, Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DEFAULT_TIMEZONE = "Africa/Cairo"
_LANGUAGE_PREFIX = re.compile(r"^/(ar|en)(?=/)")
_BLANK_LINES = re.compile(r"\n\s*\n")  # left by template tags on lines of their own


def unsubscribe_token(*, kind: str, user_id: int | None = None, address: str = "") -> str:
    """Signed, so nobody can turn off someone else's mail by editing the link."""
    who = {"u": user_id} if user_id else {"a": address.lower()}
    return signing.dumps({**who, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> dict:
    """The {u or a, k} a token was signed with; raises signing.BadSignature."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or data.get("k") not in Kind.values or not (data.get("u") or data.get("a")):
        raise signing.BadSignature("unexpected content")
    return data


def unsubscribe_url(notification: Notification) -> str:
    token = unsubscribe_token(kind=notification.kind, user_id=notification.recipient_id, address=notification.address)
    with translation.override(notification.language):
        path = reverse("notifications:unsubscribe", args=[token])
    return settings.SITE_URL.rstrip("/") + path


def absolute_url(url: str, language: str) -> str:
    """Paths are given in the recipient's language and made absolute."""
    if not url or "://" in url:
        return url
    if url.startswith("/") and not url.startswith(("/api/", "/static/", "/media/")):
        url = f"/{language}{_LANGUAGE_PREFIX.sub('', url)}"
    return settings.SITE_URL.rstrip("/") + url


def zone_label(zone: str) -> str:
    labels = {"Africa/Cairo": _("Cairo time"), "Asia/Riyadh": _("Riyadh time")}
    return labels.get(zone, zone)


def moment(value: str, zone: str) -> str:
    """An ISO UTC moment as the recipient reads it: '9 يناير، 2027 (… هـ)، 16:00 بتوقيت القاهرة'."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value or "")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    local = calendars.local_datetime(parsed, zone)
    separator = ", " if translation.get_language() == "en" else "، "
    return f"{calendars.dual_date(local)}{separator}{formats.time_format(local, 'H:i')} {zone_label(zone)}"


def display_context(notification: Notification, zone: str | None = None) -> dict:
    """The caller's context plus what templates need, in the active language:
    `<key>_local` for each `*_at` moment, an absolute `url`, `title`."""
    context = dict(notification.context)
    zone = context.get("timezone") or zone or DEFAULT_TIMEZONE
    for key, value in list(context.items()):
        if key.endswith("_at") and isinstance(value, str):
            context[f"{key}_local"] = moment(value, zone)
    context["url"] = absolute_url(context.get("url", ""), notification.language)
    context["title"] = notification.title
    context["notification"] = notification
    return context


def render_body(notification: Notification, context: dict) -> str:
    """The kind's message as plain text (never marked safe: HTML escapes it)."""
    text = render_to_string(
        "notifications/email/_body.txt", {**context, "body_template": f"notifications/messages/{notification.kind}.txt"}
    )
    return _BLANK_LINES.sub("\n", text.strip())


def _recipient_zone(notification: Notification) -> str:
    from notifications.services import settings_for

    if notification.recipient_id is None:
        return DEFAULT_TIMEZONE
    return str(settings_for(notification.recipient).timezone)


def render_email(notification: Notification) -> tuple[str, str, str | None, str | None]:
    """Subject, text, HTML and the unsubscribe URL, in the recipient's language.
    Account messages come rendered by django-allauth."""
    if notification.kind == Kind.ACCOUNT_EMAIL:
        context = notification.context
        return context["subject"], context["body"], context.get("html"), None
    with translation.override(notification.language):
        context = display_context(notification, _recipient_zone(notification))
        context["unsubscribe_url"] = unsubscribe_url(notification)
        context["body"] = render_body(notification, context)
        subject = " ".join(context["title"].split())
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    return subject, text, html, context["unsubscribe_url"]


def template_context(notification: Notification) -> dict:
    """The context a provider's template is filled from, in the recipient's language
    (local times included); a verification code is unsealed here, just before sending."""
    with translation.override(notification.language):
        context = display_context(notification, _recipient_zone(notification))
    if notification.kind == Kind.PHONE_CODE:
        from notifications.phones import code_unseal

        context["code"] = code_unseal(notification.context.get("sealed_code", ""))
    return context


SHORT_TITLE = 90  # characters: Arabic SMS are 70 to a part, so a message stays two or three parts


def render_short(notification: Notification) -> str:
    """A short text for SMS, WhatsApp session messages and push: the title, what
    to reply when a reply means something, and the link; in the recipient's language."""
    context = notification.context
    with translation.override(notification.language):
        if notification.kind == Kind.PHONE_CODE:
            from notifications.phones import code_unseal

            return _("Your Volunteer Bank code is %(code)s. It expires in 10 minutes; never share it.") % {
                "code": code_unseal(context.get("sealed_code", ""))
            }
        if notification.kind == Kind.CHANNEL_REPLY:
            return str(context.get("text", ""))
        context = display_context(notification, _recipient_zone(notification))
        title = " ".join(context["title"].split())
        if len(title) > SHORT_TITLE:
            title = title[: SHORT_TITLE - 1] + "…"
        parts = [title]
        if notification.kind == Kind.MATCH_INVITED and context.get("need_starts_at_local"):
            parts.append(context["need_starts_at_local"] + ".")
        if notification.kind == Kind.MATCH_INVITED and notification.channel != "push":
            parts.append(_("Reply 1 to accept, 2 to decline."))
        parts.append(context["url"])
    return " ".join(part for part in parts if part)
