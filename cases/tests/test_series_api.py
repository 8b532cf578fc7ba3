"""POST /api/v1/cases/{id}/needs/ with a rule or a sunset anchor, the series and a day's cancel."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from cases import recurrence
from cases.models import Need, NeedSeries
from core.models import Region

pytestmark = pytest.mark.django_db
CAIRO = ZoneInfo("Africa/Cairo")


def _post(client, case, **body):
    payload = {"activity_type": "iftar", "starts_at": "2027-04-09T18:00:00+02:00", "volunteers_needed": 2, **body}
    return client.post(f"/api/v1/cases/{case.pk}/needs/", payload, format="json")


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_weekly_need_answers_with_its_series_and_every_day_is_listed(api_as, open_case):
    client = api_as("charity_owner")
    response = _post(
        client, open_case, ends_at="2027-04-09T20:00:00+02:00", recurrence="RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=8"
    )
    assert response.status_code == 201, response.data
    series = response.data["series"]
    assert series["id"] == NeedSeries.objects.get().pk and series["duration_minutes"] == 120
    assert series["recurrence"] == "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=8" and series["start_time"] == "18:00"
    assert response.data["occurrence_date"] == "2027-04-09"
    listed = api_as("anonymous").get(f"/api/v1/cases/{open_case.pk}/needs/")
    assert len(listed.data) == 8
    assert {need["series"]["id"] for need in listed.data} == {series["id"]}
    local_times = {
        dt.datetime.fromisoformat(need["starts_at"]).astimezone(CAIRO).strftime("%H:%M") for need in listed.data
    }
    assert local_times == {"18:00"}  # across Egypt's change to summer time on 30 April


def test_the_need_list_stays_at_constant_queries(api_as, open_case, django_assert_max_num_queries):
    with override_settings(SERIES_HORIZON_DAYS=400):
        _post(api_as("charity_owner"), open_case, duration_minutes=60, recurrence="FREQ=DAILY;COUNT=30")
    with django_assert_max_num_queries(6):
        response = api_as("anonymous").get(f"/api/v1/cases/{open_case.pk}/needs/")
    assert len(response.data) == 30


def test_an_iftar_at_sunset_starts_at_sunset_plus_the_offset(api_as, open_case):
    response = _post(
        api_as("charity_owner"),
        open_case,
        starts_at="2027-02-08T00:00:00+02:00",
        recurrence="FREQ=DAILY;COUNT=30",
        anchor="sunset",
        anchor_offset_minutes=-20,
        duration_minutes=120,
    )
    assert response.status_code == 201, response.data
    cairo = Region.objects.get(code="EG-C")
    sunset = recurrence.sunset_local(
        dt.date(2027, 2, 8), latitude=cairo.latitude, longitude=cairo.longitude, zone=CAIRO
    )
    start = dt.datetime.fromisoformat(response.data["starts_at"])
    assert abs(start - (sunset - dt.timedelta(minutes=20))) <= dt.timedelta(seconds=30)
    assert response.data["series"]["anchor"] == "sunset"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"recurrence": "FREQ=WEEKLY;BYDAY=NOPE;COUNT=2", "duration_minutes": 60}, "recurrence"),
        ({"recurrence": "FREQ=WEEKLY;BYDAY=FR", "duration_minutes": 60}, "recurrence"),
        ({"recurrence": "FREQ=DAILY;COUNT=401", "duration_minutes": 60}, "recurrence"),
        (
            {
                "recurrence": "FREQ=DAILY;COUNT=3",
                "anchor": "sunset",
                "anchor_offset_minutes": 361,
                "duration_minutes": 60,
            },
            "anchor_offset_minutes",
        ),
        ({"anchor": "sunset", "anchor_offset_minutes": -400, "duration_minutes": 60}, "anchor_offset_minutes"),
        ({"recurrence": "FREQ=DAILY;COUNT=3"}, "duration_minutes"),
    ],
)
def test_bad_input_is_a_translated_400_and_nothing_is_saved(api_as, open_case, body, field):
    client = api_as("charity_owner")
    response = client.post(
        f"/api/v1/cases/{open_case.pk}/needs/",
        {"activity_type": "iftar", "starts_at": "2027-04-09T18:00:00+02:00", **body},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert response.status_code == 400, response.data
    assert list(response.data) == [field]
    message = str(response.data[field][0])
    assert any("\u0600" <= char <= "\u06ff" for char in message), message  # in Arabic
    assert not NeedSeries.objects.exists() and not Need.objects.exists()


@pytest.mark.parametrize("person", ["anonymous", "plain_user", "other_charity_staff"])
def test_outsiders_cannot_add_a_series(api_as, open_case, person):
    response = _post(api_as(person), open_case, duration_minutes=60, recurrence="FREQ=DAILY;COUNT=3")
    assert response.status_code in (401, 403, 404)
    assert not NeedSeries.objects.exists()


@override_settings(SERIES_HORIZON_DAYS=400)
def test_a_series_edit_that_would_change_a_confirmed_day_is_a_409_and_nothing_changes(api_as, open_case):
    client = api_as("charity_owner")
    created = _post(client, open_case, duration_minutes=120, recurrence="FREQ=WEEKLY;BYDAY=FR;COUNT=4")
    series_id = created.data["series"]["id"]
    Need.objects.filter(pk=created.data["id"]).update(volunteers_confirmed=1)
    before = sorted(Need.objects.values_list("pk", "starts_at", "description", "cancelled_at"))
    response = client.patch(
        f"/api/v1/series/{series_id}/", {"start_time": "17:00", "description": "وجبات"}, format="json"
    )
    assert response.status_code == 409 and "description" in response.data
    response = client.patch(
        f"/api/v1/series/{series_id}/", {"recurrence": "FREQ=WEEKLY;BYDAY=SA;COUNT=4"}, format="json"
    )
    assert response.status_code == 409 and "recurrence" in response.data
    assert sorted(Need.objects.values_list("pk", "starts_at", "description", "cancelled_at")) == before
    moved = client.patch(f"/api/v1/series/{series_id}/", {"start_time": "١٧:٣٠"}, format="json")
    assert moved.status_code == 200, moved.data
    assert moved.data["start_time"] == "17:30"
    assert {n.starts_at.astimezone(CAIRO).strftime("%H:%M") for n in Need.objects.all()} == {"17:30"}


def test_outsiders_cannot_read_or_edit_a_series(api_as, open_case):
    created = _post(api_as("charity_owner"), open_case, duration_minutes=60, recurrence="FREQ=DAILY;COUNT=3")
    url = f"/api/v1/series/{created.data['series']['id']}/"
    assert api_as("other_charity_staff").get(url).status_code == 404
    assert api_as("other_charity_staff").patch(url, {"volunteers_needed": 9}, format="json").status_code == 404
    assert api_as("anonymous").get(url).status_code == 401


def test_cancelling_one_day_by_api_leaves_the_others(api_as, open_case):
    client = api_as("charity_owner")
    with override_settings(SERIES_HORIZON_DAYS=400):
        created = _post(client, open_case, duration_minutes=60, recurrence="FREQ=DAILY;COUNT=3")
    response = client.post(f"/api/v1/needs/{created.data['id']}/cancel/")
    assert response.status_code == 200 and response.data["cancelled_at"]
    assert Need.objects.filter(cancelled_at__isnull=True).count() == 2
    assert api_as("other_charity_staff").post(f"/api/v1/needs/{created.data['id']}/cancel/").status_code == 404
