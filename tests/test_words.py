"""Words a person reads: counts with Arabic's six plural forms, titles that agree with
a volunteer's gender, one clock per language, "Choose…" not "---------"."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from cases.services.moderation import moderation_summary_send
from cases.tests.factories import ReportFactory
from core.calendars import time_ago
from notifications.kinds import title_for
from notifications.messages import render_body
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("minutes", "arabic"),
    [(1, "منذ دقيقة"), (2, "منذ دقيقتين"), (5, "منذ 5 دقائق"), (11, "منذ 11 دقيقة"), (180, "منذ 3 ساعات")],
)
def test_time_ago_uses_the_arabic_plural_forms(minutes, arabic):
    now = timezone.now()
    with translation.override("ar"):
        assert time_ago(now - dt.timedelta(minutes=minutes), now) == arabic
        assert time_ago(now - dt.timedelta(seconds=7), now) == "الآن"


@pytest.mark.parametrize(
    ("gender", "title"),
    [("female", "أكّدت منى مشاركتها"), ("male", "أكّد منى مشاركته"), ("unknown", "تأكيد مشاركة منى")],
)
def test_a_confirmation_agrees_with_the_volunteers_gender(gender, title):
    row = Notification(
        kind=Kind.MATCH_CONFIRMED,
        context={"volunteer_name": "منى", "need_title": "سلال", "case_title": "أسر", "volunteer_gender": gender},
        language="ar",
    )
    with translation.override("ar"):
        assert title_for(row).startswith(title)


def test_the_moderators_note_counts_what_waits_and_opens_the_queue(moderator_with_permission):
    for _ in range(3):
        ReportFactory()
    moderation_summary_send()
    row = Notification.objects.get(kind=Kind.MODERATION_SUMMARY, channel="in_app")
    with translation.override("ar"):
        assert title_for(row) == "قائمة المراجعة: 3 بلاغات بانتظار المراجعة"
    assert row.context["url"] == "/moderation/"
    assert "/admin/" not in render_body(row, {**row.context, "title": ""})


def test_selects_say_choose_rather_than_dashes(client):
    html = client.get("/ar/report/").content.decode()
    assert "---------" not in html and "اختر…" in html
