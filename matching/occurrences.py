"""Matches of repeating needs: saying yes to a whole series, later days, cancelled days.

Kept beside `matching.services` (which the one-need state machine fills) and
built from its pieces, under the same rules: one transaction, rows locked in
the order of `matching.locks` (the volunteer, then the needs in id order, then
the matches), outbox rows recorded in that transaction.

- A volunteer invited to one day of a series may accept the series: one
  answer, one confirmed match per day still to come. Days that are full, that
  clash with another commitment, that the charity declined them for, or whose
  limits (gender, age) they do not meet are skipped and named in the answer;
  the invited day itself falling in one of those is not an error while another
  day can be confirmed. The charity is told once (`match_confirmed` of the
  invited match, with the number of days); each day has its own 24-hour
  reminder and calendar event.
- A `SeriesCommitment` row remembers the answer: the days the series creates
  later (`cases.services.series.series_extend`) confirm the volunteer under the
  same rules, silently (the reminder tells them).
- A cancelled day closes its matches: invited and confirmed volunteers are told
  (`match_cancelled`, by the organisation), reminders are withdrawn.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseFollow, Need
from core.errors import InvalidInput
from matching import candidates
from matching.models import Match, SeriesCommitment
from matching.services import (
    DoubleBooking,
    InvitationClosed,
    NeedFull,
    _charity_url,
    _closed_reason,
    _context,
    _need_is_open,
    _own,
    _reminder_key,
    _staff,
    _volunteer_url,
    reminder_record,
)
from notifications.models import Kind
from notifications.services import notification_cancel, notify
from volunteers.models import VolunteerProfile

CLOSED = (
    Match.Status.DECLINED_BY_CHARITY,
    Match.Status.DECLINED_BY_VOLUNTEER,
    Match.Status.CANCELLED,
    Match.Status.EXPIRED,
)


@dataclass
class SeriesAnswer:
    confirmed: list[Match] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # need id -> why


def _why_not(need: Need, volunteer: VolunteerProfile, existing: Match | None, busy: list, now) -> str | None:
    if existing is not None and existing.status == Match.Status.CONFIRMED:
        return "confirmed"
    if existing is not None and existing.status in CLOSED:
        return "closed"
    if not _need_is_open(need, now):
        return "closed"
    if any(start < need.ends_at and end > need.starts_at for start, end in busy):
        return "clash"
    if need.volunteers_confirmed >= need.volunteers_needed:
        return "full"
    if need.gender and volunteer.gender != need.gender:
        return "limits"
    if need.min_age:
        age = volunteer.age_on(need.starts_at.astimezone(need.region.zone).date())
        if age is None or age < need.min_age:
            return "limits"
    return None


def _confirm(need: Need, volunteer: VolunteerProfile, existing: Match | None, template: Match, *, now) -> Match:
    """Confirm the volunteer for one day: their match for it, or a new one carrying
    the charity's approval of the invited day. Caller holds the volunteer and the need."""
    if existing is None:
        existing = Match(
            need=need,
            volunteer=volunteer,
            charity_id=need.case.charity_id,
            score=template.score,
            reasons=template.reasons,
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=candidates.need_minutes(need),
            proposed_at=now,
            reviewed_at=template.reviewed_at,
            reviewed_by_id=template.reviewed_by_id,
        )
    existing.status, existing.answered_at, existing.waitlisted_at = Match.Status.CONFIRMED, now, None
    existing.invited_at = existing.invited_at or now
    if existing.reviewed_at is None:  # the charity approved the series through the invited day
        existing.reviewed_at, existing.reviewed_by_id = template.reviewed_at, template.reviewed_by_id
    existing.save()
    need.volunteers_confirmed += 1
    need.save(update_fields=["volunteers_confirmed"])
    existing.need = need
    reminder_record(match=existing, user=volunteer.user, now=now)
    return existing


def _busy(volunteer: VolunteerProfile, needs: list[Need]) -> list[tuple[dt.datetime, dt.datetime]]:
    if not needs:
        return []
    return list(
        Match.objects.filter(
            volunteer=volunteer,
            status=Match.Status.CONFIRMED,
            starts_at__lt=max(n.ends_at for n in needs),
            ends_at__gt=min(n.starts_at for n in needs),
        ).values_list("starts_at", "ends_at")
    )


def _series_needs(series_id: int, now: dt.datetime) -> list[Need]:
    return list(
        Need.objects.select_for_update(of=("self",))
        .select_related("case__charity", "region", "activity_type")
        .filter(series_id=series_id, cancelled_at__isnull=True, starts_at__gt=now)
        .order_by("pk")
    )


