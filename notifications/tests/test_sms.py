"""SMS through Twilio's Messages API, against a fake Twilio on 127.0.0.1, and its
signed webhook for replies and status callbacks."""

import base64
import hashlib
import hmac

import pytest

from notifications import services
from notifications.channels import TransientDeliveryError
from notifications.models import Channel, InboundMessage, Kind, Notification
from notifications.sms import signature
from notifications.tests.conftest import TWILIO_TOKEN
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db
URL = "https://volunteerbank.example/webhooks/sms/"


def _sms(user, kind=Kind.MATCH_INVITED, key="s1"):
    services.preferences_update(user=user, choices=[(kind, Channel.SMS, True)])
    context = {**SAMPLES[kind], "match_id": 7}
    services.notify(kind=kind, event_key=key, context=context, recipients=[user])
    return Notification.objects.get(recipient=user, channel=Channel.SMS, event_key=key)


def _post(client, params, *, token=TWILIO_TOKEN, header=None):
    sign = header if header is not None else signature(URL, params, token)
    extra = {"HTTP_X_TWILIO_SIGNATURE": sign} if sign else {}
    return client.post("/webhooks/sms/", params, **extra)


def test_the_signature_is_twilios_documented_algorithm():
    params = {"To": "+15550001111", "From": "+201001234567", "Body": "1", "MessageSid": "SM1"}
    signed = URL + "Body1From+201001234567MessageSidSM1To+15550001111"
    expected = base64.b64encode(hmac.new(b"secret", signed.encode(), hashlib.sha1).digest()).decode()
    assert signature(URL, params, "secret") == expected


@pytest.mark.parametrize(
    ("number", "region", "sender"),
    [("0100 123 4567", "EG-C", "VolunteerBk"), ("050 123 4567", "SA-01", "+966500000000")],
)
def test_an_invitation_goes_out_by_twilio_from_the_countrys_sender(twilio_provider, reachable, number, region, sender):
    user = reachable(number, channel="sms", region=region)
    row = _sms(user)
    assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    (request,) = twilio_provider.requests
    assert (request.method, request.path) == ("POST", "/2010-04-01/Accounts/AC123/Messages.json")
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"AC123:" + TWILIO_TOKEN.encode()).decode()
    form = request.form()
    assert set(form) == {"To", "From", "Body", "StatusCallback"}
    assert form["To"] == row.address and form["From"] == sender
    assert form["StatusCallback"] == URL
    assert form["Body"].startswith("دعوة للتطوع: توزيع سلال رمضان") and "أرسل 1 للقبول أو 2 للاعتذار" in form["Body"]
    assert len(form["Body"]) < 200, "short: Arabic SMS are 70 characters a part"
    row.refresh_from_db()
    assert row.provider_id == "SM0001"


def test_english_speakers_get_english_sms(twilio_provider, reachable):
    row = _sms(reachable(channel="sms", language="en"))
    services.notification_deliver(notification_id=row.pk)
    assert twilio_provider.requests[0].form()["Body"].startswith("You are invited to volunteer")


def test_a_refused_number_fails_and_a_busy_gateway_is_retried(twilio_provider, reachable):
    user = reachable(channel="sms")
    refused, busy = _sms(user, key="a"), _sms(user, key="b")
    twilio_provider.answer(400, {"code": 21211, "message": "The 'To' number is not valid.", "status": 400})
    assert services.notification_deliver(notification_id=refused.pk).status == Notification.Status.FAILED
    twilio_provider.answer(503, {})
    with pytest.raises(TransientDeliveryError):
        services.notification_deliver(notification_id=busy.pk)
    refused.refresh_from_db(), busy.refresh_from_db()
    assert "21211" in refused.last_error
    assert busy.status == Notification.Status.PENDING


def test_a_reply_by_sms_is_signed_handled_once_and_answered_by_sms(client, twilio_provider, reachable):
    user = reachable(channel="sms")
    params = {"MessageSid": "SMin1", "From": "+201001234567", "To": "+15550001111", "Body": "شكرا"}
    response = _post(client, params)
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    assert _post(client, params).status_code == 200
    assert InboundMessage.objects.get().user == user
    (answer,) = Notification.objects.filter(kind=Kind.CHANNEL_REPLY)
    assert (answer.channel, answer.address) == (Channel.SMS, "+201001234567")


def test_stop_by_sms_turns_sms_off(client, twilio_provider, reachable):
    user = reachable(channel="sms")
    _post(client, {"MessageSid": "SMin2", "From": "+201001234567", "To": "+1555", "Body": "STOP"})
    assert user.notification_preferences.filter(channel=Channel.SMS, enabled=False).count() > 5
    assert not user.notification_preferences.filter(channel=Channel.WHATSAPP).exists()


@pytest.mark.parametrize("header", ["", "forged", None])
def test_a_missing_or_forged_signature_is_a_403(client, twilio_provider, reachable, header):
    reachable(channel="sms")
    params = {"MessageSid": "SMin3", "From": "+201001234567", "To": "+1555", "Body": "1"}
    token = "not-ours" if header is None else TWILIO_TOKEN
    assert _post(client, params, token=token, header=header).status_code == 403
    assert not InboundMessage.objects.exists() and not Notification.objects.exists()


def test_a_malformed_post_is_a_400(client, twilio_provider):
    assert _post(client, {"From": "+201001234567", "Body": "1"}).status_code == 400
    assert _post(client, {"MessageSid": "SM9"}).status_code == 400
    assert not InboundMessage.objects.exists()


def test_status_callbacks_update_the_row(client, twilio_provider, reachable):
    row = _sms(reachable(channel="sms"))
    services.notification_deliver(notification_id=row.pk)
    assert _post(client, {"MessageSid": "SM0001", "MessageStatus": "delivered"}).status_code == 200
    row.refresh_from_db()
    assert row.delivery_status == "delivered"
    _post(client, {"MessageSid": "SM0001", "MessageStatus": "undelivered", "ErrorCode": "30005"})
    row.refresh_from_db()
    assert (row.delivery_status, row.status, row.last_error) == ("failed", Notification.Status.FAILED, "30005")
