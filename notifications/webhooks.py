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
one charity's matches, reports or updates never reach another's system.

Outbound safety (SSRF): the host is resolved at delivery, every address it resolves
to must be public (not loopback, private, link-local, multicast, reserved, unspecified
or unique-local, in IPv4 or IPv6), and the connection goes to the address checked — a
pinned adapter sends Host, SNI and the certificate check for the name, so a second DNS
answer (rebinding) is never used. Only hosts in WEBHOOK_ALLOWED_HOSTS skip the address
check (tests, a developer's local receiver); DEBUG does not. The owner sees a short
class of error ("address not allowed", "timeout", "TLS error", "HTTP 500"), never a
socket message that would map our network for them."""

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
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

logger = logging.getLogger(__name__)
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


class AddressNotAllowed(Exception):
    """The endpoint's host is, or resolves to, an address inside a network."""


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A public unicast address. IPv6 forms that carry an IPv4 address (mapped,
    6to4, Teredo, NAT64) are judged by the IPv4 address they reach."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address.teredo:
            embedded = address.teredo[1]
        if address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not address_is_public(embedded):
            return False
        if address.is_site_local:
            return False
    blocked = (
        address.is_loopback
        or address.is_private  # includes IPv6 unique-local fc00::/7
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )
    return address.is_global and not blocked


def _host_allowed(host: str) -> bool:
    return host.lower().rstrip(".") in {h.lower() for h in settings.WEBHOOK_ALLOWED_HOSTS}


def webhook_resolve(host: str, port: int) -> str:
    """The one DNS lookup of a delivery: the address to connect to. Every answer
    must be public (one private answer among public ones is refused too), unless
    the host is allow-listed. Raises AddressNotAllowed, or socket.gaierror."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in answers]
    if not addresses:
        raise socket.gaierror("no address")
    if not _host_allowed(host) and not all(address_is_public(a) for a in addresses):
        raise AddressNotAllowed(host)
    return str(addresses[0])


class _PinnedAdapter(requests.adapters.HTTPAdapter):
    """Connects to the URL's host (already an address) while TLS sends SNI for, and
    checks the certificate against, the endpoint's name."""

    def __init__(self, hostname: str):
        self._hostname = hostname
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        pool_kwargs.update(server_hostname=self._hostname, assert_hostname=self._hostname)
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)


def _pinned_url(url: str) -> tuple[str, str, str]:
    """(URL with the checked address in place of the name, Host header, name)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = webhook_resolve(host, port)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=netloc).geturl(), host_header, host


def _post(delivery: WebhookDelivery) -> int:
    """One signed POST to the checked address; returns the status code or raises
    AddressNotAllowed, socket.gaierror or requests' errors."""
    body = json.dumps(
        {"id": str(delivery.event_id), "kind": delivery.kind, "data": delivery.payload}, ensure_ascii=False
    ).encode()
    timestamp = str(int(time.time()))
    url, host_header, hostname = _pinned_url(delivery.endpoint.url)
    headers = {
        "Host": host_header,
        "Content-Type": "application/json",
        "User-Agent": "VolunteerBank-Webhooks/1",
        "X-VB-Event-Id": str(delivery.event_id),
        "X-VB-Event": delivery.kind,
        "X-VB-Timestamp": timestamp,
        "X-VB-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }
    with requests.Session() as session:
        session.trust_env = False  # no proxy from the environment: the address checked is the one used
        session.mount("http://", _PinnedAdapter(hostname))
        session.mount("https://", _PinnedAdapter(hostname))
        response = session.post(
            url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT, allow_redirects=False
        )
        return response.status_code


def _error_class(exc: Exception) -> tuple[str, bool]:
    """(what the owner is shown, whether to retry). Raw socket messages stay in our logs."""
    if isinstance(exc, AddressNotAllowed):
        return "address not allowed", False
    if isinstance(exc, socket.gaierror):
        return "host not found", True
    if isinstance(exc, requests.Timeout):
        return "timeout", True
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS error", True
    if isinstance(exc, requests.ConnectionError):
        return "connection failed", True
    return "request error", False


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
    except (AddressNotAllowed, OSError, requests.RequestException) as exc:
        logger.info("webhook %s to %s failed: %r", delivery.pk, delivery.endpoint.url, exc)
        error, transient = _error_class(exc)
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


def _is_internal(host: str) -> bool:
    """localhost, or a literal address that is not public. A name is checked again
    at every delivery, where it is resolved (see webhook_resolve)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address_is_public(address)


def webhook_url_clean(url: str) -> str:
    """https only, to a public host. Plain http and internal addresses only for hosts
    in WEBHOOK_ALLOWED_HOSTS (tests, a developer's receiver), whatever DEBUG says."""
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidInput(_("Enter a full web address starting with https://."), field="url") from None
    parts = urlsplit(url)
    host = parts.hostname or ""
    allowed = _host_allowed(host)
    if parts.scheme != "https" and not allowed:
        raise InvalidInput(_("The address must start with https:// so events travel encrypted."), field="url")
    if not allowed and _is_internal(host):
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
