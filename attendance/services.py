"""Attendance and attested hours: every change, one function each.

Each function validates everything before writing, locks in the order of
`matching.locks` (the volunteer, then the need, then the match), writes in one
transaction, keeps the hours ledger (`HoursRecord`) and the volunteer's
reliability in step with attendance, writes an audit row for every attendance
change, and records notifications through the outbox. Errors are `core.errors`
subclasses that the API maps once (400/403/404/409) and forms show by field.

Certificates are in `attendance.certificates`.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendance import checkin
from attendance.limits import TooManyAttempts, attempt_count, attempts_exceeded
from attendance.models import Attendance, AttendanceChange, AttendanceReminder, HoursRecord, HoursRequest
from attendance.reliability import reliability_refresh
from cases.models import Need
from charities.models import Charity
from charities.selectors import is_staff_of, staff_users
from core import rollups
from core.errors import InvalidInput, NotAllowed, StateConflict
from core.text import ascii_digits
from matching.candidates import need_minutes
from matching.models import Match
from matching.services import need_title
from notifications.models import Kind
from notifications.services import notify
from volunteers.models import VolunteerProfile

MINUTES_PER_DAY = 24 * 60
MAX_DESCRIPTION = 1000


def correction_window() -> dt.timedelta:
    return dt.timedelta(days=settings.ATTENDANCE_CORRECTION_DAYS)


def check_in_opens() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CHECK_IN_OPENS_MINUTES)


def local_date(need: Need) -> dt.date:
    return need.starts_at.astimezone(need.region.zone).date()


def _staff(charity_id: int):
    return staff_users(charity_id)


def _is_staff(user, charity_id: int) -> bool:
    return is_staff_of(user, charity_id)


def parse_minutes(value, *, field: str = "minutes") -> int | None:
    """None for nothing given; an int from ASCII or Arabic-Indic digits; else InvalidInput."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(_("Enter the minutes as a whole number."), field=field)
    if isinstance(value, int):
        return value
    try:
        return int(ascii_digits(str(value)).strip())
    except ValueError:
        raise InvalidInput(_("Enter the minutes as a whole number."), field=field) from None


# --- Attendance -----------------------------------------------------------------------------------


def _validate_mark(need: Need, *, status: str, minutes) -> int:
    """The minutes to credit for this status, or InvalidInput naming the field."""
    if status not in Attendance.Status.values:
        raise InvalidInput(_("Choose attended, partial or no-show."), field="status")
    minutes = parse_minutes(minutes)
    duration = need_minutes(need)
    if status == Attendance.Status.PARTIAL:
        if minutes is None:
            raise InvalidInput(_("Enter how many minutes the volunteer stayed."), field="minutes")
        if minutes <= 0:
            raise InvalidInput(_("The minutes must be more than zero."), field="minutes")
        if minutes > duration:
            raise InvalidInput(
                ngettext(
                    "The minutes cannot be more than the need's %(duration)s minute.",
                    "The minutes cannot be more than the need's %(duration)s minutes.",
                    duration,
                )
                % {"duration": duration},
                field="minutes",
            )
        return minutes
    if minutes is not None:
        raise InvalidInput(_("Minutes are only given for partial attendance."), field="minutes")
    return duration if status == Attendance.Status.ATTENDED else 0


def _check_window(need: Need, *, existing: Attendance | None, now: dt.datetime) -> None:
    if now < need.starts_at:
        raise StateConflict(_("Attendance can be marked once the need has started."))
    if now > need.ends_at + correction_window():
        if existing is None:
            raise StateConflict(
                ngettext(
                    "Attendance can be marked until %(days)s day after the need ends.",
                    "Attendance can be marked until %(days)s days after the need ends.",
                    settings.ATTENDANCE_CORRECTION_DAYS,
                )
                % {"days": settings.ATTENDANCE_CORRECTION_DAYS}
            )
        raise StateConflict(
            ngettext(
                "Attendance can be corrected until %(days)s day after the need ends.",
                "Attendance can be corrected until %(days)s days after the need ends.",
                settings.ATTENDANCE_CORRECTION_DAYS,
            )
            % {"days": settings.ATTENDANCE_CORRECTION_DAYS}
        )


def _record_hours(attendance: Attendance, need: Need, *, user) -> None:
    """The ledger follows attendance: attended or partial has one record, a no-show none."""
    if not attendance.came or attendance.minutes == 0:
        HoursRecord.objects.filter(attendance=attendance).delete()
        return
    HoursRecord.objects.update_or_create(
        attendance=attendance,
        defaults={
            "volunteer_id": attendance.volunteer_id,
            "charity_id": attendance.charity_id,
            "need": need,
            "activity_type_id": need.activity_type_id,
            "source": HoursRecord.Source.ATTENDANCE,
            "date": local_date(need),
            "minutes": attendance.minutes,
            "description": need_title(need)[:300],
            "attested_by": user if user and user.is_authenticated else None,
        },
    )


