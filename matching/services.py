"""Every change of a match, one function each; the only place `Match.status` is written.

Each function validates, locks in the order of `matching.locks`, writes inside
one transaction, saves only the fields it changed and records the
notifications the change causes through the outbox in the same transaction.
Errors are `core.errors` subclasses the API maps to 400/403/409 in one place.

State machine:
    proposed --approve--> invited --accept--> confirmed --cancel--> cancelled
    proposed --reject--> declined_by_charity
    invited --decline--> declined_by_volunteer
    invited --(48 h, the sweep)--> expired
A declined, expired or cancelled match is never proposed again (the row stays,
and the unique (need, volunteer) constraint keeps it the only one).
"""

import datetime as dt
import logging
import math
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseFollow, Need
from charities.selectors import is_staff_of, staff_users
from core import prepared, rollups
from core.errors import InvalidInput, NotAllowed, StateConflict
from core.rows import insert as rows_insert
from matching import candidates, locks
from matching import reasons as r
from matching.models import Match
from matching.rules import commitments_clashing
from matching.selectors import need_match_counts
from notifications.models import Kind
from notifications.services import notification_cancel, notify, notify_digest, notify_reminder
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)
MATCHABLE_CASE_STATUSES = (Case.Status.OPEN, Case.Status.IN_PROGRESS)


class NeedFull(StateConflict):
    """Every place of the need is taken."""


class InvitationClosed(StateConflict):
    """The invitation expired, was declined or was already answered."""


class NotMatchable(StateConflict):
    """A minor without a guardian's consent (or a deleted or disabled account)."""


def _ensure_matchable(volunteer: VolunteerProfile) -> None:
    """Every path that puts a volunteer in front of a charity asks this; the
    ranking's SQL applies the same rule (slots' `matchable`, or the list path's
    profile conditions)."""
    if volunteer.is_matchable:
        return
    if volunteer.is_minor and volunteer.anonymised_at is None:
        raise NotMatchable(_("You are under 18: a parent or guardian must agree first (see your dashboard)."))
    raise NotMatchable(_("This account cannot volunteer."))


class DoubleBooking(StateConflict):
    """The volunteer is confirmed elsewhere at that time."""


def invitation_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.MATCHING_INVITATION_HOURS)


# --- Shared pieces ------------------------------------------------------------------------------


def need_title(need: Need) -> str:
    return need.description or str(need.activity_type.name)


def _context(match: Match, **extra) -> dict:
    need = match.need
    return {
        "match_id": match.pk,
        "need_id": need.pk,
        "need_title": need_title(need),
        "case_title": need.case.title,
        "charity_name": need.case.charity.name_ar if need.case.charity_id else "",
        "volunteer_name": match.volunteer.display_name,
        "volunteer_gender": match.volunteer.gender or "unknown",  # Arabic wording agrees with it
        "need_starts_at": need.starts_at.astimezone(dt.UTC).isoformat(),
        "need_ends_at": need.ends_at.astimezone(dt.UTC).isoformat(),
        "timezone": need.region.timezone,
        **extra,
    }


def _staff(need: Need) -> QuerySet:
    """The need's charity staff, as a query `notify` reads once with their choices."""
    return staff_users(need.case.charity_id)


def _volunteer_url() -> str:
    return "/matching/me/"


def _charity_url(need: Need) -> str:
    return f"/matching/needs/{need.pk}/review/"


def _is_staff(user, need: Need) -> bool:
    return is_staff_of(user, need.case.charity_id)


def _need_is_open(need: Need, now: dt.datetime) -> bool:
    case = need.case
    return (
        case.status in MATCHABLE_CASE_STATUSES
        and need.cancelled_at is None
        and case.charity_id is not None
        and case.charity.is_verified
        and need.starts_at > now
    )


def _invite(match: Match, *, now: dt.datetime, by=None) -> None:
    """proposed → invited (also used to re-invite a waitlisted volunteer). Caller holds the need's lock."""
    # A renewed invitation is a new event (a fresh key), the first one is idempotent.
    event_key = f"match:{match.pk}:invited" + (f":{uuid.uuid4().hex}" if match.invited_at else "")
    fields = ["status", "invited_at", "expires_at", "waitlisted_at"]
    match.status, match.invited_at, match.expires_at, match.waitlisted_at = (
        Match.Status.INVITED,
        now,
        now + invitation_ttl(),
        None,
    )
    if by is not None or match.reviewed_at is None:
        match.reviewed_at, match.reviewed_by = now, by
        fields += ["reviewed_at", "reviewed_by"]
    match.save(update_fields=fields)
    notify(
        kind=Kind.MATCH_INVITED,
        event_key=event_key,
        context=_context(match, url=_volunteer_url()),
        recipients=[match.volunteer.user],
    )