def match_accept_series(*, match: Match, user, now: dt.datetime | None = None) -> SeriesAnswer:
    """The volunteer accepts an invitation for every day of its series still to
    come (see the module). Raises InvalidInput when the need does not repeat,
    InvitationClosed for an invitation no longer open, and NeedFull or
    DoubleBooking when no day at all could be confirmed; nothing is saved then."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = VolunteerProfile.objects.select_for_update().select_related("user").get(pk=match.volunteer_id)
        _own(volunteer, user)
        series_id = Need.objects.filter(pk=match.need_id).values_list("series_id", flat=True).first()
        if series_id is None:
            raise InvalidInput(_("This need does not repeat: accept it on its own."), field="series")
        needs = _series_needs(series_id, now)
        mine = {m.need_id: m for m in Match.objects.select_for_update().filter(volunteer=volunteer, need__in=needs)}
        invited = mine.get(match.need_id) or Match.objects.select_for_update().get(pk=match.pk)
        closed = _closed_reason(invited, now)
        if closed or invited.need_id not in {n.pk for n in needs}:
            raise InvitationClosed(closed or _("This invitation has expired."))
        busy = _busy(volunteer, needs)
        answer = SeriesAnswer()
        for need in sorted(needs, key=lambda n: n.starts_at):
            existing = mine.get(need.pk)
            why = _why_not(need, volunteer, existing, busy, now)
            if why == "confirmed":
                continue
            if why:
                answer.skipped[need.pk] = why
                continue
            answer.confirmed.append(_confirm(need, volunteer, existing, invited, now=now))
            busy.append((need.starts_at, need.ends_at))
        if not answer.confirmed:
            if answer.skipped.get(invited.need_id) == "clash":
                raise DoubleBooking(_("You already have a commitment at that time."))
            raise NeedFull(_("Every day of this need is full or clashes with your commitments."))
        SeriesCommitment.objects.update_or_create(
            volunteer=volunteer, series_id=series_id, defaults={"created_at": now, "ended_at": None}
        )
        first = next((m for m in answer.confirmed if m.pk == invited.pk), answer.confirmed[0])
        need = first.need
        CaseFollow.objects.get_or_create(
            case_id=need.case_id, user_id=user.pk, defaults={"reason": CaseFollow.Reason.VOLUNTEERED}
        )
        notify(
            kind=Kind.MATCH_CONFIRMED,
            event_key=f"match:{first.pk}:confirmed",
            context=_context(first, url=_charity_url(need), series_days=len(answer.confirmed)),
            recipients=_staff(need),
            charity_id=need.case.charity_id,
        )
    return answer


def series_commitments_apply(*, series, needs: list[Need], now: dt.datetime | None = None) -> list[Match]:
    """New days of a series confirm the volunteers committed to it (called by
    `series_extend` in its transaction; the new needs are not yet visible to
    anyone else). Skips a day that clashes, is full or is outside their limits."""
    now = now or timezone.now()
    volunteer_ids = list(
        SeriesCommitment.objects.filter(series=series, ended_at__isnull=True)
        .order_by("volunteer_id")
        .values_list("volunteer_id", flat=True)
    )
    if not volunteer_ids:
        return []
    template = (
        Match.objects.filter(need__series=series, volunteer_id__in=volunteer_ids, status=Match.Status.CONFIRMED)
        .order_by("-answered_at")
        .first()
    )
    needs = list(
        Need.objects.select_related("case__charity", "region", "activity_type")
        .filter(pk__in=[n.pk for n in needs])
        .order_by("starts_at")
    )
    made = []
    for volunteer in VolunteerProfile.objects.select_for_update().select_related("user").filter(pk__in=volunteer_ids):
        busy = _busy(volunteer, needs)
        mine = template if template and template.volunteer_id == volunteer.pk else None
        mine = mine or Match(score=0, reasons=[], reviewed_at=None, reviewed_by_id=None)
        for need in needs:
            if _why_not(need, volunteer, None, busy, now):
                continue
            made.append(_confirm(need, volunteer, None, mine, now=now))
            busy.append((need.starts_at, need.ends_at))
    return made


def need_cancelled_matches(*, need: Need, user, now: dt.datetime) -> list[Match]:
    """A need was cancelled (cases' `need_cancel`, need locked): its open and
    confirmed matches are cancelled; invited and confirmed volunteers are told
    and their reminders withdrawn. Returns the matches told."""
    matches = list(
        need.matches.select_for_update(of=("self",))
        .filter(status__in=(Match.Status.PROPOSED, Match.Status.INVITED, Match.Status.CONFIRMED))
        .select_related("volunteer__user")
        .order_by("pk")
    )
    told = []
    for match in matches:
        was = match.status
        match.status, match.cancelled_at, match.cancelled_by = Match.Status.CANCELLED, now, user
        match.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        match.need = need
        if was == Match.Status.PROPOSED:
            continue
        if was == Match.Status.CONFIRMED:
            notification_cancel(kind=Kind.NEED_REMINDER, event_key=_reminder_key(match))
        notify(
            kind=Kind.MATCH_CANCELLED,
            event_key=f"match:{match.pk}:cancelled",
            context=_context(match, cancelled_by="charity", reason="", url=_volunteer_url()),
            recipients=[match.volunteer.user],
            charity_id=need.case.charity_id,
        )
        told.append(match)
    if need.volunteers_confirmed:
        need.volunteers_confirmed = 0
        need.save(update_fields=["volunteers_confirmed"])
    return told
