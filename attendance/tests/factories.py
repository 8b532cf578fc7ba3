"""Confirmed matches in the state matching's services leave them."""

import datetime as dt

from django.utils import timezone

from matching.models import Match


def confirmed_match(need, volunteer, *, status=Match.Status.CONFIRMED) -> Match:
    match = Match.objects.create(
        need=need,
        volunteer=volunteer,
        charity=need.case.charity,
        status=status,
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        minutes=int((need.ends_at - need.starts_at).total_seconds() // 60),
        proposed_at=timezone.now() - dt.timedelta(days=3),
    )
    if status == Match.Status.CONFIRMED:
        need.volunteers_confirmed += 1
        need.save(update_fields=["volunteers_confirmed"])
    return match
