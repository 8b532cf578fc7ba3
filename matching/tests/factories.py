"""People and needs for matching tests, built through the owning apps' services
and factories so the denormalised copies (slot region, bitmask) are right.

2027-01-09 is a Saturday; Egypt is UTC+2 then, and UTC+3 from 2027-04-30.
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from cases.tests.factories import CaseFactory, NeedFactory
from charities.models import Membership
from charities.tests.factories import CharityFactory
from core.models import ActivityType, Region, Skill
from volunteers.services import availability_slot_add, profile_update
from volunteers.tests.factories import UserFactory

SAT, SUN, MON, THU, FRI = 5, 6, 0, 3, 4
CAIRO = ZoneInfo("Africa/Cairo")
_names = itertools.count(1)


def weekly(weekday, start, end):
    return {"weekday": weekday, "start": start, "end": end}


def dated(date, start, end):
    return {"date": date, "start": start, "end": end}


def make_volunteer(name=None, *, region="EG-C", activities=("food_baskets",), slots=(), **changes):
    """A volunteer with a profile and free time, through the volunteers' services."""
    name = name or f"vol{next(_names)}"
    user = UserFactory(email=f"{name}@example.org")
    user.save(update_fields=["password"])  # the factory sets it without saving
    profile = profile_update(
        user=user, changes={"region": region, "display_name": name, "activity_types": list(activities), **changes}
    )
    for slot in slots:
        availability_slot_add(volunteer=profile, **slot)
    return profile


def local(day: str, time: str, zone=CAIRO) -> dt.datetime:
    """A wall-clock moment in a region, as an aware datetime."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=zone)


def make_charity(owner=None, *, region="EG-C"):
    charity = CharityFactory(regions=[Region.objects.get(code=region)])
    if owner is not None:
        Membership.objects.create(charity=charity, user=owner, role=Membership.Role.OWNER)
    return charity


def make_need(
    *,
    charity=None,
    region="EG-C",
    activity="food_baskets",
    starts=None,
    ends=None,
    skills=(),
    latitude=None,
    longitude=None,
    **fields,
):
    """An open need of a verified charity; by default Saturday 2027-01-09 10:00–12:00 in Cairo."""
    region_obj = Region.objects.get(code=region)
    charity = charity or make_charity(region=region)
    case = CaseFactory(charity=charity, region=region_obj, latitude=latitude, longitude=longitude)
    starts = starts or local("2027-01-09", "10:00", region_obj.zone)
    ends = ends or starts + dt.timedelta(hours=2)
    need = NeedFactory(
        case=case,
        region=region_obj,
        activity_type=ActivityType.objects.get(slug=activity),
        starts_at=starts,
        ends_at=ends,
        matching_requested_at=fields.pop("matching_requested_at", dt.datetime.now(dt.UTC)),
        **fields,
    )
    if skills:
        need.skills.set(Skill.objects.filter(slug__in=skills))
    return need


def make_commitment(volunteer, starts, ends, *, status="confirmed"):
    """A confirmed match of the volunteer for another need (the state the services leave)."""
    from django.utils import timezone

    from matching.models import Match

    need = make_need(starts=starts, ends=ends)
    return Match.objects.create(
        need=need,
        volunteer=volunteer,
        charity=need.case.charity,
        status=status,
        starts_at=starts,
        ends_at=ends,
        minutes=int((ends - starts).total_seconds() // 60),
        proposed_at=timezone.now(),
    )
