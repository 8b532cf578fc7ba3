"""Web push to the installed app (pywebpush, VAPID keys from the environment).

A push goes to every browser the person subscribed. The payload is JSON the
service worker shows: {title, body, url, tag}. A push service that answers 404
or 410 has forgotten the subscription: it is deleted. Without VAPID keys pushes
are written to SMS_LOG_PATH (development), like SMS."""

import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from pywebpush import WebPushException, webpush

from core.errors import InvalidInput
from notifications import http, messages
from notifications.channels import PermanentDeliveryError, TransientDeliveryError, log_line
from notifications.models import Notification, PushSubscription

logger = logging.getLogger(__name__)


def configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def payload(notification: Notification) -> dict:
    with translation.override(notification.language):
        context = messages.display_context(notification)
        title = " ".join(context["title"].split())
    return {
        "title": title,
        "body": messages.render_short(notification),
        "url": context["url"] or messages.absolute_url("/notifications/", notification.language),
        "tag": f"{notification.kind}:{notification.event_key}"[:64],
    }


def push_send(notification: Notification) -> str:
    """Push to each of the recipient's browsers. Sent when one accepted it;
    transient when none did and one may later; permanent when none is left."""
    subscriptions = list(PushSubscription.objects.filter(user_id=notification.recipient_id))
    if not subscriptions:
        raise PermanentDeliveryError("no push subscription")
    data = json.dumps(payload(notification), ensure_ascii=False)
    if not configured():
        log_line(notification, channel="push", text=data)
        return ""
    delivered, transient, errors = 0, False, []
    session = http.session()
    for subscription in subscriptions:
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        try:
            response = webpush(
                info,
                data=data,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=settings.PROVIDER_TIMEOUT,
                requests_session=session,
            )
        except WebPushException as exc:
            code = getattr(exc.response, "status_code", None)
            if code in (404, 410):
                PushSubscription.objects.filter(pk=subscription.pk).delete()
                logger.info("push subscription %s expired (%s), removed", subscription.pk, code)
            elif code is None or code >= 500 or code in (408, 429):
                transient = True
            errors.append(f"HTTP {code}" if code else str(exc)[:200])
            continue
        except Exception as exc:
            transient = True
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
            continue
        if 200 <= response.status_code < 300:
            delivered += 1
        else:
            errors.append(f"HTTP {response.status_code}")
    if delivered:
        return ""
    if transient:
        raise TransientDeliveryError("; ".join(errors))
    raise PermanentDeliveryError("; ".join(errors) or "no push subscription")


# --- Subscriptions, managed by their owner ---------------------------------------------------------


def push_subscription_save(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Keep a browser's subscription for `user`. The same browser subscribing
    again (same endpoint) replaces its keys; a shared phone's browser now
    belongs to whoever subscribed last."""
    endpoint = (endpoint or "").strip()
    if not endpoint.startswith("https://") or len(endpoint) > 1000:
        raise InvalidInput(_("The push endpoint must be an https:// address."), field="endpoint")
    if not p256dh or not auth:
        raise InvalidInput(_("Both keys are needed: p256dh and auth."), field="keys")
    with transaction.atomic():
        row, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh[:200], "auth": auth[:100], "user_agent": user_agent[:300]},
        )
    return row


def push_subscription_delete(*, user, endpoint: str) -> None:
    """Forget one of the person's browsers; an endpoint that is not theirs is a 404."""
    deleted, _rows = PushSubscription.objects.filter(user=user, endpoint=(endpoint or "").strip()).delete()
    if not deleted:
        raise Http404(_("This browser is not subscribed."))
