"""Plain INSERTs for the rows a hot path writes on every run.

`bulk_create` prepares each value through the whole insert compiler; for the
few rows a matching run writes (its proposals and the hour's digest), that cost
more CPU than the database spent writing them, on the path `make bench` holds
to 10 ms. Here each value still goes through its field's own
`get_db_prep_save`, and the columns not named must be nullable or have a
database default (a missing one fails loudly in every test that writes).
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

_UNSET = object()


def insert(
    model: type[Model],
    objs: Sequence[Model],
    fields: Sequence[str],
    *,
    unique: Sequence[str] = (),
    update: Sequence[str] = (),
) -> None:
    """INSERT `objs` (their `fields`) in one statement. A row that breaks a unique
    constraint is skipped, or, given `unique` and `update`, updates those columns
    of the row it collides with (as `bulk_create`'s `ignore_conflicts` and
    `update_conflicts` do on PostgreSQL and SQLite)."""
    if not objs:
        return
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: each `connection.x` is a thread-local lookup
    meta = model._meta
    concrete = [meta.get_field(name) for name in fields]
    quote = db.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(concrete)) + ")"
    if update:
        target = ", ".join(quote(meta.get_field(name).column) for name in unique)
        changes = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in (meta.get_field(n).column for n in update))
        conflict = f"ON CONFLICT ({target}) DO UPDATE SET {changes}"
    else:
        conflict = "ON CONFLICT DO NOTHING"
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in concrete)}) "  # noqa: S608
        f"VALUES {', '.join([one] * len(objs))} {conflict}"
    )
    params = []
    # Rows a hot path writes share most values (a need's proposals: the same need, charity,
    # times): each is prepared once, while the next row holds the very same object.
    last, prepared = [_UNSET] * len(concrete), [None] * len(concrete)
    for obj in objs:
        for n, field in enumerate(concrete):
            value = getattr(obj, field.attname)
            if value is not last[n]:
                last[n], prepared[n] = value, field.get_db_prep_save(value, db)
            params.append(prepared[n])
    with db.cursor() as cursor:
        cursor.execute(sql, params)
