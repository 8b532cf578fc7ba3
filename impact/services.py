"""Rollups, written: one charity's figures refreshed, or everything rebuilt.

Every rollup row is recomputed from its sources by one SQL statement per table, so a
refresh is idempotent (run it twice, get the same rows) and a slice can never drift
from what a full rebuild would give. The sources are the attested hours ledger
(`HoursRecord`: hours, active volunteers), attendance (attended and no-shows), needs
(places needed and filled, time to fill), reviewed matches (time to review), resolved
cases and moderated reports.

Months are local: hours by their local date, attendance and places by the need's local
start in its region's zone, resolutions in the case's region. Durations are bucketed by
the UTC month they ended in (a median does not move by a few hours at a month's edge).

Writers take one PostgreSQL advisory lock (`IMPACT_LOCK`) for their transaction: two
refreshes of one charity never interleave their delete and insert, and no row lock is
taken, so the order of `matching.locks` is untouched.
"""

import datetime as dt
import logging

from django.db import connection, transaction
from django.utils import timezone

from core import public_cache, rollups
from core.queue import enqueue_named_on_commit
from impact.models import ImpactDirty
from impact.selectors import rollups_computed

logger = logging.getLogger(__name__)

IMPACT_LOCK = 0x1A9AC7  # one key for every rollup writer
MODERATION_KEY = "moderation"
MODERATION_DAYS = 120
REFRESH_TASK = "impact.tasks.impact_refresh_task"


def _charity_key(charity_id: int) -> str:
    return f"charity:{charity_id}"


def impact_mark_dirty(*, kind: str, charity_id: int | None) -> None:
    """The hook `core.rollups` calls inside a service's transaction: note what changed
    (a unique key, so a thousand marks are one row) and queue a refresh after commit.
    Takes no row lock; a lost message is picked up by the periodic sweep."""
    key = MODERATION_KEY if kind == rollups.MODERATION else _charity_key(charity_id)
    ImpactDirty.objects.bulk_create([ImpactDirty(key=key)], ignore_conflicts=True)
    enqueue_named_on_commit(REFRESH_TASK)


def impact_case_handed_over(*, case, from_charity_id: int, to_charity_id: int, **_context) -> None:
    """A case's places and resolutions follow it to the new charity (hours and
    attendance stay with the charity that attested them): both are refreshed."""
    for charity_id in (from_charity_id, to_charity_id):
        impact_mark_dirty(kind=rollups.CHARITY, charity_id=charity_id)


def _lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPACT_LOCK])


def _say_not_computed() -> None:
    logger.info("impact: rollups are computed on PostgreSQL only; %s keeps the pages empty", connection.vendor)


# --- The SQL: one statement per rollup, for some charities (ids) or all (ids NULL) ---------------

_LOCAL_MONTH = "date_trunc('month', {ts} AT TIME ZONE {zone})::date"
_ONLY = "(%(ids)s::bigint[] IS NULL OR {column} = ANY(%(ids)s::bigint[]))"

