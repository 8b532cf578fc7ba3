"""The impact benchmark behind `make bench-impact` (`manage.py bench_impact`).

In a throw-away `<DATABASE_URL's name>_impactbench` database (matching's `BenchDatabase`,
renamed) it loads CASES cases with their charities and needs (`cases.bench.data`),
volunteers (`matching.bench.load_volunteers`), then ATTENDANCE confirmed matches with
their attendance and attested hours, all with COPY, spread over the last 12 months. It
rebuilds every rollup (timed), then asks, in process with Django's test Client, the
busiest charity's impact page and `/api/v1/stats/` REQUESTS times each: p50/p95 and the
queries per request, which must not grow with the data.
"""

import datetime as dt
import json
import os
import random
import statistics
import time
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attendance.models import Attendance, HoursRecord
from cases.bench import data
from charities.models import Membership
from matching import bench as matching_bench
from matching.models import Match

NO_SHOW_SHARE = 0.08
PARTIAL_SHARE = 0.07
WARMUP = 5


class ImpactBenchDatabase(matching_bench.BenchDatabase):
    """matching's throw-away database, under its own name so both benches can coexist."""

    def __init__(self, *, keep: bool = False):
        super().__init__(keep=keep)
        self.name = bench_database_name()


def bench_database_name() -> str:
    return f"{connection.settings_dict['NAME']}_impactbench"


def _past_needs(seed: int) -> list[tuple]:
    """Move every need into the last 12 months (attendance is about the past) and read them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE cases_need SET starts_at = now() - make_interval(hours => (mod(id * 7919, 365 * 24) + 24)::int),
                                     ends_at = now() - make_interval(hours => (mod(id * 7919, 365 * 24) + 21)::int)"""
        )
        cursor.execute(
            """SELECT n.id, c.charity_id, n.activity_type_id, n.starts_at, n.volunteers_needed
               FROM cases_need n JOIN cases_case c ON c.id = n.case_id
               WHERE c.published_at IS NOT NULL ORDER BY n.id"""
        )
        return cursor.fetchall()


