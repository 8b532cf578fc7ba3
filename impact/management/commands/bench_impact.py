"""`make bench-impact`: the impact page and /api/v1/stats/ at 1,000,000 attendance
records and 50,000 cases, on PostgreSQL. See impact/bench.py."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from impact import bench


class Command(BaseCommand):
    help = "Benchmark the impact pages and stats API over rollups of N attendance records."

    def add_arguments(self, parser):
        parser.add_argument("--attendance", type=int, default=1_000_000, help="attendance records (default 1000000)")
        parser.add_argument("--cases", type=int, default=50_000, help="listed cases (default 50000)")
        parser.add_argument("--volunteers", type=int, default=20_000, help="volunteers (default 20000)")
        parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
        parser.add_argument("--keep", action="store_true", help="keep the bench database")
        parser.add_argument(
            "--reuse", action="store_true", help="measure again in a database kept by --keep (no new load)"
        )
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "bench" / "impact.json"))

    def handle(self, *args, attendance, cases, volunteers, requests, keep, reuse, out, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_impact needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite says nothing about "
                "the production planner, so it is not measured)."
            )
        if min(attendance, cases, volunteers, requests) < 1:
            raise CommandError("--attendance, --cases, --volunteers and --requests must be at least 1.")
        debug, settings.DEBUG = settings.DEBUG, False
        try:
            result = bench.run(
                cases=cases,
                attendance=attendance,
                volunteers=volunteers,
                requests=requests,
                keep=keep,
                reuse=reuse,
                out=Path(out),
                stdout=self.stdout,
            )
        finally:
            settings.DEBUG = debug
        for name, page in result["pages"].items():
            self.stdout.write(
                f"{name:20} p50 {page['p50_ms']:7.2f} ms  p95 {page['p95_ms']:7.2f} ms  queries {page['queries']}"
            )
        self.stdout.write(f"written to {out}")
