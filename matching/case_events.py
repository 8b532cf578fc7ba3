"""A case changed hands or ended: its matches follow, in the transaction that did it.

Connected at start-up to the hooks of `cases.hooks` (cases never imports
matching). The caller holds the case and its needs locked; the matches are locked
here, by id (the order of `matching.locks`).

- Handed over: every match of the case's needs copies the new charity
  (`Match.charity` is what the charity's lists and permission checks read), the
  digests still waiting for their hour go to the new charity's staff and webhooks,
  the confirmed volunteers' unsent reminders name the new charity, and the
  volunteers who were invited or confirmed are told who organises them now (a
  proposal the volunteer never saw is moved silently). Events recorded before the
  move (webhook deliveries already owed, sent messages) stay with the charity that
  held the case then; every later event follows `Need.case.charity`.
- Resolved or closed: what had not happened yet is withdrawn. Open proposals and
  invitations are withdrawn (`cancelled`), confirmed commitments of needs not yet
  started are cancelled, their unsent reminders withdrawn, and the invited and
  confirmed volunteers are told (`match_cancelled`, by the charity, with a reason).
  Past commitments stay as they were: they happened.
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from cases.models import Need
from charities.models import Charity
from matching.models import Match
from matching.services import _context, _reminder_key, _volunteer_url
from notifications.models import Channel, Digest, Kind, Notification
from notifications.services import notification_cancel, notify

TOLD = (Match.Status.INVITED, Match.Status.CONFIRMED)


def _lock_matches(case) -> list[Match]:
    return list(
        Match.objects.select_for_update(no_key=True, of=("self",))
        .filter(need__case=case)
        .select_related("need__case__charity", "need__activity_type", "need__region", "volunteer__user")
        .order_by("pk")
    )


def _unsent(kind: str, event_key: str):
    not_yet_shown = Q(channel=Channel.IN_APP, status=Notification.Status.SENT, not_before__gt=dt.datetime.now(dt.UTC))
    return Notification.objects.filter(kind=kind, event_key=event_key).filter(
        Q(status=Notification.Status.PENDING) | not_yet_shown
    )


def case_handover_matches(*, case, handover_id: int, from_charity_id: int, to_charity_id: int, user, now) -> None:
    """Move the case's matches, digests and reminders to the new charity and tell the volunteers."""
    matches = _lock_matches(case)
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(charity_id=to_charity_id)
    need_ids = {m.need_id for m in matches} | set(case.needs.values_list("pk", flat=True))
    Digest.objects.filter(
        released_at__isnull=True, charity_id=from_charity_id, key__in=[f"need:{pk}:proposals" for pk in need_ids]
    ).update(charity_id=to_charity_id)
    new_name = case.charity.name_ar
    for match in matches:
        match.charity_id = to_charity_id
        if match.status == Match.Status.CONFIRMED:
            for reminder in _unsent(Kind.NEED_REMINDER, _reminder_key(match)):
                reminder.context = {**reminder.context, "charity_name": new_name}
                reminder.save(update_fields=["context"])
        open_invitation = match.status == Match.Status.INVITED and (match.expires_at is None or match.expires_at > now)
        if match.status == Match.Status.CONFIRMED or open_invitation:
            notify(
                kind=Kind.CASE_HANDOVER,
                event_key=f"handover:{handover_id}:accepted",
                context=_context(
                    match,
                    from_charity_name=_charity_name(from_charity_id),
                    to_charity_name=new_name,
                    accepted=True,
                    volunteer=True,
                    url=f"{_volunteer_url()}#match-{match.pk}",
                ),
                recipients=[match.volunteer.user],
            )


def _charity_name(charity_id: int) -> str:
    return Charity.objects.filter(pk=charity_id).values_list("name_ar", flat=True).first() or ""


def case_finish_matches(*, case, user, now) -> list[Match]:
    """Withdraw what the finished case still promised; returns the matches withdrawn."""
    withdrawn = []
    reason = _("The organisation has closed this case.")
    for match in _lock_matches(case):
        if match.status == Match.Status.CONFIRMED and match.need.starts_at <= now:
            continue  # it happened (or is happening): history stays
        if match.status not in (Match.Status.PROPOSED, *TOLD):
            continue
        was = match.status
        if was == Match.Status.INVITED and match.expires_at and match.expires_at <= now:
            was = Match.Status.EXPIRED  # nobody is waiting on it any more: closed quietly
        match.status, match.cancelled_at, match.cancelled_by = Match.Status.CANCELLED, now, user
        match.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        withdrawn.append(match)
        if was == Match.Status.CONFIRMED:
            notification_cancel(kind=Kind.NEED_REMINDER, event_key=_reminder_key(match))
        if was in TOLD:
            notify(
                kind=Kind.MATCH_CANCELLED,
                event_key=f"match:{match.pk}:cancelled",
                context=_context(match, cancelled_by="charity", reason=reason, url=_volunteer_url()),
                recipients=[match.volunteer.user],
            )
    if withdrawn:
        for need in case.needs.filter(starts_at__gt=now):
            left = Match.objects.filter(need=need, status=Match.Status.CONFIRMED).count()
            if left != need.volunteers_confirmed:
                Need.objects.filter(pk=need.pk).update(volunteers_confirmed=left)
    return withdrawn