def load_attendance(count: int, *, seed: int = 23) -> dict:
    """COPY `count` confirmed matches, their attendance and the hours of those who came."""
    rng = random.Random(seed)
    needs = _past_needs(seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM volunteers_volunteerprofile ORDER BY id")
        volunteers = [row[0] for row in cursor.fetchall()]
    per_need = max(1, -(-count // max(len(needs), 1)))
    matches, attendances, records = [], [], []
    made = 0
    for need_id, charity_id, activity_id, starts_at, _needed in needs:
        if made >= count:
            break
        chosen = rng.sample(volunteers, k=min(per_need, count - made, len(volunteers)))
        for volunteer_id in chosen:
            made += 1
            proposed = starts_at - dt.timedelta(days=rng.randrange(2, 20))
            matches.append(
                {
                    "id": made,
                    "need_id": need_id,
                    "volunteer_id": volunteer_id,
                    "charity_id": charity_id,
                    "status": Match.Status.CONFIRMED,
                    "starts_at": starts_at,
                    "ends_at": starts_at + dt.timedelta(hours=3),
                    "minutes": 180,
                    "proposed_at": proposed,
                    "reviewed_at": proposed + dt.timedelta(hours=rng.randrange(1, 72)),
                    "answered_at": proposed + dt.timedelta(hours=rng.randrange(73, 120)),
                }
            )
            draw = rng.random()
            status = (
                "no_show" if draw < NO_SHOW_SHARE else "partial" if draw < NO_SHOW_SHARE + PARTIAL_SHARE else "attended"
            )
            minutes = {"no_show": 0, "partial": 60 + rng.randrange(0, 100), "attended": 180}[status]
            attendances.append(
                {
                    "id": made,
                    "match_id": made,
                    "need_id": need_id,
                    "volunteer_id": volunteer_id,
                    "charity_id": charity_id,
                    "status": status,
                    "minutes": minutes,
                    "marked_at": starts_at + dt.timedelta(hours=4),
                    "created_at": starts_at + dt.timedelta(hours=4),
                }
            )
            if minutes:
                records.append(
                    {
                        "id": len(records) + 1,
                        "volunteer_id": volunteer_id,
                        "charity_id": charity_id,
                        "need_id": need_id,
                        "activity_type_id": activity_id,
                        "attendance_id": made,
                        "source": HoursRecord.Source.ATTENDANCE,
                        "date": starts_at.date().isoformat(),
                        "minutes": minutes,
                        "created_at": starts_at + dt.timedelta(hours=4),
                    }
                )
    data.copy_model(Match, matches)
    data.copy_model(Attendance, attendances)
    data.copy_model(HoursRecord, records)
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE cases_need n SET volunteers_confirmed = LEAST(m.count, 32767)
               FROM (SELECT need_id, count(*) FROM matching_match GROUP BY need_id) m WHERE m.need_id = n.id"""
        )
        for table in ("matching_match", "attendance_attendance", "attendance_hoursrecord"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table])  # noqa: S608 (our table names)
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {"matches": len(matches), "attendance": len(attendances), "hours_records": len(records)}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time(client: Client, path: str, requests: int) -> dict:
    for _ in range(WARMUP):
        assert client.get(path).status_code == 200, path
    timings, queries = [], set()
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
        queries.add(len(captured.captured_queries))
    return {
        "path": path,
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "queries": sorted(queries),
    }


def _busiest_charity() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT charity_id FROM impact_impactcharity ORDER BY attendances DESC, charity_id LIMIT 1")
        return cursor.fetchone()[0]


def _loaded() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM charities_charity),
                      (SELECT count(*) FROM attendance_attendance), (SELECT count(*) FROM attendance_hoursrecord)"""
        )
        cases, charities, attendance, records = cursor.fetchone()
    return {"cases": cases, "charities": charities, "attendance": attendance, "hours_records": records}


def run(
    *,
    cases: int,
    attendance: int,
    volunteers: int,
    requests: int,
    keep: bool,
    out: Path,
    stdout,
    reuse: bool = False,
) -> dict:
    from django.contrib.auth import get_user_model

    from impact.services import impact_rebuild

    with ImpactBenchDatabase(keep=keep):
        started = time.perf_counter()
        if reuse and _loaded()["attendance"]:
            loaded = _loaded()  # a database kept by an earlier --keep run: measure again
        else:
            loaded = data.load(cases)
            matching_bench.load_volunteers(volunteers)
            loaded.update(load_attendance(attendance))
        load_seconds = time.perf_counter() - started
        stdout.write(f"loaded {loaded} in {load_seconds:.0f} s")
        started = time.perf_counter()
        impact_rebuild()
        rebuild_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            for table in ("impact_impactmonth", "impact_impactvolunteers", "impact_impactduration"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would after a rebuild
        stdout.write(f"rollups rebuilt in {rebuild_seconds:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM impact_impactmonth")
            rollup_rows = cursor.fetchone()[0]
        charity_id = _busiest_charity()
        email = "impact-bench-owner@bench.example.org"
        owner, _created = get_user_model().objects.get_or_create(email=email, defaults={"username": email})
        Membership.objects.get_or_create(charity_id=charity_id, user=owner, defaults={"role": Membership.Role.OWNER})
        staff = Client()
        staff.force_login(owner)
        pages = {
            "charity_impact": _time(staff, f"/ar/charities/{charity_id}/impact/", requests),
            "charity_impact_api": _time(staff, f"/api/v1/charities/{charity_id}/impact/", requests),
            "stats_api": _time(Client(), "/api/v1/stats/", requests),
            "platform_page": _time(Client(), "/ar/impact/", requests),
        }
    result = {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "cases": cases,
        "load": loaded,
        "load_seconds": round(load_seconds, 1),
        "rebuild_seconds": round(rebuild_seconds, 2),
        "rollup_rows": rollup_rows,
        "busiest_charity": charity_id,
        "pages": pages,
        "machine": matching_bench.machine_speed(),
        "load_average": [round(value, 1) for value in os.getloadavg()],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result
