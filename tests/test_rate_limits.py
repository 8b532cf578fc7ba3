"""Rate limits count per client address, derived once (core.http.client_ip):
a spoofed X-Forwarded-For changes nothing without a trusted proxy, and behind one
each visitor keeps their own bucket."""

import pytest
from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.test import APIClient

from core.api import throttling
from core.http import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _request(xff=None, remote=PROXY):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("trusted", "xff", "expected"),
    [
        (0, "203.0.113.9", PROXY),
        (0, None, PROXY),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", PROXY),  # fewer entries than proxies: it did not come through them
        (1, "not-an-address", PROXY),
        (1, "[2001:db8::7]:4711", "2001:db8::7"),
    ],
)
def test_the_client_address_is_the_nth_from_the_right(settings, trusted, xff, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_ip(_request(xff)) == expected


def _report():
    return {
        "description": "أسرة بلا مأوى تحتاج بطاطين",
        "region": "EG-C",
        "location_text": "المطرية",
        "contact": "reporter@example.org",
        "consent": True,
    }


def _post_report(client, xff):
    return client.post("/api/v1/reports/", _report(), format="json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)


def test_a_spoofed_forwarded_for_does_not_escape_the_report_limit_without_a_proxy(settings, monkeypatch):
    monkeypatch.setattr("cases.services.reports.clock", lambda: 1_800_000_000.0)
    settings.TRUSTED_PROXY_COUNT = 0
    client = APIClient()
    for n in range(5):
        assert _post_report(client, f"198.51.100.{n}").status_code == 201
    assert _post_report(client, "198.51.100.99").status_code == 429


def test_two_visitors_behind_one_trusted_proxy_get_their_own_report_limit(settings, monkeypatch):
    monkeypatch.setattr("cases.services.reports.clock", lambda: 1_800_000_000.0)
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient()
    for _ in range(5):
        assert _post_report(client, "198.51.100.1").status_code == 201
    assert _post_report(client, "198.51.100.1").status_code == 429
    assert _post_report(client, "6.6.6.6, 198.51.100.1").status_code == 429, "a spoofed entry changes nothing"
    assert _post_report(client, "198.51.100.2").status_code == 201


def test_the_report_form_counts_by_the_same_address(settings, monkeypatch, client):
    monkeypatch.setattr("cases.services.reports.clock", lambda: 1_800_000_000.0)
    settings.TRUSTED_PROXY_COUNT = 1
    from cases.services.reports import report_rate_limited

    for _ in range(5):
        report_rate_limited("198.51.100.1")
    blocked = client.post("/en/report/", {"description": "x"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = client.post("/en/report/", {"description": "x"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert (blocked.status_code, other.status_code) == (429, 400)


@pytest.fixture
def two_a_minute(monkeypatch):
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})


def test_the_api_anonymous_throttle_ignores_a_spoofed_forwarded_for(settings, two_a_minute):
    settings.TRUSTED_PROXY_COUNT = 0
    client = APIClient()
    codes = [
        client.get("/api/v1/regions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_api_anonymous_throttle_separates_visitors_behind_a_trusted_proxy(settings, two_a_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient()
    first = [
        client.get("/api/v1/regions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        for _ in range(3)
    ]
    second = client.get("/api/v1/regions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code
    assert (first, second) == ([200, 200, 429], 200)


def test_allauth_rate_limits_count_by_the_same_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request("6.6.6.6, 198.51.100.7")
    assert get_adapter(request).get_client_ip(request) == "198.51.100.7"


def test_production_keeps_throttle_counters_in_redis():
    import os
    import subprocess
    import sys

    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "volunteerbank.settings.production"}
    environment.update(SECRET_KEY="x" * 50, REDIS_URL="redis://127.0.0.1:6379/9")
    environment.pop("CACHE_IN_REDIS", None)
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr
