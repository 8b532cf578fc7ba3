"""Needs: the help a case asks volunteers for. Creating or changing one flags it for matching."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Need
from charities.models import Membership
from core.errors import InvalidInput, NotAllowed, StateConflict
from core.models import ActivityType, Skill

ACTIVE_STATUSES = (Case.Status.DRAFT, Case.Status.OPEN, Case.Status.IN_PROGRESS)


def _validate(*, starts_at: dt.datetime, ends_at: dt.datetime, volunteers_needed: int, min_age, radius_km) -> None:
    if starts_at is None or timezone.is_naive(starts_at):
        raise InvalidInput(_("Give the start time with its time zone."), field="starts_at")
    if ends_at is None or timezone.is_naive(ends_at):
        raise InvalidInput(_("Give the end time with its time zone."), field="ends_at")
    if starts_at < timezone.now():
        raise InvalidInput(_("The start time is in the past."), field="starts_at")
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must come after the start."), field="ends_at")
    if volunteers_needed is None or volunteers_needed < 1:
        raise InvalidInput(_("At least one volunteer must be needed."), field="volunteers_needed")
    if volunteers_needed > 1000:
        raise InvalidInput(_("Ask for at most 1000 volunteers per need."), field="volunteers_needed")
    if min_age is not None and not 10 <= min_age <= 100:
        raise InvalidInput(_("The minimum age must be between 10 and 100."), field="min_age")
    if radius_km is not None and not 1 <= radius_km <= 500:
        raise InvalidInput(_("The radius must be between 1 and 500 km."), field="radius_km")


def _require_staff(user, case: Case) -> None:
    if case.charity_id is None or not Membership.objects.filter(charity_id=case.charity_id, user=user).exists():
        raise NotAllowed(_("Only this organisation's staff may do this."))
    if case.status not in ACTIVE_STATUSES:
        raise StateConflict(_("This case is finished: its needs can no longer change."))


def need_create(
    *,
    case: Case,
    user,
    activity_type: ActivityType,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    volunteers_needed: int = 1,
    skills: list[Skill] = (),
    description: str = "",
    gender: str = Need.Gender.ANY,
    min_age: int | None = None,
    radius_km: int | None = None,
) -> Need:
    """Add a need to a case of the caller's charity and flag it for matching
    (`matching_requested_at`): the matching sweep picks flagged needs up, so a lost
    message never loses a need. Raises InvalidInput naming the bad field; nothing is saved."""
    _require_staff(user, case)
    if activity_type is None:
        raise InvalidInput(_("Choose an activity type."), field="activity_type")
    _validate(
        starts_at=starts_at, ends_at=ends_at, volunteers_needed=volunteers_needed, min_age=min_age, radius_km=radius_km
    )
    with transaction.atomic():
        need = Need.objects.create(
            case=case,
            region_id=case.region_id,
            activity_type=activity_type,
            description=description.strip()[:300],
            starts_at=starts_at,
            ends_at=ends_at,
            volunteers_needed=volunteers_needed,
            gender=gender or Need.Gender.ANY,
            min_age=min_age,
            radius_km=radius_km,
            matching_requested_at=timezone.now(),
        )
        need.skills.set(skills)
    return need


def need_update(*, need: Need, user, **changes) -> Need:
    """Change a need until someone is confirmed for it (StateConflict after), and flag it for matching again."""
    _require_staff(user, need.case)
    if need.volunteers_confirmed > 0:
        raise StateConflict(_("A volunteer is already confirmed for this need, so it can no longer be edited."))
    skills = changes.pop("skills", None)
    allowed = {
        "activity_type",
        "starts_at",
        "ends_at",
        "volunteers_needed",
        "description",
        "gender",
        "min_age",
        "radius_km",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("This field cannot be changed."), field=sorted(unknown)[0])
    for name, value in changes.items():
        setattr(need, name, value)
    _validate(
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        volunteers_needed=need.volunteers_needed,
        min_age=need.min_age,
        radius_km=need.radius_km,
    )
    need.matching_requested_at = timezone.now()
    with transaction.atomic():
        need.save(update_fields=[*changes, "matching_requested_at"])
        if skills is not None:
            need.skills.set(skills)
    return need
