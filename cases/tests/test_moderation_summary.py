"""The moderators' daily summary of the report queue: one row per moderator and
channel per day, only for a queue with something in it, only their regions."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.utils import timezone

from cases.models import ModeratorRegion, Report
from cases.selectors import moderator_list
from cases.services.moderation import moderation_summary_send
from cases.tasks import moderation_summary_task
from cases.tests.factories import ReportFactory
from core.models import Region
from notifications import services as outbox
from notifications.models import Kind, Notification
from volunteerbank.schedule import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db

MORNING = dt.datetime(2027, 1, 9, 5, 0, tzinfo=dt.UTC)  # 07:00 in Cairo


def _rows(user=None):
    rows = Notification.objects.filter(kind=Kind.MODERATION_SUMMARY)
    return rows.filter(recipient=user) if user else rows


def test_moderators_are_superusers_and_staff_granted_the_permission(
    moderator_with_permission, moderator, plain_user, make_user
):
    admin = make_user("root@example.org", is_superuser=True, is_staff=True)
    by_group = make_user("group@example.org", is_staff=True)
    group = Group.objects.create(name="moderators")
    group.permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="cases"))
    by_group.groups.add(group)
    make_user("gone@example.org", is_superuser=True, is_active=False)
    assert set(moderator_list()) == {moderator_with_permission, admin, by_group}


def test_each_moderator_gets_one_summary_per_channel_per_day_even_when_run_twice(moderator_with_permission, make_user):
    admin = make_user("root@example.org", is_superuser=True, is_staff=True)
    oldest = ReportFactory(created_at=MORNING - dt.timedelta(days=2))
    ReportFactory(created_at=MORNING - dt.timedelta(hours=3))
    ReportFactory(status=Report.Status.REJECTED, created_at=MORNING - dt.timedelta(days=9))
    moderation_summary_send(now=MORNING)
    moderation_summary_send(now=MORNING + dt.timedelta(hours=3))
    for person in (moderator_with_permission, admin):
        rows = _rows(person)
        assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
        row = rows.get(channel="email")
        assert row.context["pending_count"] == 2
        assert row.context["oldest_pending_at"] == oldest.created_at.isoformat()
        assert row.event_key == "day:2027-01-09"
    moderation_summary_send(now=MORNING + dt.timedelta(days=1))
    assert _rows(admin).count() == 4, "the next day is a new summary"


def test_nothing_is_sent_when_nothing_is_pending(moderator_with_permission):
    ReportFactory(status=Report.Status.APPROVED)
    assert moderation_summary_send(now=MORNING) == []
    assert not _rows().exists()


def test_a_moderator_limited_to_regions_hears_only_of_theirs(moderator_with_permission, make_user):
    riyadh = make_user("riyadh@example.org", is_staff=True)
    riyadh.user_permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="cases"))
    ModeratorRegion.objects.create(user=riyadh, region=Region.objects.get(code="SA-01"))
    ReportFactory()  # Cairo
    moderation_summary_send(now=MORNING)
    assert _rows(moderator_with_permission).count() == 2
    assert not _rows(riyadh).exists()


def test_non_moderators_get_nothing(moderator, plain_user, charity_owner):
    ReportFactory()
    moderation_summary_send(now=MORNING)
    assert not _rows().exists()


def test_the_task_sends_it_and_the_email_reads_in_arabic(moderator_with_permission, monkeypatch):
    ReportFactory(created_at=MORNING - dt.timedelta(hours=5))
    monkeypatch.setattr(timezone, "now", lambda: MORNING)
    moderation_summary_task()
    moderation_summary_task()
    row = _rows(moderator_with_permission).get(channel="email")
    outbox.notification_deliver(notification_id=row.pk)
    (message,) = mail.outbox
    assert "بلاغ واحد" in message.subject and "بلاغ" in message.body  # Arabic says "one report" in words
    assert "/ar/moderation/" in message.body
    assert "بتوقيت القاهرة" in message.body and "هـ" in message.body


def test_beat_runs_it_every_morning_in_cairo_time():
    entry = BEAT_SCHEDULE["moderation-summary"]
    assert entry["task"] == "cases.tasks.moderation_summary_task"
    schedule = entry["schedule"]
    assert str(schedule.tz) == "Africa/Cairo"
    assert schedule.hour == {7} and schedule.minute == {0}
