"""`core.prepared`: the hot path's statements run as server-side prepared statements on PostgreSQL."""

import pytest
from django.db import connection

from core import prepared

pytestmark = pytest.mark.django_db


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def _run(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        prepared.execute(cursor, sql, params)
        return cursor.fetchall()


@pytest.mark.postgres
def test_a_statement_is_prepared_once_and_answers_with_each_call_s_values():
    sql = "SELECT %s::int + 1, %s::text"
    assert _run(sql, [1, "أ"]) == [(2, "أ")]
    name = prepared._statements[sql].name
    assert name in _prepared_names()
    assert _run(sql, [41, "b"]) == [(42, "b")]  # the same statement, new values
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [name])
        assert cursor.fetchone() == (1,)


@pytest.mark.postgres
def test_named_placeholders_repeat_and_percent_signs_reach_the_server_as_one():
    sql = "SELECT %(n)s::int * %(n)s::int, %(word)s::text LIKE 'ab%%'"
    assert _run(sql, {"word": "abc", "n": 3}) == [(9, True)]
    assert _run(sql, {"word": "xbc", "n": 4}) == [(16, False)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again():
    sql = "SELECT %s::int * 2"
    assert _run(sql, [2]) == [(4,)]
    connection.close()  # as after a dropped connection: the server forgot the statement
    assert _run(sql, [3]) == [(6,)]
    assert prepared._statements[sql].name in _prepared_names()


def test_other_databases_run_the_statement_as_it_is():
    assert _run("SELECT %s + 1", [1]) == [(2,)]
