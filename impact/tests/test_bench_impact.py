"""`make bench-impact` end to end at a tiny size: its own database loaded with COPY,
the rollups rebuilt, each page timed with its query count, and its figures written."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from impact.bench import bench_database_name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_impact_benchmark_times_the_pages_and_writes_its_figures(tmp_path):
    out = tmp_path / "impact.json"
    printed = io.StringIO()
    call_command(
        "bench_impact",
        "--cases",
        "60",
        "--attendance",
        "400",
        "--volunteers",
        "80",
        "--requests",
        "5",
        "--out",
        str(out),
        stdout=printed,
    )
    result = json.loads(out.read_text())
    assert result["load"]["attendance"] == 400 and result["rollup_rows"] > 0
    assert set(result["pages"]) == {"charity_impact", "charity_impact_api", "stats_api", "platform_page"}
    for page in result["pages"].values():
        assert page["requests"] == 5 and page["p95_ms"] > 0
        assert len(page["queries"]) == 1, page  # the same count on every request
    assert "stats_api" in printed.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_database_name()])
        assert cursor.fetchone() is None, "the throw-away database is dropped"


def test_the_impact_benchmark_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_impact", "--cases", "10")
