"""Account messages hold live links (password reset, email confirmation, a
guardian's consent): the key never enters an event or idempotency key, the body
is blanked once sent or failed for good, and the admin never shows it."""

import re
import smtplib

import pytest
from django.core import mail

from notifications import channels, services
from notifications.models import Kind, Notification

EMAIL = "omar@example.org"


def _reset_row(client, make_user) -> tuple[Notification, str]:
    make_user(EMAIL)
    assert client.post("/en/accounts/password/reset/", {"email": EMAIL}).status_code == 302
    row = Notification.objects.get(kind=Kind.ACCOUNT_EMAIL)
    key = re.search(r"/accounts/password/reset/key/([^/\s]+)/", row.context["body"]).group(1)
    return row, key


def test_neither_the_key_nor_the_address_is_in_the_keys(client, make_user):
    row, key = _reset_row(client, make_user)
    for secret in (key, key.split("-")[-1], EMAIL):
        assert secret not in row.event_key
        assert secret not in row.idempotency_key


def test_the_body_is_blanked_once_sent(client, make_user):
    row, key = _reset_row(client, make_user)
    services.notification_deliver(notification_id=row.pk)
    assert key in mail.outbox[0].body  # the person got the link
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT
    assert row.context == {"subject": mail.outbox[0].subject}


def test_the_body_is_blanked_when_delivery_fails_for_good(client, make_user, monkeypatch):
    row, _key = _reset_row(client, make_user)

    def refuse(notification):
        raise channels.PermanentDeliveryError(smtplib.SMTPRecipientsRefused({EMAIL: (550, b"no such user")}))

    monkeypatch.setitem(channels.SENDERS, "email", refuse)
    services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.FAILED and set(row.context) == {"subject"}


def test_a_blanked_account_message_cannot_be_sent_again(client, make_user):
    row, _key = _reset_row(client, make_user)
    services.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    with pytest.raises(services.StateConflict):
        services.notification_resend(notification=row)


def test_the_admin_never_shows_edits_or_finds_the_body(client, make_user, admin_client):
    row, key = _reset_row(client, make_user)
    page = admin_client.get(f"/en/admin/notifications/notification/{row.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert key not in html and 'name="context"' not in html
    found = admin_client.get("/en/admin/notifications/notification/", {"q": key})
    assert f"/notification/{row.pk}/change/" not in found.content.decode()
    admin_client.post(f"/en/admin/notifications/notification/{row.pk}/change/", {"context": "{}", "status": "sent"})
    row.refresh_from_db()
    assert row.status == Notification.Status.PENDING and key in row.context["body"]
