"""Reads, and who may see what: a person sees only their own in-app notifications,
and only once they are due (a digest stays hidden until its hour ends)."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from notifications.models import Channel, Notification, WebhookDelivery, WebhookEndpoint


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP, not_before__lte=timezone.now())
        .exclude(status=Notification.Status.CANCELLED)
        .order_by("-not_before", "-id")
    )


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return notification_list_for_user(user=user).filter(read_at__isnull=True).count()


def notification_get_for_user(*, user, pk) -> Notification:
    try:
        return notification_list_for_user(user=user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def webhook_endpoint_list_for_charity(*, charity_id: int) -> QuerySet[WebhookEndpoint]:
    """A charity's endpoints. The caller (charities' views) checks the person may
    manage that charity; this app does not know about staff."""
    return WebhookEndpoint.objects.filter(charity_id=charity_id).order_by("-created_at", "-id")


def webhook_endpoint_get_for_charity(*, charity_id: int, pk) -> WebhookEndpoint:
    """One endpoint of that charity, or 404 (another charity's endpoint included)."""
    try:
        return webhook_endpoint_list_for_charity(charity_id=charity_id).get(pk=pk)
    except (WebhookEndpoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def webhook_delivery_list_for_charity(*, charity_id: int) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(endpoint__charity_id=charity_id)
        .select_related("endpoint")
        .order_by("-created_at", "-id")
    )


def zone_for_user(*, user) -> tuple[str, str]:
    """(IANA zone, its label such as "Cairo time") a person reads times in: the zone of
    their notification settings (Cairo unless they chose Riyadh), for staff pages too."""
    from notifications.messages import zone_label
    from notifications.services import settings_for

    zone = str(settings_for(user).timezone)
    return zone, zone_label(zone)
