"""SPEC.md's "API v1 contract", one case per (method, path) of its table: the path
resolves with that method and is in the schema, the named role succeeds, someone
outside is refused, and the field names SPEC lists are there (in the answer, or —
for a request body — accepted, since unknown keys are refused)."""

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from tests.strict_schema import check_response


@dataclass
class Row:
    method: str
    path: str  # as SPEC.md writes it
    who: str | None  # an attribute of `world`; None for anyone
    outsider: str | None = None  # "anonymous" or an attribute of `world`
    refused: int | None = None  # the outsider's status
    args: Callable = lambda w: {}  # the path's {placeholders}
    body: Callable | None = None
    query: str = ""
    fields: tuple = ()  # dotted names in the answer (the first item of a list)
    expect: dict = field(default_factory=dict)  # dotted name → value in the answer
    status: int | None = None
    content_type: str = ""  # a file, not JSON: its media type


def _soon(days: int, hour: int) -> str:
    day = (timezone.now() + dt.timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00:00+02:00"


PROFILE = ("display_name", "phone", "region", "activity_types", "skills", "languages", "gender", "birth_date")
SLOT = ("id", "weekday", "date", "start", "end")

ROWS = [
    Row("GET", "/api/v1/regions/", None, fields=("code", "name", "country", "timezone")),
    Row("GET", "/api/v1/activity-types/", None, fields=("slug", "name")),
    Row("GET", "/api/v1/skills/", None, fields=("slug", "name")),
    Row(
        "GET",
        "/api/v1/me/profile/",
        "volunteer",
        "anonymous",
        401,
        fields=(*PROFILE, "location"),
        expect={"activity_types": ["food_baskets"], "region": "EG-C", "location": None},
    ),
    Row(
        "PATCH",
        "/api/v1/me/profile/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {
            "display_name": "Mona",
            "phone": "01001234567",
            "region": "EG-C",
            "activity_types": ["food_baskets"],
            "skills": ["first_aid"],
            "languages": ["ar", "en"],
            "gender": "female",
            "birth_date": "1995-03-01",
            "location": {"lat": 30.05, "lon": 31.24},
        },
        fields=(*PROFILE, "location.lat", "location.lon"),
        expect={"skills": ["first_aid"], "phone": "+201001234567", "birth_date": "1995-03-01"},
    ),
    Row("GET", "/api/v1/me/availability/", "volunteer", "anonymous", 401, fields=SLOT, expect={"weekday": 5}),
    Row(
        "POST",
        "/api/v1/me/availability/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {"weekday": 1, "start": "20:00", "end": "24:00"},
        fields=SLOT,
        expect={"weekday": 1, "date": None, "start": "20:00", "end": "24:00"},
        status=201,
    ),
    Row(
        "PUT",
        "/api/v1/me/availability/{id}/",
        "volunteer",
        "other_volunteer",
        404,
        args=lambda w: {"id": w.slot.pk},
        body=lambda w: {"weekday": None, "date": _soon(9, 0)[:10], "start": "10:00", "end": "12:00"},
        fields=SLOT,
        expect={"weekday": None, "start": "10:00"},
    ),
    Row(
        "DELETE",
        "/api/v1/me/availability/{id}/",
        "volunteer",
        "other_volunteer",
        404,
        args=lambda w: {"id": w.slot.pk},
        status=204,
    ),
    Row(
        "GET",
        "/api/v1/me/matches/",
        "volunteer",
        "anonymous",
        401,
        fields=("id", "status", "need.id", "need.starts_at", "need.case.id", "need.case.title"),
        expect={"status": "confirmed"},  # soonest first: the world's commitment that ended an hour ago
    ),
    Row(
        "POST",
        "/api/v1/matches/{id}/accept/",
        "volunteer",
        "other_volunteer",
        404,
        args=lambda w: {"id": w.invited.pk},
        fields=("id", "status", "need"),
        expect={"status": "confirmed"},
    ),
    Row(
        "POST",
        "/api/v1/matches/{id}/decline/",
        "volunteer",
        "other_volunteer",
        404,
        args=lambda w: {"id": w.invited.pk},
        expect={"status": "declined_by_volunteer"},
    ),
    Row(
        "POST",
        "/api/v1/charities/",
        "plain",
        "anonymous",
        401,
        body=lambda w: {
            "name": "جمعية النور",
            "country": "EG",
            "regions": ["EG-C"],
            "activity_types": ["food_baskets"],
            "license_number": "MSS-2027",
        },
        fields=("id", "name", "country", "regions", "activity_types", "license_number", "status"),
        expect={"status": "pending", "regions": ["EG-C"]},
        status=201,
    ),
    Row("GET", "/api/v1/charities/", None, fields=("id", "name", "status"), expect={"status": "verified"}),
    Row(
        "POST",
        "/api/v1/moderation/charities/{id}/verify/",
        "moderator",
        "plain",
        403,
        args=lambda w: {"id": w.pending_charity.pk},
        expect={"status": "verified"},
    ),
    Row(
        "GET",
        "/api/v1/cases/",
        None,
        query="?region=EG-C&activity_type=&q=",
        fields=("id", "title", "description", "region", "charity"),
    ),
    Row(
        "POST",
        "/api/v1/cases/",
        "owner",
        "plain",
        404,
        body=lambda w: {
            "charity": w.charity.pk,
            "title": "Roof repair",
            "description": "Before winter.",
            "region": "EG-C",
        },
        fields=("id", "title", "description", "region", "charity.id"),
        status=201,
    ),
    Row(
        "POST",
        "/api/v1/cases/{id}/claim/",
        "owner",
        "plain",
        403,
        args=lambda w: {"id": w.claimable.pk},
        fields=("charity.id",),
    ),
    Row("GET", "/api/v1/cases/{id}/updates/", None, args=lambda w: {"id": w.case.pk}),
    Row(
        "POST",
        "/api/v1/cases/{id}/updates/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.case.pk},
        body=lambda w: {"text": "We delivered 40 blankets.", "photos": []},
        fields=("id", "text", "photos"),
        status=201,
    ),
    Row(
        "POST",
        "/api/v1/cases/{id}/follow/",
        "other_volunteer",
        "anonymous",
        401,
        args=lambda w: {"id": w.case.pk},
        status=201,
    ),
    Row(
        "DELETE",
        "/api/v1/cases/{id}/follow/",
        "other_volunteer",
        "anonymous",
        401,
        args=lambda w: {"id": w.case.pk},
        status=204,
    ),
    Row(
        "POST",
        "/api/v1/cases/{id}/needs/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.case.pk},
        body=lambda w: {
            "activity_type": "food_baskets",
            "skills": ["first_aid"],
            "starts_at": _soon(12, 10),
            "ends_at": _soon(12, 13),
            "volunteers_needed": 4,
            "gender": "",
            "min_age": 18,
        },
        fields=("id", "activity_type", "skills", "starts_at", "ends_at", "volunteers_needed", "gender", "min_age"),
        status=201,
    ),
    Row(
        "GET",
        "/api/v1/charities/{id}/matches/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.charity.pk},
        query="?status=proposed",
        fields=("id", "status", "score", "reasons", "volunteer.display_name", "need.id"),
        expect={"status": "proposed"},
    ),
    Row(
        "POST",
        "/api/v1/matches/{id}/approve/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.proposed.pk},
        expect={"status": "invited"},
    ),
    Row(
        "POST",
        "/api/v1/matches/{id}/reject/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.proposed.pk},
        expect={"status": "declined_by_charity"},
    ),
    Row(
        "POST",
        "/api/v1/reports/",
        None,
        body=lambda w: {
            "description": "An old man alone needs meals every day.",
            "region": "EG-C",
            "activity_type": "food_baskets",
            "location_text": "Shubra, by the mosque",
            "contact": "01001234567",
            "photos": [],
            "consent": True,  # added by the reports issue: the people concerned agree
        },
        fields=("tracking_code", "status"),
        expect={"status": "pending_review"},
        status=201,
    ),
    Row(
        "GET",
        "/api/v1/reports/{tracking_code}/",
        None,
        args=lambda w: {"tracking_code": w.report.tracking_code},
        fields=("status", "reason"),
        expect={"status": "pending_review"},
    ),
    Row(
        "GET",
        "/api/v1/moderation/reports/",
        "moderator",
        "plain",
        403,
        fields=("id", "tracking_code", "description", "status"),
    ),
    Row(
        "POST",
        "/api/v1/moderation/reports/{id}/approve/",
        "moderator",
        "plain",
        403,
        args=lambda w: {"id": w.report.pk},
        body=lambda w: {"title": "Meals for an old man", "story": "An old man living alone needs hot meals."},
        fields=("id", "title"),
    ),
    Row(
        "POST",
        "/api/v1/moderation/reports/{id}/reject/",
        "moderator",
        "plain",
        403,
        args=lambda w: {"id": w.report.pk},
        body=lambda w: {"reason": "Not a humanitarian case."},
        expect={"status": "rejected", "reason": "Not a humanitarian case."},
    ),
    Row(
        "POST",
        "/api/v1/moderation/reports/{id}/duplicate/",
        "moderator",
        "plain",
        403,
        args=lambda w: {"id": w.report.pk},
        body=lambda w: {"case": w.case.pk},
        expect={"status": "duplicate"},
    ),
    Row(
        "POST",
        "/api/v1/needs/{id}/offer/",
        "volunteer",
        "anonymous",
        401,
        args=lambda w: {"id": w.open_need.pk},
        fields=("id", "status", "need.id"),
        expect={"status": "proposed"},
        status=201,
    ),
    Row(
        "GET",
        "/api/v1/me/notifications/",
        "volunteer",
        "anonymous",
        401,
        fields=("id", "kind", "title", "created_at", "unread"),
    ),
    Row(
        "GET",
        "/api/v1/me/notification-preferences/",
        "volunteer",
        "anonymous",
        401,
        fields=("preferences", "preferences.0.kind", "preferences.0.channel", "preferences.0.enabled"),
    ),
    Row(
        "PATCH",
        "/api/v1/me/notification-preferences/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {"preferences": [{"kind": "match_invited", "channel": "email", "enabled": False}]},
        fields=("preferences.0.kind", "preferences.0.channel", "preferences.0.enabled"),
    ),
    Row(
        "POST",
        "/api/v1/me/push-subscriptions/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {
            "endpoint": "https://push.example/send/contract",
            "keys": {
                "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
                "auth": "tBHItJI5svbpez7KI4CCXg",
            },
            "expirationTime": None,
        },
        fields=("endpoint", "keys.p256dh", "keys.auth"),
        status=201,
    ),
    Row("GET", "/api/v1/me/export/", "volunteer", "anonymous", 401),
    Row(
        "DELETE",
        "/api/v1/me/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {"password": "s3cret-pass!"},  # or a session token signed in minutes ago
        status=204,
    ),
    # After the match: attendance, hours, certificates.
    Row(
        "POST",
        "/api/v1/matches/{id}/attendance/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.live_match.pk},
        body=lambda w: {"status": "partial", "minutes": 45},
        fields=("match", "status", "minutes"),
        expect={"status": "partial", "minutes": 45},
    ),
    Row(
        "POST",
        "/api/v1/needs/{id}/check-in/",
        "volunteer",
        "other_volunteer",
        404,
        args=lambda w: {"id": w.live_need.pk},
        body=lambda w: {"code": _check_in_code(w.live_need)},
        fields=("status", "checked_in_at"),
        expect={"status": "attended", "source": "check_in"},
    ),
    Row(
        "GET",
        "/api/v1/me/hours/",
        "volunteer",
        "anonymous",
        401,
        fields=(
            "total_minutes",
            "by_month.0.month",
            "by_month.0.minutes",
            *(f"records.0.{name}" for name in ("id", "charity", "need", "date", "minutes", "source")),
        ),
        expect={"total_minutes": 150},
    ),
    Row(
        "POST",
        "/api/v1/me/hours/requests/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {
            "charity": w.charity.pk,
            "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "minutes": 120,
            "description": "Taught reading at the mosque.",
        },
        fields=("id", "charity", "date", "minutes", "description", "status"),
        expect={"status": "pending", "worked_with_before": True},
        status=201,
    ),
    Row(
        "POST",
        "/api/v1/hours-requests/{id}/approve/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.hours_request.pk},
        expect={"status": "approved"},
    ),
    Row(
        "POST",
        "/api/v1/hours-requests/{id}/decline/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.hours_request.pk},
        body=lambda w: {"reason": "We have no record of this day."},
        expect={"status": "declined", "decline_reason": "We have no record of this day."},
    ),
    Row(
        "POST",
        "/api/v1/me/certificates/",
        "volunteer",
        "anonymous",
        401,
        body=lambda w: {"charity": w.charity.pk},
        fields=("code", "pdf_url", "verify_url", "minutes"),
        expect={"minutes": 150},
        status=201,
    ),
    Row(
        "GET",
        "/api/v1/certificates/{code}/",
        None,
        args=lambda w: {"code": w.certificate.code},
        fields=("code", "holder", "charity", "minutes", "issued_at", "status"),
        expect={"status": "valid", "minutes": 150, "holder": "Mona"},
    ),
    Row(
        "POST",
        "/api/v1/certificates/{code}/revoke/",
        "owner",
        "other_staff",
        403,
        args=lambda w: {"code": w.certificate.code},
        expect={"status": "revoked"},
    ),
    Row(
        "GET",
        "/api/v1/charities/{id}/hours.csv",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.charity.pk},
        content_type="text/csv; charset=utf-8",
    ),
    Row(
        "GET",
        "/api/v1/charities/{id}/hours.xlsx",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.charity.pk},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    Row(
        "GET",
        "/api/v1/charities/{id}/impact/",
        "owner",
        "other_staff",
        404,
        args=lambda w: {"id": w.charity.pk},
        fields=("period.start", "months.0.minutes", "totals.minutes", "filled_share", "top_activities"),
    ),
    Row("GET", "/api/v1/stats/", None, fields=("minutes", "volunteers", "regions.0.code", "activities", "months")),
]