MONTHS_SQL = f"""
INSERT INTO impact_impactmonth
    (charity_id, case_id, region_id, activity_type_id, month,
     minutes, attendances, no_shows, places_needed, places_filled, cases_resolved)
SELECT charity_id, case_id, region_id, activity_type_id, month,
       SUM(minutes), SUM(attendances), SUM(no_shows), SUM(places_needed), SUM(places_filled), SUM(cases_resolved)
FROM (
    SELECT h.charity_id, n.case_id, COALESCE(n.region_id, v.region_id) AS region_id, h.activity_type_id,
           date_trunc('month', h.date)::date AS month,
           h.minutes, 0 AS attendances, 0 AS no_shows, 0 AS places_needed, 0 AS places_filled, 0 AS cases_resolved
    FROM attendance_hoursrecord h
    JOIN volunteers_volunteerprofile v ON v.id = h.volunteer_id
    LEFT JOIN cases_need n ON n.id = h.need_id
    WHERE {_ONLY.format(column="h.charity_id")}
    UNION ALL
    SELECT a.charity_id, n.case_id, n.region_id, n.activity_type_id,
           {_LOCAL_MONTH.format(ts="n.starts_at", zone="r.timezone")},
           0, CASE WHEN a.status = 'no_show' THEN 0 ELSE 1 END,
           CASE WHEN a.status = 'no_show' THEN 1 ELSE 0 END, 0, 0, 0
    FROM attendance_attendance a
    JOIN cases_need n ON n.id = a.need_id
    JOIN core_region r ON r.id = n.region_id
    WHERE {_ONLY.format(column="a.charity_id")}
    UNION ALL
    SELECT c.charity_id, n.case_id, n.region_id, n.activity_type_id,
           {_LOCAL_MONTH.format(ts="n.starts_at", zone="r.timezone")},
           0, 0, 0, n.volunteers_needed, LEAST(n.volunteers_confirmed, n.volunteers_needed), 0
    FROM cases_need n
    JOIN cases_case c ON c.id = n.case_id
    JOIN core_region r ON r.id = n.region_id
    WHERE c.charity_id IS NOT NULL AND c.published_at IS NOT NULL AND n.cancelled_at IS NULL
      AND {_ONLY.format(column="c.charity_id")}
    UNION ALL
    SELECT c.charity_id, c.id, c.region_id, c.activity_type_id,
           {_LOCAL_MONTH.format(ts="s.created_at", zone="r.timezone")},
           0, 0, 0, 0, 0, 1
    FROM cases_casestatuschange s
    JOIN cases_case c ON c.id = s.case_id
    JOIN core_region r ON r.id = c.region_id
    WHERE s.to_status = 'resolved' AND c.charity_id IS NOT NULL AND {_ONLY.format(column="c.charity_id")}
) source
GROUP BY charity_id, case_id, region_id, activity_type_id, month
"""  # noqa: S608 (no input: the filter is a parameter)

# Distinct counts do not add up: each grain is counted on its own (GROUPING SETS).
VOLUNTEERS_SQL = f"""
INSERT INTO impact_impactvolunteers (charity_id, case_id, month, volunteers)
SELECT h.charity_id, n.case_id, date_trunc('month', h.date)::date, COUNT(DISTINCT h.volunteer_id)
FROM attendance_hoursrecord h
LEFT JOIN cases_need n ON n.id = h.need_id
WHERE {_ONLY.format(column="h.charity_id")}
GROUP BY GROUPING SETS (
    (h.charity_id, n.case_id, date_trunc('month', h.date)),
    (h.charity_id, date_trunc('month', h.date))
)
HAVING GROUPING(n.case_id) = 1 OR n.case_id IS NOT NULL
"""  # noqa: S608 (no input: the filter is a parameter)

CHARITY_SQL = f"""
INSERT INTO impact_impactcharity (charity_id, minutes, attendances, volunteers, cases_resolved, updated_at)
SELECT ch.id,
       COALESCE((SELECT SUM(m.minutes) FROM impact_impactmonth m WHERE m.charity_id = ch.id), 0),
       COALESCE((SELECT SUM(m.attendances) FROM impact_impactmonth m WHERE m.charity_id = ch.id), 0),
       (SELECT COUNT(DISTINCT h.volunteer_id) FROM attendance_hoursrecord h WHERE h.charity_id = ch.id),
       COALESCE((SELECT SUM(m.cases_resolved) FROM impact_impactmonth m WHERE m.charity_id = ch.id), 0),
       %(now)s
FROM charities_charity ch
WHERE {_ONLY.format(column="ch.id")}
"""  # noqa: S608 (no input: the filter is a parameter)

FILL_SQL = f"""
INSERT INTO impact_impactduration (kind, charity_id, case_id, region_id, month, hours)
SELECT 'fill', c.charity_id, n.case_id, n.region_id, date_trunc('month', f.filled_at)::date,
       GREATEST(0, EXTRACT(EPOCH FROM f.filled_at - GREATEST(n.created_at, c.published_at)) / 3600.0)
FROM cases_need n
JOIN cases_case c ON c.id = n.case_id
JOIN LATERAL (
    SELECT MAX(GREATEST(m.answered_at, m.reviewed_at)) AS filled_at
    FROM matching_match m WHERE m.need_id = n.id AND m.status = 'confirmed'
) f ON f.filled_at IS NOT NULL
WHERE n.volunteers_confirmed >= n.volunteers_needed AND n.cancelled_at IS NULL
  AND c.published_at IS NOT NULL AND c.charity_id IS NOT NULL AND {_ONLY.format(column="c.charity_id")}
"""  # noqa: S608 (no input: the filter is a parameter)

