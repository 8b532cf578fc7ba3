"""Staff sign-in: the admin's login goes through allauth (rate-limited), and staff
(admin users, moderators, superusers) need TOTP with recovery codes, on the web and the API."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.test import APIClient

from cases.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db
PASSWORD = "s3cret-pass!"
# allauth tells of a new authenticator after commit (where the session records it):
# these run with real commits, as a request does.
TRANSACTIONAL = pytest.mark.django_db(transaction=True)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238, computed here as a phone would).
    Near the end of its 30 seconds it waits for the next code, as a person would: one
    typed at 29.9 s reaches the server in the next period, and allauth (no tolerance)
    refuses it."""
    import time

    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture(autouse=True)
def _mfa_on(settings):
    from django.utils import translation

    settings.STAFF_MFA_REQUIRED = True
    yield
    translation.activate(settings.LANGUAGE_CODE)  # the /en/ pages leave English active in this thread


@pytest.fixture
def moderator(make_user):
    user = make_user("mod@example.org", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="cases"))
    return user


def _sign_in(client, email, password=PASSWORD, next_url=""):
    url = "/en/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password}, HTTP_ACCEPT_LANGUAGE="en")


def _activate(client) -> str:
    page = client.get("/en/accounts/2fa/totp/activate/")
    if page.status_code == 302 and "/reauthenticate/" in page["Location"]:  # allauth asks for the password again
        assert client.post(page["Location"], {"password": PASSWORD}).status_code == 302
        page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def test_the_admin_sign_in_page_sends_to_allauth_with_next(client):
    response = client.get("/en/admin/login/?next=/en/admin/cases/case/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2Fcases%2Fcase%2F"
    assert client.get("/en/admin/")["Location"].startswith("/en/admin/login/")


def test_the_admin_sign_in_refuses_an_outside_next(client):
    response = client.get("/en/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2F"


def test_a_signed_in_non_staff_visitor_is_told_and_sent_home(client, plain_user):
    client.force_login(plain_user)
    response = client.get("/en/admin/login/")
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_staff_sign_in_is_rate_limited(client, moderator, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    cache.clear()
    for _ in range(3):
        assert "Too many failed" not in _sign_in(client, moderator.email, "wrong").content.decode()
    response = _sign_in(client, moderator.email)
    assert response.status_code == 200 and "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session, "even the right password waits"


def test_staff_without_totp_are_sent_to_set_it_up_before_any_staff_page(client, moderator):
    ReportFactory()
    assert _sign_in(client, moderator.email, next_url="/en/admin/").status_code == 302
    for page in ("/en/admin/", "/en/moderation/", "/en/"):
        response = client.get(page)
        assert (response.status_code, response["Location"]) == (302, "/en/accounts/2fa/totp/activate/"), page
    assert client.get("/en/accounts/2fa/totp/activate/").status_code in (200, 302)
    assert client.get("/en/accounts/reauthenticate/").status_code == 200, "reachable to set it up"


@TRANSACTIONAL
def test_setting_up_totp_with_a_real_code_opens_the_admin_and_makes_recovery_codes(client, moderator):
    _sign_in(client, moderator.email)
    _activate(client)
    assert set(Authenticator.objects.filter(user=moderator).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert client.get("/en/admin/").status_code == 200
    assert client.get("/en/moderation/").status_code == 200


def test_a_wrong_code_sets_nothing_up(client, moderator):
    _sign_in(client, moderator.email)
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/en/accounts/2fa/totp/activate/")
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": "000000"})
    assert response.status_code == 200 and not Authenticator.objects.filter(user=moderator).exists()
    assert client.get("/en/admin/").status_code == 302


@TRANSACTIONAL
def test_with_totp_the_password_alone_opens_nothing(client, moderator):
    _sign_in(client, moderator.email)
    secret = _activate(client)
    client.post("/en/accounts/logout/")
    response = _sign_in(client, moderator.email, next_url="/en/admin/")
    assert response["Location"].startswith("/en/accounts/2fa/authenticate/")
    assert client.get("/en/admin/").status_code == 302
    assert client.post("/en/accounts/2fa/authenticate/", {"code": "123456"}).status_code == 200
    response = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


@TRANSACTIONAL
def test_a_recovery_code_is_a_second_factor(client, moderator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    _sign_in(client, moderator.email)
    _activate(client)
    client.post("/en/accounts/logout/")
    code = RecoveryCodes(Authenticator.objects.get(user=moderator, type="recovery_codes")).get_unused_codes()[0]
    _sign_in(client, moderator.email)
    assert client.post("/en/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/en/moderation/").status_code == 200


def test_a_session_that_skipped_the_second_factor_is_signed_out(client, moderator):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(moderator, generate_totp_secret())
    client.force_login(moderator)  # a session made without allauth's MFA stage
    response = client.get("/en/moderation/")
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/?next=")
    assert "_auth_user_id" not in client.session


def test_superusers_need_it_and_volunteers_do_not(client, make_user, plain_user):
    root = make_user("root@example.org", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/en/").status_code == 302
    client.force_login(plain_user)
    assert client.get("/en/").status_code == 200


# --- The API (allauth headless tokens) ---------------------------------------------------------------


def _app_login(api, email):
    return api.post("/_allauth/app/v1/auth/login", {"email": email, "password": PASSWORD}, format="json")


def test_a_moderator_token_is_refused_until_totp_is_set_up(moderator):
    api = APIClient()
    response = _app_login(api, moderator.email)
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    refused = api.get("/api/v1/moderation/reports/", HTTP_X_SESSION_TOKEN=token)
    assert refused.status_code == 403 and refused.json()["code"] == "mfa_required"
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 403


def test_a_moderator_token_works_once_the_code_is_given(moderator):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(moderator, secret)
    api = APIClient()
    pending = _app_login(api, moderator.email)
    assert pending.status_code == 401
    body = pending.json()
    assert any(flow.get("id") == "mfa_authenticate" and flow.get("is_pending") for flow in body["data"]["flows"])
    token = body["meta"]["session_token"]
    assert api.get("/api/v1/moderation/reports/", HTTP_X_SESSION_TOKEN=token).status_code in (401, 403)
    done = api.post(
        "/_allauth/app/v1/auth/2fa/authenticate",
        {"code": totp_code(secret)},
        format="json",
        HTTP_X_SESSION_TOKEN=token,
    )
    assert done.status_code == 200, done.json()
    token = done.json()["meta"]["session_token"]
    assert api.get("/api/v1/moderation/reports/", HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_a_volunteer_token_needs_no_second_factor(plain_user):
    api = APIClient()
    token = _app_login(api, plain_user.email).json()["meta"]["session_token"]
    assert api.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200
