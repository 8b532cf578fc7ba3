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
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from cases.models import Need
from core.models import Region
from matching import reasons as r
from volunteers.models import AvailabilitySlot, VolunteerProfile
from volunteers.selectors import volunteer_ids_available_for
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


def candidate_ids(need: Need) -> list[int]:
    """Volunteers whose free time covers the need's window in their local time and
    who want its activity: the need's region, or every region when the need has a
    radius and a location (the radius is applied by `rank`)."""
    region = None if (need.radius_km and need_location(need)) else need.region
    ids = volunteer_ids_available_for(need.starts_at, need.ends_at, region=region, activity_type=need.activity_type)
    return list(ids)


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


_RANKING_SQL = """
SELECT id, region_id, skills_matched, asked, km, adjacent,
       {w_skills} * {skills}
       + {w_fit} * COALESCE(%(piece_minutes)s * 1.0 / slot_minutes, {neutral})
       + {w_fairness} * (1.0 / (1.0 + asked))
       + {w_distance} * (CASE WHEN km IS NULL THEN {neutral}
                              WHEN km >= {scale} THEN 0.0 ELSE 1.0 - km / {scale} END)
       + {reliability}
       - CASE WHEN adjacent = 1 THEN {penalty} ELSE 0.0 END AS score
FROM (
    SELECT v.id, v.region_id,
           (SELECT COUNT(*) FROM volunteers_volunteerprofile_skills vs
             WHERE vs.volunteerprofile_id = v.id AND vs.skill_id IN ({skill_list})) AS skills_matched,
           (SELECT COUNT(*) FROM matching_match m
             WHERE m.volunteer_id = v.id AND m.proposed_at >= %(asked_since)s) AS asked,
           (SELECT MIN(s."end" - s.start) FROM volunteers_availabilityslot s
             WHERE s.volunteer_id = v.id AND s.weekday = %(weekday)s AND s.start <= %(piece_start)s
               AND s."end" >= %(piece_end)s AND (s.date IS NULL OR s.date = %(piece_date)s)) AS slot_minutes,
           CASE WHEN EXISTS (SELECT 1 FROM matching_match m
             WHERE m.volunteer_id = v.id AND m.status = 'confirmed'
               AND m.starts_at < %(adjacent_end)s AND m.ends_at > %(adjacent_start)s) THEN 1 ELSE 0 END AS adjacent,
           {km} AS km
    FROM volunteers_volunteerprofile v
    WHERE v.id IN ({id_list})
      {hard_rules}
      AND NOT EXISTS (SELECT 1 FROM matching_match m
             WHERE m.volunteer_id = v.id AND m.status = 'confirmed'
               AND m.starts_at < %(ends_at)s AND m.ends_at > %(starts_at)s)
      AND (v.max_hours_per_week IS NULL OR COALESCE((SELECT SUM(m.minutes) FROM matching_match m
             WHERE m.volunteer_id = v.id AND m.status = 'confirmed'
               AND m.starts_at >= %(week_start)s AND m.starts_at < %(week_end)s), 0)
           <= v.max_hours_per_week * 60 - %(need_minutes)s)
) AS candidate
{radius}
ORDER BY score DESC, id
LIMIT %(limit)s
"""


