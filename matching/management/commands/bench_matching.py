"""`make bench`: time matching one need at N volunteers on PostgreSQL. See matching/bench.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from matching import bench


class Command(BaseCommand):
    help = "Benchmark matching against N synthetic volunteers in a throw-away PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=100_000, help="number of volunteers (default 100000)")
        parser.add_argument("--needs", type=int, default=400, help="needs to match per round (default 400)")
        parser.add_argument("--rounds", type=int, default=3, help="rounds of needs (default 3; shows the median round)")
        parser.add_argument("--keep", action="store_true", help="keep the bench database for the next run")
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "bench" / "matching.json"))

    def handle(self, *args, size, needs, rounds, keep, out, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_matching needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite says nothing about "
                "the production planner, so it is not measured)."
            )
        if size < 1:
            raise CommandError("--size must be at least 1.")
        if rounds < 1 or needs < 20:
            raise CommandError("--rounds must be at least 1 and --needs at least 20.")
        # As in production: with DEBUG on, Django would log (and format) every statement it times.
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            result = bench.run(size=size, needs=needs, rounds=rounds, keep=keep, out=Path(out), stdout=self.stdout)
        finally:
            settings.DEBUG = debug
        rows = [
            ("volunteers", result["volunteers"]),
            ("availability slots", result["slots"]),
            ("needs matched", result["needs"]),
            ("proposals written", result["proposals"]),
            ("p50 per need (ms)", result["p50_ms"]),
            ("p95 per need (ms)", result["p95_ms"]),
            ("max per need (ms)", result["max_ms"]),
            ("needs/s, one worker", result["needs_per_s"]),
            ("queries per need", result["queries_per_need"]),
        ]
        for n, measured in enumerate(result["rounds"], start=1):
            rows.append(
                (
                    f"round {n}",
                    f"p50 {measured['p50_ms']} ms, p95 {measured['p95_ms']} ms, {measured['needs_per_s']} needs/s "
                    f"(python loop {measured['python_loop_ms']} ms, db round trip {measured['db_round_trip_us']} us)",
                )
            )
        for plan in result["plans"]:
            rows.append((f"plan {plan['region']} {plan['window']}", f"{plan['candidates']} candidates"))
            rows.append(("  execution", "; ".join(plan["execution"])))
            rows.append(("  sequential scans", "; ".join(plan["sequential_scans"]) or "none"))
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            self.stdout.write(f"{label.ljust(width)}  {value}")
        self.stdout.write(f"written to {out}")
