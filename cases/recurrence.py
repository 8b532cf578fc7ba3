"""Repetition rules and sunset times: from a series' settings to each occurrence's UTC window.

Pure functions (no database), shared by the series services, the API and the
form's preview, so all three compute the same times.

- A rule is one RFC 5545 RRULE (dateutil's `rrulestr`), read in the region's
  local time from the first day; `RRULE:` may be omitted. It must be bounded
  (COUNT or UNTIL) and yield at most MAX_OCCURRENCES days. An UNTIL written in UTC
  (`...Z`) is read as that local wall-clock time: our rules carry no time zone of
  their own, the region's is the only one. Only DAILY, WEEKLY, MONTHLY and
  YEARLY rules without BYHOUR/BYMINUTE/BYSECOND: an occurrence is a local day,
  its time comes from the series (so a day has at most one occurrence, the key
  of `need_one_per_series_date`).
- A fixed series starts at the same wall-clock time every day: Egypt's summer
  time changes the UTC moment, never the local one (zoneinfo, first reading of a
  repeated hour; a start inside the spring gap lands an hour later).
- A sunset series starts at sunset (astral, the sun's upper limb at the horizon
  with standard refraction) at the given point plus an offset of at most
  MAX_OFFSET_MINUTES either way, rounded to the minute.
"""

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from astral import Observer
from astral.sun import sunset as astral_sunset
from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import InvalidInput

MAX_OCCURRENCES = 400
MAX_OFFSET_MINUTES = 360
MAX_DURATION_MINUTES = 16 * 60
MAX_YEARS_AHEAD = 5  # a series starts within this many years (and so never nears year 9999)
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
NOT_ALLOWED_PARTS = {"BYHOUR", "BYMINUTE", "BYSECOND", "DTSTART", "TZID"}
SUNSET = "sunset"


@dataclass(frozen=True)
class Occurrence:
    date: dt.date
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC


def _parts(text: str) -> dict[str, str]:
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    parts = {}
    for item in body.split(";"):
        if "=" not in item:
            raise InvalidInput(_("This repetition rule cannot be read."), field="recurrence")
        key, value = item.split("=", 1)
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def normalise_rule(text: str) -> str:
    """The rule as stored: `RRULE:` then its parts, UNTIL read as local time.
    Raises InvalidInput(field="recurrence") when it is malformed, unbounded or
    of a kind we do not repeat by."""
    if not isinstance(text, str) or not text.strip() or "\n" in text.strip():
        raise InvalidInput(_("This repetition rule cannot be read."), field="recurrence")
    parts = _parts(text)
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidInput(
            _("Repeat daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)."), field="recurrence"
        )
    if NOT_ALLOWED_PARTS & set(parts):
        raise InvalidInput(
            _("The rule gives the days only: the time comes from the start time or sunset."), field="recurrence"
        )
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise InvalidInput(
            _("Say when the repetition ends: a number of times (COUNT) or a last day (UNTIL)."), field="recurrence"
        )
    if "UNTIL" in parts:
        parts["UNTIL"] = parts["UNTIL"].rstrip("Z")
    return "RRULE:" + ";".join(f"{key}={value}" for key, value in parts.items())


def occurrence_dates(rule: str, first_date: dt.date) -> list[dt.date]:
    """Every local day the rule yields from `first_date`, validated (see the module)."""
    rule = normalise_rule(rule)
    try:
        parsed = rrulestr(rule, dtstart=dt.datetime.combine(first_date, dt.time(0)))
        days = [moment.date() for moment in itertools.islice(parsed, MAX_OCCURRENCES + 1)]
    except (ValueError, TypeError, OverflowError):
        raise InvalidInput(_("This repetition rule cannot be read."), field="recurrence") from None
    if len(days) > MAX_OCCURRENCES:
        raise InvalidInput(
            _("A repeating need may have at most %(max)s occurrences.") % {"max": MAX_OCCURRENCES},
            field="recurrence",
        )
    if not days:
        raise InvalidInput(_("This rule gives no day at all."), field="recurrence")
    return days


def check_offset(minutes: int | None) -> int:
    if minutes is None:
        return 0
    if not -MAX_OFFSET_MINUTES <= minutes <= MAX_OFFSET_MINUTES:
        raise InvalidInput(
            ngettext(
                "Start at most %(hours)s hour before or after sunset.",
                "Start at most %(hours)s hours before or after sunset.",
                MAX_OFFSET_MINUTES // 60,
            )
            % {"hours": MAX_OFFSET_MINUTES // 60},
            field="anchor_offset_minutes",
        )
    return minutes


def check_duration(minutes: int | None) -> int:
    if minutes is None or not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise InvalidInput(
            ngettext(
                "Give how long each occurrence lasts, from 1 minute to %(hours)s hour.",
                "Give how long each occurrence lasts, from 1 minute to %(hours)s hours.",
                MAX_DURATION_MINUTES // 60,
            )
            % {"hours": MAX_DURATION_MINUTES // 60},
            field="duration_minutes",
        )
    return minutes


def sunset_local(day: dt.date, *, latitude: float, longitude: float, zone: ZoneInfo) -> dt.datetime:
    """Sunset at a point on a local day, as an aware local time to the second."""
    try:
        return astral_sunset(Observer(latitude=latitude, longitude=longitude), date=day, tzinfo=zone)
    except ValueError:  # the sun never sets there that day: not in Egypt or Saudi Arabia
        raise InvalidInput(_("The sun does not set there on %(day)s.") % {"day": day}, field="anchor") from None


def occurrence(
    day: dt.date,
    *,
    zone: ZoneInfo,
    duration_minutes: int,
    start_time: dt.time | None = None,
    anchor: str = "",
    offset_minutes: int = 0,
    point: tuple[float, float] | None = None,
) -> Occurrence:
    """The UTC window of the occurrence on a local day."""
    try:
        return _occurrence(day, zone, duration_minutes, start_time, anchor, offset_minutes, point)
    except OverflowError:  # a rule reaching the end of the calendar
        raise InvalidInput(_("This repetition rule cannot be read."), field="recurrence") from None


def _occurrence(day, zone, duration_minutes, start_time, anchor, offset_minutes, point) -> Occurrence:
    if anchor == SUNSET:
        latitude, longitude = point
        moment = sunset_local(day, latitude=latitude, longitude=longitude, zone=zone)
        moment = moment + dt.timedelta(minutes=offset_minutes, seconds=30)
        start = moment.replace(second=0, microsecond=0).astimezone(dt.UTC)
    else:
        start = dt.datetime.combine(day, start_time, tzinfo=zone).astimezone(dt.UTC)
    return Occurrence(day, start, start + dt.timedelta(minutes=duration_minutes))


def occurrences(days: list[dt.date], **how) -> list[Occurrence]:
    return [occurrence(day, **how) for day in days]