REVIEW_SQL = f"""
INSERT INTO impact_impactduration (kind, charity_id, case_id, region_id, month, hours)
SELECT 'review', m.charity_id, n.case_id, n.region_id, date_trunc('month', m.reviewed_at)::date,
       GREATEST(0, EXTRACT(EPOCH FROM m.reviewed_at - m.proposed_at) / 3600.0)
FROM matching_match m
JOIN cases_need n ON n.id = m.need_id
WHERE m.reviewed_at IS NOT NULL AND m.reviewed_by_id IS NOT NULL AND {_ONLY.format(column="m.charity_id")}
"""  # noqa: S608 (no input: the filter is a parameter)

PLATFORM_SQL = """
INSERT INTO impact_platformimpact
    (scope, region_id, activity_type_id, month, minutes, attendances, volunteers, charities, cases_resolved, updated_at)
SELECT CASE WHEN GROUPING(region_id) = 0 THEN 'region' WHEN GROUPING(activity_type_id) = 0 THEN 'activity'
            WHEN GROUPING(month) = 0 THEN 'month' ELSE 'total' END,
       region_id, activity_type_id, month,
       COALESCE(SUM(minutes), 0), COALESCE(SUM(attendances), 0), 0,
       COUNT(DISTINCT charity_id) FILTER (WHERE minutes > 0), COALESCE(SUM(cases_resolved), 0),
       %(now)s
FROM impact_impactmonth
GROUP BY GROUPING SETS ((region_id), (activity_type_id), (month), ())
"""

PLATFORM_VOLUNTEERS_SQL = """
SELECT CASE WHEN GROUPING(region_id) = 0 THEN 'region' WHEN GROUPING(activity_type_id) = 0 THEN 'activity'
            WHEN GROUPING(month) = 0 THEN 'month' ELSE 'total' END,
       region_id, activity_type_id, month, COUNT(DISTINCT volunteer_id)
FROM (
    SELECT h.volunteer_id, COALESCE(n.region_id, v.region_id) AS region_id, h.activity_type_id,
           date_trunc('month', h.date)::date AS month
    FROM attendance_hoursrecord h
    JOIN volunteers_volunteerprofile v ON v.id = h.volunteer_id
    LEFT JOIN cases_need n ON n.id = h.need_id
) source
GROUP BY GROUPING SETS ((region_id), (activity_type_id), (month), ())
"""

MODERATION_DAYS_SQL = """
INSERT INTO impact_moderationday (day, queue_size, oldest_hours, received, decided)
SELECT d::date,
       COUNT(r.id) FILTER (WHERE r.created_at < d + interval '1 day'
                             AND (r.reviewed_at IS NULL OR r.reviewed_at >= d + interval '1 day')),
       COALESCE(MAX(EXTRACT(EPOCH FROM d + interval '1 day' - r.created_at) / 3600.0)
                FILTER (WHERE r.created_at < d + interval '1 day'
                          AND (r.reviewed_at IS NULL OR r.reviewed_at >= d + interval '1 day')), 0),
       COUNT(r.id) FILTER (WHERE r.created_at >= d AND r.created_at < d + interval '1 day'),
       COUNT(r.id) FILTER (WHERE r.reviewed_at >= d AND r.reviewed_at < d + interval '1 day')
FROM generate_series(%(first)s::timestamptz, %(last)s::timestamptz, interval '1 day') d
LEFT JOIN cases_report r ON r.created_at < d + interval '1 day' AND (r.reviewed_at IS NULL OR r.reviewed_at >= d)
GROUP BY d
"""

MODERATION_REGIONS_SQL = """
INSERT INTO impact_moderationregionmonth (region_id, month, received, decided)
SELECT region_id, month, SUM(received), SUM(decided) FROM (
    SELECT region_id, date_trunc('month', created_at)::date AS month, 1 AS received, 0 AS decided FROM cases_report
    UNION ALL
    SELECT region_id, date_trunc('month', reviewed_at)::date, 0, 1 FROM cases_report WHERE reviewed_at IS NOT NULL
) source
GROUP BY region_id, month
"""

