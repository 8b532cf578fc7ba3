"""Signed webhooks. Only the outbound HTTP call is replaced (no network)."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
import requests
from django.utils import timezone

from notifications import webhooks
from notifications.models import WebhookDelivery
from notifications.tests.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db


class FakeHttp:
    """Stands in for requests.post: answers from a script, records what was sent."""

    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []

    def __call__(self, url, *, data, headers, timeout, allow_redirects):
        self.calls.append({"url": url, "body": data, "headers": headers})
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return type("Response", (), {"status_code": answer})()


@pytest.fixture
def http(monkeypatch):
    def install(*answers):
        fake = FakeHttp(*answers)
        monkeypatch.setattr(webhooks.requests, "post", fake)
        return fake

    return install


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
    fake = http(204)
    endpoint = WebhookEndpointFactory()
    (delivery,) = _record(endpoint)
    assert webhooks.webhook_deliver(delivery_id=delivery.pk).status == WebhookDelivery.Status.DELIVERED
    (call,) = fake.calls
    headers, body = call["headers"], call["body"]
    expected = hmac.new(endpoint.secret.encode(), headers["X-VB-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert headers["X-VB-Signature"] == f"sha256={expected.hexdigest()}"
    assert json.loads(body) == {
        "id": str(delivery.event_id),
        "kind": "case_update",
        "data": {"case": 1, "text": "وصلت السلال"},
    }
    assert headers["X-VB-Event-Id"] == str(delivery.event_id)


def test_a_500_is_retried_with_back_off_under_the_same_event_id_then_delivered(http):
    fake = http(500, 502, 200)
    (delivery,) = _record(WebhookEndpointFactory())
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
    http(*[requests.Timeout("read timed out")] * webhooks.MAX_ATTEMPTS)
    endpoint = WebhookEndpointFactory()
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
    assert "Timeout" in delivery.last_error
    from charities.models import Membership

    Membership.objects.create(charity=endpoint.charity, user=endpoint.owner, role=Membership.Role.OWNER)
    client.force_login(endpoint.owner)
    page = client.get(f"/en/charities/{endpoint.charity_id}/webhooks/").content.decode()
    assert str(delivery.event_id) in page and "read timed out" in page


def test_a_4xx_is_not_retried(http):
    http(410)
    (delivery,) = _record(WebhookEndpointFactory())
    webhooks.webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status, delivery.attempts) == (WebhookDelivery.Status.FAILED, 410, 1)


def test_the_same_event_recorded_twice_is_owed_once():
    endpoint = WebhookEndpointFactory()
    assert len(_record(endpoint)) == 1
    assert _record(endpoint) == []
    assert WebhookDelivery.objects.count() == 1


def test_a_replay_carries_the_same_event_id(http):
    fake = http(200, 200)
    (delivery,) = _record(WebhookEndpointFactory())
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
