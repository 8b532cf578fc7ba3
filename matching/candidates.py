"""Who may be proposed for a need, and in what order, in the database.

`best` is what matching calls. The usual need — in its region, its window within
one local day — is ranked by one query over the covering index `slot_cover`
(region, weekday, start; or `slot_cover_by_end`, keyed by the end, when that
bound is tighter; with end, date, the activity and skill bitmasks,
gender, birth date, pause and volunteer id included): an index-only scan finds
every volunteer free for the whole window who wants the activity, applies the
gender and age limits, and orders them by the static part of the score. Only a
pool of the best is then looked up by primary key against profiles and matches
(see `_choose`). Any other need (a window across midnight, a radius) goes
through `find` — the volunteers' coverage selector, then their tightest slot —
and `rank`, which does the same over a VALUES list of those ids: handed the
coverage subquery instead, the planner had to guess how many volunteers it
yields and once chose a parallel sequential scan of all of them (85 ms instead
of 3); given literal ids it can only probe the primary key.

Score (0..100): skill coverage 35, fit of the free time 20, fairness 20,
distance 15, reliability 10; an adjacent commitment within an hour costs 15.
Hard rules besides the slot: no confirmed commitment overlapping the window,
the weekly hours, and (when matching proposes) fewer than
MATCHING_MAX_OVERLAPPING_PROPOSALS open proposals overlapping it.
Reliability (`attendance.reliability`: smoothed share of commitments attended,
0.5 until attendance is recorded) is copied onto the slots, so it is part of the
static score read from the covering index; the "came 9 of 10 times" reason
reads the counts from the profile, which only the pool joins.
"""

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.models import Need
from core import prepared
from core.models import Region
from matching import reasons as r
from matching.rules import clash_sql, open_overlap_sql
from volunteers.models import AvailabilitySlot, SlotKind, activity_bit, adult_born_by
from volunteers.rules import slot_covers_params, slot_covers_q, slot_covers_sql
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


class FreeTime(NamedTuple):
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
    region = None if (need.radius_km and need_location(need)) else need.region
    if region is not None:
        rows = slots_covering_in_region(need.starts_at, need.ends_at, region=region, activity_type=need.activity_type)
        if rows is not None:
            return _tightest(rows, first_piece(need).date.weekday())
    ids = volunteer_ids_available_for(need.starts_at, need.ends_at, region=region, activity_type=need.activity_type)
    return free_times(need, list(ids))


