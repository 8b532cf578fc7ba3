"""Reads of the rollups, and who may see them. Nothing here scans matches, attendance
or hours: every figure is a sum or a median over rollup rows of one charity (or the
platform's few hundred rows), so each page runs the same few queries at any size."""

import dataclasses
import datetime as dt
import re

from django.db import connection
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.access import is_moderator
from cases.models import Case
from charities.models import Charity
from charities.selectors import charity_get_for_staff, charity_get_public
from core.errors import InvalidInput
from core.models import Region
from core.text import ascii_digits
from impact.models import (
    ImpactCharity,
    ImpactMonth,
    ImpactVolunteers,
    ModerationDay,
    ModerationRegionMonth,
    PlatformImpact,
)

DEFAULT_MONTHS = 12
MAX_MONTHS = 36
TOP = 5
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


@dataclasses.dataclass(frozen=True)
class Period:
    """Whole months, first to last, both included (each a date on the 1st)."""

    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = _add_months(month, 1)
        return months

    @property
    def query(self) -> str:
        return f"from={self.first:%Y-%m}&to={self.last:%Y-%m}"


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_parse(value: str, *, field: str, today: dt.date | None = None) -> dt.date:
    """One month of a period: InvalidInput on `field` for something else or a future month."""
    found = _MONTH.match(ascii_digits(str(value)))
    if found is None or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 2000:
        raise InvalidInput(_("Enter the month as YYYY-MM, for example 2026-03."), field=field)
    month = dt.date(int(found.group(1)), int(found.group(2)), 1)
    if month > (today or timezone.localdate()).replace(day=1):
        raise InvalidInput(_("The period cannot be in the future."), field=field)
    return month


def period_parse(start: str | None, end: str | None, *, today: dt.date | None = None) -> Period:
    """The period of `?from=YYYY-MM&to=YYYY-MM` (the last 12 months by default).

    InvalidInput on `from` or `to` for something that is not a month, a month after
    this one, an end before the start, or more than MAX_MONTHS months."""
    today = today or timezone.localdate()
    last = month_parse(end, field="to", today=today) if end else today.replace(day=1)
    first = month_parse(start, field="from", today=today) if start else _add_months(last, 1 - DEFAULT_MONTHS)
    if first > last:
        raise InvalidInput(_("The period must start before it ends."), field="from")
    if len(Period(first, last).months) > MAX_MONTHS:
        raise InvalidInput(
            _("Choose at most %(count)s months.") % {"count": MAX_MONTHS},
            field="from",
        )
    return Period(first, last)


def case_for_impact(charity: Charity, value) -> Case | None:
    """The `?case=` filter: one of the charity's cases, 400 for a non-number, 404 for another's."""
    if value in (None, ""):
        return None
    try:
        case_id = int(ascii_digits(str(value)).strip())
    except ValueError:
        raise InvalidInput(_("Choose a case by its number."), field="case") from None
    if not 0 < case_id < 2**63:
        raise Http404
    case = Case.objects.filter(pk=case_id, charity=charity).only("id", "title", "charity_id").first()
    if case is None:
        raise Http404
    return case


def charity_for_impact(user, pk) -> Charity:
    """The charity whose impact page this is: its staff only (404 for anyone else)."""
    return charity_get_for_staff(user, pk)


def rollups_computed() -> bool:
    """Rollups are computed by PostgreSQL (its month arithmetic in a zone, FILTER,
    percentile_cont, generate_series and arrays, one statement per table). On the
    embedded SQLite default (`make run`, `make test` without DATABASE_URL) nothing
    is computed and the impact pages show their empty state: see the README."""
    return connection.vendor == "postgresql"


