from django.utils.functional import SimpleLazyObject

from notifications.selectors import notification_unread_count


def notifications(request):
    """The bell's unread count: one COUNT query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: notification_unread_count(user=user))}