def _apply(match: Match, need: Need, *, status: str, minutes: int, user, now: dt.datetime, source: str):
    """Write one attendance (new or changed), its audit row and its hours. Returns
    the attendance, or None when nothing changed."""
    attendance = Attendance.objects.filter(match=match).first()
    if attendance is not None and attendance.status == status and attendance.minutes == minutes:
        return None
    change = AttendanceChange(
        actor=user if user and user.is_authenticated else None,
        old_status=attendance.status if attendance else "",
        old_minutes=attendance.minutes if attendance else None,
        new_status=status,
        new_minutes=minutes,
        created_at=now,
    )
    if attendance is None:
        attendance = Attendance.objects.create(
            match=match,
            need=need,
            volunteer_id=match.volunteer_id,
            charity_id=match.charity_id,
            status=status,
            minutes=minutes,
            source=source,
            checked_in_at=now if source == Attendance.Source.CHECK_IN else None,
            marked_by=change.actor,
            marked_at=now,
            created_at=now,
        )
    else:
        attendance.status, attendance.minutes = status, minutes
        attendance.source, attendance.marked_by, attendance.marked_at = source, change.actor, now
        attendance.save(update_fields=["status", "minutes", "source", "marked_by", "marked_at"])
    change.attendance = attendance
    change.save()
    _record_hours(attendance, need, user=user)
    rollups.charity_figures_changed(attendance.charity_id)
    return attendance


def attendance_mark(*, match: Match, user, status: str, minutes=None, now: dt.datetime | None = None) -> Attendance:
    """Mark one confirmed volunteer attended, partial (with minutes) or no-show.

    Staff of the match's charity only (NotAllowed otherwise); from the need's
    start until ATTENDANCE_CORRECTION_DAYS after its end (StateConflict);
    minutes only for partial, 1 to the need's duration (InvalidInput). A
    correction is audited like the first marking; repeating the same mark
    changes nothing. Keeps the hours record and the volunteer's reliability."""
    now = now or timezone.now()
    if not _is_staff(user, match.charity_id):
        raise NotAllowed(_("Only the organisation's staff mark attendance."))
    if match.status != Match.Status.CONFIRMED:
        raise StateConflict(_("Only confirmed volunteers have attendance."))
    credited = _validate_mark(match.need, status=status, minutes=minutes)
    with transaction.atomic():
        volunteer = VolunteerProfile.objects.select_for_update(no_key=True).get(pk=match.volunteer_id)
        need = Need.objects.select_for_update(no_key=True, of=("self",)).select_related("region").get(pk=match.need_id)
        match = Match.objects.select_for_update(no_key=True).get(pk=match.pk)
        existing = Attendance.objects.filter(match=match).first()
        _check_window(need, existing=existing, now=now)
        changed = _apply(match, need, status=status, minutes=credited, user=user, now=now, source="staff")
        if changed is not None:
            reliability_refresh(volunteer=volunteer)
    return Attendance.objects.get(match=match)


def attendance_mark_all(*, need: Need, user, now: dt.datetime | None = None) -> int:
    """Everyone confirmed for the need and not marked yet: attended, in one
    transaction. Volunteers are locked in id order before the need, as in
    `matching.locks`. Returns how many were marked."""
    now = now or timezone.now()
    if not _is_staff(user, need.case.charity_id):
        raise NotAllowed(_("Only the organisation's staff mark attendance."))
    with transaction.atomic():
        pending = list(
            Match.objects.filter(need=need, status=Match.Status.CONFIRMED, attendance__isnull=True).order_by(
                "volunteer_id"
            )
        )
        volunteers = list(
            VolunteerProfile.objects.select_for_update(no_key=True)
            .filter(pk__in=[m.volunteer_id for m in pending])
            .order_by("pk")
        )
        need = Need.objects.select_for_update(no_key=True, of=("self",)).select_related("region").get(pk=need.pk)
        _check_window(need, existing=None, now=now)
        duration = need_minutes(need)
        marked = 0
        for match in Match.objects.select_for_update(no_key=True).filter(pk__in=[m.pk for m in pending]).order_by("pk"):
            if Attendance.objects.filter(match=match).exists():
                continue
            _apply(match, need, status="attended", minutes=duration, user=user, now=now, source="staff")
            marked += 1
        for volunteer in volunteers:
            reliability_refresh(volunteer=volunteer)
    return marked


