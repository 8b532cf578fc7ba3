"""Dates in the Gregorian and the Hijri (Umm al-Qura) calendars, and local time."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, npgettext
from hijridate import Gregorian


def _language() -> str:
    return "en" if (get_language() or "ar").startswith("en") else "ar"


def hijri_date(value: dt.date) -> str:
    """'1 شعبان 1448 هـ' in Arabic, "1 Sha'ban 1448 AH" in English.

    Umm al-Qura covers 1343-1500 AH (1924-2077); outside it we say nothing
    rather than a wrong date.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    language = _language()
    digits = str(hijri.day), str(hijri.year)
    return f"{digits[0]} {hijri.month_name(language)} {digits[1]} {hijri.notation(language)}"


def local_datetime(value: dt.datetime, timezone: str | ZoneInfo) -> dt.datetime:
    """A stored UTC moment as the wall-clock time of a region (zoneinfo keeps DST right)."""
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
    return value.astimezone(zone)


def dual_date(value: dt.date | dt.datetime) -> str:
    """The Gregorian date, and in Arabic the Hijri date beside it."""
    gregorian = formats.date_format(value, "DATE_FORMAT")
    if _language() != "ar":
        return gregorian
    hijri = hijri_date(value)
    return f"{gregorian} ({hijri})" if hijri else gregorian


def dual_date_parts(value: dt.date | dt.datetime) -> tuple[str, str]:
    """(Gregorian, Hijri or "") for pages that keep the Hijri part on one line."""
    gregorian = formats.date_format(value, "DATE_FORMAT")
    return gregorian, (hijri_date(value) if _language() == "ar" else "")


def _span(unit: str, count: int) -> str:
    if unit == "day":
        return npgettext("a span of time", "%(count)s day", "%(count)s days", count) % {"count": count}
    if unit == "hour":
        return npgettext("a span of time", "%(count)s hour", "%(count)s hours", count) % {"count": count}
    return npgettext("a span of time", "%(count)s minute", "%(count)s minutes", count) % {"count": count}


def duration_words(delta: dt.timedelta, *, parts: int = 1) -> str:
    """The largest whole unit of a span (and with `parts=2` the next one, when not zero),
    with Arabic's six plural forms ("دقيقتين", "3 دقائق", "11 دقيقة"): Django's own Arabic
    catalogue, behind `timesince`, says "1 دقيقة" and "2 يومين"."""
    seconds = max(int(delta.total_seconds()), 0)
    units = [(seconds // 86400, "day"), (seconds % 86400 // 3600, "hour"), (seconds % 3600 // 60, "minute")]
    first = next((i for i, (count, _unit) in enumerate(units) if count), None)
    if first is None:
        return _span("minute", 1)
    chosen = [units[first], *(unit for unit in units[first + 1 : first + parts] if unit[0])]
    return gettext(", ").join(_span(unit, count) for count, unit in chosen)


def time_ago(value: dt.datetime, now: dt.datetime | None = None) -> str:
    """ "منذ 5 دقائق" / "5 minutes ago"; under a minute, "just now"."""
    now = now or timezone.now()
    if (now - value).total_seconds() < 60:
        return gettext("just now")
    return gettext("%(duration)s ago") % {"duration": duration_words(now - value)}
