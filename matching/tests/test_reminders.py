"""The reminder 24 hours before a confirmed need: recorded on accept, held until its
time, delivered by the sweep then and not before, with the public place, the local
time and (in Arabic) the Hijri date."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Case
from matching import services
from matching.models import Match
from matching.tests.factories import local
from notifications import services as outbox
from notifications.models import Digest, Kind, Notification
from notifications.selectors import notification_list_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(need, saturday_people, charity_owner):
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.order_by("-score").first()
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=Match.objects.get(pk=match.pk), user=match.volunteer.user)
    return Match.objects.select_related("volunteer__user").get(pk=match.pk)


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_reminder_names_the_public_place_never_private_details(need, saturday_people, charity_owner):
    Case.objects.filter(pk=need.case_id).update(private_details="أم أحمد، شارع النيل 5", latitude=30.1, longitude=31.2)
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.order_by("-score").first()
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=Match.objects.get(pk=match.pk), user=match.volunteer.user)
    row = Notification.objects.get(kind=Kind.NEED_REMINDER, channel="email")
    assert row.context["location_text"] == "القاهرة"
    assert "النيل" not in str(row.context) and "30.1" not in str(row.context)


def test_the_reminder_is_in_english_for_an_english_speaker(need, saturday_people, charity_owner):
    person = saturday_people[0].user
    person.language = "en"
    person.save(update_fields=["language"])
    services.match_propose_for_need(need_id=need.pk)
    match = need.matches.get(volunteer=saturday_people[0])
    services.match_approve(match=match, user=charity_owner)
    services.match_accept(match=Match.objects.get(pk=match.pk), user=person)
    assert Notification.objects.get(kind=Kind.NEED_REMINDER, channel="email").context["location_text"] == "Cairo"


def test_the_sweep_delivers_the_reminder_at_its_time_and_not_before(confirmed, monkeypatch):
    sent_ids = []
    monkeypatch.setattr(
        "notifications.tasks.notification_deliver_task.apply_async", lambda args: sent_ids.append(args[0])
    )
    row = Notification.objects.get(kind=Kind.NEED_REMINDER, channel="email")
    due = local("2027-01-08", "10:00")
    assert row.not_before == due == confirmed.starts_at - dt.timedelta(hours=24)
    person = confirmed.volunteer.user

    Notification.objects.exclude(pk=row.pk).exclude(channel="in_app").update(status=Notification.Status.SENT)
    Digest.objects.update(released_at=due)  # the charity's digest of new volunteers is out of the way too
    _at(monkeypatch, due - dt.timedelta(minutes=1))
    assert outbox.notification_sweep() == []
    assert outbox.notification_deliver(notification_id=row.pk) is None, "a stray message sends nothing early"
    assert not notification_list_for_user(user=person).filter(kind=Kind.NEED_REMINDER).exists()
    assert mail.outbox == []

    _at(monkeypatch, due + dt.timedelta(seconds=30))
    assert outbox.notification_sweep() == [row.pk] == sent_ids
    outbox.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert notification_list_for_user(user=person).filter(kind=Kind.NEED_REMINDER).count() == 1
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "تذكير" in message.subject
    assert "10:00 بتوقيت القاهرة" in message.body, "08:00 UTC is 10:00 in Cairo"
    assert "9 يناير" in message.body and "1 شعبان 1448 هـ" in message.body
    assert "المكان: القاهرة" in message.body
    assert outbox.notification_sweep() == [], "delivered once"