def free_times(need: Need, volunteer_ids: list[int]) -> dict[int, FreeTime | None]:
    """The tightest slot of each volunteer covering the window's first local day
    (None when they have none, e.g. someone offering to help)."""
    piece = first_piece(need)
    rows = AvailabilitySlot.objects.filter(slot_covers_q(piece), volunteer_id__in=volunteer_ids).values_list(
        "volunteer_id", "date", "start", "end"
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


# --- Ranking --------------------------------------------------------------------------------------
#
# Every ranking query has two steps. The inner one reads each candidate once,
# applies the rules that need nothing else, and orders the candidates by the
# score's static part (skill coverage, fit of the slot). Only the `pool` best by
# it get the lookups of their profile and their matches (distance, asked lately,
# adjacent or clashing commitments, hours this week); Python scores those and
# keeps the answer when nobody left out could still beat it (see `_choose`).

_MATCH_LOOKUPS = """
       (SELECT COUNT(*) FROM matching_match m
         WHERE m.volunteer_id = v.id AND m.proposed_at >= %(asked_since)s) AS asked,
       CASE WHEN EXISTS (SELECT 1 FROM matching_match m
         WHERE m.volunteer_id = v.id AND {adjacent}) THEN 1 ELSE 0 END AS adjacent,
       CASE WHEN EXISTS (SELECT 1 FROM matching_match m
         WHERE m.volunteer_id = v.id AND {clash}) THEN 1 ELSE 0 END AS clash,
       (SELECT COUNT(*) FROM matching_match m
         WHERE m.volunteer_id = v.id AND {open_overlap}) AS open_overlapping,
       CASE WHEN v.max_hours_per_week IS NULL THEN 0 ELSE COALESCE((SELECT SUM(m.minutes) FROM matching_match m
         WHERE m.volunteer_id = v.id AND m.status = 'confirmed'
           AND m.starts_at >= %(week_start)s AND m.starts_at < %(week_end)s), 0) END AS week_minutes,
       v.max_hours_per_week AS max_hours, v.region_id, {km} AS km,
       v.attended_count AS came, v.attendance_count AS recorded"""

# The usual need (its region, one local day): candidates, rules and static score
# straight from the covering index `slot_cover` (the same conditions as
# `volunteers.selectors.slots_covering_in_region`; a test holds them equal). A
# volunteer with a weekly and a dated slot appears twice; the tighter slot first.
_FROM_SLOTS_SQL = """
SELECT pool.volunteer_id AS id, pool.date, pool.start, pool."end", pool.static{skill_columns},{lookups}
FROM (
    SELECT s.volunteer_id, s.date, s.start, s."end"{skill_flags},
           {w_skills} * {skills} + {w_fit} * (%(piece_minutes)s * 1.0 / (s."end" - s.start))
             + {w_reliability} * s.reliability AS static
    FROM volunteers_availabilityslot s
    WHERE s.matchable = %(yes)s AND s.region_id = %(region_id)s
      AND {covers}
      AND (s.paused_until IS NULL OR s.paused_until <= %(piece_date)s)
      AND (s.activity_mask & %(activity_bit)s) <> 0
      {hard_rules}
    ORDER BY static DESC, s.volunteer_id
    LIMIT %(pool)s
) AS pool
JOIN volunteers_volunteerprofile v ON v.id = pool.volunteer_id
"""

# Any other candidates (a window across midnight, a radius, an offer): their ids
# and the minutes of their tightest slot come in as a VALUES list, ids inlined as
# integers, so the planner knows exactly how many there are and probes the
# profiles by primary key.
_FROM_LIST_SQL = """
SELECT pool.id, pool.static{skill_columns},{lookups}
FROM (
    SELECT id, static{skill_columns}
    FROM (
        SELECT v.id, v.region_id{skill_flags}, {km} AS km,
               {w_skills} * {skills} + {w_fit} * COALESCE(%(piece_minutes)s * 1.0 / free.column2, {neutral})
                 + {w_reliability} * v.reliability AS static
        FROM (VALUES {free_rows}) AS free
        JOIN volunteers_volunteerprofile v ON v.id = free.column1
        WHERE v.id IN ({id_list})
          AND v.anonymised_at IS NULL
          AND (v.birth_date IS NULL OR v.birth_date <= %(adult_born_by)s OR v.guardian_consented_at IS NOT NULL)
          AND EXISTS (SELECT 1 FROM accounts_user u WHERE u.id = v.user_id AND u.is_active)
          {hard_rules}
    ) AS candidate
    {radius}
    ORDER BY static DESC, id
    LIMIT %(pool)s
) AS pool
JOIN volunteers_volunteerprofile v ON v.id = pool.id
"""


def _common(need: Need, *, now: dt.datetime, skills: list, table: str, exclude_matched: bool) -> tuple[dict, dict]:
    """Parameters and SQL pieces both queries share; `table` is the alias whose
    rows carry the candidate's id, skill bitmask, gender and birth date."""
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
    }
    column = "s.volunteer_id" if table == "s" else "v.id"  # one of two fixed names, never input
    hard_rules = []
    if need.gender:
        hard_rules.append(f"AND {table}.gender = %(gender)s")
        params["gender"] = need.gender
    if need.min_age:
        first_day = need.starts_at.astimezone(need.region.zone).date()
        try:
            latest_birth = first_day.replace(year=first_day.year - need.min_age)
        except ValueError:  # 29 February
            latest_birth = first_day.replace(year=first_day.year - need.min_age, day=28)
        hard_rules.append(f"AND {table}.birth_date <= %(latest_birth)s")
        params["latest_birth"] = ops.adapt_datefield_value(latest_birth)
    if exclude_matched:
        not_matched = "NOT IN (SELECT m.volunteer_id FROM matching_match m WHERE m.need_id = %(need_id)s)"
        hard_rules.append(f"AND {column} {not_matched}")
        params["need_id"] = need.pk or 0
    location = need_location(need)
    km = "CAST(NULL AS DOUBLE PRECISION)"
    if location:
        lat, lon = location
        params.update(lat=lat, lon=lon, shrink=math.cos(math.radians(lat)))
        km = (
            "CASE WHEN v.latitude IS NULL OR v.longitude IS NULL THEN NULL ELSE "
            "SQRT(POWER(v.latitude - %(lat)s, 2) + POWER((v.longitude - %(lon)s) * %(shrink)s, 2)) "
            f"* {KM_PER_DEGREE} END"
        )
    names = [f"skill_{n}" for n in range(len(skills))]
    for name, skill in zip(names, skills, strict=True):
        params[name] = activity_bit(skill)
    flags = [f"CASE WHEN {table}.skill_mask & %({name})s <> 0 THEN 1 ELSE 0 END" for name in names]
    pieces = {
        "skill_columns": "".join(f", pool.{name}" if table == "s" else f", {name}" for name in names),
        "skill_flags": "".join(f", {flag} AS {name}" for flag, name in zip(flags, names, strict=True)),
        "w_skills": WEIGHTS["skills"],
        "skills": f"(({' + '.join(flags)}) * 1.0 / {len(names)})" if names else str(NEUTRAL),
        "w_fit": WEIGHTS["fit"],
        "w_reliability": WEIGHTS["reliability"],
        "neutral": NEUTRAL,
        "hard_rules": "\n      ".join(hard_rules),
        "lookups": _MATCH_LOOKUPS.format(
            km=km,
            clash=clash_sql("m"),
            adjacent=clash_sql("m", start="adjacent_start", end="adjacent_end"),
            open_overlap=open_overlap_sql("m"),
        ),
        "km": km,
    }
    return params, pieces


