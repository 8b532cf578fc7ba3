"""A shared cache of public pages for anonymous visitors, so a case shared on WhatsApp
survives a spike: thousands of visitors read one stored copy instead of rendering it.

Rules (tested in core/tests/test_public_cache.py):
- Only anonymous requests take part: a GET or HEAD with no session cookie, no messages
  cookie, no `Authorization` or `X-Session-Token` header and not from htmx. Anyone
  signed in (or mid-flow with a session) gets a fresh page and never writes to the cache.
- A response is stored only when nothing per-person can be in it: status 200, no
  `Set-Cookie`, no CSRF token asked for while rendering, no `csrfmiddlewaretoken` in the
  body, the session not written. Only the body, status and content type are kept, so a
  hit is rebuilt from scratch and the middleware adds today's headers.
- Keys hold the language, scheme and host, the path and the sorted query string; the
  entry holds the versions of every scope the page shows ("all", "lists", "case:<id>",
  "charity:<id>") when it was built, and is served only while they are current (one MGET
  reads the page and the versions).
  The services bump a scope's version (`bump`) when what it shows changes — once at
  once and once after commit, so a page rebuilt from the old rows meanwhile is dropped
  too; entries expire after `PUBLIC_CACHE_SECONDS` anyway (0 turns the cache off).

The cache alias is `public`: Redis when `REDIS_URL` is set (every web process and
worker shares the versions), a per-process memory cache in development.
"""

import contextlib
import functools
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

logger = logging.getLogger(__name__)
ALIAS = "public"
_VERSION = "pc:v:"
_PAGE = "pc:p:"
ALL = "all"
LISTS = "lists"
HIT_HEADER = "X-Public-Cache"


def _cache():
    return caches[ALIAS]


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 0) or 0)


def case_scope(pk) -> str:
    return f"case:{pk}"


def charity_scope(pk) -> str:
    return f"charity:{pk}"


def bump(*scopes: str) -> None:
    """Give each scope a new version now and again after the transaction commits, so no
    page built on the old rows is served again (a no-op when the cache is off)."""
    if not scopes or not _seconds():
        return

    def renew():
        try:
            _cache().set_many({_VERSION + scope: uuid.uuid4().hex for scope in scopes}, timeout=None)
        except Exception:  # pages may then be stale for PUBLIC_CACHE_SECONDS; the change itself stands
            logger.warning("public page cache unavailable: %s not bumped", scopes, exc_info=True)

    renew()
    transaction.on_commit(renew)


def bump_case(*, case_id, charity_id=None) -> None:
    """What a change of a case (its story, status, needs, updates or photos) shows on:
    its page, every list, and its charity's public profile."""
    scopes = [case_scope(case_id), LISTS]
    if charity_id:
        scopes.append(charity_scope(charity_id))
    bump(*scopes)


def _read(page_key: str, scopes: list[str]) -> tuple[list[str], object]:
    """The scopes' current versions and the stored page, in one round trip (MGET)."""
    cache = _cache()
    keys = [_VERSION + scope for scope in scopes]
    found = cache.get_many([page_key, *keys])
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:  # first use or evicted: a new version (no stored page can match it)
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found.update(cache.get_many(list(missing)))
    return [str(found.get(key, "")) for key in keys], found.get(page_key)


def _anonymous(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_X_SESSION_TOKEN" not in request.META
        and "HTTP_HX_REQUEST" not in request.META
    )


def _key(request, vary_on_accept: bool) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    parts = [
        get_language() or "",
        request.scheme,
        request.get_host(),
        request.path,
        query,
        request.META.get("HTTP_ACCEPT", "") if vary_on_accept else "",
    ]
    return _PAGE + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def storable(request, response) -> bool:
    """Whether a rendered response may be shared with every anonymous visitor."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a CSRF token was rendered
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    return b"csrfmiddlewaretoken" not in response.content


def anonymous_page(scopes: Callable[..., Iterable[str]] | None = None, *, vary_on_accept: bool = False):
    """Serve the view from the shared cache to anonymous visitors. `scopes(**kwargs)`
    names what the page shows beyond "all" (e.g. `lambda pk: [case_scope(pk)]`)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = _seconds()
            if not seconds or not _anonymous(request):
                return view(request, *args, **kwargs)
            names = [ALL, *(scopes(**kwargs) if scopes else ())]
            key = _key(request, vary_on_accept)
            try:
                versions, stored = _read(key, names)
            except Exception:  # the cache is down: render, as if it were off
                logger.warning("public page cache unavailable", exc_info=True)
                return view(request, *args, **kwargs)
            if stored is not None and stored[0] == versions:
                _versions, status, content_type, content = stored
                response = HttpResponse(content, status=status, content_type=content_type)
                response[HIT_HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if storable(request, response):
                entry = (versions, response.status_code, response["Content-Type"], response.content)
                with contextlib.suppress(Exception):
                    _cache().set(key, entry, seconds)
                    response[HIT_HEADER] = "miss"
            return response

        wrapped.public_cache = True
        return wrapped

    return decorate
