"""Web push: the subscription API, and pushes through pywebpush to a fake push
service on 127.0.0.1 (encrypted payload, VAPID header, expired subscriptions)."""

import base64
import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from rest_framework.test import APIClient

from notifications import services
from notifications.channels import TransientDeliveryError
from notifications.models import Channel, Kind, Notification, PushSubscription
from notifications.tests.factories import UserFactory
from notifications.tests.fake_provider import fake_provider
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/push-subscriptions/"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _public(key) -> str:
    return _b64(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )


def _browser_keys() -> dict:
    return {"p256dh": _public(ec.generate_private_key(ec.SECP256R1())), "auth": _b64(secrets.token_bytes(16))}


@pytest.fixture
def vapid(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.VAPID_PRIVATE_KEY = _b64(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.VAPID_PUBLIC_KEY = _public(key)
    settings.VAPID_SUBJECT = "mailto:ops@volunteerbank.example"
    settings.PROVIDER_TIMEOUT = 1.0


def _api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def _subscription(endpoint="https://push.example/send/abc"):
    return {"endpoint": endpoint, "expirationTime": None, "keys": _browser_keys()}


def test_a_browser_subscribes_and_unsubscribes():
    person = UserFactory()
    body = _subscription()
    assert _api(person).post(URL, body, format="json").status_code == 201
    row = PushSubscription.objects.get()
    assert (row.user, row.endpoint, row.p256dh) == (person, body["endpoint"], body["keys"]["p256dh"])
    assert _api(person).post(URL, body, format="json").status_code == 201, "subscribing again is harmless"
    assert PushSubscription.objects.count() == 1
    assert _api(person).delete(URL, {"endpoint": body["endpoint"]}, format="json").status_code == 204
    assert not PushSubscription.objects.exists()


def test_someone_else_cannot_remove_my_browser_and_anonymous_people_are_refused():
    person, outsider = UserFactory(), UserFactory()
    body = _subscription()
    _api(person).post(URL, body, format="json")
    assert _api(outsider).delete(URL, {"endpoint": body["endpoint"]}, format="json").status_code == 404
    assert _api().post(URL, _subscription("https://push.example/x"), format="json").status_code in (401, 403)
    assert _api().delete(URL, {"endpoint": body["endpoint"]}, format="json").status_code in (401, 403)
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [person.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"endpoint": "http://push.example/a", "keys": {"p256dh": "x", "auth": "y"}}, "endpoint"),
        ({"endpoint": "https://push.example/a"}, "keys"),
        ({"endpoint": "https://push.example/a", "keys": {"p256dh": "x"}}, "keys"),
        ({"endpoint": "https://push.example/a", "keys": {"p256dh": "x", "auth": "y"}, "user": 1}, "user"),
    ],
)
def test_bad_subscriptions_are_refused_naming_the_field(body, field):
    response = _api(UserFactory()).post(URL, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not PushSubscription.objects.exists()


def _pushed(person, kind=Kind.MATCH_INVITED):
    services.notify(kind=kind, event_key="p1", context={**SAMPLES[kind], "match_id": 3}, recipients=[person])
    return Notification.objects.get(recipient=person, channel=Channel.PUSH)


def test_a_push_is_encrypted_for_the_browser_and_signed_with_vapid(vapid):
    person = UserFactory()
    with fake_provider(default=(201, {}, 0.0)) as service:
        PushSubscription.objects.create(user=person, endpoint=f"{service.url}/push/1", **_browser_keys())
        row = _pushed(person)
        assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    (request,) = service.requests
    assert request.path == "/push/1", request.headers
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    assert headers["authorization"].endswith(f",k={settings.VAPID_PUBLIC_KEY}"), "signed with our VAPID key"
    assert int(headers["ttl"]) >= 0
    assert len(request.body) > 100, "the payload, encrypted"
    assert "توزيع".encode() not in request.body


def test_an_expired_subscription_is_removed(vapid):
    person = UserFactory()
    with fake_provider(default=(410, {}, 0.0)) as service:
        PushSubscription.objects.create(user=person, endpoint=f"{service.url}/gone", **_browser_keys())
        live = PushSubscription.objects.create(user=person, endpoint=f"{service.url}/live", **_browser_keys())
        service.answer(410)
        service.default = (201, {}, 0.0)
        row = _pushed(person)
        assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    assert list(PushSubscription.objects.all()) == [live]


def test_a_push_service_error_is_retried(vapid):
    person = UserFactory()
    with fake_provider(default=(500, {}, 0.0)) as service:
        PushSubscription.objects.create(user=person, endpoint=f"{service.url}/busy", **_browser_keys())
        row = _pushed(person)
        with pytest.raises(TransientDeliveryError):
            services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING and PushSubscription.objects.exists()


def test_no_push_row_without_a_subscribed_browser():
    person = UserFactory()
    services.notify(kind=Kind.MATCH_INVITED, event_key="p", context=SAMPLES[Kind.MATCH_INVITED], recipients=[person])
    assert not Notification.objects.filter(channel=Channel.PUSH).exists()


def test_the_service_worker_shows_pushes_and_opens_their_page(client):
    script = client.get("/sw.js").content.decode()
    assert 'addEventListener("push"' in script and "showNotification" in script
    assert 'addEventListener("notificationclick"' in script and "openWindow" in script
