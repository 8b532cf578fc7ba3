"""Signed webhooks: events posted to organisations' own systems.

Each POST carries `X-VB-Event-Id` (fixed when the event is recorded, so retries
and replays repeat it), `X-VB-Timestamp` and `X-VB-Signature: sha256=<hex>`, the
HMAC-SHA256 of `"<timestamp>.<body>"` with the endpoint's secret. Receivers
recompute it and compare in constant time (see `signature`). A 5xx, 408, 429 or
a timeout is retried with back-off; any other 4xx fails at once; after
MAX_ATTEMPTS the delivery is failed. Every outcome is kept in WebhookDelivery,
which the charity's owners see on their dashboard.

Routing: an event is owed only to the endpoints of the charity it concerns
(`webhook_event_record(charity_id=...)`, called by `notify(charity_id=...)`), so
one charity's matches, reports or updates never reach another's system."""

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import time
import uuid
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.queue import enqueue_on_commit
from notifications.models import Kind, WebhookDelivery, WebhookEndpoint, _new_secret

MAX_ATTEMPTS = 5
EVENT_NAMESPACE = uuid.UUID("6f1d3c52-8f35-4a4e-9a57-2b6d1e0b7c11")


class WebhookTransientError(Exception):
    retry_in = None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def webhook_event_record(
    *,
    charity_id: int,
    kind: str,
    event_key: str,
    payload: dict,
    not_before: dt.datetime | None = None,
) -> list[WebhookDelivery]:
    """Owe an event to each active endpoint of `charity_id` that wants its kind,
    in the caller's transaction; delivered after commit (or at `not_before`).
    The event id is derived from the endpoint and the event, so recording the
    same event twice owes it once."""
    rows = []
    now = timezone.now()
    due = not_before or now
    endpoints = WebhookEndpoint.objects.filter(charity_id=charity_id, is_active=True)
    for endpoint in endpoints:
        if not endpoint.wants(kind):
            continue
        event_id = uuid.uuid5(EVENT_NAMESPACE, f"{endpoint.pk}:{kind}:{event_key}")
        try:
            with transaction.atomic():
                row = WebhookDelivery.objects.create(
                    endpoint=endpoint, event_id=event_id, kind=kind, payload=payload, not_before=due
                )
        except IntegrityError:
            continue
        if due <= now:
            from notifications.tasks import webhook_deliver_task

            enqueue_on_commit(webhook_deliver_task, row.pk)
        rows.append(row)
    return rows


def webhook_claim(*, delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    timeout = dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id)
        .filter(
            Q(status=WebhookDelivery.Status.PENDING, not_before__lte=now)
            | Q(status=WebhookDelivery.Status.SENDING, claimed_at__lte=now - timeout)
        )
        .update(status=WebhookDelivery.Status.SENDING, claimed_at=now)
    )
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id) if claimed else None


