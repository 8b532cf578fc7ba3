import re

import pytest
from django.core import mail

from accounts.models import User
from notifications.models import Notification
from notifications.services import notification_deliver

APP = "/_allauth/app/v1"


def _deliver_pending():
    for notification in Notification.objects.filter(status=Notification.Status.PENDING):
        notification_deliver(notification_id=notification.pk)


def test_sign_up_in_the_browser_sends_a_verification_email_through_the_outbox(client, db):
    response = client.post(
        "/ar/accounts/signup/",
        {"email": "layla@example.org", "password1": "a-long-pass-2027", "password2": "a-long-pass-2027"},
    )
    assert response.status_code == 302
    assert User.objects.filter(email="layla@example.org").exists()
    row = Notification.objects.get(kind="account_email", address="layla@example.org")
    assert row.status == "pending" and row.language == "ar"
    _deliver_pending()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["layla@example.org"]
    assert re.search(r"/accounts/confirm-email/\S+/", mail.outbox[0].body)


def test_sign_up_refuses_mismatched_passwords_in_arabic_and_saves_nothing(client, db):
    response = client.post(
        "/ar/accounts/signup/",
        {"email": "layla@example.org", "password1": "a-long-pass-2027", "password2": "other-pass-2027"},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()
    assert not User.objects.filter(email="layla@example.org").exists()


def test_sign_in_in_the_browser(client, make_user):
    make_user("omar@example.org", password="a-long-pass-2027")
    response = client.post("/en/accounts/login/", {"login": "omar@example.org", "password": "a-long-pass-2027"})
    assert response.status_code == 302
    assert client.get("/en/").context["user"].email == "omar@example.org"


def test_sign_in_refuses_a_wrong_password(client, make_user):
    make_user("omar@example.org", password="a-long-pass-2027")
    response = client.post("/en/accounts/login/", {"login": "omar@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_headless_sign_up_then_an_api_call_with_the_session_token(client, db):
    response = client.post(
        f"{APP}/auth/signup",
        {"email": "sara@example.org", "password": "a-long-pass-2027"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    me = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200
    assert me.json()["email"] == "sara@example.org"


def test_headless_sign_in_returns_a_session_token(client, make_user):
    make_user("omar@example.org", password="a-long-pass-2027")
    response = client.post(
        f"{APP}/auth/login",
        {"email": "omar@example.org", "password": "a-long-pass-2027"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).json()["email"] == "omar@example.org"


@pytest.mark.parametrize("token", [None, "not-a-real-token"])
def test_the_api_refuses_calls_without_a_valid_session_token(client, db, token):
    headers = {"HTTP_X_SESSION_TOKEN": token} if token else {}
    response = client.get("/api/v1/me/", **headers)
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_a_logged_out_token_no_longer_works(client, make_user):
    make_user("omar@example.org", password="a-long-pass-2027")
    token = client.post(
        f"{APP}/auth/login",
        {"email": "omar@example.org", "password": "a-long-pass-2027"},
        content_type="application/json",
    ).json()["meta"]["session_token"]
    client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token)
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code in (401, 403)


def test_password_reset_mail_is_sent(client, make_user):
    make_user("omar@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "omar@example.org"})
    assert response.status_code == 302
    _deliver_pending()
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
