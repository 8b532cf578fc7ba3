"""The on-site check-in code a coordinator's phone shows, and its QR.

The code is derived, not stored: six digits from an HMAC of the need (its id
and start) and a ten-minute window of the clock, keyed with SECRET_KEY. The
coordinator's page shows the current one (and reloads itself); a volunteer's
code is accepted in its window and the next, so the code typed a minute before
the change still works. A code of an older window is "expired" (a photo of the
QR passed on later does not check anyone in), anything else is "wrong". Six
digits are guessable, so attempts are throttled per person (`attendance.limits`).
"""

import datetime as dt
import hashlib
import hmac

import segno
from django.conf import settings

WINDOW = dt.timedelta(minutes=10)
EXPIRED_WINDOWS = 36  # codes of the last six hours read "expired" rather than "wrong"
DIGITS = 6


def _window(moment: dt.datetime) -> int:
    return int(moment.timestamp() // WINDOW.total_seconds())


def _code(need, window: int) -> str:
    message = f"check-in:{need.pk}:{need.starts_at.timestamp():.0f}:{window}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**DIGITS:0{DIGITS}d}"


def current_code(need, *, now: dt.datetime) -> str:
    return _code(need, _window(now))


def code_state(need, code: str, *, now: dt.datetime) -> str:
    """ "valid", "expired" or "wrong" for a code typed or scanned at `now`."""
    window = _window(now)
    if any(hmac.compare_digest(code, _code(need, w)) for w in (window, window - 1)):
        return "valid"
    if any(hmac.compare_digest(code, _code(need, window - n)) for n in range(2, EXPIRED_WINDOWS + 2)):
        return "expired"
    return "wrong"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no script, no data: URL, so the CSP allows it)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")
