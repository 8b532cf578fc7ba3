"""Repeating needs: the rule in local time, sunset anchors, the horizon, edits and cancelling one day."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import translation

from cases import recurrence
from cases.models import Need, NeedSeries
from cases.services import need_cancel, need_create, series_create, series_extend_all, series_update
from core.errors import InvalidInput, StateConflict
from core.models import ActivityType, Region

CAIRO = ZoneInfo("Africa/Cairo")
pytestmark = pytest.mark.django_db


@pytest.fixture
def iftar():
    return ActivityType.objects.get(slug="iftar")


def local(day, time, zone=CAIRO):
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=zone)


def make(open_case, charity_owner, iftar, **kwargs):
    fields = {
        "case": open_case,
        "user": charity_owner,
        "activity_type": iftar,
        "starts_at": local("2027-04-09", "18:00"),
        "recurrence_rule": "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=8",
        "duration_minutes": 120,
        "volunteers_needed": 2,
    }
    fields.update(kwargs)
    return series_create(**fields)


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_weekly_series_keeps_its_local_time_across_egypts_spring_change(open_case, charity_owner, iftar):
    # Egypt moves to summer time on the last Friday of April (2027-04-30).
    series = make(open_case, charity_owner, iftar)
    needs = list(series.occurrences.order_by("starts_at"))
    assert len(needs) == 8
    assert [n.occurrence_date.isoformat() for n in needs[:5]] == [
        "2027-04-09",
        "2027-04-16",
        "2027-04-23",
        "2027-04-30",
        "2027-05-07",
    ]
    assert {n.starts_at.astimezone(CAIRO).strftime("%a %H:%M") for n in needs} == {"Fri 18:00"}
    assert needs[2].starts_at.astimezone(dt.UTC).hour == 16  # UTC+2 before
    assert needs[3].starts_at.astimezone(dt.UTC).hour == 15  # UTC+3 from the change
    assert all(n.ends_at - n.starts_at == dt.timedelta(hours=2) for n in needs)
    assert all(n.matching_requested_at is not None and n.volunteers_needed == 2 for n in needs)


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_weekly_series_keeps_its_local_time_across_the_autumn_change(open_case, charity_owner, iftar):
    # Summer time ends on the last Thursday of October (2027-10-28, at midnight).
    series = make(open_case, charity_owner, iftar, starts_at=local("2027-10-15", "09:30"))
    needs = list(series.occurrences.order_by("starts_at"))
    assert {n.starts_at.astimezone(CAIRO).strftime("%a %H:%M") for n in needs} == {"Fri 09:30"}
    utc_hours = [n.starts_at.astimezone(dt.UTC).strftime("%H:%M") for n in needs[:4]]
    assert utc_hours == ["06:30", "06:30", "07:30", "07:30"]


@override_settings(SERIES_HORIZON_DAYS=400)
def test_an_iftar_series_follows_the_sun_across_ramadan(open_case, charity_owner, iftar):
    series = make(
        open_case,
        charity_owner,
        iftar,
        starts_at=local("2027-02-08", "00:00"),
        recurrence_rule="FREQ=DAILY;COUNT=30",
        anchor="sunset",
        anchor_offset_minutes=-30,
        duration_minutes=90,
    )
    needs = list(series.occurrences.order_by("starts_at"))
    assert len(needs) == 30 and series.start_time is None
    region = Region.objects.get(code="EG-C")  # the case has no point: the capital's sunset
    first_sunset = recurrence.sunset_local(
        dt.date(2027, 2, 8), latitude=region.latitude, longitude=region.longitude, zone=CAIRO
    )
    first = needs[0].starts_at.astimezone(CAIRO)
    assert abs(first - (first_sunset - dt.timedelta(minutes=30))) <= dt.timedelta(seconds=30)
    assert first.second == 0
    assert 17 <= first.hour <= 18
    later = needs[-1].starts_at.astimezone(CAIRO)
    minutes = lambda moment: moment.hour * 60 + moment.minute  # noqa: E731
    assert minutes(later) - minutes(first) >= 10  # the sun sets later every day in February and March
    assert all(n.ends_at - n.starts_at == dt.timedelta(minutes=90) for n in needs)


def test_the_case_point_moves_the_sunset(open_case, charity_owner, iftar):
    open_case.latitude, open_case.longitude = 31.2018, 29.9158  # Alexandria, west of Cairo: later sunset
    open_case.save()
    alexandria = make(
        open_case,
        charity_owner,
        iftar,
        starts_at=local("2027-02-08", "00:00"),
        recurrence_rule="FREQ=DAILY;COUNT=2",
        anchor="sunset",
    )
    cairo = Region.objects.get(code="EG-C")
    cairo_sunset = recurrence.sunset_local(
        dt.date(2027, 2, 8), latitude=cairo.latitude, longitude=cairo.longitude, zone=CAIRO
    )
    assert alexandria.occurrences.order_by("starts_at").first().starts_at > cairo_sunset


def test_only_the_horizon_is_created_and_the_daily_task_adds_the_rest_once(open_case, charity_owner, iftar):
    start = local("2027-02-08", "19:00")
    series = make(open_case, charity_owner, iftar, starts_at=start, recurrence_rule="FREQ=DAILY;COUNT=60")
    assert series.occurrences.count() == 1  # the first day always, however far away
    now = start - dt.timedelta(days=1)
    assert series_extend_all(now=now) == 27  # up to 7 March, the first day exists
    assert series_extend_all(now=now) == 0  # idempotent
    later = now + dt.timedelta(days=10)
    assert series_extend_all(now=later) == 10
    dates = list(series.occurrences.values_list("occurrence_date", flat=True))
    assert len(dates) == len(set(dates)) == 38


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "cannot be read"),
        ("this is not a rule", "cannot be read"),
        ("FREQ=WEEKLY;BYDAY=FR", "when the repetition ends"),
        ("FREQ=DAILY;COUNT=401", "at most 400"),
        ("FREQ=DAILY;UNTIL=20300101", "at most 400"),
        ("FREQ=HOURLY;COUNT=3", "daily, weekly"),
        ("FREQ=DAILY;BYHOUR=18;COUNT=3", "days only"),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_is_saved(open_case, charity_owner, iftar, rule, message):
    with translation.override("en"), pytest.raises(InvalidInput) as error:
        make(open_case, charity_owner, iftar, recurrence_rule=rule)
    assert error.value.field == "recurrence" and message in str(error.value.message)
    assert not NeedSeries.objects.exists() and not Need.objects.exists()


@pytest.mark.parametrize("offset", [361, -361, 1000])
def test_a_sunset_offset_beyond_six_hours_is_refused(open_case, charity_owner, iftar, offset):
    with pytest.raises(InvalidInput) as error:
        make(open_case, charity_owner, iftar, anchor="sunset", anchor_offset_minutes=offset)
    assert error.value.field == "anchor_offset_minutes"
    assert not NeedSeries.objects.exists() and not Need.objects.exists()


def test_need_create_with_a_rule_returns_the_first_occurrence(open_case, charity_owner, iftar):
    need = need_create(
        case=open_case,
        user=charity_owner,
        activity_type=iftar,
        starts_at=local("2027-04-09", "18:00"),
        ends_at=local("2027-04-09", "20:00"),
        recurrence="RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=8",
    )
    assert need.series is not None and need.occurrence_date == dt.date(2027, 4, 9)
    assert need.series.duration_minutes == 120


def test_an_outsider_cannot_create_a_series(open_case, other_charity_staff, iftar):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        make(open_case, other_charity_staff, iftar)
    assert not NeedSeries.objects.exists()


@override_settings(SERIES_HORIZON_DAYS=400)
def test_cancelling_one_day_leaves_the_others_and_it_is_never_created_again(open_case, charity_owner, iftar):
    series = make(open_case, charity_owner, iftar)
    third = series.occurrences.order_by("starts_at")[2]
    need_cancel(need=third, user=charity_owner)
    need_cancel(need=third, user=charity_owner)  # twice: nothing more
    assert series.occurrences.filter(cancelled_at__isnull=True).count() == 7
    assert series_extend_all() == 0
    with pytest.raises(StateConflict):
        from cases.services import need_update

        need_update(need=third, user=charity_owner, description="x")


@override_settings(SERIES_HORIZON_DAYS=400)
def test_editing_the_series_moves_its_future_days(open_case, charity_owner, iftar):
    series = make(open_case, charity_owner, iftar)
    series_update(series=series, user=charity_owner, start_time=dt.time(17, 0), volunteers_needed=4)
    needs = list(series.occurrences.order_by("starts_at"))
    assert {n.starts_at.astimezone(CAIRO).strftime("%H:%M") for n in needs} == {"17:00"}
    assert {n.volunteers_needed for n in needs} == {4}


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_series_edit_that_changes_more_than_the_time_of_a_confirmed_day_is_a_conflict(
    open_case, charity_owner, iftar
):
    series = make(open_case, charity_owner, iftar)
    confirmed = series.occurrences.order_by("starts_at")[1]
    Need.objects.filter(pk=confirmed.pk).update(volunteers_confirmed=1)
    before = sorted(series.occurrences.values_list("pk", "starts_at", "volunteers_needed"))
    with pytest.raises(StateConflict) as error:
        series_update(series=series, user=charity_owner, start_time=dt.time(17, 0), volunteers_needed=4)
    assert error.value.field == "volunteers_needed"
    assert sorted(series.occurrences.values_list("pk", "starts_at", "volunteers_needed")) == before
    series.refresh_from_db()
    assert series.volunteers_needed == 2 and series.start_time == dt.time(18, 0)


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_new_rule_that_drops_a_confirmed_day_is_a_conflict(open_case, charity_owner, iftar):
    series = make(open_case, charity_owner, iftar)
    last = series.occurrences.order_by("starts_at").last()
    Need.objects.filter(pk=last.pk).update(volunteers_confirmed=1)
    with pytest.raises(StateConflict) as error:
        series_update(series=series, user=charity_owner, recurrence="FREQ=WEEKLY;BYDAY=FR;COUNT=4")
    assert error.value.field == "recurrence"
    assert series.occurrences.filter(cancelled_at__isnull=True).count() == 8
    series.refresh_from_db()
    assert series.recurrence.endswith("COUNT=8")


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_shorter_rule_cancels_the_unconfirmed_days_it_drops(open_case, charity_owner, iftar):
    series = make(open_case, charity_owner, iftar)
    series_update(series=series, user=charity_owner, recurrence="FREQ=WEEKLY;BYDAY=FR;COUNT=4")
    assert series.occurrences.filter(cancelled_at__isnull=True).count() == 4
    assert series.occurrences.filter(cancelled_at__isnull=False).count() == 4


def test_every_region_has_its_capitals_point_for_sunset():
    """The 27 governorates and 13 Saudi regions, each with its capital inside the country."""
    boxes = {"EG": (22.0, 31.7, 24.7, 36.9), "SA": (16.3, 32.2, 34.5, 55.7)}
    regions = list(Region.objects.all())
    assert sorted((r.country, len([x for x in regions if x.country == r.country])) for r in regions)[0][1] == 27
    assert len(regions) == 40
    for region in regions:
        south, north, west, east = boxes[region.country]
        assert south <= region.latitude <= north and west <= region.longitude <= east, region.code
        sunset = recurrence.sunset_local(
            dt.date(2027, 2, 8), latitude=region.latitude, longitude=region.longitude, zone=region.zone
        )
        assert 17 <= sunset.hour <= 18, region.code  # every capital sees the sun set in the early evening
