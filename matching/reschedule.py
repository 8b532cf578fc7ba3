"""A need moved in time: its matches follow, and the people it concerns are told.

Kept beside `matching.services` (which nears the 600-line limit) rather than in
it; it writes matches, so it obeys the same rules: one transaction (the caller's),
rows locked in the order of `matching.locks` (need, then matches), outbox rows
recorded in that transaction.

How a reschedule behaves:
- Charity staff change a need's start or end with `cases.services.need_update`
  (web form and `PATCH /api/v1/needs/{id}/`). Once someone is confirmed only the
  time may change; every other field stays locked (capacity, gender and age
  limits were what the volunteer said yes to).
- Every open or confirmed match copies the need's `starts_at`, `ends_at` and
  `minutes` (the double-booking checks read the copies), so they move too.
- When the start or the end moves by more than NEED_TIME_CHANGE_NOTICE_MINUTES,
  each confirmed volunteer and each volunteer holding an open invitation gets
  `need_time_changed` (urgent: quiet hours do not hold it), one row per channel
  they have on. The event key names the old and the new time, so the same move
  recorded twice is one notice and a later move is a new one. Smaller moves
  update silently. Proposed volunteers never learnt of the need: not told.
- Confirmed volunteers keep their place. The notice links to their
  commitment's card (`/matching/me/#match-<id>`), where they can cancel if the new time does not suit; the
  notice says so, and says when the new time overlaps another of their
  commitments (we never cancel on their behalf).
- The 24-hour reminder moves with the need: the one not yet sent is withdrawn
  and a new one recorded for the new time. A reminder that is already due (the
  need now starts within 24 hours) is recorded at once only when nothing else
  tells the volunteer: not when a notice goes out now, nor when the old
  reminder had already been delivered.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from cases.models import Need
from matching import candidates
from matching.models import Match
from matching.rules import commitments_clashing
from matching.services import _context, _reminder_key, _volunteer_url, reminder_record
from notifications.models import Kind
from notifications.services import notification_cancel, notify

TOLD = (Match.Status.INVITED, Match.Status.CONFIRMED)


def notice_threshold() -> dt.timedelta:
    return dt.timedelta(minutes=settings.NEED_TIME_CHANGE_NOTICE_MINUTES)


def _stamp(moment: dt.datetime) -> str:
    return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M}"


def need_reschedule_matches(
    *, need: Need, old_starts_at: dt.datetime, old_ends_at: dt.datetime, user=None, now: dt.datetime | None = None
) -> list[Match]:
    """Move the matches of a need whose time changed, tell confirmed and invited
    volunteers when the move is larger than the threshold, and move the confirmed
    volunteers' reminders. Call it inside the transaction that moved the need, with
    the need locked (`need_update` does; matching connects it at start-up).
    Returns the matches that were told."""
    now = now or timezone.now()
    moved = max(abs(need.starts_at - old_starts_at), abs(need.ends_at - old_ends_at))
    tell = moved > notice_threshold()
    matches = list(
        need.matches.select_for_update(no_key=True, of=("self",))
        .filter(status__in=(Match.Status.PROPOSED, *TOLD))
        .select_related("volunteer__user")
        .order_by("pk")
    )
    minutes = candidates.need_minutes(need)
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(
        starts_at=need.starts_at, ends_at=need.ends_at, minutes=minutes
    )
    event_key = f"need:{need.pk}:moved:{_stamp(old_starts_at)}:{_stamp(need.starts_at)}-{_stamp(need.ends_at)}"
    told = []
    for match in matches:
        old_reminder = _reminder_key(match)  # still the old start
        match.starts_at, match.ends_at, match.minutes, match.need = need.starts_at, need.ends_at, minutes, need
        if match.status == Match.Status.INVITED and match.expires_at and match.expires_at <= now:
            continue  # expired already; the sweep closes it
        if match.status not in TOLD:
            continue
        volunteer = match.volunteer.user
        clashes = False
        if match.status == Match.Status.CONFIRMED:
            withdrawn = notification_cancel(kind=Kind.NEED_REMINDER, event_key=old_reminder)
            if need.starts_at - dt.timedelta(hours=24) > now or (withdrawn and not tell):
                reminder_record(match=match, user=volunteer, now=now)
            clashes = (
                commitments_clashing(match.volunteer_id, need.starts_at, need.ends_at).exclude(pk=match.pk).exists()
            )
        if tell:
            notify(
                kind=Kind.NEED_TIME_CHANGED,
                event_key=event_key,
                context=_context(
                    match,
                    old_starts_at=old_starts_at.astimezone(dt.UTC).isoformat(),
                    old_ends_at=old_ends_at.astimezone(dt.UTC).isoformat(),
                    confirmed=match.status == Match.Status.CONFIRMED,
                    clashes=clashes,
                    url=f"{_volunteer_url()}#match-{match.pk}",  # their card, with its cancel button
                ),
                recipients=[volunteer],
            )
            told.append(match)
    return told