def attendance_check_in(*, need: Need, user, code, now: dt.datetime | None = None) -> Attendance:
    """The confirmed volunteer checks in on site with the code the coordinator shows.

    Open from CHECK_IN_OPENS_MINUTES before the start until the end
    (StateConflict); a wrong or expired code is InvalidInput on `code`; after
    CHECK_IN_ATTEMPTS failures the person waits (TooManyAttempts, 429). Checking
    in records the volunteer as attended for the whole need (staff correct it
    if they leave early); a second check-in, or one after staff marked, only
    notes the time."""
    now = now or timezone.now()
    match = Match.objects.filter(need=need, volunteer__user=user, status=Match.Status.CONFIRMED).first()
    if match is None:
        raise NotAllowed(_("Only volunteers confirmed for this need can check in."))
    key = f"check-in:{user.pk}"
    if attempts_exceeded(key, scope="check_in"):
        raise TooManyAttempts(_("Too many wrong codes. Wait a minute and try again."))
    if now < need.starts_at - check_in_opens() or now > need.ends_at:
        raise StateConflict(
            ngettext(
                "Check-in is open from %(minutes)s minute before the start until the end.",
                "Check-in is open from %(minutes)s minutes before the start until the end.",
                settings.CHECK_IN_OPENS_MINUTES,
            )
            % {"minutes": settings.CHECK_IN_OPENS_MINUTES}
        )
    code = ascii_digits(str(code or "")).strip().replace(" ", "")
    if not code:
        raise InvalidInput(_("Enter the code shown on the coordinator's phone."), field="code")
    state = checkin.code_state(need, code, now=now)
    if state != "valid":
        attempt_count(key, scope="check_in")
        if state == "expired":
            raise InvalidInput(
                _("This code has expired. Scan the code on the coordinator's phone again."), field="code"
            )
        raise InvalidInput(_("This code is not right. Check the code on the coordinator's phone."), field="code")
    with transaction.atomic():
        volunteer = VolunteerProfile.objects.select_for_update(no_key=True).get(pk=match.volunteer_id)
        need = Need.objects.select_for_update(no_key=True, of=("self",)).select_related("region").get(pk=need.pk)
        match = Match.objects.select_for_update(no_key=True).get(pk=match.pk)
        attendance = Attendance.objects.filter(match=match).first()
        if attendance is not None:
            if attendance.checked_in_at is None:
                attendance.checked_in_at = now
                attendance.save(update_fields=["checked_in_at"])
            return attendance
        attendance = _apply(
            match, need, status="attended", minutes=need_minutes(need), user=user, now=now, source="check_in"
        )
        reliability_refresh(volunteer=volunteer)
    return attendance


def attendance_remind_due(*, now: dt.datetime | None = None) -> int:
    """Once per need, a day after it ended, tell its staff when some confirmed
    volunteer is still unmarked. Needs that ended more than the correction window
    ago are left alone. The reminder row is the claim: a second run sends nothing."""
    now = now or timezone.now()
    due = (
        Need.objects.filter(
            ends_at__lte=now - dt.timedelta(days=1),
            ends_at__gt=now - correction_window(),
            matches__status=Match.Status.CONFIRMED,
            matches__attendance__isnull=True,
            attendance_reminder__isnull=True,
            case__charity__isnull=False,
        )
        .select_related("case", "region", "activity_type")
        .distinct()
    )
    sent = 0
    for need in due[:500]:
        with transaction.atomic():
            _row, created = AttendanceReminder.objects.get_or_create(need=need, defaults={"sent_at": now})
            if not created:
                continue
            unmarked = Match.objects.filter(need=need, status=Match.Status.CONFIRMED, attendance__isnull=True).count()
            notify(
                kind=Kind.ATTENDANCE_REMINDER,
                event_key=f"need:{need.pk}",
                context={
                    "need_id": need.pk,
                    "need_title": need_title(need),
                    "case_title": need.case.title,
                    "need_starts_at": need.starts_at.astimezone(dt.UTC).isoformat(),
                    "timezone": need.region.timezone,
                    "unmarked_count": unmarked,
                    "url": f"/attendance/needs/{need.pk}/",
                },
                recipients=_staff(need.case.charity_id),
                charity_id=need.case.charity_id,
            )
            sent += 1
    return sent


# --- Hours requests -------------------------------------------------------------------------------


