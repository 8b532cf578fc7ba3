"""Reads for attendance and hours, with who may see them: a charity's staff see
their needs' attendance, hours requests and records; a volunteer sees their own
hours. Anything else is a 404, so nobody learns that it exists."""

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from attendance.models import HoursRecord, HoursRequest
from attendance.services import correction_window
from cases.models import Need
from charities.models import Charity
from charities.selectors import charity_get_for_staff, staff_charity_ids
from core.errors import InvalidInput
from matching.models import Match
from volunteers.models import VolunteerProfile


def _staff_charities(user):
    return staff_charity_ids(user)


def need_get_for_staff(user, pk) -> Need:
    """A need of one of the person's charities, or 404."""
    try:
        return Need.objects.select_related("case__charity", "region", "activity_type").get(
            pk=pk, case__charity_id__in=_staff_charities(user)
        )
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def need_get_for_check_in(user, pk) -> Need:
    """A need the person is confirmed for, or 404 (check-in is only for them)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Need.objects.select_related("case__charity", "region", "activity_type").get(
            pk=pk, matches__volunteer__user=user, matches__status=Match.Status.CONFIRMED
        )
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def confirmed_match_get_for_staff(user, pk) -> Match:
    """A confirmed match of one of the person's charities, or 404: attendance is
    only for confirmed volunteers."""
    try:
        return Match.objects.select_related("need__region", "need__case", "volunteer").get(
            pk=pk, status=Match.Status.CONFIRMED, charity_id__in=_staff_charities(user)
        )
    except (Match.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attendance_list_for_need(need: Need) -> QuerySet[Match]:
    """The need's confirmed volunteers with their attendance, by name."""
    return (
        Match.objects.filter(need=need, status=Match.Status.CONFIRMED)
        .select_related("volunteer", "attendance")
        .order_by("volunteer__display_name", "id")
    )


def needs_to_mark(user, *, now: dt.datetime | None = None) -> QuerySet[Need]:
    """Needs of the person's charities that have started, may still be marked,
    and have confirmed volunteers, with how many are still unmarked."""
    now = now or timezone.now()
    return (
        Need.objects.filter(
            case__charity_id__in=_staff_charities(user),
            starts_at__lte=now,
            ends_at__gt=now - correction_window(),
            volunteers_confirmed__gt=0,
        )
        .select_related("case", "region", "activity_type")
        .annotate(
            unmarked=Count(
                "matches", filter=Q(matches__status=Match.Status.CONFIRMED, matches__attendance__isnull=True)
            )
        )
        .order_by("-starts_at")
    )


def hours_request_get_for_staff(user, pk) -> HoursRequest:
    try:
        return HoursRequest.objects.select_related("volunteer", "charity").get(
            pk=pk, charity_id__in=_staff_charities(user)
        )
    except (HoursRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def hours_requests_for_charity(user, charity_pk) -> tuple[Charity, QuerySet[HoursRequest]]:
    charity = charity_get_for_staff(user, charity_pk)
    requests = (
        HoursRequest.objects.filter(charity=charity).select_related("volunteer").order_by("status", "-created_at")
    )
    return charity, requests


def volunteer_for_user(user) -> VolunteerProfile:
    if not user.is_authenticated:
        raise Http404
    profile = VolunteerProfile.objects.filter(user=user, anonymised_at__isnull=True).first()
    if profile is None:
        raise Http404
    return profile


def hours_records_for(volunteer: VolunteerProfile) -> QuerySet[HoursRecord]:
    return HoursRecord.objects.filter(volunteer=volunteer).select_related("charity", "need__case", "activity_type")


def hours_summary(volunteer: VolunteerProfile, *, today: dt.date | None = None) -> dict:
    """Totals for the hours page and `GET /api/v1/me/hours/`: all time, this
    month and this year (in the volunteer's region's calendar), by month, by
    charity and by activity. Four queries, however many records."""
    today = today or timezone.localdate(timezone.now(), volunteer.region.zone)
    records = HoursRecord.objects.filter(volunteer=volunteer)
    totals = records.aggregate(
        total=Sum("minutes"),
        month=Sum("minutes", filter=Q(date__year=today.year, date__month=today.month)),
        year=Sum("minutes", filter=Q(date__year=today.year)),
    )
    by_month = (
        records.annotate(month=TruncMonth("date")).values("month").annotate(minutes=Sum("minutes")).order_by("-month")
    )
    by_charity = (
        records.values("charity_id", "charity__name_ar", "charity__name_en")
        .annotate(minutes=Sum("minutes"))
        .order_by("-minutes")
    )
    by_activity = (
        records.values("activity_type__slug", "activity_type__name_ar", "activity_type__name_en")
        .annotate(minutes=Sum("minutes"))
        .order_by("-minutes")
    )
    return {
        "total_minutes": totals["total"] or 0,
        "month_minutes": totals["month"] or 0,
        "year_minutes": totals["year"] or 0,
        "by_month": [{"month": row["month"].strftime("%Y-%m"), "minutes": row["minutes"]} for row in by_month],
        "by_charity": list(by_charity),
        "by_activity": list(by_activity),
    }


def parse_month(raw: str | None) -> tuple[dt.date, dt.date] | None:
    """`2027-01` → the first day of that month and of the next; None when not given."""
    if not raw:
        return None
    try:
        first = dt.date.fromisoformat(f"{raw.strip()}-01")
    except ValueError:
        from django.utils.translation import gettext as _

        raise InvalidInput(_("Give the month as YYYY-MM."), field="month") from None
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following


def hours_records_for_charity(user, charity_pk, *, month: str | None = None) -> tuple[Charity, QuerySet]:
    """The charity's attested records for its exports, oldest first, one month if asked."""
    charity = charity_get_for_staff(user, charity_pk)
    records = HoursRecord.objects.filter(charity=charity)
    span = parse_month(month)
    if span:
        records = records.filter(date__gte=span[0], date__lt=span[1])
    return charity, records.select_related("volunteer__user", "need__case", "activity_type").order_by("date", "id")