def _backfill(need: Need, *, now: dt.datetime, flag: bool = True) -> list[Match]:
    """A place reopened: invite volunteers until the open invitations cover the open
    places — first those who accepted while it was full (their invitation is renewed),
    then the best proposed ones. Each still has to accept; nobody is put on silently.
    Also flags the need so the sweep proposes more volunteers."""
    places = need.volunteers_needed - need.volunteers_confirmed
    invited = list(
        need.matches.filter(status=Match.Status.INVITED, expires_at__gt=now).select_related("volunteer__user")
    )
    renewed = []
    for match in invited:
        if match.waitlisted_at is not None and places > 0:
            _invite(match, now=now)
            renewed.append(match)
    missing = places - len(invited)
    if missing > 0:
        for match in need.matches.filter(status=Match.Status.PROPOSED).select_related("volunteer__user")[:missing]:
            match.need = need
            _invite(match, now=now)
            renewed.append(match)
    if flag:
        Need.objects.filter(pk=need.pk).update(matching_requested_at=now)
    return renewed


# --- Proposing ----------------------------------------------------------------------------------


def proposals_wanted(need: Need) -> int:
    places = need.volunteers_needed - need.volunteers_confirmed
    return max(0, math.ceil(places * settings.MATCHING_PROPOSALS_PER_PLACE))


def match_propose_for_need(*, need_id: int, now: dt.datetime | None = None) -> list[Match]:
    """Propose the best candidates for a need, up to `MATCHING_PROPOSALS_PER_PLACE`
    times its open places counting the proposals and invitations it already has,
    then clear its matching flag. Idempotent: a second run finds the quota filled
    or the same volunteers already matched and adds nothing; a declined volunteer
    keeps their row and is never proposed again. A second worker running at the
    same time skips the locked need (and the unique (need, volunteer) constraint
    would refuse a duplicate anyway). Volunteers who accepted while the need was
    full are invited again when places open. Records one hourly digest per need
    for its charity's staff. Returns the new proposals."""
    now = now or timezone.now()
    with transaction.atomic():
        _commit_without_waiting_for_disk()
        need = locks.lock_need_for_matching(need_id)
        if need is None:
            return []
        flag = need.matching_requested_at
        created: list[Match] = []
        if _need_is_open(need, now):
            created = _propose(need, now=now)
        elif need.case.status == Case.Status.DRAFT and need.starts_at > now:
            return []  # keeps its flag: matched once the case is published
        if flag is not None:
            clear_matching_flag(need.pk, flag)
    return created


def clear_matching_flag(need_id: int, flag: dt.datetime) -> None:
    """Lower the need's matching flag, unless it was raised again since `flag` was
    read. Plain SQL: every matching run clears one, and the ORM's UPDATE cost more
    to build than to run."""
    with connection.cursor() as cursor:
        prepared.execute(
            cursor,
            f"UPDATE {Need._meta.db_table} SET matching_requested_at = NULL "  # noqa: S608 (a table name)
            "WHERE id = %s AND matching_requested_at = %s",
            [need_id, connection.ops.adapt_datetimefield_value(flag)],
        )