DECISIONS_SQL = """
INSERT INTO impact_impactduration (kind, charity_id, case_id, region_id, month, hours)
SELECT 'decision', NULL, NULL, region_id, date_trunc('month', reviewed_at)::date,
       GREATEST(0, EXTRACT(EPOCH FROM reviewed_at - created_at) / 3600.0)
FROM cases_report WHERE reviewed_at IS NOT NULL
"""


def _execute(sql: str, params: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _refresh_charities(ids: list[int] | None, *, now: dt.datetime) -> None:
    """Delete and insert the rows of these charities (all, with None), in the caller's transaction."""
    params = {"ids": ids, "now": now}
    only = "" if ids is None else " WHERE charity_id = ANY(%(ids)s::bigint[])"
    with connection.cursor() as cursor:
        for table in ("impact_impactmonth", "impact_impactvolunteers", "impact_impactcharity"):
            cursor.execute(f"DELETE FROM {table}{only}", params)  # noqa: S608 (table names are ours)
        kinds = "kind IN ('fill', 'review')" + only.replace("WHERE", "AND")
        cursor.execute(f"DELETE FROM impact_impactduration WHERE {kinds}", params)  # noqa: S608 (ours)
    for sql in (MONTHS_SQL, VOLUNTEERS_SQL, CHARITY_SQL, FILL_SQL, REVIEW_SQL):
        _execute(sql, params)
    public_cache.bump(*(public_cache.charity_scope(pk) for pk in ids or []))


def _refresh_platform(*, now: dt.datetime) -> None:
    from impact.models import PlatformImpact

    PlatformImpact.objects.all().delete()
    _execute(PLATFORM_SQL, {"now": now})
    with connection.cursor() as cursor:
        cursor.execute(PLATFORM_VOLUNTEERS_SQL)
        for scope, region_id, activity_id, month, volunteers in cursor.fetchall():
            PlatformImpact.objects.filter(
                scope=scope, region_id=region_id, activity_type_id=activity_id, month=month
            ).update(volunteers=volunteers)


def _refresh_moderation(*, now: dt.datetime) -> None:
    from impact.models import ImpactDuration, ModerationDay, ModerationRegionMonth

    today = now.astimezone(dt.UTC).date()
    first = today - dt.timedelta(days=MODERATION_DAYS - 1)
    ModerationDay.objects.all().delete()
    ModerationRegionMonth.objects.all().delete()
    ImpactDuration.objects.filter(kind=ImpactDuration.Kind.DECISION).delete()
    _execute(MODERATION_DAYS_SQL, {"first": first.isoformat(), "last": today.isoformat()})
    _execute(MODERATION_REGIONS_SQL, {})
    _execute(DECISIONS_SQL, {})


def impact_refresh_dirty(*, now: dt.datetime | None = None) -> int:
    """Refresh what the hooks marked: the dirty charities, the moderation figures, then
    the platform totals, in one transaction under the advisory lock. The dirty rows
    are claimed (deleted) in that transaction, so a failure leaves them for the next
    run and two runs never refresh the same charity at once. Returns how many keys."""
    now = now or timezone.now()
    if not rollups_computed():
        _say_not_computed()
        return 0
    with transaction.atomic():
        _lock()
        keys = list(ImpactDirty.objects.values_list("key", flat=True))
        if not keys:
            return 0
        ImpactDirty.objects.filter(key__in=keys).delete()
        charity_ids = sorted(int(key.split(":")[1]) for key in keys if key.startswith("charity:"))
        if charity_ids:
            _refresh_charities(charity_ids, now=now)
            _refresh_platform(now=now)
        if MODERATION_KEY in keys:
            _refresh_moderation(now=now)
    return len(keys)


def impact_rebuild(*, now: dt.datetime | None = None) -> None:
    """Every rollup from its sources (nightly, `manage.py rebuild_impact`, after an
    import). Idempotent: running it twice gives the same rows. What the hooks marked
    before it started is included, so its dirty rows are cleared."""
    now = now or timezone.now()
    if not rollups_computed():
        _say_not_computed()
        return
    with transaction.atomic():
        _lock()
        ImpactDirty.objects.all().delete()
        _refresh_charities(None, now=now)
        _refresh_platform(now=now)
        _refresh_moderation(now=now)
