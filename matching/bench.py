"""The matching benchmark behind `make bench` (`manage.py bench_matching`).

It runs in a database of its own (`<DATABASE_URL's name>_bench`, created,
migrated and dropped again), so it never touches development or test data.
Volunteers are written with COPY: users, profiles, ~3 slots each, interests and
skills, spread as people are (Cairo, Giza, Riyadh and Makkah largest), over
activities and times of day. Needs are drawn the same way, and each is matched
by the real service (candidates, ranking, writing the proposals and the
charity's digest), timed one by one.
"""

import datetime as dt
import io
import json
import random
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

REGION_WEIGHTS = {"EG-C": 22, "EG-GZ": 13, "SA-01": 12, "SA-02": 10, "EG-ALX": 6, "SA-04": 5, "EG-KB": 3}
OTHER_WEIGHT = 0.8
# Start hours people give, weighted to evenings and weekend mornings.
START_HOURS = [8, 9, 10, 11, 14, 16, 17, 18, 19, 20, 21]
START_WEIGHTS = [3, 6, 5, 2, 3, 5, 6, 8, 6, 4, 2]
WEEKDAY_WEIGHTS = [4, 4, 4, 6, 8, 9, 4]  # Monday..Sunday: Thursday evening, Friday and Saturday busiest
ACTIVITY_HEAD = 6  # the first activities (food baskets, iftar, …) are the popular ones


def bench_database_name() -> str:
    return f"{connections['default'].settings_dict['NAME']}_bench"


class BenchDatabase:
    """Switch the default connection to a fresh, migrated `<name>_bench` database and back."""

    def __init__(self, *, keep: bool = False):
        self.keep = keep
        self.original = connection.settings_dict["NAME"]
        self.name = bench_database_name()

    def __enter__(self):
        from django.core.management import call_command

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        self._switch(self.name)
        call_command("migrate", verbosity=0, interactive=False)
        return self

    def __exit__(self, *exc):
        self._switch(self.original)
        if not self.keep:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    @staticmethod
    def _switch(name: str) -> None:
        connection.close()
        connection.settings_dict["NAME"] = name
        settings.DATABASES["default"]["NAME"] = name


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _pick_regions(regions, rng, k):
    weights = [REGION_WEIGHTS.get(region.code, OTHER_WEIGHT) for region in regions]
    return rng.choices(regions, weights=weights, k=k)


def _slots(rng: random.Random, today: dt.date):
    slots = []
    weekdays: set[int] = set()
    wanted = rng.choice([2, 3, 3, 3, 4])
    while len(weekdays) < wanted:
        weekdays.add(rng.choices(range(7), weights=WEEKDAY_WEIGHTS)[0])
    for weekday in sorted(weekdays):
        start = rng.choices(START_HOURS, weights=START_WEIGHTS)[0] * 60
        end = min(1440, start + rng.choice([120, 180, 240, 240, 300, 360]))
        if rng.random() < 0.1:
            day = today + dt.timedelta(days=rng.randrange(1, 28))
            slots.append(("dated", day.weekday(), day.isoformat(), start, end))
        else:
            slots.append(("weekly", weekday, None, start, end))
    return slots


