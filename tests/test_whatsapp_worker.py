"""The reply loop end to end through a real Celery worker on Redis, with WhatsApp
played by a fake Graph API on 127.0.0.1: an invitation goes out as a template,
the volunteer answers "نعم" through the signed webhook, the match is confirmed by
the same service as the web and the API, the charity sees the confirmation, and
the answer goes back to the volunteer on WhatsApp."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from matching import services
from matching.models import Match
from matching.tests.factories import make_charity, make_need, make_volunteer, weekly
from notifications.models import Channel, Kind, Notification
from notifications.tests.factories import verify_phone
from notifications.tests.fake_provider import fake_provider, meta_signature, text_message, whatsapp_event
from tests.celery_worker import celery_worker, wait_until

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]
SECRET = "worker-app-secret"


def _saturday_in_two_weeks() -> dt.datetime:
    day = timezone.now().date() + dt.timedelta(days=10)
    day += dt.timedelta(days=(5 - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Africa/Cairo"))


def _sent_to_whatsapp(provider, kind):
    return [r.json() for r in provider.requests if r.json().get("type") == kind]


def test_an_invitation_on_whatsapp_is_confirmed_by_replying_naam(charity_owner, settings, tmp_path):
    log = tmp_path / "worker.log"
    with fake_provider() as graph:
        graph.number_ids = True
        provider_env = {
            "WHATSAPP_API_BASE": f"{graph.url}/v21.0",
            "WHATSAPP_PHONE_NUMBER_ID": "1234",
            "WHATSAPP_TOKEN": "worker-token",
            "WHATSAPP_APP_SECRET": SECRET,
        }
        settings.WHATSAPP_APP_SECRET = SECRET
        volunteer = make_volunteer("huda", slots=[weekly(5, "09:00", "13:00")], whatsapp_number="0100 123 4567")
        verify_phone(volunteer.user, "+201001234567", channel="whatsapp")
        charity = make_charity(charity_owner)
        need = make_need(charity=charity, starts=_saturday_in_two_weeks(), volunteers_needed=1)

        with celery_worker(extra_env=provider_env, log_path=log):
            services.match_propose_for_need(need_id=need.pk)
            match = Match.objects.get(need=need)
            services.match_approve(match=match, user=charity_owner)  # the invitation, recorded in the outbox

            assert wait_until(lambda: _sent_to_whatsapp(graph, "template")), log.read_text()
            (invitation,) = _sent_to_whatsapp(graph, "template")
            assert invitation["to"] == "201001234567"
            assert invitation["template"]["name"] == "vb_match_invited"
            assert invitation["template"]["language"] == {"code": "ar"}
            assert invitation["template"]["components"][1]["parameters"] == [
                {"type": "payload", "payload": f"accept:{match.pk}"}
            ]
            row = Notification.objects.get(kind=Kind.MATCH_INVITED, channel=Channel.WHATSAPP)
            assert wait_until(lambda: Notification.objects.get(pk=row.pk).provider_id == "wamid.1")

            # Meta says it was delivered, then the volunteer answers "نعم".
            event = whatsapp_event(
                statuses=[{"id": "wamid.1", "status": "delivered", "timestamp": "1", "recipient_id": "201001234567"}],
                messages=[text_message("201001234567", "نعم", "wamid.HBgL-reply-1")],
            )
            body = json.dumps(event, ensure_ascii=False).encode()
            webhook = Client()
            signature = {"HTTP_X_HUB_SIGNATURE_256": meta_signature(body, SECRET)}
            response = webhook.post("/webhooks/whatsapp/", data=body, content_type="application/json", **signature)
            assert response.status_code == 200
            again = webhook.post("/webhooks/whatsapp/", data=body, content_type="application/json", **signature)
            assert again.status_code == 200, "Meta repeats deliveries; the repeat changes nothing"

            match.refresh_from_db()
            assert match.status == Match.Status.CONFIRMED
            assert Notification.objects.get(pk=row.pk).delivery_status == "delivered"

            # The charity sees the confirmation, on its list and in its notifications.
            staff = APIClient()
            staff.force_authenticate(charity_owner)
            listed = staff.get(f"/api/v1/charities/{charity.pk}/matches/?status=confirmed").json()["results"]
            assert [m["id"] for m in listed] == [match.pk]
            assert listed[0]["volunteer"]["contact"]["email"] == "huda@example.org"
            assert Notification.objects.filter(
                kind=Kind.MATCH_CONFIRMED, recipient=charity_owner, channel=Channel.IN_APP
            ).exists()

            # The worker sends the answer back on WhatsApp, once, inside the 24-hour window.
            assert wait_until(lambda: _sent_to_whatsapp(graph, "text")), log.read_text()
            (answer,) = _sent_to_whatsapp(graph, "text")
            assert answer["to"] == "201001234567"
            assert answer["text"]["body"].startswith("تم التأكيد")
    assert Match.objects.filter(status=Match.Status.CONFIRMED).count() == 1
    assert Notification.objects.filter(kind=Kind.CHANNEL_REPLY).count() == 1
