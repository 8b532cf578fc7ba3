"""WhatsApp through the Cloud API, against a fake Graph API on 127.0.0.1: the exact
requests, retries, status callbacks and the signed webhook."""

import contextlib
import datetime as dt
import json

import pytest
from django.utils import timezone

from notifications import services
from notifications.channels import TransientDeliveryError
from notifications.models import Channel, InboundMessage, Kind, Notification
from notifications.tests.conftest import APP_SECRET, VERIFY_TOKEN
from notifications.tests.fake_provider import meta_signature, text_message, whatsapp_event
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db
INVITATION = {**SAMPLES[Kind.MATCH_INVITED], "match_id": 42}


def _invite(user, key="m42"):
    services.notify(kind=Kind.MATCH_INVITED, event_key=key, context=INVITATION, recipients=[user])
    return Notification.objects.get(recipient=user, channel=Channel.WHATSAPP, event_key=key)


def _deliver(row):
    return services.notification_deliver(notification_id=row.pk)


def _post(client, payload, *, secret=APP_SECRET, signature=None):
    body = json.dumps(payload, ensure_ascii=False).encode() if not isinstance(payload, bytes) else payload
    headers = {} if signature == "" else {"HTTP_X_HUB_SIGNATURE_256": signature or meta_signature(body, secret)}
    return client.post("/webhooks/whatsapp/", data=body, content_type="application/json", **headers)


def test_an_invitation_goes_out_as_an_arabic_template_with_yes_and_no_buttons(whatsapp_provider, reachable):
    user = reachable("0100 123 4567")
    row = _invite(user)
    assert row.address == "+201001234567", "the number typed with spaces is stored in E.164"
    assert _deliver(row).status == Notification.Status.SENT
    (request,) = whatsapp_provider.requests
    assert (request.method, request.path) == ("POST", "/v21.0/1234/messages")
    assert request.headers["Authorization"] == "Bearer test-token"
    body = request.json()
    when = body["template"]["components"][0]["parameters"][2]["text"]
    assert "يناير" in when and "16:00" in when, "the local time in Arabic"
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "201001234567",
        "type": "template",
        "template": {
            "name": "vb_match_invited",
            "language": {"code": "ar"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "توزيع سلال رمضان"},
                        {"type": "text", "text": "أسر قرية الشيخ زايد"},
                        {"type": "text", "text": when},
                    ],
                },
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": "0",
                    "parameters": [{"type": "payload", "payload": "accept:42"}],
                },
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": "1",
                    "parameters": [{"type": "payload", "payload": "decline:42"}],
                },
            ],
        },
    }
    row.refresh_from_db()
    assert row.provider_id == "wamid.TEST"


def test_english_speakers_get_the_english_template(whatsapp_provider, reachable):
    _deliver(_invite(reachable(language="en")))
    assert whatsapp_provider.requests[0].json()["template"]["language"] == {"code": "en"}


def test_inside_the_24_hour_window_a_session_message_with_reply_buttons_is_sent(whatsapp_provider, reachable):
    user = reachable()
    InboundMessage.objects.create(channel="whatsapp", message_id="wamid.old", sender="+201001234567", user=user)
    _deliver(_invite(user))
    body = whatsapp_provider.requests[0].json()
    assert body["type"] == "interactive"
    assert body["interactive"]["type"] == "button"
    assert "أرسل 1 للقبول أو 2 للاعتذار" in body["interactive"]["body"]["text"]
    assert body["interactive"]["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": "accept:42", "title": "نعم، أقبل"}},
        {"type": "reply", "reply": {"id": "decline:42", "title": "لا، أعتذر"}},
    ]


def test_a_server_error_is_retried_and_then_sent_once(whatsapp_provider, reachable):
    row = _invite(reachable())
    whatsapp_provider.answer(503, {"error": {"message": "down", "code": 2}})
    with pytest.raises(TransientDeliveryError):
        _deliver(row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.PENDING, 1)
    assert "503" in row.last_error
    Notification.objects.filter(pk=row.pk).update(not_before=timezone.now())
    assert _deliver(row).status == Notification.Status.SENT
    assert len(whatsapp_provider.requests) == 2
    assert _deliver(row) is None, "a sent row is never sent again"


@pytest.mark.parametrize(
    ("status", "error", "outcome"),
    [
        (400, {"message": "(#131026) Message undeliverable", "code": 131026}, Notification.Status.FAILED),
        (401, {"message": "Invalid OAuth access token", "code": 190}, Notification.Status.FAILED),
        (400, {"message": "Rate limit hit", "code": 130429}, Notification.Status.PENDING),
        (429, {"message": "Too many", "code": 80007}, Notification.Status.PENDING),
    ],
)
def test_refusals_fail_at_once_and_rate_limits_are_retried(whatsapp_provider, reachable, status, error, outcome):
    row = _invite(reachable())
    whatsapp_provider.answer(status, {"error": error})
    with contextlib.suppress(TransientDeliveryError):
        _deliver(row)
    row.refresh_from_db()
    assert row.status == outcome
    assert str(error["code"]) in row.last_error


def test_a_provider_that_does_not_answer_in_time_is_retried(whatsapp_provider, reachable, settings):
    settings.PROVIDER_TIMEOUT = 0.3
    row = _invite(reachable())
    whatsapp_provider.answer(200, {"messages": [{"id": "late"}]}, delay=1.5)
    with pytest.raises(TransientDeliveryError):
        _deliver(row)
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING and "Timeout" in row.last_error


def test_without_a_token_whatsapp_is_written_to_the_log(settings, tmp_path, reachable):
    settings.WHATSAPP_TOKEN, settings.SMS_LOG_PATH = "", tmp_path / "sms.log"
    assert _deliver(_invite(reachable())).status == Notification.Status.SENT
    line = json.loads((tmp_path / "sms.log").read_text())
    assert line["channel"] == "whatsapp" and line["to"] == "+201001234567"


