"""The client's address, derived once for every throttle (reports, the API, sign-in).

Behind TRUSTED_PROXY_COUNT proxies that each append the address they saw to
X-Forwarded-For, the client is the N-th entry from the right: entries further left
were written by the client and prove nothing. With 0 (the default) the header is
ignored and REMOTE_ADDR is the client. A request that reaches us with fewer entries
than proxies did not come through them: its REMOTE_ADDR is used.

Why not django-ipware: its modern engine reads `proxy_count` as the length of the
whole chain and, strict or not, answers None (or the wrong entry) when a client adds
one spoofed entry, which would drop every spoofer into one shared bucket or let them
choose theirs. "The N-th from the right" is the rule allauth's own
ALLAUTH_TRUSTED_PROXY_COUNT and Werkzeug's ProxyFix use; it fits in this function.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address a rate limit counts against; never raises."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < trusted:
        return remote
    return _address(chain[-trusted]) or remote
