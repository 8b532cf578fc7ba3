"""One owner for "this commitment clashes with that window" (double booking), in
its ORM and SQL forms.

A volunteer's confirmed match clashes with a window when it starts before the
window ends and ends after it starts (touching ends do not clash). It reads the
match's copies of the need's time (`Match.starts_at`/`ends_at`, kept in step by
`matching.reschedule`), so it is one index scan of `match_commitments`. The offer,
the accept, the reschedule notice (ORM) and the ranking query (SQL: the hard
rule and the "adjacent" penalty, which is the same rule on a widened window) use
these forms; `tests/test_rules.py` holds them equal.

An open proposal or invitation overlaps a window by the same rule
(`open_overlap_sql`): matching proposes nobody already asked for
MATCHING_MAX_OVERLAPPING_PROPOSALS needs at that time.
"""

import datetime as dt

from django.db.models import Q, QuerySet

from matching.models import Match


def clash_q(starts_at: dt.datetime, ends_at: dt.datetime) -> Q:
    """The ORM form, on Match."""
    return Q(status=Match.Status.CONFIRMED, starts_at__lt=ends_at, ends_at__gt=starts_at)


def clash_sql(alias: str = "m", *, start: str = "starts_at", end: str = "ends_at") -> str:
    """The SQL form, on `matching_match <alias>`, the window in the parameters named `start` and `end`."""
    return (
        f"{alias}.status = '{Match.Status.CONFIRMED.value}'"
        f" AND {alias}.starts_at < %({end})s AND {alias}.ends_at > %({start})s"
    )


def open_overlap_sql(alias: str = "m", *, start: str = "starts_at", end: str = "ends_at") -> str:
    """The SQL form of "an open proposal or invitation overlapping the window"."""
    statuses = ", ".join(f"'{status.value}'" for status in Match.OPEN_STATUSES)
    return f"{alias}.status IN ({statuses}) AND {alias}.starts_at < %({end})s AND {alias}.ends_at > %({start})s"


def commitments_clashing(volunteer_id: int, starts_at: dt.datetime, ends_at: dt.datetime) -> QuerySet[Match]:
    """The volunteer's confirmed commitments overlapping the window."""
    return Match.objects.filter(clash_q(starts_at, ends_at), volunteer_id=volunteer_id)
