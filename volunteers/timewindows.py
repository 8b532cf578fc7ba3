"""Pure time arithmetic for free time: parsing "HH:MM", merging intervals, and
turning a UTC window into the local days it touches. No database here, so the
rules can be tested exhaustively (see tests/test_timewindows.py)."""

import datetime as dt
import re
from typing import NamedTuple
from zoneinfo import ZoneInfo

from core.text import ascii_digits

MINUTES_PER_DAY = 24 * 60
MAX_LOCAL_DAYS = 7
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.٫]\s*(\d{2})\s*$")


def parse_time(value: str | int) -> int:
    """'09:30', '٠٩:٣٠' or '۰۹:۳۰' to minutes after midnight; '24:00' is 1440.
    Raises ValueError on anything else."""
    if isinstance(value, int):
        minutes = value
    else:
        match = _TIME.match(ascii_digits(str(value)))
        if not match:
            raise ValueError(value)
        hours, mins = int(match[1]), int(match[2])
        if mins > 59:
            raise ValueError(value)
        minutes = hours * 60 + mins
    if not 0 <= minutes <= MINUTES_PER_DAY:
        raise ValueError(value)
    return minutes


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def merge_intervals(intervals) -> list[tuple[int, int]]:
    """Union of half-open [start, end) intervals; touching ones become one."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


class LocalPiece(NamedTuple):
    """The part of a window that falls on one local date, in minutes after midnight."""

    date: dt.date
    start: int
    end: int


def _minutes(moment: dt.datetime, *, round_up: bool) -> int:
    minutes = moment.hour * 60 + moment.minute
    if round_up and (moment.second or moment.microsecond):
        minutes += 1
    return minutes


def local_pieces(start_utc: dt.datetime, end_utc: dt.datetime, zone: str | ZoneInfo) -> list[LocalPiece]:
    """Split a UTC window into the wall-clock pieces it covers in `zone`, one per
    local date, each within 00:00-24:00.

    zoneinfo does the conversion, so Egypt's summer time is right on both sides
    of a change: a window across the spring-forward night asks for the wall-clock
    minutes either side of the gap; across the fall-back night the repeated hour
    is asked for once (a volunteer free 23:00-24:00 is free for both). Raises
    ValueError when the window is empty, naive, or touches more than
    MAX_LOCAL_DAYS local dates (weekly slots could then count twice).
    """
    if start_utc.tzinfo is None or end_utc.tzinfo is None:
        raise ValueError("window times must be aware")
    if end_utc <= start_utc:
        raise ValueError("window must end after it starts")
    zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    local_start, local_end = start_utc.astimezone(zone), end_utc.astimezone(zone)
    first, last = local_start.date(), local_end.date()
    if (last - first).days >= MAX_LOCAL_DAYS:
        raise ValueError(f"window touches more than {MAX_LOCAL_DAYS} local days")
    pieces = []
    day = first
    while day <= last:
        start = _minutes(local_start, round_up=False) if day == first else 0
        end = _minutes(local_end, round_up=True) if day == last else MINUTES_PER_DAY
        if end > start:
            pieces.append(LocalPiece(day, start, end))
        day += dt.timedelta(days=1)
    return pieces
