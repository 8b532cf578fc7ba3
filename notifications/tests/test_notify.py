"""Recording: one row per recipient and channel, as people chose, at the right time."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import services
from notifications.kinds import KINDS
from notifications.models import Channel, Digest, EmailOptOut, Kind, Notification, NotificationSettings
from notifications.selectors import notification_list_for_user
from notifications.tests.factories import UserFactory, verify_phone
from notifications.tests.samples import SAMPLES

User = get_user_model()

pytestmark = pytest.mark.django_db

NOON_CAIRO = dt.datetime(2027, 1, 9, 10, 0, tzinfo=dt.UTC)  # 12:00 in Cairo
NIGHT_CAIRO = dt.datetime(2027, 1, 9, 21, 30, tzinfo=dt.UTC)  # 23:30 in Cairo
MORNING_CAIRO = dt.datetime(2027, 1, 10, 5, 0, tzinfo=dt.UTC)  # 07:00 in Cairo


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_kind_writes_one_row_per_recipient_and_default_channel(kind, django_capture_on_commit_callbacks):
    people = [UserFactory(), UserFactory(language="en")]
    with django_capture_on_commit_callbacks() as queued:
        rows = services.notify(kind=kind, event_key="e1", context=SAMPLES[kind], recipients=people)
        services.notify(kind=kind, event_key="e1", context=SAMPLES[kind], recipients=people)
    # Push and WhatsApp need a subscribed browser and a verified number, which these people lack.
    reachable = KINDS[kind].default_on - {Channel.PUSH, Channel.WHATSAPP}
    expected = {(p.pk, c) for p in people for c in reachable}
    assert {(r.recipient_id, r.channel) for r in Notification.objects.all()} == expected
    assert Notification.objects.count() == len(expected) == len(rows)
    assert {r.language for r in rows} == {"ar", "en"}
    emails = [r for r in rows if r.channel == Channel.EMAIL and r.not_before <= timezone.now()]
    assert len(queued) == len(emails), "one delivery task per due email, none for in-app rows"


@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_kind_respects_a_channel_turned_off(kind):
    person = UserFactory()
    services.preferences_update(user=person, choices=[(kind, Channel.EMAIL, False), (kind, Channel.IN_APP, False)])
    assert services.notify(kind=kind, event_key="e1", context=SAMPLES[kind], recipients=[person]) == []
    assert not Notification.objects.exists()


def test_an_email_turned_off_leaves_the_in_app_notification():
    person = UserFactory()
    services.preferences_update(user=person, choices=[(Kind.CASE_UPDATE, Channel.EMAIL, False)])
    services.notify(kind=Kind.CASE_UPDATE, event_key="u1", context={}, recipients=[person])
    assert list(Notification.objects.values_list("channel", flat=True)) == [Channel.IN_APP]


def test_sms_is_sent_only_when_chosen_and_the_phone_is_verified():
    verified, unverified, without_phone, changed = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for person, number in ((verified, "+201001234567"), (unverified, "+201001234568"), (changed, "+201001234569")):
        person.phone = number  # a user's attribute stands in for the volunteer profile here
    verify_phone(verified, "+201001234567")
    verify_phone(changed, "+201009999999")  # proved, but the profile now holds another number
    for person in (verified, unverified, without_phone, changed):
        services.preferences_update(user=person, choices=[(Kind.NEED_REMINDER, Channel.SMS, True)])
    people = [verified, unverified, without_phone, changed]
    services.notify(kind=Kind.NEED_REMINDER, event_key="r1", context={}, recipients=people)
    sms = Notification.objects.filter(channel=Channel.SMS)
    assert [(r.recipient_id, r.address) for r in sms] == [(verified.pk, "+201001234567")]


@pytest.mark.quiet_hours
def test_a_non_urgent_email_at_night_waits_for_the_end_of_quiet_hours(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NIGHT_CAIRO)
    person = UserFactory()
    services.notify(kind=Kind.CASE_UPDATE, event_key="u1", context={}, recipients=[person])
    email = Notification.objects.get(channel=Channel.EMAIL)
    in_app = Notification.objects.get(channel=Channel.IN_APP)
    assert email.not_before == MORNING_CAIRO
    assert in_app.not_before == NIGHT_CAIRO, "the bell is silent, so in-app is not held"


@pytest.mark.quiet_hours
def test_an_urgent_kind_goes_out_during_quiet_hours(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NIGHT_CAIRO)
    services.notify(kind=Kind.MATCH_CANCELLED, event_key="c1", context={}, recipients=[UserFactory()])
    assert Notification.objects.get(channel=Channel.EMAIL).not_before == NIGHT_CAIRO


@pytest.mark.quiet_hours
def test_quiet_hours_follow_the_persons_own_zone_and_hours(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NIGHT_CAIRO)  # 00:30 in Riyadh
    person = UserFactory()
    services.preferences_update(
        user=person, time_zone="Asia/Riyadh", quiet_start=dt.time(23, 0), quiet_end=dt.time(6, 30)
    )
    services.notify(kind=Kind.CASE_UPDATE, event_key="u1", context={}, recipients=[person])
    assert Notification.objects.get(channel=Channel.EMAIL).not_before == dt.datetime(2027, 1, 10, 3, 30, tzinfo=dt.UTC)


@pytest.mark.quiet_hours
def test_no_quiet_hours_when_turned_off_or_by_day(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NIGHT_CAIRO)
    night_owl = UserFactory()
    services.preferences_update(user=night_owl, quiet_hours=False)
    services.notify(kind=Kind.CASE_UPDATE, event_key="u1", context={}, recipients=[night_owl])
    assert Notification.objects.get(channel=Channel.EMAIL).not_before == NIGHT_CAIRO
    row = NotificationSettings(quiet_start=dt.time(22), quiet_end=dt.time(7))
    assert services.quiet_hours_end(row, NOON_CAIRO) is None


def test_a_bare_address_gets_one_email_in_the_language_given_unless_it_opted_out():
    rows = services.notify(
        kind=Kind.REPORT_STATUS, event_key="r1", context={}, address="Reporter@Example.org", language="en"
    )
    assert [(r.channel, r.language, r.recipient_id) for r in rows] == [(Channel.EMAIL, "en", None)]
    EmailOptOut.objects.create(address="reporter@example.org", kind=Kind.REPORT_STATUS)
    assert services.notify(kind=Kind.REPORT_STATUS, event_key="r2", context={}, address="reporter@example.org") == []


def test_a_digest_is_one_per_key_and_hour_told_once_the_hour_ends_with_the_latest_count(monkeypatch):
    staff = UserFactory()
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 9, 10, 5, tzinfo=dt.UTC))
    for count in (1, 2, 3):
        services.notify_digest(
            kind=Kind.MATCHES_DIGEST, key="need:7", context={"match_count": count}, recipients=[staff]
        )
    (digest,) = Digest.objects.all()
    assert (digest.context, digest.hour) == ({"match_count": 3}, dt.datetime(2027, 1, 9, 10, 0, tzinfo=dt.UTC))
    assert services.digest_release() == 0, "the hour is not over"
    rows = Notification.objects.filter(kind=Kind.MATCHES_DIGEST)
    assert not rows.exists()

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 9, 11, 1, tzinfo=dt.UTC))
    assert services.digest_release() == 1
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert {r.context["match_count"] for r in rows} == {3}
    assert services.digest_release() == 0 and rows.count() == 2, "told once"
    services.notify_digest(kind=Kind.MATCHES_DIGEST, key="need:7", context={"match_count": 1}, recipients=[staff])
    assert Digest.objects.count() == 2, "the next hour starts a new digest"


def test_a_digest_for_a_charity_reaches_its_staff_as_they_are_when_it_goes_out(monkeypatch):
    owner, newcomer, quiet = UserFactory(), UserFactory(), UserFactory()
    services.preferences_update(user=quiet, choices=[(Kind.MATCHES_DIGEST, Channel.EMAIL, False)])
    staff = {owner.pk, quiet.pk}
    monkeypatch.setattr(
        services, "_digest_audience", lambda charity_id: User.objects.filter(pk__in=staff if charity_id == 5 else [])
    )
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 9, 10, 5, tzinfo=dt.UTC))
    services.notify_digest(kind=Kind.MATCHES_DIGEST, key="need:8", context={"match_count": 2}, charity_id=5)
    staff.add(newcomer.pk)  # joined the charity within the hour
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 9, 11, 0, tzinfo=dt.UTC))
    services.digest_release()
    told = set(Notification.objects.filter(kind=Kind.MATCHES_DIGEST).values_list("recipient_id", "channel"))
    assert told == {
        (owner.pk, "email"),
        (owner.pk, "in_app"),
        (newcomer.pk, "email"),
        (newcomer.pk, "in_app"),
        (quiet.pk, "in_app"),  # turned the digest's emails off
    }


def test_the_sweep_releases_digests(monkeypatch):
    staff = UserFactory()
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 9, 10, 5, tzinfo=dt.UTC))
    services.notify_digest(kind=Kind.MATCHES_DIGEST, key="need:9", context={"match_count": 1}, recipients=[staff])
    monkeypatch.setattr("notifications.tasks.notification_deliver_task.apply_async", lambda args: None)
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2027, 1, 9, 11, 0, 30, tzinfo=dt.UTC))
    queued = services.notification_sweep()
    email = Notification.objects.get(kind=Kind.MATCHES_DIGEST, channel="email")
    assert email.pk in queued
    assert Digest.objects.get().released_at is not None


def test_a_reminder_waits_until_its_time_and_can_be_withdrawn(monkeypatch):
    volunteer = UserFactory()
    at = timezone.now() + dt.timedelta(days=2)
    at = at.replace(hour=9)  # a day time in Cairo, so quiet hours do not move it
    services.notify_reminder(kind=Kind.NEED_REMINDER, key="need:7:2027", context={}, recipients=[volunteer], at=at)
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.not_before == at
    assert services.notification_cancel(kind=Kind.NEED_REMINDER, event_key="need:7:2027") == 2
    email.refresh_from_db()
    assert email.status == Notification.Status.CANCELLED
    in_app = Notification.objects.get(channel=Channel.IN_APP)
    assert in_app.status == Notification.Status.CANCELLED, "the bell never shows a withdrawn reminder"
    monkeypatch.setattr(timezone, "now", lambda: at + dt.timedelta(minutes=1))
    assert not notification_list_for_user(user=volunteer).exists()


def test_account_messages_cannot_be_turned_off():
    from core.errors import InvalidInput

    person = UserFactory()
    with pytest.raises(InvalidInput):
        services.preferences_update(user=person, choices=[(Kind.ACCOUNT_EMAIL, Channel.EMAIL, False)])
    assert not person.notification_preferences.exists()


@pytest.mark.quiet_hours
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_each_kind_is_held_by_quiet_hours_unless_urgent(kind, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NIGHT_CAIRO)
    person = UserFactory()
    services.preferences_update(user=person, choices=[(kind, Channel.EMAIL, True)])
    services.notify(kind=kind, event_key="night", context=SAMPLES[kind], recipients=[person])
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert email.not_before == (NIGHT_CAIRO if KINDS[kind].urgent else MORNING_CAIRO)
    assert services.notification_deliver(notification_id=email.pk) is None or KINDS[kind].urgent