def _commit_without_waiting_for_disk() -> None:
    """A matching run is redone, not recovered: should PostgreSQL crash in the
    fraction of a second before this transaction reaches the disk, its proposals,
    their digest and the cleared matching flag are lost together, the need keeps
    its flag and the sweep matches it again. So the commit need not wait for the
    WAL flush (`synchronous_commit = off` for this transaction only; the data stays
    consistent). Everything else a person does still commits durably."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _propose(need: Need, *, now: dt.datetime) -> list[Match]:
    counts = need_match_counts(need.pk)
    if counts["waitlisted"] and need.volunteers_confirmed < need.volunteers_needed:
        _backfill(need, now=now, flag=False)
    wanted = proposals_wanted(need) - counts["open"]
    if wanted <= 0:
        return []
    ranked = candidates.best(need, limit=wanted, now=now)
    return _create_proposals(need, ranked, now=now, waiting=counts["proposed"] + len(ranked))


def _create_proposals(
    need: Need, ranked: list[candidates.Candidate], *, now: dt.datetime, waiting: int | None = None
) -> list[Match]:
    if not ranked:
        return []
    rows = [
        Match(
            need=need,
            volunteer_id=candidate.volunteer_id,
            charity_id=need.case.charity_id,
            score=candidate.score,
            reasons=candidate.reasons,
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=candidates.need_minutes(need),
            proposed_at=now,
        )
        for candidate in ranked
    ]
    rows_insert(Match, rows, _PROPOSAL_FIELDS)  # a (need, volunteer) already there is skipped
    _digest(need, now=now, waiting=waiting)
    return rows


# Every column a proposal sets; the others are nullable.
_PROPOSAL_FIELDS = (
    "need",
    "volunteer",
    "charity",
    "status",
    "source",
    "score",
    "reasons",
    "starts_at",
    "ends_at",
    "minutes",
    "proposed_at",
)


def _digest(need: Need, *, now: dt.datetime, waiting: int | None = None) -> None:
    if waiting is None:
        waiting = need.matches.filter(status=Match.Status.PROPOSED).count()
    notify_digest(
        kind=Kind.MATCHES_DIGEST,
        key=f"need:{need.pk}:proposals",
        context={
            "need_id": need.pk,
            "need_title": need_title(need),
            "case_title": need.case.title,
            "match_count": waiting,
            "url": _charity_url(need),
        },
        now=now,
        charity_id=need.case.charity_id,  # its staff, as they are when the hour ends
    )


def match_offer(*, need: Need, user, now: dt.datetime | None = None) -> Match:
    """A volunteer offers to help on an open need: a proposal with the reason
    "offered to help" in the charity's review list, scored like any other. Refused
    (409) when the need is closed, full, for another gender or age, clashes with
    one of their commitments, or they already have a match for it."""
    now = now or timezone.now()
    volunteer = VolunteerProfile.objects.filter(user=user).select_related("region").first()
    if volunteer is None:
        raise InvalidInput(_("Create your volunteer profile first."), field="volunteer")
    with transaction.atomic():
        locked, need = locks.lock_for_offer(volunteer.pk, need.pk)
        _ensure_matchable(locked)
        if not _need_is_open(need, now):
            raise StateConflict(_("This need is no longer open."))
        if need.volunteers_confirmed >= need.volunteers_needed:
            raise NeedFull(_("This need already has all the volunteers it asked for."))
        if need.matches.filter(volunteer=volunteer).exists():
            raise StateConflict(_("You have already been matched with this need."))
        if need.gender and volunteer.gender != need.gender:
            women = need.gender == Need.Gender.FEMALE
            raise StateConflict(_("This need is for women only.") if women else _("This need is for men only."))
        if need.min_age:
            age = volunteer.age_on(need.starts_at.astimezone(need.region.zone).date())
            if age is None or age < need.min_age:
                raise StateConflict(_("This need asks for volunteers aged %(age)s or older.") % {"age": need.min_age})
        if commitments_clashing(volunteer.pk, need.starts_at, need.ends_at).exists():
            raise DoubleBooking(_("You already have a commitment at that time."))
        ranked = candidates.rank(need, [volunteer.pk], limit=1, now=now)
        score, reasons = (ranked[0].score, ranked[0].reasons) if ranked else (0.0, [])
        if not ranked:
            raise StateConflict(_("This need is beyond the hours a week you set."))
        match = Match.objects.create(
            need=need,
            volunteer=volunteer,
            charity_id=need.case.charity_id,
            source=Match.Source.OFFER,
            score=score,
            reasons=[r.OFFERED, *reasons],
            starts_at=need.starts_at,
            ends_at=need.ends_at,
            minutes=candidates.need_minutes(need),
            proposed_at=now,
        )
        _digest(need, now=now)
    return match


# --- The charity reviews --------------------------------------------------------------------------


def match_approve(*, match: Match, user, now: dt.datetime | None = None) -> Match:
    """The charity approves a proposal: it becomes an invitation the volunteer has
    MATCHING_INVITATION_HOURS to accept, and the volunteer is told. Approving more
    volunteers than places is allowed; confirmations stop at capacity.
    NotAllowed for anyone but the need's charity staff; StateConflict unless proposed."""
    now = now or timezone.now()
    with transaction.atomic():
        need, match = locks.lock_for_review(match)
        if not _is_staff(user, need):
            raise NotAllowed(_("Only this organisation's staff may do this."))
        if match.status != Match.Status.PROPOSED:
            raise StateConflict(_("This volunteer is no longer waiting for review."))
        if not _need_is_open(need, now):
            raise StateConflict(_("This need is no longer open."))
        _invite(match, now=now, by=user)
        rollups.charity_figures_changed(match.charity_id)
    return match


