"""Words a person reads: counts with Arabic's six plural forms, titles that agree with
a volunteer's gender, one clock per language, "Choose…" not "---------"."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from cases.services.moderation import moderation_summary_send
from cases.tests.factories import ReportFactory
from core.calendars import time_ago
from core.templatetags.calendars import duration_until
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


# Counts of 1, 2, 3, 11 and 100 take five of Arabic's six forms: each page a person reads
# them on says them as Arabic does, not "منذ 5 دقيقة" or "2 يومين".
COUNTS = (1, 2, 3, 11, 100)


def test_the_notifications_page_says_how_long_ago_in_arabic(client, volunteer):
    from notifications.models import Channel
    from notifications.services import notify
    from notifications.tests.samples import SAMPLES

    now = timezone.now()
    for count in COUNTS:
        rows = notify(
            kind=Kind.MATCH_INVITED,
            event_key=f"ago-{count}",
            context=SAMPLES[Kind.MATCH_INVITED],
            recipients=[volunteer],
        )
        ago = dt.timedelta(days=count) if count == 100 else dt.timedelta(minutes=count, seconds=20)
        Notification.objects.filter(pk__in=[row.pk for row in rows if row.channel == Channel.IN_APP]).update(
            not_before=now - ago
        )
    client.force_login(volunteer)
    html = client.get("/ar/notifications/").content.decode()
    for words in ("منذ دقيقة<", "منذ دقيقتين<", "منذ 3 دقائق<", "منذ 11 دقيقة<", "منذ 100 يوم<"):
        assert words in html
    assert "منذ 1 دقيقة" not in html and "منذ 2 دقيقتين" not in html


def test_the_volunteer_dashboard_says_how_long_an_invitation_waits_in_arabic(client, volunteer):
    from cases.tests.factories import NeedFactory
    from matching.models import Match

    now = timezone.now()
    for count in COUNTS:
        need = NeedFactory(starts_at=now + dt.timedelta(days=120 + count))
        within = dt.timedelta(days=count) if count == 100 else dt.timedelta(hours=count)
        Match.objects.create(
            need=need,
            volunteer=volunteer.volunteer_profile,
            charity=need.case.charity,
            status=Match.Status.INVITED,
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=240,
            proposed_at=now,
            invited_at=now,
            expires_at=now + within + dt.timedelta(seconds=30),
        )
    client.force_login(volunteer)
    html = client.get("/ar/volunteer/").content.decode()
    for when in ("ساعة", "ساعتين", "3 ساعات", "11 ساعة", "100 يوم"):
        assert f"يرجى الرد خلال {when}." in html, when
    with translation.override("ar"):
        almost_two_days = duration_until(now + dt.timedelta(hours=48) - dt.timedelta(seconds=90))
    assert almost_two_days == "يوم، 23 ساعة"  # not "يوم": a fresh 48-hour invitation


def test_the_case_page_counts_the_volunteers_each_need_asks_for_in_arabic(client):
    from cases.tests.factories import CaseFactory, NeedFactory

    case = CaseFactory()
    for count in COUNTS:
        NeedFactory(case=case, volunteers_needed=count)
    html = client.get(f"/ar/cases/{case.pk}/").content.decode()
    for words in ("مطلوب متطوع واحد", "مطلوب متطوعان", "مطلوب 3 متطوعين", "مطلوب 11 متطوعًا", "مطلوب 100 متطوع"):
        assert words in html


def test_the_error_summary_never_doubles_punctuation(client):
    with translation.override("ar"):
        html = client.post("/ar/report/", {"description": "", "urgency": 1}).content.decode()
    summary = html[html.index("vb-error-summary") : html.index("</ul>", html.index("vb-error-summary"))]
    assert "ما المطلوب؟ صِف ما المطلوب." in summary and "المنطقة: اختر المنطقة." in summary, summary
    assert ".:" not in html and "؟:" not in html
