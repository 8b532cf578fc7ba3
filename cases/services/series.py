"""Repeating needs: create a series, keep its occurrences a few weeks ahead, edit it, cancel one day.

How a series behaves (see `cases.recurrence` for the rule and sunset times):
- Its occurrences are real needs, created up to SERIES_HORIZON_DAYS ahead (the
  first one always, however far) and then by the daily `series_extend_task`;
  `need_one_per_series_date` makes creating one twice impossible, so the task is
  safe to run twice or in parallel.
- Editing a series changes its future occurrences only, each through
  `need_update` and so through the reschedule rules: an occurrence with a
  confirmed volunteer may only move in time (its volunteers are told), any other
  change to it is a 409 naming the field; a new rule that would drop a day with
  a confirmed volunteer is a 409 too. One transaction: on any error nothing changes.
- Cancelling one occurrence (`need_cancel`) leaves the others; the day is kept,
  marked cancelled, so the series never creates it again.
- Matching commits a volunteer to a whole series (`matching.occurrences`); it
  connects with `series_occurrences_created_connect` so days created later get
  their committed volunteers in the same transaction (cases never imports matching).
"""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import recurrence
from cases.models import Case, Need, NeedSeries
from cases.services.needs import _queue_matching, _require_staff, _validate, need_update
from core import public_cache
from core.errors import InvalidInput, StateConflict
from core.models import ActivityType, Skill

_created_handlers: list[Callable[..., object]] = []
_cancelled_handlers: list[Callable[..., object]] = []

SERIES_FIELDS = ("description", "volunteers_needed", "gender", "min_age", "radius_km", "activity_type")
TIME_FIELDS = ("start_time", "duration_minutes", "anchor_offset_minutes", "recurrence")


def series_occurrences_created_connect(handler: Callable[..., object]) -> None:
    """Register `handler(*, series, needs)`, called in the transaction that created `needs`."""
    if handler not in _created_handlers:
        _created_handlers.append(handler)


def need_cancelled_connect(handler: Callable[..., object]) -> None:
    """Register `handler(*, need, user, now)`, called with the need locked when it is cancelled."""
    if handler not in _cancelled_handlers:
        _cancelled_handlers.append(handler)


def horizon() -> dt.timedelta:
    return dt.timedelta(days=settings.SERIES_HORIZON_DAYS)


def series_point(case: Case) -> tuple[float, float]:
    """Where the sun is watched: the case's exact point, else its region's capital."""
    if case.latitude is not None and case.longitude is not None:
        return case.latitude, case.longitude
    return case.region.latitude, case.region.longitude


def _how(series: NeedSeries) -> dict:
    return {
        "zone": series.region.zone,
        "duration_minutes": series.duration_minutes,
        "start_time": series.start_time,
        "anchor": series.anchor,
        "offset_minutes": series.anchor_offset_minutes,
        "point": series_point(series.case) if series.anchor == recurrence.SUNSET else None,
    }


def series_preview(
    *,
    case: Case,
    starts_at: dt.datetime,
    recurrence_rule: str,
    duration_minutes: int,
    anchor: str = "",
    anchor_offset_minutes: int = 0,
    limit: int = 5,
) -> tuple[list[recurrence.Occurrence], int]:
    """The first `limit` occurrences and how many there are in all, without saving
    anything (the form's preview). Raises InvalidInput like `series_create`."""
    zone = case.region.zone
    local = starts_at.astimezone(zone)
    if local.year > timezone.now().year + recurrence.MAX_YEARS_AHEAD:
        raise InvalidInput(
            _("Plan at most %(years)s years ahead.") % {"years": recurrence.MAX_YEARS_AHEAD}, field="starts_at"
        )
    days = recurrence.occurrence_dates(recurrence_rule, local.date())
    how = {
        "zone": zone,
        "duration_minutes": recurrence.check_duration(duration_minutes),
        "start_time": local.time().replace(second=0, microsecond=0),
        "anchor": anchor,
        "offset_minutes": recurrence.check_offset(anchor_offset_minutes),
        "point": series_point(case) if anchor == recurrence.SUNSET else None,
    }
    return recurrence.occurrences(days[:limit], **how), len(days)