def load_volunteers(size: int, *, seed: int = 7) -> None:
    """COPY `size` volunteers with their slots, interests and skills into the bench database."""
    from core.models import ActivityType, Region, Skill

    rng = random.Random(seed)
    regions = list(Region.objects.order_by("pk"))
    activities = list(ActivityType.objects.order_by("position"))
    skills = list(Skill.objects.order_by("pk"))
    today = timezone.now().date()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_user")
        first_id = cursor.fetchone()[0] + 1
    now = timezone.now().isoformat()
    users, profiles, slots, interests, abilities = [], [], [], [], []
    activity_weights = [4 if a.position < ACTIVITY_HEAD else 1 for a in activities]
    for offset, region in enumerate(_pick_regions(regions, rng, size)):
        pk = first_id + offset
        email = f"bench{pk}@bench.example.org"
        users.append((pk, "!", "f", email, "", "", email, "f", "t", now, "ar", "f"))
        chosen = set(rng.choices(activities, weights=activity_weights, k=rng.choice([1, 2, 2, 3])))
        mask = sum(1 << a.position for a in chosen)
        paused = (today + dt.timedelta(days=rng.randrange(1, 60))).isoformat() if rng.random() < 0.03 else None
        located = rng.random() < 0.5
        lat = round(region.latitude + rng.uniform(-0.2, 0.2), 5) if located else None
        lon = round(region.longitude + rng.uniform(-0.2, 0.2), 5) if located else None
        gender = rng.choice(["female", "male", ""])
        born = dt.date(rng.randrange(1960, 2006), rng.randrange(1, 13), rng.randrange(1, 28)).isoformat()
        hours = rng.choice([None, None, None, 4, 8, 12, 20])
        has = rng.sample(skills, k=rng.choice([0, 1, 1, 2]))
        skill_mask = sum(1 << s.position for s in has)
        place = (region.pk, lat, lon)
        # Two in three have attendance on record, most of them coming most times. The
        # value is attendance.reliability's smoothing (matching may not import it); here
        # it only has to be spread as real values are.
        recorded = rng.randrange(1, 21) if rng.random() < 0.66 else 0
        came = sum(rng.random() < 0.85 for _ in range(recorded))
        reliability = round((came + 2.0) / (recorded + 4.0), 4)
        profiles.append(
            (
                pk,
                pk,
                f"Volunteer {pk}",
                "",
                "",
                "",
                *place,
                mask,
                skill_mask,
                "[]",
                gender,
                born,
                None,
                hours,
                paused,
                reliability,
                came,
                recorded,
            )
        )
        for kind, weekday, day, start, end in _slots(rng, today):
            copies = (region.pk, region.timezone, mask, paused, "t", skill_mask, gender, born, reliability)
            slots.append((pk, kind, weekday, day, start, end, *copies))
        interests.extend((pk, a.pk) for a in chosen)
        abilities.extend((pk, s.pk) for s in has)
    user_columns = ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff"]
    _copy("accounts_user", [*user_columns, "is_active", "date_joined", "language", "moderates_everywhere"], users)
    _copy(
        "volunteers_volunteerprofile",
        [
            "id",
            "user_id",
            "display_name",
            "phone",
            "sms_number",
            "whatsapp_number",
            "region_id",
            "latitude",
            "longitude",
            "activity_mask",
            "skill_mask",
            "languages",
            "gender",
            "birth_date",
            "guardian_consented_at",
            "max_hours_per_week",
            "paused_until",
            "reliability",
            "attended_count",
            "attendance_count",
            "created_at",
            "updated_at",
        ],
        ((*row, now, now) for row in profiles),
    )
    slot_columns = ["volunteer_id", "kind", "weekday", "date", "start", '"end"', "region_id", "timezone"]
    copied = ["activity_mask", "paused_until", "matchable", "skill_mask", "gender", "birth_date", "reliability"]
    _copy("volunteers_availabilityslot", [*slot_columns, *copied], slots)
    _copy("volunteers_volunteerprofile_activity_types", ["volunteerprofile_id", "activitytype_id"], interests)
    _copy("volunteers_volunteerprofile_skills", ["volunteerprofile_id", "skill_id"], abilities)
    with connection.cursor() as cursor:
        for table in ("accounts_user", "volunteers_volunteerprofile"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608
        cursor.execute("VACUUM ANALYZE")


def draw_needs(count: int, *, seed: int = 11) -> list[int]:
    """Needs across regions, activities and times of day in the next four weeks,
    one verified charity (with an owner) per region."""
    from cases.models import Case, Need
    from charities.models import Charity, Membership
    from core.models import ActivityType, Region, Skill
    from volunteers.tests.factories import UserFactory

    rng = random.Random(seed)
    regions = list(Region.objects.order_by("pk"))
    activities = list(ActivityType.objects.order_by("position"))
    skills = list(Skill.objects.order_by("pk"))
    charities = {}
    for region in regions:
        charity = Charity.objects.create(
            name_ar=f"جمعية {region.name_ar}",
            country=region.country,
            license_number=f"BENCH-{region.code}",
            status=Charity.Status.VERIFIED,
        )
        charity.regions.set([region])
        owner = UserFactory(email=f"owner-{region.code.lower()}@bench.example.org")
        Membership.objects.create(charity=charity, user=owner, role=Membership.Role.OWNER)
        charities[region.pk] = charity
    today = timezone.now().astimezone(regions[0].zone).date()
    ids = []
    for region in _pick_regions(regions, rng, count):
        case = Case.objects.create(
            charity=charities[region.pk],
            title="حالة للقياس",
            story="—",
            region=region,
            status=Case.Status.OPEN,
            published_at=timezone.now(),
        )
        day = today + dt.timedelta(days=rng.randrange(2, 28))
        hour = rng.choices(START_HOURS, weights=START_WEIGHTS)[0]
        starts = dt.datetime.combine(day, dt.time(hour), tzinfo=region.zone)
        need = Need.objects.create(
            case=case,
            region=region,
            activity_type=rng.choices(activities, weights=[4 if a.position < ACTIVITY_HEAD else 1 for a in activities])[
                0
            ],
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=rng.choice([1, 2, 2, 3])),
            volunteers_needed=rng.choice([1, 2, 3, 5]),
            matching_requested_at=timezone.now(),
        )
        need.skills.set(rng.sample(skills, k=rng.choice([0, 1, 2])))
        ids.append(need.pk)
    return ids


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(need_ids: list[int]) -> dict:
    """Match each need in turn, as one worker would, timing each whole matching
    (its transaction and commit included). Statements are counted by a bare
    execute wrapper rather than Django's query log, whose formatting of every
    statement would be timed too; BEGIN and COMMIT are not counted."""
    from matching.services import match_propose_for_need

    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    timings, proposals = [], 0
    started = time.perf_counter()
    with connection.execute_wrapper(count):
        for need_id in need_ids:
            begin = time.perf_counter()
            proposals += len(match_propose_for_need(need_id=need_id))
            timings.append((time.perf_counter() - begin) * 1000)
    elapsed = time.perf_counter() - started
    return {
        "needs": len(timings),
        "proposals": proposals,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "needs_per_s": round(len(timings) / elapsed, 1),
        "queries_per_need": round(statements / len(timings), 1),
    }


