"""Each rule has one owner with its ORM and SQL forms side by side; these tests hold
the two forms equal on every edge, so the ranking query (SQL) can never disagree
with the coverage selector, the offer or the accept (ORM)."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.utils import timezone

from matching.models import Match
from matching.rules import clash_q, clash_sql, open_overlap_sql
from matching.tests.factories import SAT, SUN, dated, local, make_need, make_volunteer, weekly
from volunteers.models import AvailabilitySlot
from volunteers.rules import slot_covers_params, slot_covers_q, slot_covers_sql
from volunteers.timewindows import LocalPiece

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_the_dates(monkeypatch):
    now = dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr("volunteers.services.timezone.now", lambda: now)


def _sql_ids(sql: str, params: dict, table: str, alias: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {alias}.id FROM {table} {alias} WHERE {sql}", params)  # noqa: S608 - our own text
        return {row[0] for row in cursor.fetchall()}


def _window(starts_at: dt.datetime, ends_at: dt.datetime) -> dict:
    """As the ranking query passes them: adapted to the database (SQLite compares text in UTC)."""
    moment = connection.ops.adapt_datetimefield_value
    return {"starts_at": moment(starts_at), "ends_at": moment(ends_at)}


def test_slot_covers_is_one_rule_in_orm_and_sql():
    saturday = dt.date(2027, 1, 9)
    for n, slot in enumerate(
        [
            weekly(SAT, "09:00", "13:00"),
            weekly(SAT, "10:00", "12:00"),  # exactly the piece
            weekly(SAT, "10:30", "14:00"),  # starts late
            weekly(SUN, "09:00", "13:00"),  # another day
            dated(saturday, "08:00", "12:00"),  # dated that day
            dated(saturday + dt.timedelta(days=7), "08:00", "12:00"),  # dated another Saturday
            weekly(SAT, "08:00", "24:00"),  # to midnight
        ]
    ):
        make_volunteer(f"slot{n}", slots=[slot])
    pieces = [
        LocalPiece(saturday, start, end)
        for start, end in itertools.product((0, 540, 600, 630, 720), (660, 720, 780, 1440))
        if end > start
    ] + [LocalPiece(saturday + dt.timedelta(days=1), 600, 660)]
    for piece in pieces:
        orm = set(AvailabilitySlot.objects.filter(slot_covers_q(piece)).values_list("pk", flat=True))
        sql = _sql_ids(slot_covers_sql("s"), slot_covers_params(piece), "volunteers_availabilityslot", "s")
        assert orm == sql, piece
    assert any(AvailabilitySlot.objects.filter(slot_covers_q(p)).exists() for p in pieces)


def test_the_clash_is_one_rule_in_orm_and_sql():
    person = make_volunteer("clash")
    base = local("2027-01-09", "10:00")
    for start, hours, status in [
        (0, 2, "confirmed"),
        (2, 1, "confirmed"),
        (-1, 1, "confirmed"),
        (0, 2, "invited"),
        (1, 2, "proposed"),
        (5, 3, "confirmed"),
    ]:
        starts = base + dt.timedelta(hours=start)
        need = make_need(starts=starts, ends=starts + dt.timedelta(hours=hours))
        Match.objects.create(
            need=need,
            volunteer=person,
            charity=need.case.charity,
            status=status,
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=hours * 60,
            proposed_at=timezone.now(),
        )
    windows = [
        (base + dt.timedelta(minutes=a), base + dt.timedelta(minutes=b))
        for a, b in itertools.product((-120, -60, 0, 60, 120, 300), (60, 120, 180, 480, 600))
        if b > a
    ]
    found_any = False
    for starts_at, ends_at in windows:
        orm = set(Match.objects.filter(clash_q(starts_at, ends_at)).values_list("pk", flat=True))
        sql = _sql_ids(clash_sql("m"), _window(starts_at, ends_at), "matching_match", "m")
        assert orm == sql, (starts_at, ends_at)
        found_any |= bool(orm)
        open_orm = set(
            Match.objects.filter(
                status__in=Match.OPEN_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
            ).values_list("pk", flat=True)
        )
        assert open_orm == _sql_ids(open_overlap_sql("m"), _window(starts_at, ends_at), "matching_match", "m")
    assert found_any
    # Touching ends do not clash.
    assert not Match.objects.filter(clash_q(base + dt.timedelta(hours=8), base + dt.timedelta(hours=9))).exists()
