"""The rollups against figures computed by hand (conftest's `world`), the hooks that mark
them, the refresh and the rebuild that give the same rows, and the bad periods."""

import datetime as dt

import pytest
from django.utils import translation

from attendance import services as attendance
from core.errors import InvalidInput
from impact import selectors, services
from impact.models import ImpactCharity, ImpactDirty, ImpactMonth, ModerationDay, PlatformImpact
from impact.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_on_sqlite_the_hooks_mark_and_the_refresh_says_so_without_failing():
    """The embedded default computes nothing, and nothing a service does fails for it."""
    if selectors.rollups_computed():
        pytest.skip("the SQLite fallback; PostgreSQL computes the rollups")
    services.impact_mark_dirty(kind="charity", charity_id=1)
    assert ImpactDirty.objects.count() == 1
    assert services.impact_refresh_dirty() == 0
    services.impact_rebuild()
    assert not ImpactMonth.objects.exists()


def _rows():
    return sorted(
        ImpactMonth.objects.values_list(
            "charity_id", "case_id", "region_id", "activity_type_id", "month", "minutes", "attendances", "no_shows"
        ),
        key=repr,
    )


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_marking_attendance_marks_the_charity_for_a_refresh(world):
    assert set(ImpactDirty.objects.values_list("key", flat=True)) == {
        f"charity:{world.charity.pk}",
        f"charity:{world.other.pk}",
    }
    assert services.impact_refresh_dirty() == 2
    assert not ImpactDirty.objects.exists()
    assert services.impact_refresh_dirty() == 0


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_charity_figures_are_the_hand_computed_ones(world):
    services.impact_refresh_dirty()
    period = selectors.period_parse("2026-09", "2026-10", today=TODAY)
    with translation.override("ar"):
        figures = selectors.charity_impact(world.charity, period=period)
    months = {row["month"]: row for row in figures["months"]}
    september, october = months[dt.date(2026, 9, 1)], months[dt.date(2026, 10, 1)]
    assert (september["minutes"], september["volunteers"], september["attendances"], september["no_shows"]) == (
        180,
        2,
        2,
        1,
    )
    assert (september["places_needed"], september["places_filled"]) == (3, 3)
    assert (october["minutes"], october["volunteers"], october["places_needed"], october["places_filled"]) == (
        180,
        1,
        2,
        1,
    )
    assert figures["totals"]["minutes"] == 360 and figures["totals"]["cases_resolved"] == 1
    assert figures["filled_share"] == 0.8 and figures["no_show_share"] == 0.25
    assert figures["review_hours"] == pytest.approx(4.0) and figures["fill_hours"] == pytest.approx(36.0)
    assert [row["minutes"] for row in figures["top_activities"]] == [180, 180]
    assert {row["name"] for row in figures["top_regions"]} == {"القاهرة", "الإسكندرية"}
    headline = ImpactCharity.objects.get(charity=world.charity)
    assert (headline.minutes, headline.volunteers, headline.cases_resolved) == (360, 2, 1)


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_a_case_filter_keeps_only_that_case(world):
    services.impact_refresh_dirty()
    period = selectors.period_parse("2026-09", "2026-10", today=TODAY)
    case = selectors.case_for_impact(world.charity, str(world.october.case_id))
    figures = selectors.charity_impact(world.charity, period=period, case=case)
    assert figures["totals"]["minutes"] == 180 and figures["totals"]["places_needed"] == 2
    assert [row["volunteers"] for row in figures["months"]] == [0, 1]
    assert figures["fill_hours"] is None  # the October need never filled


def test_another_charitys_case_is_not_found(world):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.case_for_impact(world.other, str(world.october.case_id))
    with pytest.raises(InvalidInput) as error:
        selectors.case_for_impact(world.charity, "abc")
    assert error.value.field == "case"


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_rebuild_gives_the_rows_the_hooks_gave_and_twice_the_same(world):
    services.impact_refresh_dirty()
    refreshed = _rows()
    services.impact_rebuild()
    assert _rows() == refreshed
    services.impact_rebuild()
    assert _rows() == refreshed
    stats = selectors.platform_stats()
    assert stats["minutes"] == 360 + 240 and stats["volunteers"] == 3 and stats["charities"] == 2
    cairo = next(row for row in stats["regions"] if row["region"].code == "EG-C")
    assert cairo["minutes"] == 180 + 240 and cairo["volunteers"] == 3
    assert len(stats["regions"]) == 40


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_a_correction_moves_the_figures_after_the_refresh(world, charity_owner):
    services.impact_refresh_dirty()
    match = world.october.matches.get()
    attendance.attendance_mark(match=match, user=charity_owner, status="no_show", now=world.october.ends_at)
    services.impact_refresh_dirty()
    assert ImpactCharity.objects.get(charity=world.charity).minutes == 180
    assert PlatformImpact.objects.get(scope="total").minutes == 180 + 240


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_moderation_days_count_the_queue_at_each_days_end(db):
    from cases.tests.factories import ReportFactory

    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    waiting = ReportFactory()
    waiting.created_at = now - dt.timedelta(days=2, hours=12)  # 28 Nov, 00:00
    waiting.save(update_fields=["created_at"])
    decided = ReportFactory()
    decided.created_at, decided.reviewed_at = now - dt.timedelta(days=3), now - dt.timedelta(days=1)
    decided.status = "rejected"
    decided.save(update_fields=["created_at", "reviewed_at", "status"])
    services.impact_rebuild(now=now)
    days = {row.day: row for row in ModerationDay.objects.all()}
    assert days[dt.date(2026, 11, 28)].queue_size == 2 and days[dt.date(2026, 11, 28)].oldest_hours == 36
    assert days[dt.date(2026, 11, 29)].queue_size == 1 and days[dt.date(2026, 11, 29)].decided == 1


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-13", None, "from", "YYYY-MM"),
        ("yesterday", None, "from", "YYYY-MM"),
        (None, "2026-12", "to", "future"),
        ("2026-10", "2026-09", "from", "start before"),
        ("2020-01", "2026-11", "from", "at most"),
    ],
)
def test_bad_periods_are_refused_clearly(start, end, field, message):
    with pytest.raises(InvalidInput) as error:
        selectors.period_parse(start, end, today=TODAY)
    assert error.value.field == field and message in str(error.value.message)


def test_the_default_period_is_the_last_twelve_months_in_arabic_digits_too():
    period = selectors.period_parse(None, None, today=TODAY)
    assert (period.first, period.last, len(period.months)) == (dt.date(2025, 12, 1), dt.date(2026, 11, 1), 12)
    assert selectors.period_parse("٢٠٢٦-٠٩", "٢٠٢٦-١٠", today=TODAY).months == [
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
    ]


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_command_and_the_tasks_rebuild_and_refresh(world):
    import io

    from django.core.management import call_command

    from impact import tasks

    out = io.StringIO()
    call_command("rebuild_impact", stdout=out)
    assert "rebuilt" in out.getvalue() and ImpactCharity.objects.get(charity=world.charity).minutes == 360
    assert tasks.impact_refresh_task() == 0  # the rebuild cleared what the hooks marked
    tasks.impact_rebuild_task()
    assert ImpactCharity.objects.get(charity=world.charity).minutes == 360


def test_a_handed_over_case_marks_both_charities(db):
    from cases import hooks

    assert services.impact_case_handed_over in hooks.handlers(hooks.CASE_HANDED_OVER)
    services.impact_case_handed_over(case=None, from_charity_id=1, to_charity_id=2, handover_id=3, user=None, now=None)
    assert set(ImpactDirty.objects.values_list("key", flat=True)) == {"charity:1", "charity:2"}
