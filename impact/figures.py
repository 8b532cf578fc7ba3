"""The figures of the selectors as charts, headline numbers and CSV rows, in the
reader's language: shared by the pages, the PDF and the CSV (the API serialises the
selectors' values as they are)."""

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.text import local_digits
from impact.charts import bar_chart, column_chart, number


def hours(minutes) -> float:
    return round((minutes or 0) / 60, 1)


def hours_text(minutes) -> str:
    return number(hours(minutes), decimals=1 if (minutes or 0) % 60 else 0)


def share_text(share) -> str:
    if share is None:
        return "—"
    return number(share * 100) + ("٪" if _arabic() else "%")


def median_text(value) -> str:
    if value is None:
        return "—"
    count = round(value)
    return ngettext("%(hours)s hour", "%(hours)s hours", count) % {"hours": number(value, decimals=1)}


def _arabic() -> bool:
    from django.utils import translation

    return (translation.get_language() or "ar").startswith("ar")


def month_label(month) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def period_label(period) -> str:
    return local_digits(f"{month_label(period.first)} – {month_label(period.last)}")


def short_month(month) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(month, "M") if not _arabic() else date_format(month, "F")


def charity_charts(figures: dict) -> dict:
    months = figures["months"]
    return {
        "hours": column_chart(
            _("Hours given per month"),
            [(short_month(row["month"]), hours(row["minutes"])) for row in months],
            value_heading=_("Hours"),
            format_value=lambda value: number(value, decimals=0 if float(value).is_integer() else 1),
        ),
        "volunteers": column_chart(
            _("Active volunteers per month"),
            [(short_month(row["month"]), row["volunteers"]) for row in months],
            value_heading=_("Volunteers"),
        ),
        "activities": bar_chart(
            _("Top activities by hours"),
            [(row["name"], hours(row["minutes"])) for row in figures["top_activities"]],
            value_heading=_("Hours"),
        ),
        "regions": bar_chart(
            _("Top regions by hours"),
            [(row["name"], hours(row["minutes"])) for row in figures["top_regions"]],
            value_heading=_("Hours"),
        ),
    }


def charity_headline(figures: dict) -> list[tuple[str, str]]:
    totals = figures["totals"]
    return [
        (_("Hours given"), hours_text(totals["minutes"])),
        (_("Places filled"), share_text(figures["filled_share"])),
        (_("No-shows"), share_text(figures["no_show_share"])),
        (_("Median time to fill a need"), median_text(figures["fill_hours"])),
        (_("Median time to review a volunteer"), median_text(figures["review_hours"])),
        (_("Cases resolved"), number(totals["cases_resolved"])),
    ]


def public_headline(headline) -> dict:
    """What a charity's public profile and share page show (`impact/_headline.html`)."""
    return {
        "headline": headline,
        "hours": hours_text(headline.minutes),
        "volunteers": number(headline.volunteers),
        "cases_resolved": number(headline.cases_resolved),
    }


def charity_csv(figures: dict) -> str:
    """One row per month, machine-readable (ASCII digits, ISO months)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Month"),
            _("Hours"),
            _("Active volunteers"),
            _("Attended"),
            _("No-shows"),
            _("Places needed"),
            _("Places filled"),
        ]
    )
    for row in figures["months"]:
        writer.writerow(
            [
                f"{row['month']:%Y-%m}",
                hours(row["minutes"]),
                row["volunteers"],
                row["attendances"],
                row["no_shows"],
                row["places_needed"],
                row["places_filled"],
            ]
        )
    return out.getvalue()


def platform_charts(stats: dict) -> dict:
    return {
        "activities": bar_chart(
            _("Hours by activity"),
            [(row.activity_type.name, hours(row.minutes)) for row in stats["activities"][:10]],
            value_heading=_("Hours"),
        ),
        "months": column_chart(
            _("Hours given per month"),
            [(short_month(row.month), hours(row.minutes)) for row in stats["months"]],
            value_heading=_("Hours"),
        ),
    }


def moderation_charts(stats: dict) -> dict:
    days = stats["days"]
    return {
        "queue": column_chart(
            _("Reports waiting at the end of each day"),
            [(formats.date_format(day.day, "SHORT_DATE_FORMAT"), day.queue_size) for day in days[-30:]],
            value_heading=_("Reports waiting"),
            label_every=5,
        ),
        "age": column_chart(
            _("Oldest waiting report (hours)"),
            [(formats.date_format(day.day, "SHORT_DATE_FORMAT"), round(day.oldest_hours)) for day in days[-30:]],
            value_heading=_("Hours"),
            label_every=5,
        ),
        "regions": bar_chart(
            _("Reports per region, last 12 months"),
            [(row["name"], row["received"]) for row in stats["regions"][:12]],
            value_heading=_("Reports"),
        ),
        "decisions": column_chart(
            _("Median time to decision per month (hours)"),
            [(short_month(row["month"]), round(row["median_hours"] or 0, 1)) for row in stats["decisions"]],
            value_heading=_("Hours"),
            format_value=lambda value: number(value, decimals=1),
        ),
    }
