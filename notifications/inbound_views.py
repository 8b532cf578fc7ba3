"""The providers' doors: `/webhooks/whatsapp/` (Meta's handshake and events) and
`/webhooks/sms/` (Twilio's inbound messages and status callbacks). A missing or
forged signature is a 403 and a payload of the wrong shape a 400, both before
anything is written; the work itself is `notifications.inbound`."""

import json
import logging

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import inbound, sms, whatsapp
from notifications.models import Channel

logger = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


@csrf_exempt  # signed by Meta, not by a browser session
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        challenge = whatsapp.handshake(request.GET)
        if challenge is None:
            return HttpResponse("verification failed", status=403, content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    body = request.body
    if not whatsapp.signature_valid(body, request.headers.get("X-Hub-Signature-256", "")):
        logger.warning("WhatsApp webhook with a missing or wrong signature refused")
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    try:
        messages, statuses = whatsapp.parse(json.loads(body))
    except (ValueError, whatsapp.Malformed) as exc:
        logger.warning("WhatsApp webhook payload refused: %s", exc)
        return HttpResponse("malformed payload", status=400, content_type="text/plain")
    inbound.provider_event_handle(channel=Channel.WHATSAPP, messages=messages, statuses=statuses)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # signed by Twilio, not by a browser session
@require_POST
def sms_webhook(request):
    params = {key: request.POST[key] for key in request.POST}
    # Twilio signs the URL it was given: configure it as SITE_URL + /webhooks/sms/.
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    if not sms.signature_valid(url, params, request.headers.get("X-Twilio-Signature", "")):
        logger.warning("SMS webhook with a missing or wrong signature refused")
        return HttpResponse("bad signature", status=403, content_type="text/plain")
    try:
        messages, statuses = sms.parse(params)
    except sms.Malformed as exc:
        logger.warning("SMS webhook payload refused: %s", exc)
        return HttpResponse("malformed payload", status=400, content_type="text/plain")
    inbound.provider_event_handle(channel=Channel.SMS, messages=messages, statuses=statuses)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")