def series_create(
    *,
    case: Case,
    user,
    activity_type: ActivityType,
    starts_at: dt.datetime,
    recurrence_rule: str,
    duration_minutes: int,
    anchor: str = "",
    anchor_offset_minutes: int = 0,
    volunteers_needed: int = 1,
    skills: list[Skill] = (),
    description: str = "",
    gender: str = "",
    min_age: int | None = None,
    radius_km: int | None = None,
    now: dt.datetime | None = None,
) -> NeedSeries:
    """Create a repeating need and its occurrences up to the horizon (always the
    first future one), each flagged for matching. `starts_at` gives the first day
    and, for a fixed series, the local start time. Raises InvalidInput naming the
    field (recurrence, anchor_offset_minutes, duration_minutes, starts_at, ...);
    nothing is saved on error."""
    now = now or timezone.now()
    _require_staff(user, case)
    if activity_type is None:
        raise InvalidInput(_("Choose an activity type."), field="activity_type")
    if starts_at is None or timezone.is_naive(starts_at):
        raise InvalidInput(_("Give the start time with its time zone."), field="starts_at")
    if anchor not in (NeedSeries.Anchor.FIXED, NeedSeries.Anchor.SUNSET):
        raise InvalidInput(_("Start at a fixed time or at sunset."), field="anchor")
    rule = recurrence.normalise_rule(recurrence_rule)
    first, _total = series_preview(
        case=case,
        starts_at=starts_at,
        recurrence_rule=rule,
        duration_minutes=duration_minutes,
        anchor=anchor,
        anchor_offset_minutes=anchor_offset_minutes,
        limit=1,
    )
    _validate(
        starts_at=first[0].starts_at if first[0].starts_at > now else now + dt.timedelta(minutes=1),
        ends_at=first[0].ends_at if first[0].starts_at > now else now + dt.timedelta(minutes=2),
        volunteers_needed=volunteers_needed,
        min_age=min_age,
        radius_km=radius_km,
    )
    local = starts_at.astimezone(case.region.zone)
    with transaction.atomic():
        series = NeedSeries.objects.create(
            case=case,
            region_id=case.region_id,
            activity_type=activity_type,
            description=description.strip()[:300],
            volunteers_needed=volunteers_needed,
            gender=gender or "",
            min_age=min_age,
            radius_km=radius_km,
            recurrence=rule,
            first_date=local.date(),
            start_time=None if anchor == recurrence.SUNSET else local.time().replace(second=0, microsecond=0),
            anchor=anchor,
            anchor_offset_minutes=anchor_offset_minutes or 0,
            duration_minutes=duration_minutes,
            created_by=user if getattr(user, "pk", None) else None,
        )
        series.skills.set(skills)
        if not series_extend(series=series, now=now):
            raise InvalidInput(_("Every day of this rule is already in the past."), field="starts_at")
    return series


def series_extend(*, series: NeedSeries, now: dt.datetime | None = None) -> list[Need]:
    """Create the series' missing occurrences that start after `now`, up to the
    horizon (and the first future one however far). Idempotent; call it with the
    series locked or inside the transaction that created it."""
    now = now or timezone.now()
    zone = series.region.zone
    days = recurrence.occurrence_dates(series.recurrence, series.first_date)
    have = set(Need.objects.filter(series=series).values_list("occurrence_date", flat=True))
    until = (now + horizon()).astimezone(zone).date()
    how = _how(series)
    skills = list(series.skills.all())
    today = now.astimezone(zone).date()
    created, ahead = [], False  # ahead: the series already has a day to come
    for day in days:
        if day in have:
            ahead = ahead or day >= today
            continue
        if day > until and ahead:
            break
        window = recurrence.occurrence(day, **how)
        if window.starts_at <= now:
            continue
        ahead = True
        need = Need.objects.create(
            case_id=series.case_id,
            region_id=series.region_id,
            activity_type_id=series.activity_type_id,
            description=series.description,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
            volunteers_needed=series.volunteers_needed,
            gender=series.gender,
            min_age=series.min_age,
            radius_km=series.radius_km,
            series=series,
            occurrence_date=day,
            matching_requested_at=now,
        )
        need.skills.set(skills)
        _queue_matching(need)
        created.append(need)
    if created:
        public_cache.bump_case(case_id=series.case_id, charity_id=series.case.charity_id)  # its need count
        for handler in _created_handlers:
            handler(series=series, needs=created)
    return created


