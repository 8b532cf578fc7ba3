"""Deleting an account: the person's open proposals, invitations and commitments
are cancelled first, and the charities told, before anything is anonymised.

Registered with `volunteers.privacy.anonymiser_register(..., first=True)` from
`MatchingConfig.ready`, so it runs inside `account_delete`'s transaction while the
profile still has its name. The notices carry no name (the person is being erased):
the charity reads that a volunteer withdrew from the need. Locks follow
`matching.locks`: the volunteer, then each need (by id) and its match.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Need
from matching import locks
from matching.models import Match
from matching.services import _backfill, _charity_url, _context, _reminder_key, _staff
from notifications.models import Kind
from notifications.services import notification_cancel, notify
from volunteers.models import VolunteerProfile


def match_withdraw_for_account(user) -> list[Match]:
    """Cancel what the person still promised or was offered; returns the matches cancelled."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        return []
    now = timezone.now()
    locks.lock_volunteer(profile.pk)
    pending = Q(status__in=Match.OPEN_STATUSES) | Q(status=Match.Status.CONFIRMED, starts_at__gt=now)
    withdrawn = []
    for match in Match.objects.filter(volunteer=profile).filter(pending).order_by("need_id"):
        need, match = locks.lock_for_review(match)
        was = match.status
        if was not in (*Match.OPEN_STATUSES, Match.Status.CONFIRMED):
            continue
        match.status, match.cancelled_at, match.cancelled_by = Match.Status.CANCELLED, now, user
        match.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        withdrawn.append(match)
        match.need = need
        if was == Match.Status.CONFIRMED:
            need.volunteers_confirmed = max(0, need.volunteers_confirmed - 1)
            need.save(update_fields=["volunteers_confirmed"])
            notification_cancel(kind=Kind.NEED_REMINDER, event_key=_reminder_key(match))
        if was in (Match.Status.INVITED, Match.Status.CONFIRMED):
            notify(
                kind=Kind.MATCH_CANCELLED,
                event_key=f"match:{match.pk}:cancelled",
                context=_context(
                    match,
                    volunteer_name="",
                    cancelled_by="volunteer",
                    reason=_("The volunteer closed their account."),
                    url=_charity_url(need),
                ),
                recipients=_staff(need),
                charity_id=need.case.charity_id,
            )
        if was == Match.Status.CONFIRMED and need.starts_at > now:
            _backfill(need, now=now)
        else:
            Need.objects.filter(pk=need.pk).update(matching_requested_at=now)
    return withdrawn
