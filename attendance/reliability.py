"""How reliable a volunteer is, from the attendance their charities recorded.

Smoothed (a Bayesian average): `(came + WEIGHT * PRIOR) / (recorded + WEIGHT)`.
Someone new starts at the neutral PRIOR (0.5, what ranking assumed before any
attendance existed); every record pulls the value toward what they actually do,
and WEIGHT (4 imagined commitments) keeps one no-show from ruining a newcomer:
1 of 2 gives 0.5, 19 of 20 gives 0.88, 20 of 20 gives 0.92. Partial attendance
counts as having come: the person turned up, the minutes say for how long.

The value lives on the profile (`reliability`, `attended_count`,
`attendance_count`) and is copied onto every slot, so matching ranks by it from
the covering index without reading attendance. `reliability_refresh` is the one
place both copies are written; the attendance services call it in their
transaction, after locking the volunteer's row.
"""

from django.db.models import Count, Q

from volunteers.models import NEUTRAL_RELIABILITY, VolunteerProfile

PRIOR = NEUTRAL_RELIABILITY
WEIGHT = 4.0


def smoothed(*, came: int, recorded: int) -> float:
    return round((came + WEIGHT * PRIOR) / (recorded + WEIGHT), 4)


def reliability_refresh(*, volunteer: VolunteerProfile) -> VolunteerProfile:
    """Recount the volunteer's attendance and write the profile and its slot copies."""
    from attendance.models import Attendance

    counts = Attendance.objects.filter(volunteer=volunteer).aggregate(
        recorded=Count("id"),
        came=Count("id", filter=Q(status__in=(Attendance.Status.ATTENDED, Attendance.Status.PARTIAL))),
    )
    value = smoothed(came=counts["came"], recorded=counts["recorded"])
    volunteer.attended_count = counts["came"]
    volunteer.attendance_count = counts["recorded"]
    volunteer.reliability = value
    volunteer.save(update_fields=["attended_count", "attendance_count", "reliability"])
    volunteer.slots.exclude(reliability=value).update(reliability=value)
    return volunteer
