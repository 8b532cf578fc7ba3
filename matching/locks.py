"""Row locks for matching, always taken in one order so concurrent changes cannot deadlock.

Order: the account (deletion only), the volunteer's profile, then the case, then its needs by id,
then the matches by id.

- The volunteer first serialises one person's accepts: two invitations for
  overlapping needs accepted at the same moment cannot both pass the
  double-booking check. An offer to help locks the volunteer first too.
- The case comes before its needs: a hand-over or a closing locks the case,
  then every need of it (`cases.services.cases.case_lock`).
- The need next serialises the places: two volunteers accepting the last place
  both wait for the need's row, and the second sees `volunteers_confirmed`
  already at capacity (the ephios order: the person, then the shift).
- The match last, re-read under the lock, so its state is the committed one.

A function may skip a level (proposing and reviewing take no volunteer, an accept
no case) but never takes an earlier level after a later one.

Every lock is FOR NO KEY UPDATE (`no_key=True`), never plain FOR UPDATE: inserting
a row that points at a locked one (a match's volunteer and need, a follow's case)
takes a KEY SHARE lock on it, which FOR UPDATE blocks and FOR NO KEY UPDATE does
not. That was the deadlock of an offer against a matching run: the offer held the
volunteer FOR UPDATE and waited for the need; the run held the need and waited to
insert a proposal for that volunteer. No service changes a primary key, so NO KEY
is exactly what they need. A test (`tests/test_lock_order.py`) holds every
`select_for_update` in the apps to `no_key=True` or `skip_locked=True`.

Matching runs lock the need with SKIP LOCKED: a second worker leaves a need that
is being matched to the first. On SQLite (development) these locks are no-ops: it
runs one writer at a time anyway.
"""

from django.db import connection
from django.db.models.query import get_related_populators

from cases.models import Need
from core import prepared
from matching.models import Match
from volunteers.models import VolunteerProfile


def lock_volunteer(volunteer_id: int) -> VolunteerProfile:
    return VolunteerProfile.objects.select_for_update(no_key=True).get(pk=volunteer_id)


def lock_for_offer(volunteer_id: int, need_id: int) -> tuple[VolunteerProfile, Need]:
    """Volunteer, need: for an offer to help (which inserts a match)."""
    volunteer = lock_volunteer(volunteer_id)
    need = (
        Need.objects.select_for_update(no_key=True, of=("self",))
        .select_related("case__charity", "region", "activity_type")
        .get(pk=need_id)
    )
    return volunteer, need


def lock_for_answer(match: Match) -> tuple[VolunteerProfile, Need, Match]:
    """Volunteer, need, match: for the volunteer's accept, decline and cancel."""
    volunteer = lock_volunteer(match.volunteer_id)
    need = Need.objects.select_for_update(no_key=True).get(pk=match.need_id)
    return volunteer, need, Match.objects.select_for_update(no_key=True).get(pk=match.pk)


def lock_for_review(match: Match) -> tuple[Need, Match]:
    """Need, match: for the charity's approve and reject, and expiry."""
    need = Need.objects.select_for_update(no_key=True).get(pk=match.need_id)
    return need, Match.objects.select_for_update(no_key=True).get(pk=match.pk)


def lock_need_for_matching(need_id: int) -> Need | None:
    """The need with its case, charity, region and activity, or None when another
    worker is matching it right now (or it is gone).

    Django compiles this five-table SELECT once per process, not on every run:
    compiling and reading it through the queryset took half the Python work of a
    whole matching run (4,300 of 8,800 function calls), on the path `make bench`
    holds to 10 ms; it runs as a prepared statement, as planning it took 1.2 ms. The
    rows still become model instances through Django's own converters and related
    populators, so nothing about them differs."""
    query = _need_for_matching_query()
    with connection.cursor() as cursor:
        prepared.execute(cursor, query.sql, [need_id])
        row = cursor.fetchone()
    return None if row is None else query.instance(row)


class _CompiledQuery:
    """A one-row `select_related` query compiled once; `instance` builds the objects
    as `ModelIterable` does."""

    def __init__(self, queryset):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, _params = compiler.as_sql()
        self.using = queryset.db
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        self.model, self.span = info["model"], (start, end)
        self.names = [column[0].target.attname for column in compiler.select[start:end]]
        self.related = get_related_populators(info, compiler.select, queryset.db)
        self.converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])

    def instance(self, row):
        row = list(row)
        for position, (converters, expression) in self.converters.items():
            for convert in converters:  # with this thread's connection, not the compiling one's
                row[position] = convert(row[position], expression, connection)
        start, end = self.span
        obj = self.model.from_db(self.using, self.names, row[start:end])
        for populator in self.related:
            populator.populate(row, obj)
        return obj


_compiled: dict[str, _CompiledQuery] = {}


def _need_for_matching_query() -> _CompiledQuery:
    vendor = connection.vendor  # compiled inside the caller's transaction: FOR UPDATE needs one
    if vendor not in _compiled:
        _compiled[vendor] = _CompiledQuery(
            Need.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
            .select_related("case__charity", "region", "activity_type")
            .filter(pk=0)
        )
    return _compiled[vendor]