def series_extend_all(*, now: dt.datetime | None = None) -> int:
    """The daily task: extend every series of an active case. Each series is locked
    with SKIP LOCKED, so two runs share the work; returns how many needs were created."""
    from cases.services.needs import ACTIVE_STATUSES

    now = now or timezone.now()
    ids = list(NeedSeries.objects.filter(case__status__in=ACTIVE_STATUSES).values_list("pk", flat=True))
    made = 0
    for pk in ids:
        with transaction.atomic():
            series = (
                NeedSeries.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
                .select_related("case", "region")
                .filter(pk=pk)
                .first()
            )
            if series is not None:
                made += len(series_extend(series=series, now=now))
    return made


def series_update(*, series: NeedSeries, user, now: dt.datetime | None = None, **changes) -> NeedSeries:
    """Change a series and, through `need_update`, its future occurrences (see the
    module: confirmed occurrences may only move in time, a dropped day with a
    confirmed volunteer is a 409). Raises InvalidInput, StateConflict or NotAllowed;
    nothing is saved on error."""
    now = now or timezone.now()
    _require_staff(user, series.case)
    skills = changes.pop("skills", None)
    unknown = set(changes) - set(SERIES_FIELDS) - set(TIME_FIELDS)
    if unknown:
        raise InvalidInput(_("This field cannot be changed."), field=sorted(unknown)[0])
    with transaction.atomic():
        series = (
            NeedSeries.objects.select_for_update(no_key=True, of=("self",))
            .select_related("case", "region")
            .get(pk=series.pk)
        )
        if "recurrence" in changes:
            changes["recurrence"] = recurrence.normalise_rule(changes["recurrence"])
        if "anchor_offset_minutes" in changes:
            recurrence.check_offset(changes["anchor_offset_minutes"])
        if "duration_minutes" in changes:
            recurrence.check_duration(changes["duration_minutes"])
        if "start_time" in changes and series.anchor == recurrence.SUNSET:
            raise InvalidInput(_("This series starts at sunset: change its offset instead."), field="start_time")
        soon = now + dt.timedelta(minutes=1)
        _validate(  # the fields every day copies, checked before anything is written
            starts_at=soon,
            ends_at=soon + dt.timedelta(minutes=1),
            volunteers_needed=changes.get("volunteers_needed", series.volunteers_needed),
            min_age=changes.get("min_age", series.min_age),
            radius_km=changes.get("radius_km", series.radius_km),
        )
        for name, value in changes.items():
            setattr(series, name, value)
        series.save(update_fields=list(changes))
        if skills is not None:
            series.skills.set(skills)
        days = set(recurrence.occurrence_dates(series.recurrence, series.first_date))
        how = _how(series)
        future = series.occurrences.filter(starts_at__gt=now, cancelled_at__isnull=True).order_by("pk")
        for need in future:
            if need.occurrence_date not in days:
                if need.volunteers_confirmed:
                    raise StateConflict(
                        _("A volunteer is confirmed on %(day)s, which the new rule leaves out: cancel that day first.")
                        % {"day": need.occurrence_date.isoformat()},
                        field="recurrence",
                    )
                need_cancel(need=need, user=user, now=now)
                continue
            window = recurrence.occurrence(need.occurrence_date, **how)
            fields = {name: getattr(series, name) for name in SERIES_FIELDS if name in changes}
            fields.update(starts_at=window.starts_at, ends_at=window.ends_at)
            if skills is not None:
                fields["skills"] = skills
            need_update(need=need, user=user, **fields)
        series_extend(series=series, now=now)
    return series


def need_cancel(*, need: Need, user, now: dt.datetime | None = None) -> Need:
    """Call off one need (one day of a series; the others stay). Its matches are
    closed and its volunteers told by the handlers matching connects. Cancelling
    twice changes nothing; a need that has started can no longer be cancelled (409)."""
    now = now or timezone.now()
    _require_staff(user, need.case)
    with transaction.atomic():
        need = (
            Need.objects.select_for_update(no_key=True, of=("self",)).select_related("case", "region").get(pk=need.pk)
        )
        if need.cancelled_at is not None:
            return need
        if need.starts_at <= now:
            raise StateConflict(_("This need has already started, so it can no longer be cancelled."))
        need.cancelled_at, need.matching_requested_at = now, None
        need.save(update_fields=["cancelled_at", "matching_requested_at"])
        public_cache.bump_case(case_id=need.case_id, charity_id=need.case.charity_id)  # struck through on its page
        for handler in _cancelled_handlers:
            handler(need=need, user=user, now=now)
    return need
