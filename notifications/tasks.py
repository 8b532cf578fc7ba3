"""Thin Celery entry points. Delivery retries only transient errors, with the
back-off the service wrote into the row's `not_before` (so the sweep and the
retry agree on when); the service decides when to give up."""

from celery import shared_task

from notifications import services, webhooks
from notifications.channels import TransientDeliveryError


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS)
def notification_deliver_task(self, notification_id: int) -> None:
    try:
        services.notification_deliver(notification_id=notification_id)
    except TransientDeliveryError as exc:
        raise self.retry(countdown=exc.retry_in.total_seconds() + 1, exc=exc) from exc


@shared_task(bind=True, acks_late=True, max_retries=webhooks.MAX_ATTEMPTS)
def webhook_deliver_task(self, delivery_id: int) -> None:
    try:
        webhooks.webhook_deliver(delivery_id=delivery_id)
    except webhooks.WebhookTransientError as exc:
        raise self.retry(countdown=exc.retry_in.total_seconds() + 1, exc=exc) from exc


@shared_task
def notification_sweep_task() -> None:
    services.notification_sweep()
    webhooks.webhook_sweep()