def _request_date(value, *, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(ascii_digits(str(value or "")).strip())
        except ValueError:
            raise InvalidInput(_("Enter the date as YYYY-MM-DD."), field="date") from None
    if value > today:
        raise InvalidInput(_("The date cannot be in the future."), field="date")
    if value < today - dt.timedelta(days=settings.HOURS_REQUEST_MAX_AGE_DAYS):
        raise InvalidInput(
            ngettext(
                "Ask for hours within %(days)s day of doing them.",
                "Ask for hours within %(days)s days of doing them.",
                settings.HOURS_REQUEST_MAX_AGE_DAYS,
            )
            % {"days": settings.HOURS_REQUEST_MAX_AGE_DAYS},
            field="date",
        )
    return value


def hours_request_create(
    *, user, charity: Charity | None, date, minutes, description: str, now: dt.datetime | None = None
) -> HoursRequest:
    """The volunteer asks a verified charity to attest hours done outside the portal.

    A charity they never volunteered with is allowed and flagged
    (`worked_with_before`). The day's attested and requested minutes together
    may not pass 24 hours. Raises InvalidInput naming the field; the charity's
    staff are told (`hours_requested`)."""
    now = now or timezone.now()
    volunteer = VolunteerProfile.objects.filter(user=user, anonymised_at__isnull=True).first()
    if volunteer is None:
        raise NotAllowed(_("Create your volunteer profile first."))
    if charity is None or not charity.is_verified:
        raise InvalidInput(_("Choose a verified organisation."), field="charity")
    day = _request_date(date, today=timezone.localdate(now, volunteer.region.zone))
    minutes = parse_minutes(minutes)
    if minutes is None or minutes <= 0:
        raise InvalidInput(_("Enter the minutes, more than zero."), field="minutes")
    if minutes > MINUTES_PER_DAY:
        raise InvalidInput(_("A day has no more than 24 hours (1440 minutes)."), field="minutes")
    description = (description or "").strip()
    if not description:
        raise InvalidInput(_("Say what you did."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("Keep the description under 1000 characters."), field="description")
    with transaction.atomic():
        volunteer = VolunteerProfile.objects.select_for_update(no_key=True).get(pk=volunteer.pk)
        recorded = HoursRecord.objects.filter(volunteer=volunteer, date=day).aggregate(m=Sum("minutes"))["m"] or 0
        asked = (
            HoursRequest.objects.filter(volunteer=volunteer, date=day, status=HoursRequest.Status.PENDING).aggregate(
                m=Sum("minutes")
            )["m"]
            or 0
        )
        if recorded + asked + minutes > MINUTES_PER_DAY:
            raise InvalidInput(
                _("With the hours already recorded or asked for that day, this passes 24 hours."), field="minutes"
            )
        request = HoursRequest.objects.create(
            volunteer=volunteer,
            charity=charity,
            date=day,
            minutes=minutes,
            description=description,
            worked_with_before=Match.objects.filter(
                volunteer=volunteer, charity=charity, status=Match.Status.CONFIRMED
            ).exists(),
            created_at=now,
        )
        notify(
            kind=Kind.HOURS_REQUESTED,
            event_key=f"hours-request:{request.pk}",
            context={
                "request_id": request.pk,
                "volunteer_name": volunteer.display_name,
                "minutes": minutes,
                "date": day.isoformat(),
                "url": f"/attendance/charities/{charity.pk}/hours/",
            },
            recipients=_staff(charity.pk),
            charity_id=charity.pk,
        )
    return request


def _decide(request: HoursRequest, *, user, approve: bool, reason: str, now: dt.datetime) -> HoursRequest:
    if not _is_staff(user, request.charity_id):
        raise NotAllowed(_("Only the organisation's staff decide on hours requests."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise InvalidInput(_("Say why you decline, so the volunteer knows."), field="reason")
    with transaction.atomic():
        request = (
            HoursRequest.objects.select_for_update(no_key=True, of=("self",))
            .select_related("charity", "volunteer")
            .get(pk=request.pk)
        )
        if request.status != HoursRequest.Status.PENDING:
            raise StateConflict(_("This request was already answered."))
        request.status = HoursRequest.Status.APPROVED if approve else HoursRequest.Status.DECLINED
        request.decline_reason = "" if approve else reason
        request.decided_by, request.decided_at = user, now
        request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
        if approve:
            HoursRecord.objects.create(
                volunteer_id=request.volunteer_id,
                charity_id=request.charity_id,
                request=request,
                source=HoursRecord.Source.REQUEST,
                date=request.date,
                minutes=request.minutes,
                description=request.description[:300],
                attested_by=user,
                created_at=now,
            )
            rollups.charity_figures_changed(request.charity_id)
        notify(
            kind=Kind.HOURS_DECIDED,
            event_key=f"hours-request:{request.pk}",
            context={
                "request_id": request.pk,
                "charity_name": request.charity.name_ar,
                "status": request.status,
                "reason": request.decline_reason,
                "minutes": request.minutes,
                "url": "/attendance/hours/",
            },
            recipients=get_user_model().objects.filter(pk=request.volunteer.user_id),
        )
    return request


def hours_request_approve(*, request: HoursRequest, user, now: dt.datetime | None = None) -> HoursRequest:
    """pending → approved: the hours become an attested record; the volunteer is told."""
    return _decide(request, user=user, approve=True, reason="", now=now or timezone.now())


def hours_request_decline(*, request: HoursRequest, user, reason: str, now: dt.datetime | None = None) -> HoursRequest:
    """pending → declined with a reason (required); the volunteer is told."""
    return _decide(request, user=user, approve=False, reason=reason, now=now or timezone.now())
