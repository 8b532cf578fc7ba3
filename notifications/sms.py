"""SMS through a provider behind a small adapter: `SmsProvider.send()` returns the
provider's message id or raises a delivery error, `signature_valid()` checks an
inbound request, `parse()` reads one. `SMS_PROVIDER` picks it: "log" (the
development default: one JSON line per message in SMS_LOG_PATH) or "twilio".

Twilio's Messages API: `POST {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json`,
HTTP basic auth (account SID, auth token), form fields `To`, `From`, `Body` and
`StatusCallback`; 201 answers JSON with the message `sid`. Inbound messages and
status callbacks are form posts signed with `X-Twilio-Signature`: base64 of the
HMAC-SHA1, keyed with the auth token, of the full URL Twilio called followed by
every POST field's name and value, sorted by name. The sender is chosen per
country of the recipient (`SMS_SENDERS`, e.g. an alphanumeric sender ID in
Egypt and a registered number in Saudi Arabia), else `TWILIO_FROM`."""

import base64
import hashlib
import hmac

import phonenumbers
from django.conf import settings

from notifications import http
from notifications.channels import PermanentDeliveryError, TransientDeliveryError

# Twilio error codes worth another try (rate limits, queue overflow).
TRANSIENT_CODES = frozenset({20429, 30001, 20003})
# Delivery states Twilio reports, as the outbox records them.
STATUS_MAP = {
    "queued": "sent",
    "accepted": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "failed",
    "failed": "failed",
}


def sender_for(number: str) -> str:
    try:
        country = phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        country = ""
    return settings.SMS_SENDERS.get(country, "") or settings.TWILIO_FROM


def status_callback_url() -> str:
    return settings.SITE_URL.rstrip("/") + "/webhooks/sms/"


class LogProvider:
    name = "log"

    def send(self, *, to: str, body: str, notification) -> str:
        from notifications.channels import log_line

        log_line(notification, channel="sms", text=body)
        return ""


class TwilioProvider:
    name = "twilio"

    def messages_url(self) -> str:
        return f"{settings.TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"

    def send(self, *, to: str, body: str, notification) -> str:
        sender = sender_for(to)
        if not sender:
            raise PermanentDeliveryError("no SMS sender for this country (SMS_SENDERS or TWILIO_FROM)")
        form = {"To": to, "From": sender, "Body": body, "StatusCallback": status_callback_url()}
        try:
            answer = http.post(
                self.messages_url(), data=form, auth=(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
            )
        except http.NetworkError as exc:
            raise TransientDeliveryError(str(exc)) from exc
        if answer.ok and answer.body.get("sid"):
            return str(answer.body["sid"])
        message = f"HTTP {answer.status}: {answer.body.get('code', '')} {answer.body.get('message', answer.text)}"
        if answer.transient or answer.body.get("code") in TRANSIENT_CODES:
            raise TransientDeliveryError(message.strip())
        raise PermanentDeliveryError(message.strip())


def provider():
    if settings.SMS_PROVIDER == "twilio" and settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN:
        return TwilioProvider()
    return LogProvider()


def signature(url: str, params: dict[str, str], token: str) -> str:
    signed = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()).decode()


def signature_valid(url: str, params: dict[str, str], header: str) -> bool:
    token = settings.TWILIO_AUTH_TOKEN
    if not token or not header:
        return False
    return hmac.compare_digest(signature(url, params, token), header)


class Malformed(ValueError):
    """Not a message or status Twilio sends."""


def parse(params: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """(messages, statuses) like `whatsapp.parse`: an inbound SMS has `Body`, a
    status callback `MessageStatus` without it."""
    sid = params.get("MessageSid") or params.get("SmsSid")
    if not sid:
        raise Malformed("MessageSid is missing")
    if "Body" in params:
        if not params.get("From"):
            raise Malformed("From is missing")
        return [{"id": sid, "from": params["From"], "text": params["Body"], "button": ""}], []
    status = params.get("MessageStatus") or params.get("SmsStatus")
    if not status:
        raise Malformed("neither Body nor MessageStatus")
    error = params.get("ErrorCode", "")
    return [], [{"id": sid, "status": STATUS_MAP.get(status, status), "error": error}]
