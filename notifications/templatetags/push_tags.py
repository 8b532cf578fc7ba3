from django import template
from django.conf import settings

from notifications import push

register = template.Library()


@register.inclusion_tag("notifications/_push_toggle.html", takes_context=True)
def push_toggle(context):
    """The "notifications on this device" switch (static/js/push.js), shown only
    when VAPID keys are configured."""
    user = context["request"].user
    configured = push.configured() and user.is_authenticated
    return {
        "push_key": settings.VAPID_PUBLIC_KEY if configured else "",
        "push_count": user.push_subscriptions.count() if configured else 0,
    }