def ranking_sql(
    need: Need, ids, *, now: dt.datetime, skill_ids: list[int], exclude_matched: bool, limit: int
) -> tuple[str, dict]:
    """The ranking query and its parameters. Hand-written SQL (portable between
    PostgreSQL and SQLite) rather than the ORM: it runs once per need, and
    compiling a dozen annotated subqueries through the ORM cost more than
    running them."""
    ops = connection.ops
    piece = local_pieces(need.starts_at, need.ends_at, need.region.timezone)[0]
    week_start, week_end = week_bounds(need)
    moment = ops.adapt_datetimefield_value
    params = {
        "piece_minutes": piece.end - piece.start,
        "asked_since": moment(now - dt.timedelta(days=FAIRNESS_DAYS)),
        "weekday": piece.date.weekday(),
        "piece_start": piece.start,
        "piece_end": piece.end,
        "piece_date": ops.adapt_datefield_value(piece.date),
        "adjacent_start": moment(need.starts_at - ADJACENT),
        "adjacent_end": moment(need.ends_at + ADJACENT),
        "starts_at": moment(need.starts_at),
        "ends_at": moment(need.ends_at),
        "week_start": moment(week_start),
        "week_end": moment(week_end),
        "need_minutes": need_minutes(need),
        "limit": int(limit),
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
        hard_rules.append(
            "AND NOT EXISTS (SELECT 1 FROM matching_match m WHERE m.need_id = %(need_id)s AND m.volunteer_id = v.id)"
        )
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
    id_names = []
    for n, pk in enumerate(ids):
        params[f"v{n}"] = int(pk)
        id_names.append(f"%(v{n})s")
    skill_names = []
    for n, pk in enumerate(skill_ids or [0]):
        params[f"s{n}"] = int(pk)
        skill_names.append(f"%(s{n})s")
    sql = _RANKING_SQL.format(
        w_skills=WEIGHTS["skills"],
        skills=f"(skills_matched * 1.0 / {len(skill_ids)})" if skill_ids else str(NEUTRAL),
        w_fit=WEIGHTS["fit"],
        neutral=NEUTRAL,
        w_fairness=WEIGHTS["fairness"],
        w_distance=WEIGHTS["distance"],
        scale=DISTANCE_SCALE_KM,
        reliability=WEIGHTS["reliability"] * NEUTRAL,
        penalty=ADJACENT_PENALTY,
        skill_list=", ".join(skill_names),
        km=km,
        id_list=", ".join(id_names),
        hard_rules="\n      ".join(hard_rules),
        radius=radius,
    )
    return sql, params


def ranked_rows(need: Need, ids, *, now: dt.datetime, skill_ids: list[int], exclude_matched: bool, limit: int):
    sql, params = ranking_sql(need, ids, now=now, skill_ids=skill_ids, exclude_matched=exclude_matched, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rank(
    need: Need, ids, *, limit: int, now: dt.datetime | None = None, exclude_matched: bool = True
) -> list[Candidate]:
    """The best `limit` of `ids` for the need, with their score and reasons."""
    if limit <= 0 or not ids:
        return []
    now = now or timezone.now()
    skills = {skill.pk: skill for skill in need.skills.all()}
    rows = ranked_rows(need, ids, now=now, skill_ids=sorted(skills), exclude_matched=exclude_matched, limit=limit)
    for row in rows:
        row["pk"], row["adjacent"] = row.pop("id"), bool(row["adjacent"])
    if not rows:
        return []
    top = [row["pk"] for row in rows]
    has_skills = _skills_of(top, list(skills))
    slots = _covering_slots(need, top)
    regions = {need.region_id: need.region}  # the usual case; other regions only with a radius
    others = {row["region_id"] for row in rows} - set(regions)
    if others:
        regions.update((region.pk, region) for region in Region.objects.filter(pk__in=others))
    candidates = []
    for row in rows:
        found = [skills[pk] for pk in has_skills.get(row["pk"], [])]
        candidates.append(
            Candidate(
                volunteer_id=row["pk"],
                score=round(row["score"], 2),
                reasons=r.build(
                    slot=slots.get(row["pk"]),
                    skills=found,
                    km=row["km"],
                    region=regions.get(row["region_id"]),
                    asked=row["asked"],
                    adjacent=row["adjacent"],
                ),
            )
        )
    return candidates


def _skills_of(volunteer_ids: list[int], skill_ids: list[int]) -> dict[int, list[int]]:
    if not skill_ids:
        return {}
    through = VolunteerProfile.skills.through
    found: dict[int, list[int]] = {}
    rows = through.objects.filter(volunteerprofile_id__in=volunteer_ids, skill_id__in=skill_ids).order_by("skill_id")
    for volunteer_id, skill_id in rows.values_list("volunteerprofile_id", "skill_id"):
        found.setdefault(volunteer_id, []).append(skill_id)
    return found


def _covering_slots(need: Need, volunteer_ids: list[int]) -> dict[int, AvailabilitySlot]:
    """The tightest slot of each volunteer covering the window's first local day (for "free Saturdays 09:00–13:00")."""
    piece = local_pieces(need.starts_at, need.ends_at, need.region.timezone)[0]
    slots = AvailabilitySlot.objects.filter(
        volunteer_id__in=volunteer_ids, weekday=piece.date.weekday(), start__lte=piece.start, end__gte=piece.end
    ).filter(Q(date__isnull=True) | Q(date=piece.date))
    best: dict[int, AvailabilitySlot] = {}
    for slot in slots.only("volunteer_id", "kind", "weekday", "date", "start", "end"):
        current = best.get(slot.volunteer_id)
        if current is None or slot.end - slot.start < current.end - current.start:
            best[slot.volunteer_id] = slot
    return best