def explain(region_code: str, weekday: int, hour: int, activity_slug: str = "food_baskets") -> dict:
    """EXPLAIN ANALYZE of the ranking query of a need with two skills for a
    window in a region: the plan must read the covering index (no sequential
    scan of the volunteers or their slots)."""
    from cases.models import Case, Need
    from charities.models import Charity
    from core.models import ActivityType, Region, Skill
    from matching import candidates

    region = Region.objects.get(code=region_code)
    today = timezone.now().astimezone(region.zone).date()
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7)
    starts = dt.datetime.combine(day, dt.time(hour), tzinfo=region.zone)
    charity = Charity.objects.filter(regions=region).first()
    case = Case(charity=charity, region=region, status=Case.Status.OPEN, title="-", story="-")
    need = Need(
        pk=0,
        case=case,
        region=region,
        activity_type=ActivityType.objects.get(slug=activity_slug),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
    )
    skills = list(Skill.objects.order_by("pk")[:2])
    sql, params = candidates.slots_sql(need, now=timezone.now(), skills=skills, pool=36)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    seq_scans = [
        line.strip() for line in plan.splitlines() if "Seq Scan on volunteers_" in line or "Parallel Seq Scan" in line
    ]
    return {
        "region": region_code,
        "window": f"{starts:%A %H:%M} +3h",
        "candidates": len(candidates.find(need)),
        "execution": [line.strip() for line in plan.splitlines() if "Execution Time" in line],
        "sequential_scans": seq_scans,
        "plan": plan,
    }


def machine_speed() -> dict:
    """How fast this machine is right now: a fixed Python loop and a database
    round trip. Shared machines vary by half from one minute to the next; the
    figures let a reader compare rounds and runs."""
    began = time.perf_counter()
    total = 0
    for n in range(1_000_000):
        total += n * 2
    loop_ms = (time.perf_counter() - began) * 1000
    with connection.cursor() as cursor:
        began = time.perf_counter()
        for _ in range(200):
            cursor.execute("SELECT 1")
            cursor.fetchone()
        round_trip_us = (time.perf_counter() - began) / 200 * 1e6
    return {"python_loop_ms": round(loop_ms, 1), "db_round_trip_us": round(round_trip_us, 1)}


WARMUP = 10


def run(*, size: int, needs: int, rounds: int, keep: bool, out: Path, stdout) -> dict:
    from matching.services import match_propose_for_need

    with BenchDatabase(keep=keep):
        from volunteers.models import VolunteerProfile

        present = VolunteerProfile.objects.count()
        if present != size:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE accounts_user, volunteers_volunteerprofile, cases_case, charities_charity CASCADE"
                )
            began = time.perf_counter()
            load_volunteers(size)
            stdout.write(f"loaded {size} volunteers in {time.perf_counter() - began:.1f} s")
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE matching_match, cases_case, charities_charity, notifications_notification CASCADE"
                )
                cursor.execute("DELETE FROM accounts_user WHERE email LIKE 'owner-%%@bench.example.org'")
        need_ids = draw_needs(WARMUP + needs * rounds)
        with connection.cursor() as cursor:
            # As autovacuum would have by then: statistics, and a visibility map
            # so the covering index is read without visiting the table.
            cursor.execute("VACUUM ANALYZE")
        warm_up, need_ids = need_ids[:WARMUP], need_ids[WARMUP:]
        for need_id in warm_up:  # caches, connections and the planner's first plans
            match_propose_for_need(need_id=need_id)
        measured = []
        for n in range(rounds):
            speed = machine_speed()
            measured.append({**measure(need_ids[n * needs : (n + 1) * needs]), **speed})
        # The headline is the round with the median p95, not the best: every round is kept in `rounds`.
        headline = sorted(measured, key=lambda r: r["p95_ms"])[len(measured) // 2]
        result = {"volunteers": size, **headline, "rounds": measured}
        result["plans"] = [explain("EG-C", 5, 18), explain("SA-11", 2, 10)]
        from volunteers.models import AvailabilitySlot

        result["slots"] = AvailabilitySlot.objects.count()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result
