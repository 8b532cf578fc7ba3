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
        parser.add_argument(
            "--cpu", action="store_true", help="only each page's CPU ms a request, in one process (no gunicorn, no wrk)"
        )
        parser.add_argument("--out", help="default var/bench/pages.json (pages_cpu.json with --cpu)")

    def handle(self, *args, size, seconds, keep, cpu, out, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_pages needs PostgreSQL: set DATABASE_URL=postgres://… (SQLite says nothing about "
                "the production planner, so it is not measured)."
            )
        if size < 1 or seconds < 1:
            raise CommandError("--size and --seconds must be at least 1.")
        out = Path(out or Path(settings.VAR_DIR) / "bench" / ("pages_cpu.json" if cpu else "pages.json"))
        result = bench.run(size=size, seconds=seconds, keep=keep, out=out, stdout=self.stdout, cpu_only=cpu)
        if cpu:
            self._cpu_table(result)
        else:
            self._table(result)
        scans = [plan for plan in result["plans"] if plan["sequential_scans"]]
        full = [plan for plan in scans if plan["full_scan"]]
        self.stdout.write(
            f"plans checked: {len(result['plans'])}; with a sequential scan of a big table: {len(scans)}, "
            f"of which reading more than {bench.SCAN_ROWS_ALLOWED} rows: {len(full)}"
        )
        for plan in scans:
            self.stdout.write(f"  {plan['ms']} ms {plan['sequential_scans']} {plan['sql']}")
        self.stdout.write(f"machine load: {result['machine']}")
        self.stdout.write(f"written to {out}")

    def _cpu_table(self, result):
        self.stdout.write(f"{'page':40} {'CPU ms':>7} {'least':>7} {'queries':>7}")
        for name, page in result["cpu"].items():
            queries = result["queries"].get(name, 0)
            self.stdout.write(f"{page['path']:40} {page['cpu_ms']:>7} {page['min_ms']:>7} {queries:>7}")

    def _table(self, result):
        bare = result["bare_rps"]
        head = f"{'page':40} {'req/s':>8} {'% bare':>7} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'CPU ms':>7}"
        self.stdout.write(head)
        self.stdout.write(
            f"{'/bench/bare/':40} {bare:>8} {100:>7} {result['bare']['p50_ms']:>7} {result['bare']['p95_ms']:>7}"
            f" {0:>7} {result['bare_cpu_ms']:>7}"
        )
        for path, page in result["pages"].items():
            share = round(100 * page["rps"] / page["bare_rps_around"], 1)
            self.stdout.write(
                f"{path:40} {page['rps']:>8} {share:>7} {page['p50_ms']:>7} {page['p95_ms']:>7}"
                f" {page['queries']:>7} {page['cpu_ms']:>7}"
            )
        cached = result["cached_case"]
        share = round(100 * result["ratios_to_bare"]["cached_case_page"], 1)
        self.stdout.write(
            f"{'cached ' + cached['path']:40} {cached['rps']:>8} {share:>7} {cached['p50_ms']:>7} {cached['p95_ms']:>7}"
        )
