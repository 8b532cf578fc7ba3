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
    assert result["bare_rps"] > 0 and result["cached_case_rps"] > 0
    assert {page["name"] for page in result["pages"].values()} == PAGES
    for path, page in result["pages"].items():
        assert {"rps", "p50_ms", "p95_ms", "queries"} <= set(page), path
        # Search reads its candidates in two statements each (whole words, then similar ones).
        most = 15 if page["name"] == "search" else 8
        assert page["rps"] > 0 and page["errors"] == 0 and 0 < page["queries"] <= most, (path, page)
    assert result["cached_case"]["cache_header"] == "hit"
    assert result["plans"] and all("sequential_scans" in plan for plan in result["plans"])
    assert "cached /ar/cases/" in printed.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_database_name()])
        assert cursor.fetchone() is None, "the throw-away database is dropped"


def test_the_page_benchmark_refuses_sqlite(settings, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_pages", "--size", "10")
