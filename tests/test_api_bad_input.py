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
    assert response.status_code == 401


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


# Bodies: not UTF-8, not JSON, not a type the API reads.


@pytest.fixture
def signed_in(make_user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user("layla@example.org"))
    return client


def test_a_body_that_is_not_utf8_is_a_400_saying_so(signed_in):
    response = signed_in.post(
        "/api/v1/charities/", b'{"name": "\xff"}', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.json()["detail"]


def test_malformed_json_is_a_400(signed_in):
    response = signed_in.post(
        "/api/v1/charities/", b'{"name": ', content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The body is not valid JSON")


def test_nan_is_not_json(signed_in):
    response = signed_in.patch(
        "/api/v1/me/profile/", b'{"location": {"lat": NaN, "lon": 31}}', content_type="application/json"
    )
    assert response.status_code == 400


def test_a_body_in_a_type_the_api_does_not_read_is_a_415(signed_in):
    response = signed_in.post("/api/v1/charities/", b"<charity/>", content_type="application/xml")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_a_json_array_where_an_object_belongs_is_a_400(signed_in):
    response = signed_in.post("/api/v1/charities/", b"[1, 2]", content_type="application/json")
    assert response.status_code == 400


# Ids too large for PostgreSQL's bigint, in the path and in the body.

HUGE_IDS = ["99999999999999999999", str(2**63), str(2**64)]


def _int_routes(patterns=None, prefix=""):
    """Every route with an `<int:…>` part, API and pages, as path templates."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _int_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and "<int:" in route:
            yield "/" + route


def test_there_are_int_routes_in_the_api_and_the_pages():
    routes = list(_int_routes())
    assert any(r.startswith("/api/v1/") for r in routes)
    assert any(r.startswith("/ar/") for r in routes)


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_path_id_beyond_bigint_is_a_404_never_a_500(client, make_user, huge):
    import re

    client.force_login(make_user("root@example.org", is_staff=True, is_superuser=True))
    for route in _int_routes():
        path = re.sub(r"<int:\w+>", huge, route)
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(client, method)(path, {}, content_type="application/json")
            assert response.status_code in (302, 404, 405), (method, path, response.status_code)


def test_an_api_path_id_beyond_bigint_answers_json(signed_in):
    response = signed_in.get(f"/api/v1/cases/{2**63}/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize("huge", [99999999999999999999, 2**63, -(2**63) - 1])
def test_an_id_beyond_bigint_in_a_body_is_a_400_naming_the_field(client, charity_owner, verified_charity, huge):
    from cases.models import Case

    client.force_login(charity_owner)
    body = {"charity": huge, "title": "Roof", "description": "Before winter.", "region": "EG-C"}
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["charity"]
    assert not Case.objects.exists()


def test_a_huge_number_in_a_body_is_a_400_naming_the_field(client, charity_owner, verified_charity):
    from cases.tests.factories import CaseFactory

    case = CaseFactory(charity=verified_charity)
    client.force_login(charity_owner)
    body = {
        "activity_type": "food_baskets",
        "starts_at": "2030-01-05T10:00:00+02:00",
        "ends_at": "2030-01-05T12:00:00+02:00",
        "volunteers_needed": 10**30,
    }
    response = client.post(f"/api/v1/cases/{case.pk}/needs/", body, content_type="application/json")
    assert response.status_code == 400
    assert "volunteers_needed" in response.json()


# Session tokens that no longer hold.


def test_a_made_up_session_token_is_a_401(client, db):
    response = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN="not-a-real-token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Session-Token")


def test_a_signed_out_session_token_is_a_401(client, token):
    client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token)
    response = client.get("/api/v1/me/profile/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401


def test_a_session_token_of_a_deactivated_account_is_a_401(client, token, django_user_model):
    django_user_model.objects.filter(email="omar@example.org").update(is_active=False)
    response = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401


def test_a_session_token_of_a_deleted_account_is_a_401(client, token):
    assert client.delete("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 204
    response = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401


@pytest.mark.parametrize("query", ["page=99999999999999999999", "page=-1", "page_size=99999999999999999999", "page=x"])
def test_a_page_beyond_reach_is_a_4xx_or_clamped(client, db, query):
    response = client.get(f"/api/v1/cases/?{query}")
    assert response.status_code in (200, 404)
    assert response["Content-Type"] == "application/json"


def test_an_expired_session_token_is_a_401(client, token):
    """Stale: the session behind the token has passed its expiry date."""
    import datetime as dt

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert response.status_code == 401
