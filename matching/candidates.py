"""Who may be proposed for a need, and in what order: two queries, both in the database.

1. `candidate_ids` asks the volunteers' coverage selector which volunteers'
   free time covers the need's window (an index-only range scan of the
   `slot_cover` index: region, weekday, start; with end, date, the activity
   bitmask, the pause and the volunteer id included). It returns ids only.
2. `rank` filters and scores exactly those ids against the volunteer table by
   primary key: gender, age, double booking, weekly hours and "already matched
   for this need" are subqueries over small indexes, and the score is one SQL
   expression, so only the best `limit` rows come back to Python.

Why two queries rather than one join: handed the coverage subquery, the
PostgreSQL planner has to guess how many volunteers it yields; in a busy region
it guessed wrong and chose a parallel sequential scan of every volunteer (85 ms
instead of 3). Given a literal list of ids it can only probe the primary key.
The list stays small because the coverage scan is already narrowed by region,
weekday, time of day and activity.

Score (0..100): skill coverage 35, fit of the free time 20, fairness 20,
distance 15, reliability 10; an adjacent commitment within an hour costs 15.
Reliability stays neutral (0.5) until attendance is recorded.
"""

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from cases.models import Need
from core.models import Region
from matching import reasons as r
from volunteers.models import AvailabilitySlot, SlotKind, activity_bit
from volunteers.selectors import slots_covering_in_region, volunteer_ids_available_for
from volunteers.timewindows import local_pieces

WEIGHTS = {"skills": 35.0, "fit": 20.0, "fairness": 20.0, "distance": 15.0, "reliability": 10.0}
ADJACENT_PENALTY = 15.0
ADJACENT = dt.timedelta(hours=1)
FAIRNESS_DAYS = 30
KM_PER_DEGREE = 111.2
DISTANCE_SCALE_KM = 30.0
NEUTRAL = 0.5
SATURDAY = 5


@dataclass
class Candidate:
    volunteer_id: int
    score: float
    reasons: list = field(default_factory=list)


def need_location(need: Need) -> tuple[float, float] | None:
    case = need.case
    if case.latitude is None or case.longitude is None:
        return None
    return case.latitude, case.longitude


@dataclass(frozen=True)
class FreeTime:
    """A volunteer's tightest slot covering the window's first local day: how
    well their free time fits, and the "free Saturdays 09:00–13:00" reason."""

    weekday: int
    date: dt.date | None
    start: int
    end: int

    @property
    def kind(self) -> str:
        return SlotKind.DATED if self.date else SlotKind.WEEKLY


Candidates = Mapping[int, FreeTime | None]


def find(need: Need) -> dict[int, FreeTime | None]:
    """Volunteers whose free time covers the need's window in their local time and
    who want its activity, each with their tightest covering slot: the need's
    region, or every region when the need has a radius and a location (the radius
    is applied by `rank`). The usual need (one region, one local day) takes both
    from one index-only scan; the others ask for the slots in a second query."""
    piece = first_piece(need)
    if not (need.radius_km and need_location(need)):
        rows = slots_covering_in_region(
            need.starts_at, need.ends_at, region=need.region, activity_type=need.activity_type
        )
        if rows is not None:
            return _tightest(rows, piece.date.weekday())
        region = need.region
    else:
        region = None
    ids = volunteer_ids_available_for(need.starts_at, need.ends_at, region=region, activity_type=need.activity_type)
    return free_times(need, list(ids))


def free_times(need: Need, volunteer_ids: list[int]) -> dict[int, FreeTime | None]:
    """The tightest slot of each volunteer covering the window's first local day
    (None when they have none, e.g. someone offering to help)."""
    piece = first_piece(need)
    rows = (
        AvailabilitySlot.objects.filter(
            volunteer_id__in=volunteer_ids, weekday=piece.date.weekday(), start__lte=piece.start, end__gte=piece.end
        )
        .filter(Q(date__isnull=True) | Q(date=piece.date))
        .values_list("volunteer_id", "date", "start", "end")
    )
    found = _tightest(rows, piece.date.weekday())
    return {pk: found.get(pk) for pk in volunteer_ids}


def _tightest(rows, weekday: int) -> dict[int, FreeTime]:
    best: dict[int, FreeTime] = {}
    for volunteer_id, date, start, end in rows:
        current = best.get(volunteer_id)
        if current is None or end - start < current.end - current.start:
            best[volunteer_id] = FreeTime(weekday, date, start, end)
    return best


def first_piece(need: Need):
    return local_pieces(need.starts_at, need.ends_at, need.region.timezone)[0]