def slots_sql(need: Need, *, now: dt.datetime, skills: list, pool: int) -> tuple[str, dict]:
    """The ranking query for the usual need, read from the covering index."""
    params, pieces = _common(need, now=now, skills=skills, table="s", exclude_matched=True)
    piece = first_piece(need)
    params.update(
        yes=True,
        region_id=need.region_id,
        activity_bit=activity_bit(need.activity_type),
        pool=int(pool),
        **slot_covers_params(piece),  # weekday, piece_start, piece_end, piece_date
    )
    # The skill flags are computed inside the pool; the outer query names them `pool.skill_N`.
    return _FROM_SLOTS_SQL.format(covers=slot_covers_sql("s"), **pieces), params


def list_sql(
    need: Need, candidates: Candidates, *, now: dt.datetime, skills: list, exclude_matched: bool, pool: int
) -> tuple[str, dict]:
    """The ranking query for candidates given as ids with their free time."""
    params, pieces = _common(need, now=now, skills=skills, table="v", exclude_matched=exclude_matched)
    params["pool"] = int(pool)
    # The list path reads profiles, not the slots' `matchable` copy, so it applies
    # the rule itself: not deleted, active, and an adult or a minor whose guardian agreed.
    params["adult_born_by"] = connection.ops.adapt_datefield_value(adult_born_by(timezone.localdate()))
    radius = ""
    if need.radius_km and need_location(need):
        radius = "WHERE region_id = %(region_id)s OR km <= %(radius)s"
        params.update(region_id=need.region_id, radius=need.radius_km)
    free_rows = ", ".join(
        f"({int(pk)}, {int(free.end - free.start) if free else 'CAST(NULL AS INTEGER)'})"
        for pk, free in candidates.items()
    )
    id_list = ", ".join(str(int(pk)) for pk in candidates)
    pieces["skill_columns"] = pieces["skill_columns"].replace("pool.", "")
    return _FROM_LIST_SQL.format(**pieces, free_rows=free_rows, id_list=id_list, radius=radius), params


