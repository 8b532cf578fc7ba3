"""Server-side prepared statements for the few statements a hot path runs on every call.

PostgreSQL plans every statement Django sends anew. For a matching run's five-table
need lock and its ranking query, planning took 1.2–1.4 ms each, longer than running
them (0.3 ms), on the path `make bench` holds to 10 ms. A statement run through
`execute` is PREPAREd once per database connection and EXECUTEd after, so its plan
is kept: PostgreSQL plans the first five executions with their values, then keeps a
generic plan when it costs no more (see PREPARE in its manual).

The SQL is the caller's own text with `%s` or `%(name)s` placeholders, values are
passed as usual. A prepared statement lives as long as its connection, so this
suits direct connections (as here) and session pooling, not a transaction-pooling
proxy. On any other database the statement simply runs.
"""

import hashlib
import re

from django.db import connection

_NAMED = re.compile(r"%\((\w+)\)s")


class _Statement:
    """A statement's name, its text with `$n` placeholders, and the order its values go in."""

    def __init__(self, sql: str):
        self.name = "vb_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
        self.names = list(dict.fromkeys(_NAMED.findall(sql)))
        if self.names:
            body = _NAMED.sub(lambda found: f"${self.names.index(found.group(1)) + 1}", sql)
            count = len(self.names)
        else:
            parts = sql.split("%s")
            body = "".join(part + (f"${n}" if n < len(parts) else "") for n, part in enumerate(parts, start=1))
            count = len(parts) - 1
        # Sent without values, so psycopg2 leaves `%%` as it is: PostgreSQL must see `%`.
        self.prepare = f"PREPARE {self.name} AS {body.replace('%%', '%')}"
        self.execute = f"EXECUTE {self.name}" + (f" ({', '.join(['%s'] * count)})" if count else "")

    def values(self, params) -> list:
        return [params[name] for name in self.names] if self.names else list(params or ())


_statements: dict[str, _Statement] = {}


def execute(cursor, sql: str, params=None) -> None:
    """Run `sql` on `cursor` (a cursor of `django.db.connection`) as a prepared statement."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    statement = _statements.get(sql)
    if statement is None:
        statement = _statements.setdefault(sql, _Statement(sql))
    prepared = _prepared_names()
    if statement.name not in prepared:
        cursor.execute(statement.prepare)
        prepared.add(statement.name)  # PREPARE outlives a rollback; a new connection starts empty
    cursor.execute(statement.execute, statement.values(params))


def _prepared_names() -> set[str]:
    raw = connection.connection
    held = getattr(connection, "_prepared_statements", None)
    if held is None or held[0] is not raw:
        held = (raw, set())
        connection._prepared_statements = held
    return held[1]
