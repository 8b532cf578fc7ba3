import pytest
from django.core import mail

from notifications import services
from notifications.models import Channel, Kind, Notification, WebhookDelivery
from notifications.tests.factories import UserFactory, WebhookEndpointFactory
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))
    return client


def test_the_outbox_list_filters_by_status_channel_and_kind(admin_client, django_assert_max_num_queries):
    person = UserFactory()
    services.notify(kind=Kind.CASE_UPDATE, event_key="u", context=SAMPLES[Kind.CASE_UPDATE], recipients=[person])
    with django_assert_max_num_queries(12):
        page = admin_client.get("/en/admin/notifications/notification/?status__exact=pending&channel__exact=email")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1


def test_the_resend_action_queues_a_failed_email_again(admin_client, django_capture_on_commit_callbacks):
    person = UserFactory()
    services.notify(kind=Kind.CASE_UPDATE, event_key="u", context=SAMPLES[Kind.CASE_UPDATE], recipients=[person])
    row = Notification.objects.get(channel=Channel.EMAIL)
    Notification.objects.filter(pk=row.pk).update(status=Notification.Status.FAILED, last_error="550")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_client.post(
            "/en/admin/notifications/notification/", {"action": "resend", "_selected_action": [row.pk]}
        )
    assert response.status_code == 302 and len(queued) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Notification.Status.PENDING, 0, "")
    services.notification_deliver(notification_id=row.pk)
    assert len(mail.outbox) == 1


def test_the_redeliver_action_replays_a_webhook(admin_client):
    from notifications import webhooks

    (delivery,) = webhooks.webhook_event_record(
        charity_id=WebhookEndpointFactory().charity_id, kind="case_update", event_key="k", payload={}
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED, attempts=5)
    admin_client.post(
        "/en/admin/notifications/webhookdelivery/", {"action": "redeliver", "_selected_action": [delivery.pk]}
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.PENDING, 0)


def test_the_outbox_admin_is_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get("/en/admin/notifications/notification/").status_code == 302
