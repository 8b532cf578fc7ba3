"""The periodic sweep and the re-matching a volunteer's change causes.

The sweep heals what a lost message would break: needs flagged for matching
whose task never ran (the broker was down when they were saved) and open needs
with places left are re-matched in bounded per-region batches, one task per
region, so several workers share the load; overdue invitations expire.

A batch is the region's open needs starting within MATCHING_ASSIGNMENT_HORIZON_DAYS
and any flagged one (flagged first, then soonest; at most MATCHING_SWEEP_BATCH), solved as
one assignment (`matching.assignment`): no volunteer is proposed for more
overlapping needs than MATCHING_MAX_OVERLAPPING_PROPOSALS, and urgent needs
choose first. A need saved between sweeps is matched alone at once
(`match_propose_for_need`); for a lone need both give the same proposals.
"""

import datetime as dt

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from cases.models import Need
from charities.models import Charity
from core.queue import enqueue_on_commit
from matching.assignment import match_region
from matching.models import Match
from matching.services import MATCHABLE_CASE_STATUSES, match_expire
from volunteers.models import VolunteerProfile

EXPIRE_BATCH = 500


def needs_to_match(now: dt.datetime):
    """Open needs of verified charities, not started nor cancelled, with places left."""
    return Need.objects.filter(
        case__status__in=MATCHABLE_CASE_STATUSES,
        case__charity__status=Charity.Status.VERIFIED,
        starts_at__gt=now,
        cancelled_at__isnull=True,
        volunteers_confirmed__lt=F("volunteers_needed"),
    )


def matching_sweep(*, now: dt.datetime | None = None) -> dict:
    """Expire overdue invitations, then queue one `match_batch_task` per region with
    at most MATCHING_SWEEP_BATCH of its needs, flagged ones first. Returns counts."""
    from matching.tasks import match_batch_task

    now = now or timezone.now()
    overdue = Match.objects.filter(status=Match.Status.INVITED, expires_at__lte=now).order_by("expires_at")
    overdue = overdue.only("pk", "need_id", "volunteer_id")[:EXPIRE_BATCH]
    expired = sum(1 for match in overdue if match_expire(match=match, now=now))
    horizon = now + dt.timedelta(days=settings.MATCHING_ASSIGNMENT_HORIZON_DAYS)
    # Flagged needs further ahead too: their message may have been lost.
    needs = needs_to_match(now).filter(Q(starts_at__lt=horizon) | Q(matching_requested_at__isnull=False))
    batches = {}
    for region_id in needs.order_by().values_list("region_id", flat=True).distinct():
        ids = list(
            needs.filter(region_id=region_id)
            .order_by(F("matching_requested_at").asc(nulls_last=True), "starts_at", "pk")
            .values_list("pk", flat=True)[: settings.MATCHING_SWEEP_BATCH]
        )
        batches[region_id] = ids
        enqueue_on_commit(match_batch_task, ids)
    return {"expired": expired, "batches": batches}


def match_needs(*, need_ids: list[int]) -> int:
    """Match a batch of needs together (one assignment); returns how many proposals were made."""
    return len(match_region(need_ids=need_ids))


def match_for_volunteer(*, volunteer_id: int, now: dt.datetime | None = None) -> int:
    """A volunteer changed their free time, region or interests: re-match the open
    needs of their region in activities they want (at most one batch)."""
    now = now or timezone.now()
    volunteer = VolunteerProfile.objects.filter(pk=volunteer_id).only("region_id", "activity_mask").first()
    if volunteer is None or not volunteer.activity_mask:
        return 0
    ids = list(
        needs_to_match(now)
        .filter(region_id=volunteer.region_id)
        .order_by("starts_at")
        .values_list("pk", "activity_type__position")[: settings.MATCHING_SWEEP_BATCH * 4]
    )
    wanted = [pk for pk, position in ids if volunteer.activity_mask >> position & 1]
    return match_needs(need_ids=wanted[: settings.MATCHING_SWEEP_BATCH])
