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

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Least, Power, Sqrt
from django.utils import timezone

from cases.models import Need
from core.models import Region
from matching import reasons as r
from matching.models import Match
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


def _count(queryset, group: str):
    return Coalesce(
        Subquery(queryset.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def _ranked(need: Need, ids, *, now: dt.datetime, skill_ids: list[int], exclude_matched: bool):
    """The queryset of VolunteerProfile rows among `ids` that pass every hard rule,
    annotated with the score and the raw figures the reasons are made of."""
    volunteers = VolunteerProfile.objects.filter(pk__in=ids).order_by()
    location = need_location(need)

    if need.gender:
        volunteers = volunteers.filter(gender=need.gender)
    if need.min_age:
        first_day = need.starts_at.astimezone(need.region.zone).date()
        try:
            latest_birth = first_day.replace(year=first_day.year - need.min_age)
        except ValueError:  # 29 February
            latest_birth = first_day.replace(year=first_day.year - need.min_age, day=28)
        volunteers = volunteers.filter(birth_date__lte=latest_birth)

    commitments = Match.objects.filter(volunteer=OuterRef("pk"), status=Match.Status.CONFIRMED)
    volunteers = volunteers.filter(
        ~Exists(commitments.filter(starts_at__lt=need.ends_at, ends_at__gt=need.starts_at)),
    )
    if exclude_matched:
        volunteers = volunteers.filter(~Exists(Match.objects.filter(need_id=need.pk, volunteer=OuterRef("pk"))))
    week_start, week_end = week_bounds(need)
    week_minutes = Coalesce(
        Subquery(
            commitments.filter(starts_at__gte=week_start, starts_at__lt=week_end)
            .order_by()
            .values("volunteer")
            .annotate(total=Sum("minutes"))
            .values("total")[:1]
        ),
        0,
        output_field=IntegerField(),
    )
    volunteers = volunteers.alias(week_minutes=week_minutes).filter(
        Q(max_hours_per_week__isnull=True) | Q(week_minutes__lte=F("max_hours_per_week") * 60 - need_minutes(need))
    )

    # Fit: how much of the covering slot the need uses (first local day of the window).
    piece = local_pieces(need.starts_at, need.ends_at, need.region.timezone)[0]
    slot_minutes = Subquery(
        AvailabilitySlot.objects.filter(
            volunteer=OuterRef("pk"),
            weekday=piece.date.weekday(),
            start__lte=piece.start,
            end__gte=piece.end,
        )
        .filter(Q(date__isnull=True) | Q(date=piece.date))
        .annotate(length=F("end") - F("start"))
        .order_by("length")
        .values("length")[:1],
        output_field=IntegerField(),
    )
    fit = Coalesce(
        Value(float(piece.end - piece.start)) / Cast(slot_minutes, FloatField()),
        Value(NEUTRAL),
        output_field=FloatField(),
    )

    if skill_ids:
        through = VolunteerProfile.skills.through
        has = through.objects.filter(volunteerprofile=OuterRef("pk"), skill_id__in=skill_ids)
        matched = _count(has, "volunteerprofile")
        skills = Cast(matched, FloatField()) / Value(float(len(skill_ids)))
    else:
        matched, skills = Value(0), Value(NEUTRAL)

    asked = _count(
        Match.objects.filter(volunteer=OuterRef("pk"), proposed_at__gte=now - dt.timedelta(days=FAIRNESS_DAYS)),
        "volunteer",
    )
    fairness = Value(1.0) / (Value(1.0) + Cast(asked, FloatField()))

    if location:
        lat, lon = location
        shrink = math.cos(math.radians(lat))
        km = ExpressionWrapper(
            Sqrt(Power(F("latitude") - lat, 2) + Power((F("longitude") - lon) * shrink, 2)) * KM_PER_DEGREE,
            output_field=FloatField(),
        )
        # Not Coalesce(1 - LEAST(km, …)): PostgreSQL's LEAST skips NULLs, SQLite's MIN does not.
        distance = Case(
            When(Q(latitude__isnull=True) | Q(longitude__isnull=True), then=Value(NEUTRAL)),
            default=Value(1.0) - Least(km / DISTANCE_SCALE_KM, Value(1.0)),
            output_field=FloatField(),
        )
        if need.radius_km:
            degrees = need.radius_km / KM_PER_DEGREE
            in_box = Q(
                latitude__range=(lat - degrees, lat + degrees),
                longitude__range=(lon - degrees / max(shrink, 0.01), lon + degrees / max(shrink, 0.01)),
            )
            nearby = in_box & Q(km__lte=need.radius_km)
            volunteers = volunteers.alias(km=km).filter(Q(region_id=need.region_id) | nearby)
    else:
        km, distance = Value(None, output_field=FloatField()), Value(NEUTRAL)

    adjacent = Exists(commitments.filter(starts_at__lt=need.ends_at + ADJACENT, ends_at__gt=need.starts_at - ADJACENT))
    score = (
        Value(WEIGHTS["skills"]) * skills
        + Value(WEIGHTS["fit"]) * fit
        + Value(WEIGHTS["fairness"]) * fairness
        + Value(WEIGHTS["distance"]) * distance
        + Value(WEIGHTS["reliability"] * NEUTRAL)
        - Case(When(adjacent, then=Value(ADJACENT_PENALTY)), default=Value(0.0), output_field=FloatField())
    )
    return volunteers.annotate(
        score=ExpressionWrapper(score, output_field=FloatField()),
        skills_matched=matched,
        slot_minutes=slot_minutes,
        asked=asked,
        km=km,
        adjacent=adjacent,
    )


def rank(
    need: Need, ids, *, limit: int, now: dt.datetime | None = None, exclude_matched: bool = True
) -> list[Candidate]:
    """The best `limit` of `ids` for the need, with their score and reasons."""
    if limit <= 0 or not ids:
        return []
    now = now or timezone.now()
    skills = {skill.pk: skill for skill in need.skills.all()}
    rows = list(
        _ranked(need, ids, now=now, skill_ids=sorted(skills), exclude_matched=exclude_matched)
        .order_by("-score", "pk")
        .values("pk", "score", "skills_matched", "asked", "km", "adjacent", "region_id")[:limit]
    )
    if not rows:
        return []
    top = [row["pk"] for row in rows]
    has_skills = _skills_of(top, list(skills))
    slots = _covering_slots(need, top)
    regions = {region.pk: region for region in Region.objects.filter(pk__in={row["region_id"] for row in rows})}
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
