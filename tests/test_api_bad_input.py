"""Malformed requests get a clear 4xx, never a 500."""

import json

import pytest

APP = "/_allauth/app/v1"


@pytest.fixture
def token(client, make_user):
    make_user("omar@example.org", password="a-long-pass-2027")
    response = client.post(
        f"{APP}/auth/login",
        {"email": "omar@example.org", "password": "a-long-pass-2027"},
        content_type="application/json",
    )
    return response.json()["meta"]["session_token"]


def test_a_body_over_one_megabyte_is_refused_before_parsing(client, db):
    body = json.dumps({"email": "x" * (1024 * 1024 + 10)})
    response = client.post(f"{APP}/auth/login", body, content_type="application/json")
    assert response.status_code == 413
    assert "detail" in response.json()


def test_a_bogus_content_length_is_refused(client, db):
    response = client.post("/api/v1/me/", "{}", content_type="application/json", CONTENT_LENGTH="lots")
    assert response.status_code == 400


def test_a_revoked_session_token_is_refused(client, token):
    client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token)
    response = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code in (401, 403)


def test_an_unknown_route_under_the_api_is_a_404(client, db):
    assert client.get("/api/v1/nothing-here/").status_code == 404


def test_an_api_path_that_matches_no_route_answers_json(client, db):
    response = client.get("/api/v1/me/notifications/-5/read/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_page_that_does_not_exist_is_an_html_404(client, db):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_sign_in_attempts_beyond_the_limit_get_429(client, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    make_user("omar@example.org", password="a-long-pass-2027")
    statuses = [
        client.post(
            f"{APP}/auth/login", {"email": "omar@example.org", "password": "wrong"}, content_type="application/json"
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, make_user, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/5m/key"}
    make_user("omar@example.org", password="a-long-pass-2027")
    for _ in range(3):
        client.post(
            f"{APP}/auth/login", {"email": "omar@example.org", "password": "x"}, content_type="application/json"
        )
    response = client.post(
        f"{APP}/auth/login",
        {"email": "omar@example.org", "password": "a-long-pass-2027"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"