def match_reject(*, match: Match, user, now: dt.datetime | None = None) -> Match:
    """The charity declines a proposal; the volunteer never learns they were
    proposed, and is never proposed for this need again."""
    now = now or timezone.now()
    with transaction.atomic():
        need, match = locks.lock_for_review(match)
        if not _is_staff(user, need):
            raise NotAllowed(_("Only this organisation's staff may do this."))
        if match.status != Match.Status.PROPOSED:
            raise StateConflict(_("This volunteer is no longer waiting for review."))
        match.status, match.reviewed_at, match.reviewed_by = Match.Status.DECLINED_BY_CHARITY, now, user
        match.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        Need.objects.filter(pk=need.pk).update(matching_requested_at=now)
        rollups.charity_figures_changed(match.charity_id)
    return match


def match_review_many(*, matches: list[Match], user, approve: bool) -> list[Match]:
    """Approve or reject several proposals at once, all or nothing."""
    review = match_approve if approve else match_reject
    with transaction.atomic():
        return [review(match=match, user=user) for match in matches]


# --- The volunteer answers ------------------------------------------------------------------------


def _own(volunteer: VolunteerProfile, user) -> None:
    if volunteer.user_id != user.pk:
        raise NotAllowed(_("This invitation is not yours."))


def _closed_reason(match: Match, now: dt.datetime) -> str | None:
    if match.status == Match.Status.INVITED and match.expires_at and match.expires_at <= now:
        return _("This invitation has expired.")
    reasons = {
        Match.Status.CONFIRMED: _("You have already confirmed this invitation."),
        Match.Status.DECLINED_BY_VOLUNTEER: _("You have declined this invitation."),
        Match.Status.DECLINED_BY_CHARITY: _("The organisation has withdrawn this invitation."),
        Match.Status.EXPIRED: _("This invitation has expired."),
        Match.Status.CANCELLED: _("This commitment was cancelled."),
        Match.Status.PROPOSED: _("The organisation has not invited you yet."),
    }
    return reasons.get(match.status)


def match_accept(*, match: Match, user, now: dt.datetime | None = None) -> Match:
    """The volunteer accepts an invitation: confirmed while places remain.

    Locks volunteer, need, match (see `matching.locks`), so of two volunteers
    accepting the last place at once exactly one is confirmed; the other gets
    NeedFull (409) and stays on the waiting list — invited again if a place
    reopens. Raises InvitationClosed (409, with the reason) for an expired,
    declined or already-confirmed invitation and DoubleBooking when they are
    confirmed elsewhere at that time. Records: the charity's staff are told, the
    volunteer follows the case and gets a reminder 24 hours before."""
    now = now or timezone.now()
    full = False
    with transaction.atomic():
        volunteer, need, match = locks.lock_for_answer(match)
        _own(volunteer, user)
        closed = _closed_reason(match, now)
        if closed:
            raise InvitationClosed(closed)
        _ensure_matchable(volunteer)
        if commitments_clashing(volunteer.pk, need.starts_at, need.ends_at).exists():
            raise DoubleBooking(_("You already have a commitment at that time."))
        if need.volunteers_confirmed >= need.volunteers_needed:
            if match.waitlisted_at is None:
                match.waitlisted_at = now
                match.save(update_fields=["waitlisted_at"])
            full = True
        else:
            match.status, match.answered_at, match.waitlisted_at = Match.Status.CONFIRMED, now, None
            match.save(update_fields=["status", "answered_at", "waitlisted_at"])
            need.volunteers_confirmed += 1
            need.save(update_fields=["volunteers_confirmed"])
            match.need = need
            rollups.charity_figures_changed(match.charity_id)
            CaseFollow.objects.get_or_create(
                case_id=need.case_id, user_id=user.pk, defaults={"reason": CaseFollow.Reason.VOLUNTEERED}
            )
            context = _context(match, url=_charity_url(need))
            notify(
                kind=Kind.MATCH_CONFIRMED,
                event_key=f"match:{match.pk}:confirmed",
                context=context,
                recipients=_staff(need),
                charity_id=need.case.charity_id,
            )
            reminder_record(match=match, user=user, now=now)
    if full:
        raise NeedFull(_("This need is full: every place has been taken. We will tell you if one opens."))
    return match


