"""Row locks for matching, always taken in one order so concurrent changes cannot deadlock.

Order: the account (deletion only), the volunteer's profile, then the case, then its needs by id,
then the matches by id.

- The volunteer first serialises one person's accepts: two invitations for
  overlapping needs accepted at the same moment cannot both pass the
  double-booking check. An offer to help locks the volunteer first too.
- The case comes before its needs: a hand-over or a closing locks the case,
  then every need of it (`cases.services.cases.case_lock`).
- The need next serialises the places: two volunteers accepting the last place
  both wait for the need's row, and the second sees `volunteers_confirmed`
  already at capacity (the ephios order: the person, then the shift).
- The match last, re-read under the lock, so its state is the committed one.

A function may skip a level (proposing and reviewing take no volunteer, an accept
no case) but never takes an earlier level after a later one.

Every lock is FOR NO KEY UPDATE (`no_key=True`), never plain FOR UPDATE: inserting
a row that points at a locked one (a match's volunteer and need, a follow's case)
takes a KEY SHARE lock on it, which FOR UPDATE blocks and FOR NO KEY UPDATE does
not. That was the deadlock of an offer against a matching run: the offer held the
volunteer FOR UPDATE and waited for the need; the run held the need and waited to
insert a proposal for that volunteer. No service changes a primary key, so NO KEY
is exactly what they need. A test (`tests/test_lock_order.py`) holds every
`select_for_update` in the apps to `no_key=True` or `skip_locked=True`.

Matching runs lock the need with SKIP LOCKED: a second worker leaves a need that
is being matched to the first. On SQLite (development) these locks are no-ops: it
runs one writer at a time anyway.
"""

from cases.models import Need
from matching.models import Match
from volunteers.models import VolunteerProfile


def lock_volunteer(volunteer_id: int) -> VolunteerProfile:
    return VolunteerProfile.objects.select_for_update(no_key=True).get(pk=volunteer_id)


def lock_for_offer(volunteer_id: int, need_id: int) -> tuple[VolunteerProfile, Need]:
    """Volunteer, need: for an offer to help (which inserts a match)."""
    volunteer = lock_volunteer(volunteer_id)
    need = (
        Need.objects.select_for_update(no_key=True, of=("self",))
        .select_related("case__charity", "region", "activity_type")
        .get(pk=need_id)
    )
    return volunteer, need


def lock_for_answer(match: Match) -> tuple[VolunteerProfile, Need, Match]:
    """Volunteer, need, match: for the volunteer's accept, decline and cancel."""
    volunteer = lock_volunteer(match.volunteer_id)
    need = Need.objects.select_for_update(no_key=True).get(pk=match.need_id)
    return volunteer, need, Match.objects.select_for_update(no_key=True).get(pk=match.pk)


def lock_for_review(match: Match) -> tuple[Need, Match]:
    """Need, match: for the charity's approve and reject, and expiry."""
    need = Need.objects.select_for_update(no_key=True).get(pk=match.need_id)
    return need, Match.objects.select_for_update(no_key=True).get(pk=match.pk)


def lock_need_for_matching(need_id: int) -> Need | None:
    """The need, or None when another worker is matching it right now (or it is gone)."""
    try:
        return (
            Need.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
            .select_related("case__charity", "region", "activity_type")
            .get(pk=need_id)
        )
    except Need.DoesNotExist:
        return None
