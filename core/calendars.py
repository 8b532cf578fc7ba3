"""Dates in the Gregorian and the Hijri (Umm al-Qura) calendars, and local time."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import get_language
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
