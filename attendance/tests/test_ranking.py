"""Reliability comes from attendance and reaches ranking through the slot copies."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from attendance import services
from attendance.tests.factories import confirmed_match
from matching import candidates, reasons
from matching.models import Match
from matching.tests.factories import SAT, local, make_need, make_volunteer, weekly
from volunteers.services import availability_slot_add

pytestmark = pytest.mark.django_db
SATURDAY = weekly(SAT, "09:00", "13:00")


def _history(volunteer, owner, charity, *, came: int, missed: int):
    """Past needs (December 2026) the volunteer was confirmed for, marked by the
    charity; asked long enough ago that fairness does not tell them apart."""
    for n in range(came + missed):
        starts = local(f"2026-12-{n + 1:02d}", "10:00")
        need = make_need(charity=charity, starts=starts, ends=starts + dt.timedelta(hours=1))
        match = confirmed_match(need, volunteer)
        Match.objects.filter(pk=match.pk).update(proposed_at=timezone.now() - dt.timedelta(days=60))
        services.attendance_mark(
            match=match,
            user=owner,
            status="attended" if n < came else "no_show",
            now=starts + dt.timedelta(hours=2),
        )


def test_the_reliable_volunteer_ranks_first_with_the_reason(charity, charity_owner):
    newcomer = make_volunteer("newcomer", slots=[SATURDAY])
    reliable = make_volunteer("reliable", slots=[SATURDAY])
    unreliable = make_volunteer("unreliable", slots=[SATURDAY])
    _history(reliable, charity_owner, charity, came=9, missed=1)
    _history(unreliable, charity_owner, charity, came=1, missed=4)
    need = make_need(charity=charity)
    ranked = candidates.best(need, limit=3)
    assert [c.volunteer_id for c in ranked] == [reliable.pk, newcomer.pk, unreliable.pk]
    assert {"code": "reliability", "came": 9, "recorded": 10} in ranked[0].reasons
    assert not any(reason["code"] == "reliability" for reason in ranked[1].reasons)
    with translation.override("en"):
        assert "came 9 of 10 times" in reasons.render_all(ranked[0].reasons)
    with translation.override("ar"):
        assert "حضر 9 من 10 مرات" in reasons.render_all(ranked[0].reasons)
    # both ways of ranking agree, reliability included
    listed = candidates.rank(need, candidates.find(need), limit=3)
    assert [(c.volunteer_id, c.score, c.reasons) for c in listed] == [
        (c.volunteer_id, c.score, c.reasons) for c in ranked
    ]


def test_a_slot_added_later_copies_the_reliability(charity, charity_owner):
    volunteer = make_volunteer("later", slots=[])
    _history(volunteer, charity_owner, charity, came=2, missed=0)
    volunteer.refresh_from_db()
    slot = availability_slot_add(volunteer=volunteer, weekday=SAT, start="09:00", end="13:00")
    assert slot.reliability == volunteer.reliability == pytest.approx(4 / 6, abs=1e-4)
