"""The public pages benchmark behind `make bench-pages` (`manage.py bench_pages`).

In a throw-away `<DATABASE_URL's name>_pagesbench` database it loads SIZE open cases
with COPY (cases/bench/data.py), starts gunicorn with the production settings (plus
the bench's URLconf, which alone mounts the bare view) on a free port with 2 workers,
and drives each public page with wrk at 8 connections, beside `/bench/bare/`:
first with the anonymous page cache off (every request renders), then with it on
for one case page (`cached_case_rps`). Queries per page are counted in process with
the cache off; every list query's plan is checked for sequential scans of the cases.
Beside wrk, the CPU each page costs per request in one process (cases/bench/cpu.py) is
measured too, a figure a loaded machine hardly moves; `cpu_only` measures just that.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from cases import common_words
from cases.bench import data

SEARCH_WORD = "بطاطين"
BIG_TABLES = ("cases_case", "cases_need", "cases_caseupdate")
# A sequential scan may read a page and a capped count (PUBLIC_LIST_MAX_RESULTS + 1), no more.
SCAN_ROWS_ALLOWED = 5_000
LUA = Path(__file__).with_name("report.lua")


def bench_database_name() -> str:
    return f"{connection.settings_dict['NAME']}_pagesbench"


class BenchDatabase:
    """Switch the default connection to a migrated `<name>_pagesbench` database and back."""

    def __init__(self, *, keep: bool):
        self.keep = keep
        self.original = connection.settings_dict["NAME"]
        self.name = f"{self.original}_pagesbench"
        self.existed = False

    def __enter__(self):
        from django.core.management import call_command

        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            self.existed = cursor.fetchone() is not None
            if not self.existed:
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


def _loaded_cases() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case WHERE status IN ('open', 'in_progress')")
        return cursor.fetchone()[0]


def _wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)  # noqa: S607
    return shutil.which("wrk") or "wrk"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(name: str) -> str:
    db = connection.settings_dict
    user = db.get("USER") or "root"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _server_env(database: str, cache_seconds: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "volunteerbank.settings.bench",
        "DATABASE_URL": _database_url(database),
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "60",
        "PUBLIC_CACHE_SECONDS": str(cache_seconds),
        # The load generator is one address. DRF's user throttle also counts anonymous
        # requests by address, so both are lifted (an API list of 429s measured nothing).
        "THROTTLE_ANON": "10000000/min",
        "THROTTLE_USER": "10000000/min",
        "LOG_LEVEL": "WARNING",
    }


def _collectstatic(database: str) -> None:
    """The production settings serve hashed static files from a manifest: build it."""
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(command, cwd=settings.BASE_DIR, env=_server_env(database, 0), check=True)  # noqa: S603


def _cpu(database: str, paths: dict[str, str], *, rounds: int = 7, requests: int = 30) -> dict:
    """CPU ms per request of each page (and the bare view) in a child process with the
    servers' settings and environment: see cases/bench/cpu.py."""
    program = "import sys, django; django.setup(); from cases.bench import cpu; cpu.main(sys.argv[1:])"
    command = [sys.executable, "-c", program, json.dumps(paths), str(rounds), str(requests)]
    env = _server_env(database, 0)
    out = subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    """gunicorn with production settings on a free port, 2 workers, for one phase."""

    def __init__(self, *, database: str, cache_seconds: int, workers: int = 2):
        self.port = _free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "volunteerbank.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--log-level", "warning"]
        env = _server_env(database, cache_seconds)
        self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603
        self._wait()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait(self) -> None:
        import urllib.request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/bench/bare/", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start within 60 seconds")

    def get(self, path: str) -> tuple[int, dict]:
        import urllib.request

        with urllib.request.urlopen(self.base + path, timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _drive(wrk: str, url: str, *, seconds: int, connections: int = 8) -> dict:
    warm = [wrk, "-t2", f"-c{connections}", "-d1s", url]
    subprocess.run(warm, check=True, capture_output=True)  # noqa: S603
    # A 10 s timeout (wrk's default is 2 s): a slow page is measured, not dropped as an error.
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA), url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("{"))
    measured = json.loads(line)
    if measured["errors"] or measured["non_2xx"]:
        raise RuntimeError(
            f"{url}: {measured['non_2xx']} answers with a 4xx or 5xx status and {measured['errors']} socket errors "
            f"out of {measured['requests']}; a figure of refusals measures nothing."
        )
    return {
        "rps": round(measured["rps"], 1),
        "p50_ms": round(measured["p50_us"] / 1000, 2),
        "p95_ms": round(measured["p95_us"] / 1000, 2),
        "p99_ms": round(measured["p99_us"] / 1000, 2),
        "requests": measured["requests"],
        "errors": measured["errors"] + measured["non_2xx"],
    }


