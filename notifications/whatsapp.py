"""WhatsApp through Meta's WhatsApp Cloud API.

Outbound: `POST {WHATSAPP_API_BASE}/{WHATSAPP_PHONE_NUMBER_ID}/messages` with
`Authorization: Bearer {WHATSAPP_TOKEN}`. Outside the 24-hour customer-service
window (the person has not written to us in the last 24 hours) only approved
templates may be sent, so every kind offered on WhatsApp has one (`TEMPLATES`,
created in the WhatsApp Manager in Arabic `ar` and English `en` with the
parameters listed; see the README). Inside the window a session message is sent
instead: an interactive message with reply buttons for an invitation, plain text
otherwise. The answer's `messages[0].id` (a wamid) is kept on the outbox row;
status callbacks (sent, delivered, read, failed) update that row.

Inbound: Meta signs each POST with `X-Hub-Signature-256: sha256=<hex>`, the
HMAC-SHA256 of the raw body with the app secret, and proves the URL with a GET
handshake (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`)."""

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import http, messages
from notifications.channels import PermanentDeliveryError, TransientDeliveryError, log_line
from notifications.models import Channel, InboundMessage, Kind, Notification

logger = logging.getLogger(__name__)

SESSION_WINDOW = dt.timedelta(hours=24)
# Graph API error codes worth another try: rate limits and Meta's own outages.
TRANSIENT_CODES = frozenset({1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131048, 131056, 133004})
PARAMETER_LIMIT = 200  # characters: a template parameter must stay short and on one line

# kind → (template name, context keys of its body parameters in order, quick-reply buttons)
TEMPLATES = {
    Kind.MATCH_INVITED: ("vb_match_invited", ("need_title", "case_title", "need_starts_at_local"), True),
    Kind.NEED_REMINDER: ("vb_need_reminder", ("need_title", "need_starts_at_local", "location_text"), False),
    Kind.NEED_TIME_CHANGED: ("vb_need_time_changed", ("need_title", "need_starts_at_local"), False),
    Kind.MATCH_CANCELLED: ("vb_match_cancelled", ("need_title", "need_starts_at_local"), False),
    Kind.CASE_OUTCOME: ("vb_case_outcome", ("case_title", "outcome_text"), False),
    Kind.PHONE_CODE: ("vb_phone_code", ("code",), False),
}
ACCEPT, DECLINE = "accept", "decline"


def configured() -> bool:
    return bool(settings.WHATSAPP_TOKEN and settings.WHATSAPP_PHONE_NUMBER_ID)


def messages_url() -> str:
    return f"{settings.WHATSAPP_API_BASE.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"


def _parameter(value) -> str:
    """Meta refuses parameters with new lines, tabs or runs of spaces."""
    text = " ".join(str(value or "-").split())
    return text if len(text) <= PARAMETER_LIMIT else text[: PARAMETER_LIMIT - 1] + "…"


def _buttons_payload(notification: Notification) -> tuple[str, str]:
    match_id = notification.context.get("match_id", "")
    return f"{ACCEPT}:{match_id}", f"{DECLINE}:{match_id}"


def in_session(notification: Notification, now: dt.datetime | None = None) -> bool:
    """Whether the person wrote to us on WhatsApp in the last 24 hours."""
    now = now or timezone.now()
    if notification.recipient_id is None:
        return False
    return InboundMessage.objects.filter(
        user_id=notification.recipient_id, channel=Channel.WHATSAPP, received_at__gt=now - SESSION_WINDOW
    ).exists()


def template_body(notification: Notification, context: dict) -> dict:
    name, keys, buttons = TEMPLATES[notification.kind]
    components = [{"type": "body", "parameters": [{"type": "text", "text": _parameter(context.get(k))} for k in keys]}]
    if notification.kind == Kind.PHONE_CODE:
        # Authentication templates carry the code again for their copy-code button.
        components.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": "0",
                "parameters": [{"type": "text", "text": context["code"]}],
            }
        )
    if buttons:
        for index, payload in enumerate(_buttons_payload(notification)):
            components.append(
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": str(index),
                    "parameters": [{"type": "payload", "payload": payload}],
                }
            )
    language = "en" if notification.language == "en" else "ar"
    return {"type": "template", "template": {"name": name, "language": {"code": language}, "components": components}}


