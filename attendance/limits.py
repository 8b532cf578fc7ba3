"""Attempt limits shared by the web pages and the API: a check-in code is six
digits and a certificate code is looked up by anyone, so both are throttled per
person or address in the cache (set CACHE_IN_REDIS=true with several web
processes). Rates are REST_FRAMEWORK's "check_in" and "certificates"."""

import time

from django.conf import settings
from django.core.cache import cache

from core.errors import DomainError

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class TooManyAttempts(DomainError):
    status_code = 429


def _rate(scope: str) -> tuple[int, int]:
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    count, period = rate.split("/")
    return int(count), PERIODS[period[0]]


def _key(key: str, scope: str) -> tuple[str, int, int]:
    limit, seconds = _rate(scope)
    return f"limit:{scope}:{key}:{int(time.time() // seconds)}", limit, seconds


def attempt_count(key: str, *, scope: str) -> int:
    """Count one attempt in the current window; returns the count so far."""
    name, _limit, seconds = _key(key, scope)
    cache.add(name, 0, timeout=seconds * 2)
    try:
        return cache.incr(name)
    except ValueError:  # evicted between add and incr
        cache.set(name, 1, timeout=seconds * 2)
        return 1


def attempts_exceeded(key: str, *, scope: str) -> bool:
    """Whether the attempts counted in this window already reached the limit."""
    name, limit, _seconds = _key(key, scope)
    return (cache.get(name) or 0) >= limit


def over_limit(key: str, *, scope: str) -> bool:
    """Count one attempt and say whether it passes the limit."""
    _name, limit, _seconds = _key(key, scope)
    return attempt_count(key, scope=scope) > limit
