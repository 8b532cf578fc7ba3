"""Signed webhooks. Only the outbound HTTP call is replaced (no network)."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from notifications import webhooks
from notifications.models import WebhookDelivery, WebhookEndpoint
from notifications.tests.factories import WebhookEndpointFactory
from notifications.tests.hookserver import HookServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def http(settings):
    """A real receiver on 127.0.0.1, allow-listed: deliveries travel over a socket."""
    servers = []
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_TIMEOUT = 0.5

    def install(*answers):
        server = HookServer(*answers)
        servers.append(server)
        WebhookEndpoint.objects.update(url=server.url)
        return server

    yield install
    for server in servers:
        server.close()


def _record(endpoint, key="case:1:update:5"):
    return webhooks.webhook_event_record(
        charity_id=endpoint.charity_id,
        kind="case_update",
        event_key=key,
        payload={"case": 1, "text": "وصلت السلال"},
    )


def _due(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())


def test_a_delivery_is_signed_with_the_shared_secret(http):
    endpoint = WebhookEndpointFactory()
    fake = http(204)
    (delivery,) = _record(endpoint)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk).status == WebhookDelivery.Status.DELIVERED
    (call,) = fake.calls
    headers, body = call["headers"], call["body"]
    assert call["path"] == "/hook" and headers["Host"] == f"127.0.0.1:{fake.port}"
    expected = hmac.new(endpoint.secret.encode(), headers["X-VB-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-VB-Signature"] == f"sha256={expected.hexdigest()}"
    assert json.loads(body) == {
        "id": str(delivery.event_id),
        "kind": "case_update",
        "data": {"case": 1, "text": "وصلت السلال"},
    }
    assert headers["X-VB-Event-Id"] == str(delivery.event_id)


def test_a_500_is_retried_with_back_off_under_the_same_event_id_then_delivered(http):
    (delivery,) = _record(WebhookEndpointFactory())
    fake = http(500, 502, 200)
    for _ in range(2):
        with pytest.raises(webhooks.WebhookTransientError):
            webhooks.webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.PENDING and delivery.not_before > timezone.now()
        assert webhooks.webhook_deliver(delivery_id=delivery.pk) is None, "not before its back-off"
        _due(delivery)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk).status == WebhookDelivery.Status.DELIVERED
    assert len({c["headers"]["X-VB-Event-Id"] for c in fake.calls}) == 1
    assert len(fake.calls) == 3


def test_an_endpoint_that_keeps_timing_out_is_marked_failed_and_the_owner_sees_it(http, client):
    endpoint = WebhookEndpointFactory()
    http(*["hang"] * webhooks.MAX_ATTEMPTS)
    (delivery,) = _record(endpoint)
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        _due(delivery)
        if attempt < webhooks.MAX_ATTEMPTS:
            with pytest.raises(webhooks.WebhookTransientError):
                webhooks.webhook_deliver(delivery_id=delivery.pk)
        else:
            webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.FAILED, webhooks.MAX_ATTEMPTS)
    assert delivery.last_error == "timeout"
    from charities.models import Membership

    Membership.objects.create(charity=endpoint.charity, user=endpoint.owner, role=Membership.Role.OWNER)
    client.force_login(endpoint.owner)
    page = client.get(f"/en/charities/{endpoint.charity_id}/webhooks/").content.decode()
    assert str(delivery.event_id) in page and "timeout" in page
    arabic = client.get(f"/ar/charities/{endpoint.charity_id}/webhooks/").content.decode()
    assert "انتهت مهلة الانتظار" in arabic


def test_a_4xx_is_not_retried(http):
    (delivery,) = _record(WebhookEndpointFactory())
    http(410)
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status, delivery.attempts) == (WebhookDelivery.Status.FAILED, 410, 1)


def test_the_same_event_recorded_twice_is_owed_once():
    endpoint = WebhookEndpointFactory()
    assert len(_record(endpoint)) == 1
    assert _record(endpoint) == []
    assert WebhookDelivery.objects.count() == 1


def test_a_replay_carries_the_same_event_id(http):
    (delivery,) = _record(WebhookEndpointFactory())
    fake = http(200, 200)
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    webhooks.webhook_redeliver(delivery=delivery)
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    assert [c["headers"]["X-VB-Event-Id"] for c in fake.calls] == [str(delivery.event_id)] * 2


def test_endpoints_get_only_the_kinds_they_asked_for():
    wants_updates = WebhookEndpointFactory(kinds=["case_update"])
    charity = wants_updates.charity
    WebhookEndpointFactory(kinds=["match_confirmed"], charity=charity)
    WebhookEndpointFactory(is_active=False, charity=charity)
    rows = webhooks.webhook_event_record(charity_id=charity.pk, kind="case_update", event_key="k", payload={})
    assert [r.endpoint for r in rows] == [wants_updates]


def test_the_sweep_finds_due_and_stuck_deliveries(settings):
    endpoint = WebhookEndpointFactory()
    (due,) = _record(endpoint, "a")
    (later,) = _record(endpoint, "b")
    (stuck,) = _record(endpoint, "c")
    WebhookDelivery.objects.filter(pk=later.pk).update(not_before=timezone.now() + dt.timedelta(hours=1))
    old = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT + 1)
    WebhookDelivery.objects.filter(pk=stuck.pk).update(status=WebhookDelivery.Status.SENDING, claimed_at=old)
    assert sorted(webhooks.webhook_sweep()) == sorted([due.pk, stuck.pk])


# --- Outbound safety (SSRF) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",
        "64:ff9b::a00:1",
    ],
)
def test_internal_addresses_are_not_public(address):
    import ipaddress

    assert not webhooks.address_is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address):
    import ipaddress

    assert webhooks.address_is_public(ipaddress.ip_address(address))


def _resolving(monkeypatch, answers: dict[str, list[str]]):
    """Replace DNS: each name answers the next list of addresses; records lookups."""
    import socket

    real, lookups = socket.getaddrinfo, []

    def fake(host, port, *args, **kwargs):
        if host in answers:
            lookups.append(host)
            addresses = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses.split(",")]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return lookups


def test_a_name_that_resolves_inside_the_network_is_refused_at_delivery(monkeypatch, settings):
    server = HookServer(200)
    try:
        settings.WEBHOOK_ALLOWED_HOSTS = []
        _resolving(monkeypatch, {"hooks.rebind.example": ["127.0.0.1"]})
        endpoint = WebhookEndpointFactory(url=f"http://hooks.rebind.example:{server.port}/hook")
        (delivery,) = _record(endpoint)
        webhooks.webhook_deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.last_error) == (WebhookDelivery.Status.FAILED, "address not allowed")
        assert server.calls == []
    finally:
        server.close()


def test_one_private_answer_among_public_ones_is_refused(monkeypatch, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    _resolving(monkeypatch, {"mixed.example": ["93.184.216.34,10.0.0.7"]})
    with pytest.raises(webhooks.AddressNotAllowed):
        webhooks.webhook_resolve("mixed.example", 443)


def test_debug_does_not_lift_the_check(monkeypatch, settings):
    settings.DEBUG, settings.WEBHOOK_ALLOWED_HOSTS = True, []
    with pytest.raises(webhooks.AddressNotAllowed):
        webhooks.webhook_resolve("127.0.0.1", 80)


def test_the_connection_goes_to_the_address_checked_with_one_lookup(monkeypatch, settings):
    """DNS rebinding: the second answer (here a refusal) is never asked for; the POST
    reaches the first answer and carries the endpoint's name as Host."""
    server = HookServer(204)
    try:
        settings.WEBHOOK_ALLOWED_HOSTS = ["hooks.pinned.example"]
        lookups = _resolving(monkeypatch, {"hooks.pinned.example": ["127.0.0.1", "10.9.9.9"]})
        endpoint = WebhookEndpointFactory(url=f"http://hooks.pinned.example:{server.port}/in")
        (delivery,) = _record(endpoint)
        assert webhooks.webhook_deliver(delivery_id=delivery.pk).status == WebhookDelivery.Status.DELIVERED
        assert lookups == ["hooks.pinned.example"]
        (call,) = server.calls
        assert call["headers"]["Host"] == f"hooks.pinned.example:{server.port}" and call["path"] == "/in"
    finally:
        server.close()


def test_a_refused_connection_shows_a_short_class_not_the_socket_message(settings):
    import socket

    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = WebhookEndpointFactory(url=f"http://127.0.0.1:{port}/x")
    (delivery,) = _record(endpoint)
    with pytest.raises(webhooks.WebhookTransientError):
        webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.last_error == "connection failed"


def test_tls_is_pinned_to_the_name_for_sni_and_the_certificate():
    adapter = webhooks._PinnedAdapter("hooks.example.org")
    pool = adapter.poolmanager.connection_from_url("https://93.184.216.34/")
    assert (pool.conn_kw["server_hostname"], pool.assert_hostname) == ("hooks.example.org", "hooks.example.org")