def session_body(notification: Notification) -> dict:
    text = messages.render_short(notification)
    if notification.kind == Kind.MATCH_INVITED and notification.context.get("match_id"):
        accept, decline = _buttons_payload(notification)
        with translation.override(notification.language):
            buttons = [(accept, _("Yes, I accept")), (decline, _("No, sorry"))]
        return {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": text[:1024]},
                "action": {"buttons": [{"type": "reply", "reply": {"id": i, "title": t[:20]}} for i, t in buttons]},
            },
        }
    return {"type": "text", "text": {"preview_url": False, "body": text[:4096]}}


def request_body(notification: Notification, context: dict) -> dict:
    """The JSON posted for one outbox row: a template outside the 24-hour window
    (and always for codes), a session message inside it (and always for replies)."""
    use_template = notification.kind == Kind.PHONE_CODE or (
        notification.kind != Kind.CHANNEL_REPLY and not in_session(notification)
    )
    if use_template and notification.kind not in TEMPLATES:
        raise PermanentDeliveryError(f"no WhatsApp template for {notification.kind} outside the 24-hour window")
    body = template_body(notification, context) if use_template else session_body(notification)
    to = notification.address.lstrip("+")
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **body}


def whatsapp_send(notification: Notification) -> str:
    """Send one row; returns the wamid. Without a token it is logged (development)."""
    if not notification.address:
        raise PermanentDeliveryError("no verified WhatsApp number")
    context = messages.template_context(notification)
    body = request_body(notification, context)
    if not configured():
        log_line(notification, channel="whatsapp", text=messages.render_short(notification))
        return ""
    try:
        answer = http.post(messages_url(), json=body, headers={"Authorization": f"Bearer {settings.WHATSAPP_TOKEN}"})
    except http.NetworkError as exc:
        raise TransientDeliveryError(str(exc)) from exc
    if answer.ok:
        try:
            return str(answer.body["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise PermanentDeliveryError(f"unexpected answer: {answer.text}") from None
    error = answer.body.get("error") if isinstance(answer.body.get("error"), dict) else {}
    message = f"HTTP {answer.status}: {error.get('code', '')} {error.get('message', answer.text)}".strip()
    if answer.transient or error.get("code") in TRANSIENT_CODES:
        raise TransientDeliveryError(message)
    raise PermanentDeliveryError(message)


# --- Inbound -----------------------------------------------------------------------------------


def signature_valid(body: bytes, header: str) -> bool:
    """X-Hub-Signature-256 over the raw body with the app secret. No secret configured
    means no inbound message is trusted."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def handshake(params) -> str | None:
    """The challenge to echo when Meta verifies the callback URL, else None."""
    token = settings.WHATSAPP_VERIFY_TOKEN
    given = params.get("hub.verify_token", "")
    if params.get("hub.mode") != "subscribe" or not token or not hmac.compare_digest(given, token):
        return None
    return params.get("hub.challenge", "")


class Malformed(ValueError):
    """The payload is not what Meta sends."""


def parse(payload) -> tuple[list[dict], list[dict]]:
    """(messages, statuses) of a webhook payload, each flattened to
    {id, from, text, button} and {id, status, error}. Raises Malformed."""
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise Malformed("not a WhatsApp Business Account event")
    entries = payload.get("entry")
    if not isinstance(entries, list):
        raise Malformed("entry is missing")
    found, statuses = [], []
    try:
        for entry in entries:
            for change in entry.get("changes", []):
                value = change.get("value", {})
                for message in value.get("messages", []) or []:
                    found.append(_message(message))
                for status in value.get("statuses", []) or []:
                    errors = status.get("errors") or [{}]
                    statuses.append(
                        {
                            "id": str(status["id"]),
                            "status": str(status["status"]),
                            "error": f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip(),
                        }
                    )
    except (AttributeError, KeyError, TypeError) as exc:
        raise Malformed(f"unexpected shape: {exc}") from None
    return found, statuses


def _message(message: dict) -> dict:
    kind = message.get("type")
    text, button = "", ""
    if kind == "text":
        text = message["text"]["body"]
    elif kind == "button":  # a template's quick-reply button
        text, button = message["button"].get("text", ""), message["button"].get("payload", "")
    elif kind == "interactive":  # a session message's reply button
        reply = message["interactive"].get("button_reply") or {}
        text, button = reply.get("title", ""), reply.get("id", "")
    return {"id": str(message["id"]), "from": str(message["from"]), "text": str(text), "button": str(button)}
