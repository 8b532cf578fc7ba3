import re

import pytest
from django.db import DatabaseError


@pytest.mark.parametrize(("path", "lang", "direction"), [("/ar/", "ar", "rtl"), ("/en/", "en", "ltr")])
def test_home_renders_in_each_language_with_its_direction(client, db, path, lang, direction):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    stylesheet = "bootstrap.rtl.min.css" if direction == "rtl" else "bootstrap.min.css"
    assert stylesheet in html


def test_the_root_redirects_to_arabic_first(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_the_language_switcher_links_the_same_page_in_the_other_language(client, db):
    html = client.get("/ar/accounts/login/").content.decode()
    assert 'href="/en/accounts/login/"' in html
    html = client.get("/en/accounts/login/").content.decode()
    assert 'href="/ar/accounts/login/"' in html


def test_arabic_pages_show_the_hijri_date_beside_the_gregorian(client, db):
    html = client.get("/ar/").content.decode()
    assert re.search(r"\(\d+ [^()]+ 14\d\d هـ\)", html)


def test_pages_use_no_cdn(client, db):
    html = client.get("/ar/").content.decode()
    assert not re.search(r"(src|href)=\"https?://", html)


def test_health_reports_database_and_broker(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_health_says_the_broker_is_down_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get("/health/").json()["broker"] == "down"


def test_health_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("core.health.connection.cursor", broken_cursor)
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


@pytest.mark.redis
def test_health_says_the_broker_is_ok_when_redis_answers(client, db):
    assert client.get("/health/").json()["broker"] == "ok"


def test_api_docs_are_served_without_a_cdn(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html
