"""Signed webhooks: events posted to organisations' own systems.

Each POST carries `X-VB-Event-Id` (fixed when the event is recorded, so retries
and replays repeat it), `X-VB-Timestamp` and `X-VB-Signature: sha256=<hex>`, the
HMAC-SHA256 of `"<timestamp>.<body>"` with the endpoint's secret. Receivers
recompute it and compare in constant time (see `signature`). A 5xx, 408, 429 or
a timeout is retried with back-off; any other 4xx fails at once; after
MAX_ATTEMPTS the delivery is failed. Every outcome is kept in WebhookDelivery,
which the endpoint's owner sees."""

import datetime as dt
import hashlib
import hmac
import json
import time
import uuid

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue_on_commit
from notifications.models import WebhookDelivery, WebhookEndpoint

MAX_ATTEMPTS = 5
EVENT_NAMESPACE = uuid.UUID("6f1d3c52-8f35-4a4e-9a57-2b6d1e0b7c11")


class WebhookTransientError(Exception):
    retry_in = None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def webhook_event_record(*, kind: str, event_key: str, payload: dict, endpoints) -> list[WebhookDelivery]:
    """Owe an event to each endpoint that wants its kind, in the caller's
    transaction; delivered after commit. The event id is derived from the
    endpoint and the event, so recording the same event twice owes it once."""
    rows = []
    for endpoint in endpoints:
        if not endpoint.wants(kind):
            continue
        event_id = uuid.uuid5(EVENT_NAMESPACE, f"{endpoint.pk}:{kind}:{event_key}")
        try:
            with transaction.atomic():
                row = WebhookDelivery.objects.create(endpoint=endpoint, event_id=event_id, kind=kind, payload=payload)
        except IntegrityError:
            continue
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


def webhook_endpoint_create(*, owner, url: str, kinds=()) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(owner=owner, url=url, kinds=list(kinds))