def _check_in_code(need) -> str:
    from attendance.checkin import current_code

    return current_code(need, now=timezone.now())


PAGINATED = ("count", "next", "previous", "results")
PLAIN_LISTS = {"/api/v1/regions/", "/api/v1/activity-types/", "/api/v1/skills/"}


def _dig(data, dotted: str):
    for part in dotted.split("."):
        if isinstance(data, list):
            data = data[int(part)]
        else:
            assert isinstance(data, dict) and part in data, f"no {part!r} in {data!r}"
            data = data[part]
    return data


@functools.cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def _schema_operations() -> dict[tuple[str, str], dict]:
    return {
        (method.upper(), re.sub(r"\{[^}]+\}", "{}", path)): operation
        for path, operations in _schema()["paths"].items()
        for method, operation in operations.items()
    }


def _documented_request_fields(row: Row) -> set[str]:
    operation = _schema_operations()[(row.method, re.sub(r"\{[^}]+\}", "{}", row.path))]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(_schema()["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"])


def _client(api, world, who):
    return api(None if who in (None, "anonymous") else getattr(world, who))


def _call(client, row: Row, world):
    path = row.path.format(**row.args(world)) + row.query
    method = row.method.lower()
    body = row.body(world) if row.body else None
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, format="json")


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.method} {row.path}" for row in ROWS])
def test_the_contract_row(world, api, row: Row):
    from notifications.services import notify
    from notifications.tests.samples import SAMPLES

    notify(kind="match_invited", event_key="contract", context=SAMPLES["match_invited"], recipients=[world.volunteer])

    # The path resolves, takes the method, and the schema documents it.
    concrete = row.path.format(**row.args(world))
    view = resolve(concrete).func.view_class
    assert hasattr(view, row.method.lower()), f"{view.__name__} has no {row.method}"
    assert (row.method, re.sub(r"\{[^}]+\}", "{}", row.path)) in _schema_operations()
    # The request names SPEC gives are documented (OpenAPI 3.0 gives DELETE no body: the
    # password of DELETE /me/ is in docs/api.md).
    if row.body and row.method != "DELETE":
        assert set(row.body(world)) <= _documented_request_fields(row) | {"photos"}

    # Someone outside is refused, and it changes nothing for the named role.
    if row.outsider:
        refused = _call(_client(api, world, row.outsider), row, world)
        assert refused.status_code == row.refused, refused.content
        check_response(row.method, concrete, refused)

    # The named role succeeds, with the names SPEC gives, and nothing the schema does not declare.
    response = _call(_client(api, world, row.who), row, world)
    expected_status = row.status or 200
    assert response.status_code == expected_status, response.content
    check_response(row.method, concrete, response)
    if expected_status == 204:
        return
    if row.content_type:
        assert response["Content-Type"] == row.content_type and response.content
        return
    data = response.json()
    if row.method == "GET" and row.path.endswith("/") and isinstance(data, dict) and "results" in data:
        assert set(PAGINATED) <= set(data)
        assert data["results"], "the world has at least one row to show"
        data = data["results"][0]
    elif row.path in PLAIN_LISTS:
        assert isinstance(data, list) and data
        data = data[0]
    for name in row.fields:
        _dig(data, name)
    for name, value in row.expect.items():
        assert _dig(data, name) == value, name


def test_every_list_in_the_contract_is_paginated(world, api):
    """SPEC: lists are `{count, next, previous, results}` (the reference lists are plain arrays)."""
    for row in ROWS:
        if row.method != "GET" or row.path in PLAIN_LISTS or "{" in row.path.rstrip("/").rsplit("/", 1)[-1]:
            continue
        if row.content_type or row.path.endswith(("/hours/", "/impact/", "/stats/")):
            continue  # a file, or one summary
        if row.path.endswith(("/profile/", "/notification-preferences/", "/export/")) or "{tracking_code}" in row.path:
            continue
        response = _call(_client(api, world, row.who), row, world)
        assert set(PAGINATED) <= set(response.json()), row.path


def test_a_report_status_shows_no_private_data(world, api):
    data = api().get(f"/api/v1/reports/{world.report.tracking_code}/").json()
    assert not {"description", "contact", "location_text", "latitude", "longitude", "reporter"} & set(data)


def test_the_charity_list_shows_only_verified_organisations(world, api):
    data = api().get("/api/v1/charities/?page_size=100").json()
    ids = {row["id"] for row in data["results"]}
    assert world.charity.pk in ids and world.pending_charity.pk not in ids
