"""One owner for "this slot covers this piece of a window", in its ORM and SQL forms.

A piece is one local day's part of a need's window (`timewindows.local_pieces`).
A slot covers it when it is on that weekday, starts no later and ends no earlier,
and is weekly or dated that very day. The coverage selector (ORM), matching's
tightest-slot look-up (ORM) and matching's ranking query (SQL, read straight from
the covering index `slot_cover`) all use these two forms; `tests/test_rules.py`
holds them equal on every edge (touching ends, dated against weekly, other days).
"""

from django.db.models import Q

from volunteers.timewindows import LocalPiece


def slot_covers_q(piece: LocalPiece) -> Q:
    """The ORM form, on AvailabilitySlot."""
    return Q(weekday=piece.date.weekday(), start__lte=piece.start, end__gte=piece.end) & (
        Q(date__isnull=True) | Q(date=piece.date)
    )


def slot_covers_sql(alias: str = "s") -> str:
    """The SQL form, on `volunteers_availabilityslot <alias>`, with the parameters of `slot_covers_params`."""
    return (
        f'{alias}.weekday = %(weekday)s AND {alias}.start <= %(piece_start)s AND {alias}."end" >= %(piece_end)s'
        f" AND ({alias}.date IS NULL OR {alias}.date = %(piece_date)s)"
    )


def slot_covers_params(piece: LocalPiece) -> dict:
    from django.db import connection

    return {
        "weekday": piece.date.weekday(),
        "piece_start": piece.start,
        "piece_end": piece.end,
        "piece_date": connection.ops.adapt_datefield_value(piece.date),
    }
