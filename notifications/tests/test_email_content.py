"""What people read: subject, body, local time and (in Arabic) the Hijri date,
taken from Django's mail outbox."""

import pytest
from django.core import mail
from django.utils import translation

from notifications import services
from notifications.models import Channel, Kind, Notification
from notifications.tests.factories import UserFactory
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db


def _send(person, kind=Kind.MATCH_INVITED, context=None):
    services.preferences_update(user=person, choices=[(kind, Channel.EMAIL, True)])  # some kinds are in-app only
    services.notify(kind=kind, event_key="e1", context=context or SAMPLES[kind], recipients=[person])
    row = Notification.objects.get(recipient=person, kind=kind, channel=Channel.EMAIL)
    services.notification_deliver(notification_id=row.pk)
    return mail.outbox[-1]


def _html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_an_invitation_in_arabic_has_local_time_and_the_hijri_date():
    message = _send(UserFactory(language="ar"))
    assert message.subject == "دعوة للتطوع: توزيع سلال رمضان"
    assert "جمعية الخير" in message.body
    assert "16:00" in message.body, "14:00 UTC is 16:00 in Cairo"
    assert "9 يناير" in message.body and "2027" in message.body
    assert "1 شعبان 1448 هـ" in message.body
    assert "بتوقيت القاهرة" in message.body
    assert "http://127.0.0.1:8000/ar/cases/12/" in message.body
    html = _html(message)
    assert 'dir="rtl"' in html and "1 شعبان 1448 هـ" in html and "16:00" in html


def test_an_invitation_in_english_has_local_time_and_no_hijri_date():
    message = _send(UserFactory(language="en"))
    assert message.subject == "You are invited to volunteer: توزيع سلال رمضان"
    assert "invites you to help with" in message.body
    assert "Jan. 9, 2027, 16:00 Cairo time" in message.body
    assert "شعبان" not in message.body and "Sha" not in message.body
    assert "http://127.0.0.1:8000/en/cases/12/" in message.body
    assert 'dir="ltr"' in _html(message)


def test_the_time_is_shown_in_the_needs_zone():
    context = {**SAMPLES[Kind.MATCH_INVITED], "timezone": "Asia/Riyadh"}
    message = _send(UserFactory(language="en"), context=context)
    assert "17:00 Riyadh time" in message.body


def test_every_email_has_a_one_click_unsubscribe_link_and_header():
    message = _send(UserFactory())
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://127.0.0.1:8000/ar/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in message.body and header[1:-1] in _html(message)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_every_kind_renders_a_full_message_in_both_languages(kind, language):
    message = _send(UserFactory(language=language), kind=kind)
    title_field = next(iter(v for k, v in SAMPLES[kind].items() if k.endswith(("_title", "_name", "_code"))), None)
    assert message.subject and "%(" not in message.subject and "{{" not in message.body
    if title_field:
        assert str(title_field) in message.subject or str(title_field) in message.body
    assert "/notifications/unsubscribe/" in message.body
    with translation.override(language):
        assert str(Kind(kind).label)  # every kind has a translated name for the settings page
    body_lines = [line for line in message.body.splitlines() if line.strip()]
    assert len(body_lines) >= 4, message.body


def test_account_messages_keep_what_allauth_rendered():
    person = UserFactory()
    services.notification_record(
        kind=Kind.ACCOUNT_EMAIL, event_key="k", recipient=person, context={"subject": "تأكيد", "body": "الرابط"}
    )
    row = Notification.objects.get(kind=Kind.ACCOUNT_EMAIL)
    services.notification_deliver(notification_id=row.pk)
    assert (mail.outbox[0].subject, mail.outbox[0].body) == ("تأكيد", "الرابط")
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_what_callers_pass_is_escaped_in_html_and_kept_as_is_in_text():
    context = {**SAMPLES[Kind.CASE_UPDATE], "update_text": "<script>alert(1)</script> & more"}
    message = _send(UserFactory(language="en"), kind=Kind.CASE_UPDATE, context=context)
    assert "<script>alert(1)</script> & more" in message.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in _html(message)
    assert "<script>" not in _html(message)
