"""A small world whose figures are computed by hand (see `world`'s docstring)."""

import dataclasses
import datetime as dt

import pytest

from attendance import services as attendance
from attendance.tests.factories import confirmed_match
from cases.models import CaseStatusChange
from matching.tests.factories import local, make_charity, make_need, make_volunteer

TODAY = dt.date(2026, 11, 30)


@dataclasses.dataclass
class World:
    charity: object
    other: object
    owner: object
    september: object
    october: object


@pytest.fixture
def world(charity_owner, other_charity_staff) -> World:
    return build_world(charity_owner, other_charity_staff)


def build_world(charity_owner, other_charity_staff) -> World:
    """Resala, in Cairo and Alexandria:

    - 5 September 2026, Cairo, food baskets, 10:00–12:00, 3 places: Mona attended (120
      min), Ali partly (60 min), Sara did not come. Proposed at 08:00 on 1 September,
      reviewed 2, 4 and 6 hours later; the last place taken at 20:00 on 2 September,
      36 hours after the case was published (08:00 on 1 September).
    - 3 October 2026, Alexandria, iftar, 10:00–13:00, 2 places: Mona attended (180 min);
      one place stays empty. The case was resolved on 20 October.
    - Another charity's 4 hours in September, which Resala never sees.

    So: September 180 minutes, 2 volunteers, 2 attended and 1 no-show, 3 of 3 places;
    October 180 minutes, 1 volunteer, 1 of 2 places. Filled 4 of 5 (0.8), no-shows 1 of
    4 (0.25), median review 4 hours, median fill 36 hours, Mona, Ali: 2 volunteers in all.
    """
    charity = make_charity(charity_owner)
    published = local("2026-09-01", "08:00")
    september = make_need(
        charity=charity,
        starts=local("2026-09-05", "10:00"),
        volunteers_needed=3,
        created_at=published,
    )
    september.case.published_at = published
    september.case.save(update_fields=["published_at"])
    october = make_need(
        charity=charity,
        region="EG-ALX",
        activity="iftar",
        starts=local("2026-10-03", "10:00"),
        ends=local("2026-10-03", "13:00"),
        volunteers_needed=2,
        created_at=published,
    )
    october.case.published_at = published
    october.case.save(update_fields=["published_at"])
    mona, ali, sara = (make_volunteer(name, slots=[]) for name in ("mona", "ali", "sara"))
    marks = {mona: ("attended", None), ali: ("partial", 60), sara: ("no_show", None)}
    for hours, (person, (status, minutes)) in zip((2, 4, 6), marks.items(), strict=True):
        match = confirmed_match(september, person)
        match.proposed_at = published
        match.reviewed_at, match.reviewed_by = published + dt.timedelta(hours=hours), charity_owner
        match.answered_at = local("2026-09-02", "20:00") - dt.timedelta(hours=6 - hours)
        match.save(update_fields=["proposed_at", "reviewed_at", "reviewed_by", "answered_at"])
        attendance.attendance_mark(
            match=match, user=charity_owner, status=status, minutes=minutes, now=september.ends_at
        )
    match = confirmed_match(october, mona)
    attendance.attendance_mark(match=match, user=charity_owner, status="attended", now=october.ends_at)
    CaseStatusChange.objects.create(
        case=october.case, from_status="open", to_status="resolved", created_at=local("2026-10-20", "12:00")
    )
    other = other_charity_staff.charity_memberships.get().charity
    elsewhere = make_need(
        charity=other, starts=local("2026-09-12", "10:00"), ends=local("2026-09-12", "14:00"), volunteers_needed=1
    )
    match = confirmed_match(elsewhere, make_volunteer("omar", slots=[]))
    attendance.attendance_mark(match=match, user=other_charity_staff, status="attended", now=elsewhere.ends_at)
    return World(charity=charity, other=other, owner=charity_owner, september=september, october=october)