def test_an_unverified_number_gets_no_whatsapp(whatsapp_provider, reachable):
    user = reachable()
    user.phone_verifications.update(verified_number="", verified_at=None)
    services.notify(kind=Kind.MATCH_INVITED, event_key="m1", context=INVITATION, recipients=[user])
    assert not Notification.objects.filter(channel=Channel.WHATSAPP).exists()
    assert Notification.objects.filter(channel=Channel.EMAIL).exists()


@pytest.mark.quiet_hours
def test_quiet_hours_hold_a_reminder_but_not_a_time_change(monkeypatch, reachable):
    night = dt.datetime(2027, 1, 9, 21, 0, tzinfo=dt.UTC)  # 23:00 in Cairo
    monkeypatch.setattr(timezone, "now", lambda: night)
    user = reachable()
    services.notify(kind=Kind.NEED_REMINDER, event_key="r", context=SAMPLES[Kind.NEED_REMINDER], recipients=[user])
    services.notify(
        kind=Kind.NEED_TIME_CHANGED, event_key="t", context=SAMPLES[Kind.NEED_TIME_CHANGED], recipients=[user]
    )
    reminder = Notification.objects.get(kind=Kind.NEED_REMINDER, channel=Channel.WHATSAPP)
    moved = Notification.objects.get(kind=Kind.NEED_TIME_CHANGED, channel=Channel.WHATSAPP)
    assert reminder.not_before == dt.datetime(2027, 1, 10, 5, 0, tzinfo=dt.UTC)
    assert moved.not_before == night


def test_a_daily_cap_holds_the_next_message_for_a_day(whatsapp_provider, reachable, settings):
    settings.NOTIFICATIONS_DAILY_CAPS = {**settings.NOTIFICATIONS_DAILY_CAPS, "whatsapp": 1}
    user = reachable()
    first, second = _invite(user, "a"), _invite(user, "b")
    assert _deliver(first).status == Notification.Status.SENT
    held = _deliver(second)
    assert held.status == Notification.Status.PENDING and held.attempts == 0
    assert held.not_before > timezone.now() + dt.timedelta(hours=23)
    assert len(whatsapp_provider.requests) == 1


# --- The webhook --------------------------------------------------------------------------------


def test_the_verify_handshake_echoes_the_challenge_only_with_our_token(client, whatsapp_provider):
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    response = client.get("/webhooks/whatsapp/", query)
    assert (response.status_code, response.content) == (200, b"1158201444")
    assert client.get("/webhooks/whatsapp/", {**query, "hub.verify_token": "guess"}).status_code == 403


def test_status_callbacks_move_the_row_forward_and_a_failure_fails_it(client, whatsapp_provider, reachable):
    row = _invite(reachable())
    _deliver(row)

    def status(value, **extra):
        event = whatsapp_event(statuses=[{"id": "wamid.TEST", "status": value, "timestamp": "1", **extra}])
        assert _post(client, event).status_code == 200
        row.refresh_from_db()
        return row.delivery_status

    assert status("delivered") == "delivered"
    assert status("sent") == "delivered", "a late 'sent' never moves it back"
    assert status("read") == "read"
    assert row.status == Notification.Status.SENT
    assert status("failed", errors=[{"code": 131047, "title": "Re-engagement message"}]) == "failed"
    assert row.status == Notification.Status.FAILED and "131047" in row.last_error


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "forged"])
def test_a_missing_or_forged_signature_is_refused_and_changes_nothing(client, whatsapp_provider, reachable, signature):
    reachable()
    event = whatsapp_event(messages=[text_message("201001234567", "نعم")])
    response = _post(client, event, signature=signature)
    assert response.status_code == 403
    assert not InboundMessage.objects.exists() and not Notification.objects.exists()


def test_a_body_signed_with_another_secret_is_refused(client, whatsapp_provider, reachable):
    reachable()
    event = whatsapp_event(messages=[text_message("201001234567", "نعم")])
    assert _post(client, event, secret="not-ours").status_code == 403
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [b"{not json", {"object": "page", "entry": []}, {"object": "whatsapp_business_account"}, [1, 2]],
)
def test_a_malformed_payload_is_a_400(client, whatsapp_provider, payload):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    assert _post(client, body).status_code == 400
    assert not InboundMessage.objects.exists()


def test_a_message_without_an_id_is_a_400(client, whatsapp_provider):
    event = whatsapp_event(messages=[{"from": "201001234567", "type": "text", "text": {"body": "1"}}])
    assert _post(client, event).status_code == 400


def test_a_reply_is_answered_once_however_often_meta_repeats_it(client, whatsapp_provider, reachable):
    user = reachable()
    event = whatsapp_event(messages=[text_message("201001234567", "مرحبا", "wamid.R1")])
    assert _post(client, event).status_code == 200
    assert _post(client, event).status_code == 200
    assert InboundMessage.objects.get().action == "help"
    (answer,) = Notification.objects.filter(kind=Kind.CHANNEL_REPLY)
    assert (answer.recipient, answer.channel, answer.address) == (user, Channel.WHATSAPP, "+201001234567")
    assert _deliver(answer).status == Notification.Status.SENT
    body = whatsapp_provider.requests[-1].json()
    assert body["type"] == "text" and body["text"]["body"].startswith("أرسل 1 (نعم)")


def test_a_stranger_gets_no_answer(client, whatsapp_provider, caplog):
    event = whatsapp_event(messages=[text_message("201009998877", "نعم")])
    assert _post(client, event).status_code == 200
    assert InboundMessage.objects.get().action == "unknown"
    assert not Notification.objects.exists()
    assert "unknown number" in caplog.text
