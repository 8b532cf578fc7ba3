"""`make bench-pages` end to end on a small population: its own database loaded with
COPY, gunicorn with production settings, wrk beside the bare view, and its figures."""

import io
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.bench import bench_database_name

PAGES = {"home", "case_list", "case_page", "charity_page", "api_case_list", "search"}


@pytest.mark.postgres
@pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed (the benchmark installs it with apt-get)")
@pytest.mark.django_db(transaction=True)
def test_the_page_benchmark_drives_every_public_page_and_writes_its_figures(tmp_path):
    out = tmp_path / "pages.json"
    printed = io.StringIO()
    call_command("bench_pages", "--size", "300", "--seconds", "1", "--out", str(out), stdout=printed)
    result = json.loads(out.read_text())
    assert result["cases"] == 300 and result["load"]["needs"] > 0 and result["load"]["charities"] >= 5
    assert result["bare_rps"] > 0 and result["cached_case_rps"] > 0 and result["bare_cpu_ms"] > 0
    assert {page["name"] for page in result["pages"].values()} == PAGES
    for path, page in result["pages"].items():
        assert {"rps", "p50_ms", "p95_ms", "queries"} <= set(page), path
        # Search reads its candidates in two statements each (whole words, then similar ones).
        most = 15 if page["name"] == "search" else 8
        assert page["rps"] > 0 and page["errors"] == 0 and 0 < page["queries"] <= most, (path, page)
        assert page["cpu_ms"] > result["bare_cpu_ms"], (path, page)  # measured beside wrk, in one process
    assert result["cached_case"]["cache_header"] == "hit"
    assert result["plans"] and all("sequential_scans" in plan for plan in result["plans"])
    assert "cached /ar/cases/" in printed.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_database_name()])
        assert cursor.fetchone() is None, "the throw-away database is dropped"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_cpu_mode_measures_each_page_in_one_process_without_a_server(tmp_path):
    out = tmp_path / "cpu.json"
    printed = io.StringIO()
    call_command("bench_pages", "--size", "200", "--cpu", "--out", str(out), stdout=printed)
    result = json.loads(out.read_text())
    assert result["cases"] == 200 and set(result["cpu"]) == PAGES | {"bare"}
    for name, page in result["cpu"].items():
        assert 0 < page["min_ms"] <= page["cpu_ms"] and page["bytes"] > 0, (name, page)
    assert result["queries"]["case_page"] > 0 and "machine" in result
    assert "CPU ms" in printed.getvalue() and "req/s" not in printed.getvalue()


@pytest.mark.django_db
def test_cpu_figures_are_the_median_round_of_anonymous_renders(settings):
    from cases.bench import cpu

    settings.ROOT_URLCONF = "volunteerbank.bench_urls"
    figures = cpu.measure({"home": "/ar/"}, rounds=3, requests=2)
    assert set(figures) == {"bare", "home"}
    assert figures["home"]["path"] == "/ar/" and figures["home"]["bytes"] > figures["bare"]["bytes"] == 2
    assert figures["home"]["cpu_ms"] >= figures["home"]["min_ms"] > 0


def test_the_page_benchmark_refuses_sqlite(settings, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_pages", "--size", "10")


def test_a_sequential_scan_is_reported_with_the_rows_it_read(settings):
    from cases.bench import SCAN_ROWS_ALLOWED, _sequential_scans

    plan = {
        "Node Type": "Limit",
        "Plans": [
            {"Node Type": "Seq Scan", "Relation Name": "cases_case", "Actual Rows": 1001, "Rows Removed by Filter": 99},
            {"Node Type": "Seq Scan", "Relation Name": "core_region", "Actual Rows": 27},
        ],
    }
    assert _sequential_scans(plan) == [{"table": "cases_case", "rows_read": 1100}]
    assert SCAN_ROWS_ALLOWED > settings.PUBLIC_LIST_MAX_RESULTS + 1, "a capped count's scan is allowed"


def test_the_servers_lift_both_throttles_that_count_anonymous_requests():
    """DRF's user throttle counts anonymous requests by address too: with only the anonymous
    one lifted, the API list measured mostly 429s."""
    from cases.bench import _server_env

    env = _server_env("volunteerbank_pagesbench", 0)
    assert env["THROTTLE_ANON"] == env["THROTTLE_USER"] == "10000000/min"
