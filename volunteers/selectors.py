"""Reads for volunteers, with access control, and the coverage query matching uses."""

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from core.models import ActivityType, Region
from volunteers.models import AvailabilitySlot, SlotKind, VolunteerProfile, activity_bit
from volunteers.timewindows import local_pieces


def profile_for_user(user) -> VolunteerProfile | None:
    if not user.is_authenticated:
        return None
    return (
        VolunteerProfile.objects.select_related("region")
        .prefetch_related("activity_types", "skills")
        .filter(user=user)
        .first()
    )


def profile_get_for_user(user) -> VolunteerProfile:
    profile = profile_for_user(user)
    if profile is None:
        raise Http404(_("You have no volunteer profile yet; create it first."))
    return profile


def slot_list_for_user(user) -> QuerySet[AvailabilitySlot]:
    return AvailabilitySlot.objects.filter(volunteer__user=user).order_by("kind", "date", "weekday", "start", "pk")


def slot_list_weekly_for_user(user) -> QuerySet[AvailabilitySlot]:
    return slot_list_for_user(user).filter(kind=SlotKind.WEEKLY)


def slot_list_dated_for_user(user, *, from_date: dt.date | None = None) -> QuerySet[AvailabilitySlot]:
    slots = slot_list_for_user(user).filter(kind=SlotKind.DATED)
    return slots.filter(date__gte=from_date) if from_date else slots


def slot_get_for_user(user, pk) -> AvailabilitySlot:
    """The user's own slot, or 404 (another volunteer's slot does not exist for them)."""
    slot = slot_list_for_user(user).select_related("volunteer__region").filter(pk=pk).first()
    if slot is None:
        raise Http404(_("No such free time slot."))
    return slot


def volunteer_ids_available_for(
    window_start_utc: dt.datetime,
    window_end_utc: dt.datetime,
    *,
    region: Region | None = None,
    activity_type: ActivityType | None = None,
) -> QuerySet:
    """Ids of the volunteers (VolunteerProfile pk) whose free time covers the
    whole UTC window, as a lazy queryset (usable as a subquery).

    The window is converted, with zoneinfo, to the wall-clock pieces it covers in
    each region's zone, one per local date (see `local_pieces`). A volunteer is
    available when every piece lies within one of their slots that day: a weekly
    slot on that weekday or a dated slot on that date. Slots are merged per day
    and kind on save, so "Thu 22:00-24:00 + Fri 00:00-02:00" covers Thu 23:00 to
    Fri 01:00 as two pieces. Also required: `matchable`, not paused on the
    window's first local date, and the activity's bit when one is given.

    One query whatever the number of volunteers, shaped so PostgreSQL answers
    each piece with an index-only range scan of the covering index (region or
    zone, weekday, start <= piece start), end, date, bitmask, pause and
    volunteer id read from the index:
    - a region and one piece (the usual need): SELECT DISTINCT volunteer_id;
    - a region and several pieces (across midnight): one SELECT per piece,
      INTERSECTed;
    - all regions, one piece per zone: one SELECT per zone, UNIONed;
    - all regions and several pieces: slots of any piece grouped by volunteer,
      keeping those covering as many pieces as their zone needs.
    With `region=None` the zones are read first (one small query on the
    40-row region table). The result is a values_list queryset, usable as a
    subquery (`pk__in=`).

    Limits: the window may touch at most 7 local dates (ValueError beyond,
    since a weekly slot could then count for two pieces); a piece covered only
    by a weekly and a dated slot together does not count (each kind is merged
    on its own); full days in the middle of a long window need 00:00-24:00
    slots, which merging two touching slots produces.
    """
    if region is not None:
        zones = {region.timezone: Q(region=region)}
    else:
        names = Region.objects.order_by().values_list("timezone", flat=True).distinct()
        zones = {name: Q(timezone=name) for name in names}
    if not zones:
        return AvailabilitySlot.objects.none().values_list("volunteer_id", flat=True)
    pieces_by_zone = {name: local_pieces(window_start_utc, window_end_utc, name) for name in zones}
    slots = _matchable_slots(activity_type)

    def ids(condition: Q):
        return slots.filter(condition).values_list("volunteer_id", flat=True)

    if region is not None:
        [(name, in_zone)] = zones.items()
        pieces = pieces_by_zone[name]
        branches = [ids(_covering(in_zone, piece, pieces)) for piece in pieces]
        return branches[0].distinct() if len(branches) == 1 else branches[0].intersection(*branches[1:])
    if all(len(pieces) == 1 for pieces in pieces_by_zone.values()):
        branches = [
            ids(_covering(in_zone, pieces_by_zone[name][0], pieces_by_zone[name])) for name, in_zone in zones.items()
        ]
        return branches[0].distinct() if len(branches) == 1 else branches[0].union(*branches[1:])

    covered, labels, expected, label = Q(), [], [], 0
    for name, in_zone in zones.items():
        pieces = pieces_by_zone[name]
        for piece in pieces:
            label += 1
            condition = _covering(in_zone, piece, pieces)
            covered |= condition
            labels.append(When(condition, then=Value(label)))
        expected.append(When(in_zone, then=Value(len(pieces))))
    return (
        slots.filter(covered)
        .values("volunteer_id")
        .annotate(
            covered=Count(Case(*labels, output_field=IntegerField()), distinct=True),
            needed=Max(Case(*expected, output_field=IntegerField())),
        )
        .filter(covered=F("needed"))
        .values_list("volunteer_id", flat=True)
    )


def slots_covering_in_region(
    window_start_utc: dt.datetime,
    window_end_utc: dt.datetime,
    *,
    region: Region,
    activity_type: ActivityType | None = None,
) -> QuerySet | None:
    """The usual need's case — one region, a window within one local day — as
    the covering slots themselves: `(volunteer_id, date, start, end)` rows read
    from the covering index alone, so matching learns who is free and how
    tightly their free time fits in one index-only scan. A volunteer may have
    two rows (a weekly and a dated slot). None when the window spans several
    local days: use `volunteer_ids_available_for` then."""
    pieces = local_pieces(window_start_utc, window_end_utc, region.timezone)
    if len(pieces) != 1:
        return None
    condition = _covering(Q(region=region), pieces[0], pieces)
    return _matchable_slots(activity_type).filter(condition).values_list("volunteer_id", "date", "start", "end")


def _matchable_slots(activity_type: ActivityType | None) -> QuerySet[AvailabilitySlot]:
    slots = AvailabilitySlot.objects.filter(matchable=True).order_by()
    if activity_type is not None:
        slots = slots.alias(interest=F("activity_mask").bitand(activity_bit(activity_type))).filter(interest__gt=0)
    return slots


def _covering(in_zone: Q, piece, pieces) -> Q:
    """Slots of the zone covering one local piece of the window, of volunteers
    not paused on its first local date."""
    not_paused = Q(paused_until__isnull=True) | Q(paused_until__lte=pieces[0].date)
    return (
        in_zone
        & Q(weekday=piece.date.weekday(), start__lte=piece.start, end__gte=piece.end)
        & (Q(date__isnull=True) | Q(date=piece.date))
        & not_paused
    )