def _reminder_key(match: Match) -> str:
    return f"match:{match.pk}:reminder:{match.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M}"


def public_place(need: Need, language: str) -> str:
    """Where the need takes place, as anyone may read it: its region's name in the
    volunteer's language. Never the case's private details or exact coordinates
    (the meeting point reaches a confirmed volunteer from the charity itself)."""
    region = need.region
    return region.name_en if language == "en" else region.name_ar


def reminder_record(*, match: Match, user, now: dt.datetime) -> None:
    """Hold the reminder of a confirmed match until 24 hours before the need starts
    (at once when it starts sooner). Its event key carries the start time, so a
    moved need gets a new reminder; withdraw the old one with `notification_cancel`."""
    need = match.need
    notify_reminder(
        kind=Kind.NEED_REMINDER,
        key=_reminder_key(match),
        context=_context(match, location_text=public_place(need, user.language), url=_volunteer_url()),
        recipients=[user],
        at=max(now, need.starts_at - dt.timedelta(hours=24)),
    )


def match_decline(*, match: Match, user, now: dt.datetime | None = None) -> Match:
    """The volunteer declines an invitation (409 when it is no longer open); the
    charity is told and the need is flagged so someone else is proposed."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer, need, match = locks.lock_for_answer(match)
        _own(volunteer, user)
        closed = _closed_reason(match, now)
        if closed:
            raise InvitationClosed(closed)
        match.status, match.answered_at = Match.Status.DECLINED_BY_VOLUNTEER, now
        match.save(update_fields=["status", "answered_at"])
        match.need = need
        notify(
            kind=Kind.MATCH_DECLINED,
            event_key=f"match:{match.pk}:declined",
            context=_context(match, url=_charity_url(need)),
            recipients=_staff(need),
            charity_id=need.case.charity_id,
        )
        Need.objects.filter(pk=need.pk).update(matching_requested_at=now)
    return match


def match_cancel(
    *, match: Match, user, reason: str = "", now: dt.datetime | None = None, as_platform: bool = False
) -> Match:
    """A confirmed volunteer, or the need's charity staff, cancel a commitment.
    The place reopens: the other side is told, the 24-hour reminder withdrawn, and
    the next waitlisted or proposed volunteers are invited (each must accept).
    `as_platform=True` is the admin's action: it cancels as the charity side would."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer, need, match = locks.lock_for_answer(match)
        by_volunteer = volunteer.user_id == user.pk
        if not by_volunteer and not as_platform and not _is_staff(user, need):
            raise NotAllowed(_("Only the volunteer or the organisation's staff may cancel this."))
        if match.status != Match.Status.CONFIRMED:
            raise StateConflict(_("Only a confirmed commitment can be cancelled."))
        match.status, match.cancelled_at, match.cancelled_by = Match.Status.CANCELLED, now, user
        match.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        need.volunteers_confirmed = max(0, need.volunteers_confirmed - 1)
        need.save(update_fields=["volunteers_confirmed"])
        match.need = need
        notification_cancel(kind=Kind.NEED_REMINDER, event_key=_reminder_key(match))
        notify(
            kind=Kind.MATCH_CANCELLED,
            event_key=f"match:{match.pk}:cancelled",
            context=_context(
                match,
                cancelled_by="volunteer" if by_volunteer else "charity",
                reason=reason[:300],
                url=_charity_url(need) if by_volunteer else _volunteer_url(),
            ),
            recipients=_staff(need) if by_volunteer else [volunteer.user],
            charity_id=need.case.charity_id,
        )
        _backfill(need, now=now)
    return match


# --- Time passes ----------------------------------------------------------------------------------


def match_expire(*, match: Match, now: dt.datetime | None = None) -> Match | None:
    """An invitation left unanswered past its deadline expires; the volunteer is
    told and the invitation goes to the next proposed volunteer. Does nothing
    (returns None) when the match is no longer an overdue invitation."""
    now = now or timezone.now()
    with transaction.atomic():
        need, match = locks.lock_for_review(match)
        if match.status != Match.Status.INVITED or match.expires_at is None or match.expires_at > now:
            return None
        match.status = Match.Status.EXPIRED
        match.save(update_fields=["status"])
        match.need = need
        notify(
            kind=Kind.MATCH_EXPIRED,
            event_key=f"match:{match.pk}:expired",
            context=_context(match, url=_volunteer_url()),
            recipients=[match.volunteer.user],
        )
        if _need_is_open(need, now):
            _backfill(need, now=now)
    return match
