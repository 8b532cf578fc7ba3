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

Fragments (`fragments`): the same versions key pieces of a page kept on their own, for
every visitor, signed in or not (nothing per-person may be in one): a case's card is
stored per language and case under the versions of "all", `case:<id>` and its charity's
`charity:<id>`, so a list rendered afresh reads its cards in one MGET and renders only
the missing ones. `PUBLIC_FRAGMENT_SECONDS` is their lifetime (0: off, as in tests).

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
_FRAGMENT = "pc:f:"
ALL = "all"
LISTS = "lists"
HIT_HEADER = "X-Public-Cache"


def _cache():
    return caches[ALIAS]


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 0) or 0)


def _fragment_seconds() -> int:
    return int(getattr(settings, "PUBLIC_FRAGMENT_SECONDS", 0) or 0)


def fragments_on() -> bool:
    return bool(_fragment_seconds())


def case_scope(pk) -> str:
    return f"case:{pk}"


def charity_scope(pk) -> str:
    return f"charity:{pk}"


def case_card_scopes(case_id, charity_id) -> list[str]:
    """What a case's card shows besides "all": the case (its text, status, cover, need
    count) and its charity (name, verification). Every page showing the card keys it so."""
    return [case_scope(case_id), charity_scope(charity_id)] if charity_id else [case_scope(case_id)]


def bump(*scopes: str) -> None:
    """Give each scope a new version now and again after the transaction commits, so no
    page or fragment built on the old rows is served again (a no-op when both are off)."""
    if not scopes or not (_seconds() or _fragment_seconds()):
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


def _read_many(entry_keys: list[str], scopes: list[str]) -> tuple[dict[str, str], dict]:
    """The scopes' current versions and the stored entries, in one round trip (MGET)."""
    cache = _cache()
    keys = [_VERSION + scope for scope in scopes]
    found = cache.get_many([*entry_keys, *keys])
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:  # first use or evicted: a new version (no stored entry can match it)
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found.update(cache.get_many(list(missing)))
    return {scope: str(found.get(_VERSION + scope, "")) for scope in scopes}, found


def _read(page_key: str, scopes: list[str]) -> tuple[list[str], object]:
    """The scopes' current versions and the stored page, in one round trip (MGET)."""
    versions, found = _read_many([page_key], scopes)
    return [versions[scope] for scope in scopes], found.get(page_key)


def fragments(name: str, items: list[tuple[object, list[str]]], build: Callable[[list], dict]) -> list:
    """The fragment (HTML, or an API's dict) of each item `(pk, scopes)`, in order. Those
    stored while "all" and their scopes had today's versions come from one MGET;
    `build(pks)` makes the others in one go (a dict pk → fragment; a pk it leaves out is
    left out) and they are stored. Off, or with the cache down, everything is built.
    `name` holds whatever else the fragment depends on (the host for absolute URLs)."""
    seconds = _fragment_seconds()
    pks = [pk for pk, _scopes in items]
    if not seconds or not items:
        return _in_order(pks, build(pks))
    language = get_language() or ""
    keys = {pk: f"{_FRAGMENT}{name}:{language}:{pk}" for pk in pks}
    scopes = sorted({ALL, *(scope for _pk, names in items for scope in names)})
    try:
        versions, found = _read_many(list(keys.values()), scopes)
    except Exception:  # the cache is down: render, as if it were off
        logger.warning("public fragment cache unavailable", exc_info=True)
        return _in_order(pks, build(pks))
    wanted = {pk: [versions[ALL], *(versions[scope] for scope in names)] for pk, names in items}
    parts = {}
    for pk in pks:
        entry = found.get(keys[pk])
        if entry is not None and entry[0] == wanted[pk]:
            parts[pk] = entry[1]
    missing = [pk for pk in pks if pk not in parts]
    if missing:
        built = build(missing)
        parts.update(built)
        with contextlib.suppress(Exception):
            _cache().set_many({keys[pk]: (wanted[pk], part) for pk, part in built.items()}, seconds)
    return _in_order(pks, parts)


def _in_order(pks: list, parts: dict) -> list:
    return [parts[pk] for pk in pks if pk in parts]


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
