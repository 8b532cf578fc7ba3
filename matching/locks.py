"""Row locks for matching, always taken in one order so concurrent changes cannot deadlock.

Order: the volunteer's profile, then the need, then the match.

- The volunteer first serialises one person's accepts: two invitations for
  overlapping needs accepted at the same moment cannot both pass the
  double-booking check.
- The need next serialises the places: two volunteers accepting the last place
  both wait for the need's row, and the second sees `volunteers_confirmed`
  already at capacity (the ephios order: the person, then the shift).
- The match last, re-read under the lock, so its state is the committed one.

A function that needs only the need (proposing, reviewing) skips the volunteer
but never takes the volunteer after the need. Matching runs lock the need with
SKIP LOCKED: a second worker leaves a need that is being matched to the first.
On SQLite (development) these locks are no-ops: it runs one writer at a time anyway.
"""

from cases.models import Need
from matching.models import Match
from volunteers.models import VolunteerProfile


def lock_for_answer(match: Match) -> tuple[VolunteerProfile, Need, Match]:
    """Volunteer, need, match: for the volunteer's accept, decline and cancel."""
    volunteer = VolunteerProfile.objects.select_for_update().get(pk=match.volunteer_id)
    need = Need.objects.select_for_update().get(pk=match.need_id)
    return volunteer, need, Match.objects.select_for_update().get(pk=match.pk)


def lock_for_review(match: Match) -> tuple[Need, Match]:
    """Need, match: for the charity's approve and reject, and expiry."""
    need = Need.objects.select_for_update().get(pk=match.need_id)
    return need, Match.objects.select_for_update().get(pk=match.pk)


def lock_need_for_matching(need_id: int) -> Need | None:
    """The need, or None when another worker is matching it right now (or it is gone)."""
    try:
        return (
            Need.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case__charity", "region", "activity_type")
            .get(pk=need_id)
        )
    except Need.DoesNotExist:
        return None
