"""`make bench` end to end on a small population: it builds its own database,
loads volunteers with COPY, matches needs in rounds and writes its figures."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from matching.bench import bench_database_name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_benchmark_matches_needs_and_writes_its_figures(tmp_path):
    out = tmp_path / "matching.json"
    printed = io.StringIO()
    call_command("bench_matching", "--size", "300", "--needs", "20", "--rounds", "2", "--out", str(out), stdout=printed)
    result = json.loads(out.read_text())
    assert {"volunteers", "p50_ms", "p95_ms", "needs_per_s", "queries_per_need"} <= set(result)
    assert result["volunteers"] == 300 and result["slots"] > 300
    assert len(result["rounds"]) == 2 and result["needs"] == 20
    assert result["proposals"] > 0
    assert all(plan["execution"] for plan in result["plans"])  # (at 300 volunteers any plan is fine)
    assert "p95 per need (ms)" in printed.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_database_name()])
        assert cursor.fetchone() is None, "the throw-away database is dropped"