def _pick_paths() -> dict[str, str]:
    from cases.models import Case

    case = (
        Case.objects.filter(status="open", needs__isnull=False, updates__isnull=False)
        .order_by("-urgency", "-published_at", "-id")
        .first()
    ) or Case.objects.filter(status="open").order_by("-id").first()
    return {
        "home": "/ar/",
        "case_list": "/ar/cases/",
        "case_page": f"/ar/cases/{case.pk}/",
        "charity_page": f"/ar/charities/{case.charity_id}/",
        "api_case_list": "/api/v1/cases/",
        "search": f"/ar/cases/?q={quote(SEARCH_WORD)}",
    }


def _count_queries(paths: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    """Statements each page runs (cache off, anonymous), and those statements' SQL."""
    counts, statements = {}, []
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(PUBLIC_CACHE_SECONDS=0, ALLOWED_HOSTS=["127.0.0.1"], DEBUG=False):
        for name, path in paths.items():
            client.get(path)  # warm: reference data, translations
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}")
            counts[name] = len(queries)
            statements += [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    return counts, statements


def _sequential_scans(plan: dict) -> list[dict]:
    """Every sequential scan of a big table in the plan, with the rows it read."""
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in BIG_TABLES:
        rows_read = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
        found.append({"table": plan["Relation Name"], "rows_read": int(rows_read * plan.get("Actual Loops", 1))})
    for child in plan.get("Plans", []):
        found += _sequential_scans(child)
    return found


def _plans(statements: list[str]) -> list[dict]:
    """EXPLAIN ANALYZE of every statement that reads a big table: execution time, and any
    sequential scan of one with the rows it read. A scan that a LIMIT stops after a
    page or a capped count (the planner may prefer it when nearly every row matches) is
    listed; one that reads more than SCAN_ROWS_ALLOWED rows is a `full_scan`: there
    should be none."""
    checked = []
    with connection.cursor() as cursor:
        for sql in dict.fromkeys(statements):
            if not any(table in sql for table in BIG_TABLES):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (result,) = cursor.fetchone()
            plan = (json.loads(result) if isinstance(result, str) else result)[0]
            scans = _sequential_scans(plan["Plan"])
            checked.append(
                {
                    "sql": sql[:160],
                    "ms": round(plan["Execution Time"], 2),
                    "sequential_scans": scans,
                    "full_scan": any(scan["rows_read"] > SCAN_ROWS_ALLOWED for scan in scans),
                }
            )
    return checked


def _machine() -> dict:
    one, five, fifteen = os.getloadavg()
    return {"cpus": os.cpu_count(), "load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def run(*, size: int, seconds: int, keep: bool, out: Path, stdout, cpu_only: bool = False) -> dict:
    wrk = None if cpu_only else _wrk()
    with BenchDatabase(keep=keep) as db:
        loaded = _loaded_cases()
        if loaded != size:
            if loaded:
                with connection.cursor() as cursor:
                    cursor.execute("TRUNCATE cases_case, cases_commonword, charities_charity RESTART IDENTITY CASCADE")
            started = time.monotonic()
            stdout.write(f"loading {size} open cases with COPY…")
            figures = data.load(size)
            figures["load_seconds"] = round(time.monotonic() - started, 1)
        else:
            figures = {"cases": size, "reused": True}
        # As the hourly task would have by then: found, filled, and filled again (ready).
        started = time.monotonic()
        figures["common_words"] = [common_words.refresh(), common_words.refresh()][-1]["common"]
        figures["common_words_seconds"] = round(time.monotonic() - started, 1)
        stdout.write(f"loaded: {figures}")
        paths = _pick_paths()
        queries, statements = _count_queries(paths)
        plans = _plans(statements)
        _collectstatic(db.name)
        connection.close()  # the servers' workers take the connections from here

        machine_before = _machine()
        cpu = _cpu(db.name, paths)
        for name, measured in cpu.items():
            stdout.write(f"{name:14} {measured['cpu_ms']:>8} CPU ms a request (least {measured['min_ms']})")
        if cpu_only:
            result = {"cases": size, "cpu": cpu, "queries": queries, "load": figures, "plans": plans}
            result["machine"] = {"before": machine_before, "after": _machine()}
            return _write(out, result)
        pages = {}
        server = Server(database=db.name, cache_seconds=0)
        bares = []
        try:
            # The bare view runs before and after every page: on a shared machine its speed
            # moves from one minute to the next, so each page is compared with its neighbours.
            bares.append(_drive(wrk, server.base + "/bench/bare/", seconds=seconds))
            for name, path in paths.items():
                pages[path] = {"name": name, **_drive(wrk, server.base + path, seconds=seconds)}
                bares.append(_drive(wrk, server.base + "/bench/bare/", seconds=seconds))
                pages[path]["queries"] = queries[name]
                pages[path]["cpu_ms"] = cpu[name]["cpu_ms"]
                pages[path]["bare_rps_around"] = round((bares[-2]["rps"] + bares[-1]["rps"]) / 2, 1)
                share = round(100 * pages[path]["rps"] / pages[path]["bare_rps_around"], 1)
                page = pages[path]
                stdout.write(f"{name:14} {page['rps']:>8} req/s ({share}% of bare) p95 {page['p95_ms']} ms")
        finally:
            server.stop()
        bare = sorted(bares, key=lambda run: run["rps"])[len(bares) // 2]  # the median run
        server = Server(database=db.name, cache_seconds=300)
        try:
            server.get(paths["case_page"])  # fills the cache
            _status, headers = server.get(paths["case_page"])
            before = _drive(wrk, server.base + "/bench/bare/", seconds=seconds)
            cached = _drive(wrk, server.base + paths["case_page"], seconds=seconds)
            after = _drive(wrk, server.base + "/bench/bare/", seconds=seconds)
            bare_cached_phase = {"rps": round((before["rps"] + after["rps"]) / 2, 1), "runs": [before, after]}
        finally:
            server.stop()
        machine_after = _machine()

    result = {
        "cases": size,
        "bare_rps": bare["rps"],
        "bare_cpu_ms": cpu["bare"]["cpu_ms"],
        "cached_case_rps": cached["rps"],
        "pages": pages,
        "bare": bare,
        "cached_case": {**cached, "path": paths["case_page"], "cache_header": headers.get("X-Public-Cache", "")},
        "bare_in_cached_phase": bare_cached_phase,
        "bare_runs": [run["rps"] for run in bares],
        "ratios_to_bare": {
            **{page["name"]: round(page["rps"] / page["bare_rps_around"], 4) for page in pages.values()},
            "cached_case_page": round(cached["rps"] / bare_cached_phase["rps"], 4),
        },
        "load": figures,
        "plans": plans,
        "cpu": cpu,
        "machine": {"before": machine_before, "after": machine_after},
        "settings": {"gunicorn_workers": 2, "wrk_connections": 8, "seconds_per_page": seconds},
    }
    return _write(out, result)


def _write(out: Path, result: dict) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result
