from functools import cache

from notifications.selectors import notification_unread_count


def notifications(request):
    """The bell's unread count: one COUNT query, and only on pages that show it
    (templates call the function; `cache` keeps it to one query per page)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"notifications_unread": cache(lambda: notification_unread_count(user=user))}
