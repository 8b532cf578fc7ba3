"""Answering an invitation by replying on WhatsApp or SMS: the reply loop of
`notifications.inbound` through matching's handler, with the same services as the
web page and the API."""

import datetime as dt

import pytest
from django.utils import timezone

from matching import services
from matching.models import Match
from matching.tests.factories import make_need
from notifications.inbound import inbound_message_handle
from notifications.models import Channel, InboundMessage, Kind, Notification
from notifications.tests.factories import verify_phone
from volunteers.services import profile_update

pytestmark = pytest.mark.django_db
NUMBERS = ["+201001234501", "+201001234502", "+201001234503", "+201001234504", "+201001234505"]


def _invite_all(need, owner):
    services.match_propose_for_need(need_id=need.pk)
    matches = list(need.matches.order_by("-score"))
    services.match_review_many(matches=matches, user=owner, approve=True)
    return [Match.objects.get(pk=m.pk) for m in matches]


def _on_whatsapp(match, number):
    profile_update(user=match.volunteer.user, changes={"whatsapp_number": number})
    verify_phone(match.volunteer.user, number, channel="whatsapp")


def _reply(number, text, message_id="wamid.1", button=""):
    return inbound_message_handle(
        channel=Channel.WHATSAPP, message_id=message_id, sender=number.lstrip("+"), text=text, button=button
    )


def _answer(user):
    return Notification.objects.filter(recipient=user, kind=Kind.CHANNEL_REPLY).order_by("-id").first()


def test_naam_accepts_the_latest_invitation_and_the_charity_is_told(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    _on_whatsapp(first, NUMBERS[0])
    assert _reply(NUMBERS[0], " نعم ") == "accept"
    first.refresh_from_db()
    assert first.status == Match.Status.CONFIRMED
    assert Notification.objects.filter(kind=Kind.MATCH_CONFIRMED, recipient=charity_owner).exists()
    answer = _answer(first.volunteer.user)
    assert answer.channel == Channel.WHATSAPP and answer.address == NUMBERS[0]
    assert answer.context["text"].startswith("تم التأكيد")


@pytest.mark.parametrize("text", ["2", "٢", "لا", "No"])
def test_two_or_la_declines(need, saturday_people, charity_owner, text):
    first, *_ = _invite_all(need, charity_owner)
    _on_whatsapp(first, NUMBERS[0])
    assert _reply(NUMBERS[0], text) == "decline"
    first.refresh_from_db()
    assert first.status == Match.Status.DECLINED_BY_VOLUNTEER
    assert Notification.objects.filter(kind=Kind.MATCH_DECLINED, recipient=charity_owner).exists()


def test_the_button_answers_the_invitation_it_came_with(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    newer = make_need(charity=need.case.charity, starts=need.starts_at + dt.timedelta(days=7), volunteers_needed=1)
    _on_whatsapp(first, NUMBERS[0])
    assert _reply(NUMBERS[0], "Yes", button=f"accept:{first.pk}") == "accept"
    first.refresh_from_db()
    assert first.status == Match.Status.CONFIRMED
    assert not newer.matches.filter(status=Match.Status.CONFIRMED).exists()


def test_a_repeated_delivery_changes_nothing(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    _on_whatsapp(first, NUMBERS[0])
    assert _reply(NUMBERS[0], "1", message_id="wamid.same") == "accept"
    before = Notification.objects.count()
    assert _reply(NUMBERS[0], "2", message_id="wamid.same") == "duplicate"
    first.refresh_from_db()
    assert first.status == Match.Status.CONFIRMED
    assert Notification.objects.count() == before
    assert InboundMessage.objects.count() == 1


def test_an_expired_invitation_gets_a_reply_saying_so_and_nothing_is_confirmed(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    Match.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _on_whatsapp(first, NUMBERS[0])
    assert _reply(NUMBERS[0], "نعم") == "accept"
    first.refresh_from_db()
    assert first.status == Match.Status.INVITED
    assert "انتهت مهلة هذه الدعوة" in _answer(first.volunteer.user).context["text"]
    assert not Notification.objects.filter(kind=Kind.MATCH_CONFIRMED).exists()


def test_a_full_need_gets_a_reply_saying_so(need, saturday_people, charity_owner):
    first, second, *_ = _invite_all(need, charity_owner)
    services.match_accept(match=first, user=first.volunteer.user)
    _on_whatsapp(second, NUMBERS[1])
    _reply(NUMBERS[1], "1")
    second.refresh_from_db()
    assert second.status == Match.Status.INVITED and second.waitlisted_at is not None
    assert "اكتمل" in _answer(second.volunteer.user).context["text"]


def test_an_unknown_number_gets_nothing(need, saturday_people, charity_owner, caplog):
    first, *_ = _invite_all(need, charity_owner)
    profile_update(user=first.volunteer.user, changes={"whatsapp_number": NUMBERS[0]})  # never verified
    assert _reply(NUMBERS[0], "نعم") == "unknown"
    first.refresh_from_db()
    assert first.status == Match.Status.INVITED
    assert not Notification.objects.filter(kind=Kind.CHANNEL_REPLY).exists()
    assert "unknown number" in caplog.text


def test_stop_turns_the_channel_off_and_anything_else_gets_help(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    user = first.volunteer.user
    _on_whatsapp(first, NUMBERS[0])
    assert _reply(NUMBERS[0], "hello?", message_id="m1") == "help"
    assert "1" in _answer(user).context["text"] and "إيقاف" in _answer(user).context["text"]
    assert _reply(NUMBERS[0], "إيقاف", message_id="m2") == "stop"
    assert not user.notification_preferences.filter(channel=Channel.WHATSAPP, enabled=True).exists()
    assert user.notification_preferences.filter(channel=Channel.WHATSAPP, kind=Kind.MATCH_INVITED, enabled=False)
    assert not user.notification_preferences.filter(channel=Channel.EMAIL).exists(), "other channels untouched"


def test_one_by_sms_accepts_and_the_answer_goes_back_by_sms(need, saturday_people, charity_owner):
    first, *_ = _invite_all(need, charity_owner)
    user = first.volunteer.user
    profile_update(user=user, changes={"sms_number": "٠١٠ ٠١٢٣ ٤٥٠٩"})
    verify_phone(user, "+201001234509", channel="sms")
    action = inbound_message_handle(channel=Channel.SMS, message_id="SM1", sender="+201001234509", text="١")
    assert action == "accept"
    first.refresh_from_db()
    assert first.status == Match.Status.CONFIRMED
    assert (_answer(user).channel, _answer(user).address) == (Channel.SMS, "+201001234509")