def _rows(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


POOL_PER_PROPOSAL = 4


def _distance_score(km) -> float:
    if km is None:
        return NEUTRAL
    return 0.0 if km >= DISTANCE_SCALE_KM else 1.0 - km / DISTANCE_SCALE_KM


def _score(row: dict) -> float:
    return (
        float(row["static"])
        + WEIGHTS["distance"] * _distance_score(row["km"])
        + WEIGHTS["fairness"] / (1 + row["asked"])
        - (ADJACENT_PENALTY if row["adjacent"] else 0.0)
    )


def _reachable_beyond_static(need: Need) -> float:
    """The most the looked-up part of the score can add: nearest, never asked
    lately, no adjacent commitment (reliability is in the static part)."""
    distance = WEIGHTS["distance"] * (1.0 if need_location(need) else NEUTRAL)
    return distance + WEIGHTS["fairness"]


def _free_to_take(row: dict, minutes: int, overlap_cap: int | None) -> bool:
    """No confirmed commitment overlapping the window, under the weekly hours, and
    (when proposing) asked for fewer than `overlap_cap` other needs at that time."""
    if row["clash"]:
        return False
    if overlap_cap is not None and row["open_overlapping"] >= overlap_cap:
        return False
    return row["max_hours"] is None or row["week_minutes"] + minutes <= row["max_hours"] * 60


def _choose(need: Need, fetch, *, limit: int, everyone: int | None, overlap_cap: int | None) -> list[dict]:
    """The best `limit` rows, exactly, from pools of growing size: `fetch(pool)`
    returns the pool best by static score with their lookups. The answer stands
    when the last one chosen scores at least what anyone left out could reach
    (the pool's lowest static score plus `_reachable_beyond_static`), or when the
    pool held everyone; otherwise the pool grows and the query runs again (rare:
    it takes many of the best to be busy, asked lately or far away)."""
    minutes = need_minutes(need)
    headroom = _reachable_beyond_static(need)
    pool = limit * POOL_PER_PROPOSAL
    while True:
        rows = fetch(pool)
        best: dict[int, tuple[float, dict]] = {}
        for row in rows:
            if row["id"] not in best and _free_to_take(row, minutes, overlap_cap):
                best[row["id"]] = (_score(row), row)
        chosen = sorted(best.values(), key=lambda pair: (-pair[0], pair[1]["id"]))[:limit]
        if len(rows) < pool or (everyone is not None and pool >= everyone):
            break
        reachable = min(float(row["static"]) for row in rows) + headroom
        if len(chosen) == limit and chosen[-1][0] >= reachable:
            break
        pool *= 4
    for score, row in chosen:
        row["score"] = round(score, 2)
    return [row for _, row in chosen]


class NeedSkill(NamedTuple):
    pk: int
    position: int
    slug: str
    name_ar: str
    name_en: str


def need_skills(need: Need) -> list[NeedSkill]:
    """The skills the need asks for, in id order: their bits for the ranking,
    their names for the reasons. Plain SQL, as it runs on every matching run."""
    through = Need.skills.through._meta.db_table
    with connection.cursor() as cursor:
        prepared.execute(
            cursor,
            f"SELECT k.id, k.position, k.slug, k.name_ar, k.name_en FROM core_skill k "  # noqa: S608 (table names)
            f"JOIN {through} ns ON ns.skill_id = k.id WHERE ns.need_id = %s ORDER BY k.id",
            [need.pk],
        )
        return [NeedSkill(*row) for row in cursor.fetchall()]


def _candidates(need: Need, rows: list[dict], skills: list, free_time) -> list[Candidate]:
    regions = {need.region_id: need.region}  # the usual case; other regions only with a radius
    others = {row["region_id"] for row in rows} - set(regions)
    if others:
        regions.update((region.pk, region) for region in Region.objects.filter(pk__in=others))
    return [
        Candidate(
            volunteer_id=row["id"],
            score=row["score"],
            reasons=r.build(
                slot=free_time(row),
                skills=[skill for n, skill in enumerate(skills) if row[f"skill_{n}"]],
                km=row["km"],
                region=regions.get(row["region_id"]),
                asked=row["asked"],
                adjacent=bool(row["adjacent"]),
                came=row["came"],
                recorded=row["recorded"],
            ),
        )
        for row in rows
    ]


def best(need: Need, *, limit: int, now: dt.datetime | None = None) -> list[Candidate]:
    """Whom matching proposes: the best `limit` volunteers for the need, not
    matched with it before nor already asked for MATCHING_MAX_OVERLAPPING_PROPOSALS
    needs at that time, with their score and reasons. The usual need (its region,
    a window within one local day) is ranked straight from the covering index;
    any other goes through `find` and `rank`."""
    if limit <= 0:
        return []
    cap = settings.MATCHING_MAX_OVERLAPPING_PROPOSALS
    pieces = local_pieces(need.starts_at, need.ends_at, need.region.timezone)
    if (need.radius_km and need_location(need)) or len(pieces) != 1:
        return rank(need, find(need), limit=limit, now=now, overlap_cap=cap)
    now = now or timezone.now()
    skills = need_skills(need)
    weekday = pieces[0].date.weekday()

    def fetch(pool: int) -> list[dict]:
        return _rows(*slots_sql(need, now=now, skills=skills, pool=pool))

    rows = _choose(need, fetch, limit=limit, everyone=None, overlap_cap=cap)
    return _candidates(need, rows, skills, lambda row: FreeTime(weekday, row["date"], row["start"], row["end"]))


def rank(
    need: Need,
    candidates: Candidates | Iterable[int],
    *,
    limit: int,
    now: dt.datetime | None = None,
    exclude_matched: bool = True,
    overlap_cap: int | None = None,
) -> list[Candidate]:
    """The best `limit` of the given candidates (from `find`, or bare volunteer
    ids, e.g. someone offering to help) for the need, with score and reasons.
    `overlap_cap` leaves out whoever is asked for that many needs at that time
    already (matching passes it; a volunteer's own offer does not)."""
    if limit <= 0 or not candidates:
        return []
    if not isinstance(candidates, Mapping):
        candidates = free_times(need, [int(pk) for pk in candidates])
    now = now or timezone.now()
    skills = need_skills(need)

    def fetch(pool: int) -> list[dict]:
        sql, params = list_sql(need, candidates, now=now, skills=skills, exclude_matched=exclude_matched, pool=pool)
        return _rows(sql, params)

    rows = _choose(need, fetch, limit=limit, everyone=len(candidates), overlap_cap=overlap_cap)
    return _candidates(need, rows, skills, lambda row: candidates[row["id"]])