def week_bounds(need: Need) -> tuple[dt.datetime, dt.datetime]:
    """The Saturday-to-Friday week of the need's start, in its region's time (the
    Arab week), as UTC moments: the span the weekly-hours limit counts."""
    zone = need.region.zone
    local_day = need.starts_at.astimezone(zone).date()
    saturday = local_day - dt.timedelta(days=(local_day.weekday() - SATURDAY) % 7)
    start = dt.datetime.combine(saturday, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(saturday + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def need_minutes(need: Need) -> int:
    return math.ceil((need.ends_at - need.starts_at).total_seconds() / 60)


# Two steps in one query. The inner part reads each candidate's profile once (by
# primary key), applies the rules the profile alone decides and orders them by
# the score's static part (skills, fit, distance) plus the most the dynamic part
# could add (never asked lately, no adjacent commitment): an upper bound. Only
# the `pool` best by that bound get the per-volunteer lookups of their matches
# (asked lately, adjacent or clashing commitments, hours this week).
_RANKING_SQL = """
SELECT id, region_id, km, static, max_hours{skill_columns},
       (SELECT COUNT(*) FROM matching_match m
         WHERE m.volunteer_id = pool.id AND m.proposed_at >= %(asked_since)s) AS asked,
       CASE WHEN EXISTS (SELECT 1 FROM matching_match m
         WHERE m.volunteer_id = pool.id AND m.status = 'confirmed'
           AND m.starts_at < %(adjacent_end)s AND m.ends_at > %(adjacent_start)s) THEN 1 ELSE 0 END AS adjacent,
       CASE WHEN EXISTS (SELECT 1 FROM matching_match m
         WHERE m.volunteer_id = pool.id AND m.status = 'confirmed'
           AND m.starts_at < %(ends_at)s AND m.ends_at > %(starts_at)s) THEN 1 ELSE 0 END AS clash,
       CASE WHEN max_hours IS NULL THEN 0 ELSE COALESCE((SELECT SUM(m.minutes) FROM matching_match m
         WHERE m.volunteer_id = pool.id AND m.status = 'confirmed'
           AND m.starts_at >= %(week_start)s AND m.starts_at < %(week_end)s), 0) END AS week_minutes
FROM (
    SELECT id, region_id, km, max_hours{skill_columns},
           {w_skills} * {skills}
           + {w_fit} * COALESCE(%(piece_minutes)s * 1.0 / slot_minutes, {neutral})
           + {w_distance} * (CASE WHEN km IS NULL THEN {neutral}
                                  WHEN km >= {scale} THEN 0.0 ELSE 1.0 - km / {scale} END) AS static
    FROM (
        SELECT v.id, v.region_id, v.max_hours_per_week AS max_hours, free.column2 AS slot_minutes{skill_flags},
               {km} AS km
        FROM (VALUES {free_rows}) AS free
        JOIN volunteers_volunteerprofile v ON v.id = free.column1
        WHERE v.id IN ({id_list})
          {hard_rules}
    ) AS candidate
    {radius}
    ORDER BY static DESC, id
    LIMIT %(pool)s
) AS pool
"""


def ranking_sql(
    need: Need, candidates: Candidates, *, now: dt.datetime, skills: list, exclude_matched: bool, pool: int
) -> tuple[str, dict]:
    """The ranking query and its parameters (see `_RANKING_SQL`). The
    candidates and the minutes of their tightest slot come in as a VALUES list,
    ids inlined as integers, so the planner knows exactly how many there are and
    probes the profiles by primary key; skills are read from the profile's
    skill bitmask. Hand-written SQL, portable between PostgreSQL and SQLite: it
    runs once per need, and compiling it through the ORM cost more than running it."""
    ops = connection.ops
    piece = first_piece(need)
    week_start, week_end = week_bounds(need)
    moment = ops.adapt_datetimefield_value
    params = {
        "piece_minutes": piece.end - piece.start,
        "asked_since": moment(now - dt.timedelta(days=FAIRNESS_DAYS)),
        "adjacent_start": moment(need.starts_at - ADJACENT),
        "adjacent_end": moment(need.ends_at + ADJACENT),
        "starts_at": moment(need.starts_at),
        "ends_at": moment(need.ends_at),
        "week_start": moment(week_start),
        "week_end": moment(week_end),
        "pool": int(pool),
    }
    hard_rules = []
    if need.gender:
        hard_rules.append("AND v.gender = %(gender)s")
        params["gender"] = need.gender
    if need.min_age:
        first_day = need.starts_at.astimezone(need.region.zone).date()
        try:
            latest_birth = first_day.replace(year=first_day.year - need.min_age)
        except ValueError:  # 29 February
            latest_birth = first_day.replace(year=first_day.year - need.min_age, day=28)
        hard_rules.append("AND v.birth_date <= %(latest_birth)s")
        params["latest_birth"] = ops.adapt_datefield_value(latest_birth)
    if exclude_matched:
        hard_rules.append("AND v.id NOT IN (SELECT m.volunteer_id FROM matching_match m WHERE m.need_id = %(need_id)s)")
        params["need_id"] = need.pk or 0
    location, radius = need_location(need), ""
    if location:
        lat, lon = location
        params.update(lat=lat, lon=lon, shrink=math.cos(math.radians(lat)))
        km = (
            "CASE WHEN v.latitude IS NULL OR v.longitude IS NULL THEN NULL ELSE "
            "SQRT(POWER(v.latitude - %(lat)s, 2) + POWER((v.longitude - %(lon)s) * %(shrink)s, 2)) "
            f"* {KM_PER_DEGREE} END"
        )
        if need.radius_km:
            radius = "WHERE region_id = %(region_id)s OR km <= %(radius)s"
            params.update(region_id=need.region_id, radius=need.radius_km)
    else:
        km = "CAST(NULL AS DOUBLE PRECISION)"
    id_list = ", ".join(str(int(pk)) for pk in candidates)
    free_rows = ", ".join(
        f"({int(pk)}, {int(free.end - free.start) if free else 'CAST(NULL AS INTEGER)'})"
        for pk, free in candidates.items()
    )
    names = [f"skill_{n}" for n in range(len(skills))]
    for name, skill in zip(names, skills, strict=True):
        params[name] = activity_bit(skill)
    skill_columns = "".join(f", {name}" for name in names)
    skill_flags = "".join(f", CASE WHEN v.skill_mask & %({name})s <> 0 THEN 1 ELSE 0 END AS {name}" for name in names)
    sql = _RANKING_SQL.format(
        skill_columns=skill_columns,
        w_skills=WEIGHTS["skills"],
        skills=f"(({' + '.join(names)}) * 1.0 / {len(names)})" if names else str(NEUTRAL),
        w_fit=WEIGHTS["fit"],
        neutral=NEUTRAL,
        w_distance=WEIGHTS["distance"],
        scale=DISTANCE_SCALE_KM,
        skill_flags=skill_flags,
        km=km,
        free_rows=free_rows,
        id_list=id_list,
        hard_rules="\n      ".join(hard_rules),
        radius=radius,
    )
    return sql, params


def pool_rows(need: Need, candidates: Candidates, *, now, skills: list, exclude_matched: bool, pool: int) -> list[dict]:
    sql, params = ranking_sql(need, candidates, now=now, skills=skills, exclude_matched=exclude_matched, pool=pool)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# What the lookups of a volunteer's matches can add at most: never asked lately,
# no adjacent commitment. Reliability is neutral until attendance is recorded.
DYNAMIC_MAX = WEIGHTS["fairness"] + WEIGHTS["reliability"] * NEUTRAL
POOL_PER_PROPOSAL = 4


def _score(row: dict) -> float:
    return (
        float(row["static"])
        + WEIGHTS["fairness"] / (1 + row["asked"])
        + WEIGHTS["reliability"] * NEUTRAL
        - (ADJACENT_PENALTY if row["adjacent"] else 0.0)
    )


def _free_to_take(row: dict, minutes: int) -> bool:
    """No confirmed commitment overlapping the window, and under the weekly hours."""
    if row["clash"]:
        return False
    return row["max_hours"] is None or row["week_minutes"] + minutes <= row["max_hours"] * 60


def rank(
    need: Need,
    candidates: Candidates | Iterable[int],
    *,
    limit: int,
    now: dt.datetime | None = None,
    exclude_matched: bool = True,
) -> list[Candidate]:
    """The best `limit` of the candidates (from `find`, or bare volunteer ids)
    for the need, with their score and reasons.

    Exact, though only a pool of them gets the lookups of their matches: the
    pool holds the best by the score's static part, and its answer stands when
    the last chosen volunteer scores at least what anyone left out could reach
    (their static part plus `DYNAMIC_MAX`); otherwise the pool grows and the
    query runs again (rare: it takes many volunteers asked lately or busy)."""
    if limit <= 0 or not candidates:
        return []
    if not isinstance(candidates, Mapping):
        candidates = free_times(need, [int(pk) for pk in candidates])
    now = now or timezone.now()
    skills = list(need.skills.order_by("pk"))
    minutes = need_minutes(need)
    pool = limit * POOL_PER_PROPOSAL
    while True:
        rows = pool_rows(need, candidates, now=now, skills=skills, exclude_matched=exclude_matched, pool=pool)
        free = [(_score(row), row) for row in rows if _free_to_take(row, minutes)]
        scored = sorted(free, key=lambda pair: (-pair[0], pair[1]["id"]))[:limit]
        if len(rows) < pool or pool >= len(candidates):
            break  # every candidate was looked at
        reachable = min(float(row["static"]) for row in rows) + DYNAMIC_MAX
        if len(scored) == limit and scored[-1][0] >= reachable:
            break
        pool *= 4
    regions = {need.region_id: need.region}  # the usual case; other regions only with a radius
    others = {row["region_id"] for _, row in scored} - set(regions)
    if others:
        regions.update((region.pk, region) for region in Region.objects.filter(pk__in=others))
    return [
        Candidate(
            volunteer_id=row["id"],
            score=round(score, 2),
            reasons=r.build(
                slot=candidates[row["id"]],
                skills=[skill for n, skill in enumerate(skills) if row[f"skill_{n}"]],
                km=row["km"],
                region=regions.get(row["region_id"]),
                asked=row["asked"],
                adjacent=bool(row["adjacent"]),
            ),
        )
        for score, row in scored
    ]