def _post(delivery: WebhookDelivery) -> int:
    """One signed POST; returns the status code or raises requests' errors."""
    body = json.dumps(
        {"id": str(delivery.event_id), "kind": delivery.kind, "data": delivery.payload}, ensure_ascii=False
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "VolunteerBank-Webhooks/1",
        "X-VB-Event-Id": str(delivery.event_id),
        "X-VB-Event": delivery.kind,
        "X-VB-Timestamp": timestamp,
        "X-VB-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }
    response = requests.post(
        delivery.endpoint.url,
        data=body,
        headers=headers,
        timeout=settings.WEBHOOK_TIMEOUT,
        allow_redirects=False,
    )
    return response.status_code


def webhook_deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """POST one delivery (no transaction is open around the network call) and
    record the outcome. Raises WebhookTransientError when it should be retried."""
    delivery = webhook_claim(delivery_id=delivery_id)
    if delivery is None:
        return None
    delivery.attempts += 1
    transient, error, code = False, "", None
    try:
        code = _post(delivery)
    except (requests.Timeout, requests.ConnectionError) as exc:
        transient, error = True, f"{type(exc).__name__}: {exc}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"
    else:
        if 200 <= code < 300:
            delivery.status, delivery.delivered_at = WebhookDelivery.Status.DELIVERED, timezone.now()
        else:
            transient, error = code >= 500 or code in (408, 429), f"HTTP {code}"
    delivery.response_status, delivery.last_error = code, error[:2000]
    if error:
        gave_up = not transient or delivery.attempts >= MAX_ATTEMPTS
        delivery.status = WebhookDelivery.Status.FAILED if gave_up else WebhookDelivery.Status.PENDING
        delivery.not_before = timezone.now() + retry_delay(delivery.attempts)
    delivery.save(update_fields=["status", "attempts", "last_error", "response_status", "delivered_at", "not_before"])
    if delivery.status == WebhookDelivery.Status.PENDING:
        exc = WebhookTransientError(error)
        exc.retry_in = retry_delay(delivery.attempts)
        raise exc
    return delivery


def webhook_sweep(*, now: dt.datetime | None = None) -> list[int]:
    from notifications.tasks import webhook_deliver_task

    now = now or timezone.now()
    timeout = dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
    ids = list(
        WebhookDelivery.objects.filter(
            Q(status=WebhookDelivery.Status.PENDING, not_before__lte=now)
            | Q(status=WebhookDelivery.Status.SENDING, claimed_at__lte=now - timeout)
        )
        .order_by("not_before")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        webhook_deliver_task.apply_async(args=[pk])
    return ids


def webhook_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Replay: same event id, fresh attempts."""
    from notifications.tasks import webhook_deliver_task

    with transaction.atomic():
        delivery.status, delivery.attempts, delivery.not_before = WebhookDelivery.Status.PENDING, 0, timezone.now()
        delivery.save(update_fields=["status", "attempts", "not_before"])
        enqueue_on_commit(webhook_deliver_task, delivery.pk)
    return delivery


# --- Endpoints, managed by a charity's owners ------------------------------------------------------

# The kinds a charity's endpoint may receive: the events `notify` is told concern a charity.
CHARITY_KINDS = (
    Kind.MATCHES_DIGEST,
    Kind.MATCH_WAITING,
    Kind.MATCH_CONFIRMED,
    Kind.MATCH_DECLINED,
    Kind.MATCH_CANCELLED,
    Kind.REPORT_CLAIMABLE,
    Kind.CASE_UPDATE,
    Kind.CASE_OUTCOME,
)
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _is_internal(host: str) -> bool:
    """A literal private, loopback or link-local address (or localhost): our
    workers must not be pointed at the inside of our own network. Names that
    resolve inside it are the egress firewall's job."""
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def webhook_url_clean(url: str) -> str:
    """https only, to a public host; plain http is accepted for localhost in DEBUG
    (development and tests)."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidInput(_("Enter a full web address starting with https://."), field="url") from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme != "https" and not (settings.DEBUG and host in LOCAL_HOSTS):
        raise InvalidInput(_("The address must start with https:// so events travel encrypted."), field="url")
    if not settings.DEBUG and _is_internal(host):
        raise InvalidInput(_("The address must be reachable on the public internet."), field="url")
    if len(url) > 500:
        raise InvalidInput(_("The address is too long."), field="url")
    return url


def _kinds_clean(kinds) -> list[str]:
    kinds = list(dict.fromkeys(kinds or ()))
    unknown = [kind for kind in kinds if kind not in CHARITY_KINDS]
    if unknown:
        raise InvalidInput(_("Unknown kind of event: %(kind)s.") % {"kind": unknown[0]}, field="kinds")
    return kinds


def webhook_endpoint_create(*, charity_id: int, created_by, url: str, kinds=()) -> WebhookEndpoint:
    """A new endpoint for the charity, with a fresh secret the caller shows once.
    Empty `kinds` means every kind. Raises InvalidInput (url, kinds); nothing saved then."""
    url, kinds = webhook_url_clean(url), _kinds_clean(kinds)
    return WebhookEndpoint.objects.create(charity_id=charity_id, owner=created_by, url=url, kinds=kinds)


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new secret at once; the old one stops verifying. Show the new one once."""
    endpoint.secret = _new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint


def webhook_endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    """Pause or resume: a paused endpoint is owed no new events."""
    if endpoint.is_active != active:
        endpoint.is_active = active
        endpoint.save(update_fields=["is_active"])
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Gone with its delivery log."""
    endpoint.delete()
