"""Needs: the help a case asks volunteers for. Creating or changing one flags it for matching."""

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Need
from charities.models import Membership
from core.errors import InvalidInput, NotAllowed, StateConflict
from core.models import ActivityType, Skill
from core.queue import enqueue_on_commit
from volunteerbank.celery import app as celery_app

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


def _queue_matching(need: Need) -> None:
    """Queue matching after commit. Cases must not import matching, so its task is
    named; if the broker is down the flag stays set and matching's sweep finds it."""
    enqueue_on_commit(celery_app.signature("matching.tasks.match_need_task"), need.pk)


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
    ends_at: dt.datetime | None = None,
    volunteers_needed: int = 1,
    skills: list[Skill] = (),
    description: str = "",
    gender: str = Need.Gender.ANY,
    min_age: int | None = None,
    radius_km: int | None = None,
    recurrence: str = "",
    anchor: str = "",
    anchor_offset_minutes: int | None = None,
    duration_minutes: int | None = None,
) -> Need:
    """Add a need to a case of the caller's charity and flag it for matching
    (`matching_requested_at`): the matching sweep picks flagged needs up, so a lost
    message never loses a need. With a `recurrence` rule or a sunset `anchor` it
    creates a repeating need instead (`cases.services.series.series_create`; a
    sunset need without a rule happens once) and returns its first occurrence.
    Raises InvalidInput naming the bad field; nothing is saved."""
    if recurrence or anchor:
        return _series_first(
            case=case,
            user=user,
            activity_type=activity_type,
            starts_at=starts_at,
            ends_at=ends_at,
            recurrence=recurrence or "RRULE:FREQ=DAILY;COUNT=1",
            anchor=anchor,
            anchor_offset_minutes=anchor_offset_minutes,
            duration_minutes=duration_minutes,
            volunteers_needed=volunteers_needed,
            skills=skills,
            description=description,
            gender=gender,
            min_age=min_age,
            radius_km=radius_km,
        )
    if anchor_offset_minutes is not None:
        raise InvalidInput(_("An offset is only for a need that starts at sunset."), field="anchor_offset_minutes")
    if duration_minutes is not None:
        if starts_at is None or timezone.is_naive(starts_at):
            raise InvalidInput(_("Give the start time with its time zone."), field="starts_at")
        if ends_at is None:
            ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
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
        _queue_matching(need)
    return need


def _series_first(*, starts_at, ends_at, duration_minutes, anchor_offset_minutes, recurrence, **fields) -> Need:
    from cases.services.series import series_create

    if duration_minutes is None and starts_at is not None and ends_at is not None:
        duration_minutes = round((ends_at - starts_at).total_seconds() / 60)
    series = series_create(
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        anchor_offset_minutes=anchor_offset_minutes or 0,
        recurrence_rule=recurrence,
        **fields,
    )
    return series.occurrences.order_by("starts_at").select_related("series").first()


# What follows a need's move in other apps. Matching connects its handler at start-up
# (`MatchingConfig.ready`): cases may not import matching (CONTRIBUTING rule 8), yet
# the matches' copied times, the volunteers' notices and their reminders must move in
# the same transaction as the need. An explicit list, not a signal: one known caller,
# one known handler, and a test that it is connected.
_time_moved_handlers: list[Callable[..., object]] = []


def need_time_moved_connect(handler: Callable[..., object]) -> None:
    """Register `handler(*, need, old_starts_at, old_ends_at, user)`, called inside
    `need_update`'s transaction, with the need locked, whenever its time changes."""
    if handler not in _time_moved_handlers:
        _time_moved_handlers.append(handler)


def _changed(need: Need, changes: dict, skills) -> tuple[dict, bool]:
    """Only what differs from the need: a form posts every field, unchanged ones included."""
    changes = {name: value for name, value in changes.items() if getattr(need, name) != value}
    skills_changed = skills is not None and {s.pk for s in skills} != set(need.skills.values_list("pk", flat=True))
    return changes, skills_changed


def need_update(*, need: Need, user, **changes) -> Need:
    """Change a need and flag it for matching again.

    Before anyone is confirmed every field may change. Once a volunteer is
    confirmed the need may only be rescheduled: its start and end move, any
    other field that really changes raises StateConflict naming it (a form that
    posts them unchanged is fine), and a need that has already started cannot
    move. A move runs the handlers connected with `need_time_moved_connect` in
    the same transaction — matching's `need_reschedule_matches` moves the
    matches' copied times, tells confirmed and invited volunteers when the move
    exceeds NEED_TIME_CHANGE_NOTICE_MINUTES and re-records their 24-hour
    reminders. The need row is locked first (the lock order of
    `matching.locks`), so a volunteer accepting at the same moment is either
    counted as confirmed here or sees the new time. Raises NotAllowed for
    non-staff, InvalidInput naming the bad field; nothing is saved on error."""
    _require_staff(user, need.case)
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
    with transaction.atomic():
        need = Need.objects.select_for_update(of=("self",)).select_related("case", "region").get(pk=need.pk)
        if need.cancelled_at is not None:
            raise StateConflict(_("This need was cancelled: it can no longer change."))
        changes, skills_changed = _changed(need, changes, skills)
        old_starts_at, old_ends_at = need.starts_at, need.ends_at
        if need.volunteers_confirmed > 0:
            locked = sorted(set(changes) - {"starts_at", "ends_at"}) + (["skills"] if skills_changed else [])
            if locked:
                raise StateConflict(
                    _("A volunteer is already confirmed for this need: only its time can change now."),
                    field=locked[0],
                )
            if changes and need.starts_at <= timezone.now():
                raise StateConflict(_("This need has already started, so its time can no longer change."))
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
        need.save(update_fields=[*changes, "matching_requested_at"])
        if skills_changed:
            need.skills.set(skills)
        if (need.starts_at, need.ends_at) != (old_starts_at, old_ends_at):
            for handler in _time_moved_handlers:
                handler(need=need, old_starts_at=old_starts_at, old_ends_at=old_ends_at, user=user)
        _queue_matching(need)
    return need
