from celery import shared_task

from notifications import services
from notifications.channels import TransientDeliveryError


@shared_task(
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=services.MAX_ATTEMPTS,
    acks_late=True,
)
def notification_deliver_task(notification_id: int) -> None:
    services.notification_deliver(notification_id=notification_id)