def _medians(charity: Charity, period: Period, case: Case | None) -> dict:
    if not rollups_computed():
        return {"fill_hours": None, "review_hours": None}
    sql = """
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE kind = 'fill'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) FILTER (WHERE kind = 'review')
        FROM impact_impactduration
        WHERE kind IN ('fill', 'review') AND charity_id = %s AND month BETWEEN %s AND %s
    """
    params = [charity.pk, period.first, period.last]
    if case is not None:
        sql += " AND case_id = %s"
        params.append(case.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fill, review = cursor.fetchone()
    return {"fill_hours": fill, "review_hours": review}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _localised(row: dict, prefix: str) -> str:
    english = not (translation.get_language() or "ar").startswith("ar")
    return row[f"{prefix}__name_en"] if english else row[f"{prefix}__name_ar"]


def _top(cells, key: str) -> list[dict]:
    """The TOP activities or regions by hours, with their names: one query."""
    rows = (
        cells.filter(**{f"{key}__isnull": False})
        .order_by()
        .values(key, f"{key}__name_ar", f"{key}__name_en")
        .annotate(minutes=Sum("minutes"))
        .order_by("-minutes", key)[:TOP]
    )
    return [{"id": row[key], "name": _localised(row, key), "minutes": row["minutes"] or 0} for row in rows]


def charity_impact(charity: Charity, *, period: Period, case: Case | None = None) -> dict:
    """A charity's figures for the period (and one case): per month, totals, shares,
    medians, top activities and regions. Five queries whatever the data."""
    cells = ImpactMonth.objects.filter(charity=charity, month__gte=period.first, month__lte=period.last)
    volunteers = ImpactVolunteers.objects.filter(
        charity=charity, month__gte=period.first, month__lte=period.last, case=case
    )
    if case is not None:
        cells = cells.filter(case=case)
    sums = {
        "minutes": Sum("minutes"),
        "attendances": Sum("attendances"),
        "no_shows": Sum("no_shows"),
        "places_needed": Sum("places_needed"),
        "places_filled": Sum("places_filled"),
        "cases_resolved": Sum("cases_resolved"),
    }
    by_month = {row["month"]: row for row in cells.order_by().values("month").annotate(**sums)}
    active = dict(volunteers.values_list("month", "volunteers"))
    months = []
    for month in period.months:
        row = by_month.get(month, {})
        months.append(
            {
                "month": month,
                "minutes": row.get("minutes") or 0,
                "volunteers": active.get(month, 0),
                "attendances": row.get("attendances") or 0,
                "no_shows": row.get("no_shows") or 0,
                "places_needed": row.get("places_needed") or 0,
                "places_filled": row.get("places_filled") or 0,
            }
        )
    totals = {name: sum((row.get(name) or 0) for row in by_month.values()) for name in sums}
    return {
        "charity": charity,
        "case": case,
        "period": period,
        "months": months,
        "totals": totals,
        "filled_share": _share(totals["places_filled"], totals["places_needed"]),
        "no_show_share": _share(totals["no_shows"], totals["attendances"] + totals["no_shows"]),
        **_medians(charity, period, case),
        "top_activities": _top(cells, "activity_type"),
        "top_regions": _top(cells, "region"),
    }


# --- Public figures -------------------------------------------------------------------------------


def charity_headline(charity_id: int) -> ImpactCharity:
    """A charity's all-time headline (zeros before its first refresh): one query."""
    found = ImpactCharity.objects.filter(charity_id=charity_id).first()
    return found or ImpactCharity(charity_id=charity_id, updated_at=None)


def charity_for_share(pk) -> Charity:
    """A verified charity's public share page (404 for pending or rejected ones)."""
    return charity_get_public(pk)


def platform_stats() -> dict:
    """The platform's totals, per region (every region, for the map), per activity and
    per month: two queries of a few hundred rows."""
    rows = list(PlatformImpact.objects.select_related("region", "activity_type"))
    total = next((row for row in rows if row.scope == PlatformImpact.Scope.TOTAL), None)
    by_region = {row.region_id: row for row in rows if row.scope == PlatformImpact.Scope.REGION}
    regions = []
    for region in Region.objects.order_by("country", "code"):
        row = by_region.get(region.pk)
        regions.append(
            {
                "region": region,
                "minutes": row.minutes if row else 0,
                "attendances": row.attendances if row else 0,
                "volunteers": row.volunteers if row else 0,
                "charities": row.charities if row else 0,
            }
        )
    activities = sorted(
        (row for row in rows if row.scope == PlatformImpact.Scope.ACTIVITY and row.activity_type_id),
        key=lambda row: (-row.minutes, row.activity_type_id),
    )
    months = sorted((row for row in rows if row.scope == PlatformImpact.Scope.MONTH), key=lambda row: row.month)
    return {
        "minutes": total.minutes if total else 0,
        "attendances": total.attendances if total else 0,
        "volunteers": total.volunteers if total else 0,
        "charities": total.charities if total else 0,
        "cases_resolved": total.cases_resolved if total else 0,
        "updated_at": total.updated_at if total else None,
        "regions": regions,
        "activities": activities,
        "months": months[-DEFAULT_MONTHS:],
    }


# --- Moderators -----------------------------------------------------------------------------------


def moderation_stats_for(user, *, today: dt.date | None = None) -> dict:
    """The moderation queue over time, reports per region and time to decision
    (moderators only, 404 for anyone else): three queries."""
    if not is_moderator(user):
        raise Http404
    today = today or timezone.now().date()
    first_month = _add_months(today.replace(day=1), 1 - DEFAULT_MONTHS)
    days = list(ModerationDay.objects.filter(day__gt=today - dt.timedelta(days=90)).order_by("day"))
    regions = list(
        ModerationRegionMonth.objects.filter(month__gte=first_month)
        .order_by()
        .values("region", "region__name_ar", "region__name_en")
        .annotate(received=Sum("received"), decided=Sum("decided"))
        .order_by("-received", "region")
    )
    for row in regions:
        row["name"] = _localised(row, "region")
    if not rollups_computed():
        return {"days": days, "regions": regions, "decisions": []}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT month, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours), COUNT(*)
               FROM impact_impactduration WHERE kind = 'decision' AND month >= %s
               GROUP BY month ORDER BY month""",
            [first_month],
        )
        decisions = [{"month": month, "median_hours": median, "count": count} for month, median, count in cursor]
    return {"days": days, "regions": regions, "decisions": decisions}
