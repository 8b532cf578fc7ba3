"""`make bench-pages`: public pages under load at N open cases on PostgreSQL. See cases/bench."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases import bench


class Command(BaseCommand):
    help = "Benchmark the public pages against N synthetic open cases in a throw-away PostgreSQL database."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=100_000, help="open cases (default 100000)")
        parser.add_argument("--seconds", type=int, default=10, help="seconds of load per page (default 10)")
        parser.add_argument("--keep", action="store_true", help="keep the bench database (and reuse it at this size)")
        parser.add_argument("--out", default=str(Path(settings.VAR_DIR) / "bench" / "pages.json"))

    def handle(self, *args, size, seconds, keep, out, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_pages needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite says nothing about "
                "the production planner, so it is not measured)."
            )
        if size < 1 or seconds < 1:
            raise CommandError("--size and --seconds must be at least 1.")
        result = bench.run(size=size, seconds=seconds, keep=keep, out=Path(out), stdout=self.stdout)
        bare = result["bare_rps"]
        self.stdout.write(f"{'page':40} {'req/s':>8} {'% bare':>7} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7}")
        self.stdout.write(
            f"{'/bench/bare/':40} {bare:>8} {100:>7} {result['bare']['p50_ms']:>7} {result['bare']['p95_ms']:>7}"
        )
        for path, page in result["pages"].items():
            share = round(100 * page["rps"] / page["bare_rps_around"], 1)
            self.stdout.write(
                f"{path:40} {page['rps']:>8} {share:>7} {page['p50_ms']:>7} {page['p95_ms']:>7} {page['queries']:>7}"
            )
        cached = result["cached_case"]
        share = round(100 * result["ratios_to_bare"]["cached_case_page"], 1)
        self.stdout.write(
            f"{'cached ' + cached['path']:40} {cached['rps']:>8} {share:>7} {cached['p50_ms']:>7} {cached['p95_ms']:>7}"
        )
        scans = [plan for plan in result["plans"] if plan["sequential_scans"]]
        self.stdout.write(f"plans checked: {len(result['plans'])}, with a sequential scan of a big table: {len(scans)}")
        self.stdout.write(f"machine load: {result['machine']}")
        self.stdout.write(f"written to {out}")
