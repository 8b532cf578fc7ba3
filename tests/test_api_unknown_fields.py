"""Every write endpoint refuses a key it does not know: 400 naming it, nothing saved.
The same body without the stray key succeeds, so the key alone was at fault."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from core.api.serializers import StrictInputMixin

STRAY = "colour"


def _when(days: int, hour: int) -> str:
    day = (timezone.now() + dt.timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00:00+02:00"


# (label, who, method, path, body)
WRITES = [
    ("profile", "volunteer", "patch", lambda w: "/api/v1/me/profile/", lambda w: {"display_name": "Mona A."}),
    (
        "availability add",
        "volunteer",
        "post",
        lambda w: "/api/v1/me/availability/",
        lambda w: {"weekday": 0, "start": "18:00", "end": "20:00"},
    ),
    (
        "availability change",
        "volunteer",
        "put",
        lambda w: f"/api/v1/me/availability/{w.slot.pk}/",
        lambda w: {"weekday": 5, "start": "09:00", "end": "12:00"},
    ),
    (
        "charity register",
        "plain",
        "post",
        lambda w: "/api/v1/charities/",
        lambda w: {"name": "جمعية النور", "country": "EG", "license_number": "L-77", "regions": ["EG-C"]},
    ),
    (
        "staff invite",
        "owner",
        "post",
        lambda w: f"/api/v1/charities/{w.charity.pk}/invitations/",
        lambda w: {"email": "new.staff@example.org"},
    ),
    (
        "case create",
        "owner",
        "post",
        lambda w: "/api/v1/cases/",
        lambda w: {"charity": w.charity.pk, "title": "Roof repair", "description": "Before winter.", "region": "EG-C"},
    ),
    ("case edit", "owner", "patch", lambda w: f"/api/v1/cases/{w.case.pk}/", lambda w: {"title": "New title"}),
    (
        "case edit, nested location",
        "owner",
        "patch",
        lambda w: f"/api/v1/cases/{w.case.pk}/",
        lambda w: {"location": {"lat": 30.05, "lon": 31.24}},
    ),
    (
        "case status",
        "owner",
        "post",
        lambda w: f"/api/v1/cases/{w.case.pk}/status/",
        lambda w: {"status": "in_progress"},
    ),
    ("case claim", "owner", "post", lambda w: f"/api/v1/cases/{w.claimable.pk}/claim/", lambda w: {}),
    (
        "case update",
        "owner",
        "post",
        lambda w: f"/api/v1/cases/{w.case.pk}/updates/",
        lambda w: {"text": "We delivered the blankets."},
    ),
    (
        "need create",
        "owner",
        "post",
        lambda w: f"/api/v1/cases/{w.case.pk}/needs/",
        lambda w: {
            "activity_type": "food_baskets",
            "starts_at": _when(10, 10),
            "ends_at": _when(10, 12),
            "volunteers_needed": 2,
        },
    ),
    ("need edit", "owner", "patch", lambda w: f"/api/v1/needs/{w.need.pk}/", lambda w: {"volunteers_needed": 4}),
    (
        "report",
        None,
        "post",
        lambda w: "/api/v1/reports/",
        lambda w: {"description": "An old man alone needs meals.", "region": "EG-C", "consent": True},
    ),
    (
        "report approve",
        "moderator",
        "post",
        lambda w: f"/api/v1/moderation/reports/{w.report.pk}/approve/",
        lambda w: {"title": "Meals for an old man"},
    ),
    (
        "report reject",
        "moderator",
        "post",
        lambda w: f"/api/v1/moderation/reports/{w.report.pk}/reject/",
        lambda w: {"reason": "Not a case."},
    ),
    (
        "report duplicate",
        "moderator",
        "post",
        lambda w: f"/api/v1/moderation/reports/{w.report.pk}/duplicate/",
        lambda w: {"case": w.case.pk},
    ),
    (
        "charity reject",
        "moderator",
        "post",
        lambda w: f"/api/v1/moderation/charities/{w.pending_charity.pk}/reject/",
        lambda w: {"reason": "No licence."},
    ),
    (
        "notification preferences",
        "volunteer",
        "patch",
        lambda w: "/api/v1/me/notification-preferences/",
        lambda w: {"quiet_hours": True},
    ),
    (
        "notification preferences, nested item",
        "volunteer",
        "patch",
        lambda w: "/api/v1/me/notification-preferences/",
        lambda w: {"preferences": [{"kind": "match_invited", "channel": "email", "enabled": False}]},
    ),
    ("match cancel", "volunteer", "post", lambda w: f"/api/v1/matches/{w.invited.pk}/cancel/", lambda w: {}),
    # Actions that read no body refuse any key sent with them too.
    ("match approve", "owner", "post", lambda w: f"/api/v1/matches/{w.proposed.pk}/approve/", lambda w: {}),
    ("match reject", "owner", "post", lambda w: f"/api/v1/matches/{w.proposed.pk}/reject/", lambda w: {}),
    ("match accept", "volunteer", "post", lambda w: f"/api/v1/matches/{w.invited.pk}/accept/", lambda w: {}),
    ("match decline", "volunteer", "post", lambda w: f"/api/v1/matches/{w.invited.pk}/decline/", lambda w: {}),
    ("need offer", "other_volunteer", "post", lambda w: f"/api/v1/needs/{w.open_need.pk}/offer/", lambda w: {}),
    ("case follow", "plain", "post", lambda w: f"/api/v1/cases/{w.case.pk}/follow/", lambda w: {}),
    ("case unfollow", "volunteer", "delete", lambda w: f"/api/v1/cases/{w.case.pk}/follow/", lambda w: {}),
    (
        "charity verify",
        "moderator",
        "post",
        lambda w: f"/api/v1/moderation/charities/{w.pending_charity.pk}/verify/",
        lambda w: {},
    ),
    ("calendar link", "volunteer", "post", lambda w: "/api/v1/me/calendar/", lambda w: {}),
    ("notifications read", "volunteer", "post", lambda w: "/api/v1/me/notifications/read-all/", lambda w: {}),
]

WATCHED_APPS = ("accounts", "volunteers", "charities", "cases", "matching", "notifications")


def _everything() -> dict:
    """Every row of the apps the API writes to, to show a refused request saved nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def _with_stray(body: dict, label: str) -> tuple[dict, object]:
    """The body with a stray key, at the nesting level the row is about; and the error expected."""
    message = ["حقل غير معروف."]
    if label.endswith("nested location"):
        return {"location": {**body["location"], STRAY: 1}}, {"location": {STRAY: message}}
    if label.endswith("nested item"):
        item = {**body["preferences"][0], STRAY: 1}
        return {"preferences": [item]}, {"preferences": {"0": {STRAY: message}}}
    return {**body, STRAY: "blue"}, {STRAY: message}


@pytest.mark.parametrize(("label", "who", "method", "path", "body"), WRITES, ids=[row[0] for row in WRITES])
def test_an_unknown_field_is_refused_and_nothing_is_saved(world, api, label, who, method, path, body):
    if label == "match cancel":
        type(world.invited).objects.filter(pk=world.invited.pk).update(status="confirmed")
    client = api(getattr(world, who) if who else None)
    url, good = path(world), body(world)
    bad, expected = _with_stray(good, label)
    before = _everything()

    response = getattr(client, method)(url, bad, format="json", HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 400, response.content
    errors = response.json()
    for key, value in expected.items():
        assert errors[key] == value
    assert _everything() == before

    answer = getattr(client, method)(url, good, format="json")
    assert 200 <= answer.status_code < 300, answer.content


def test_the_message_follows_the_language(world, api):
    response = api(world.volunteer).patch("/api/v1/me/profile/", {STRAY: 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {STRAY: ["Unknown field."]}


def test_unknown_fields_are_reported_with_the_other_errors(world, api):
    response = api(world.volunteer).post("/api/v1/me/availability/", {STRAY: 1}, format="json")
    assert response.status_code == 400
    assert {STRAY, "start", "end"} <= set(response.json())


def test_a_report_is_json_and_its_photos_follow_as_multipart(db, api):
    """One content type per operation: a multipart report is refused whole, and its
    photos go to the report's own upload operation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.models import Report
    from cases.tests.conftest import jpeg_with_gps

    body = {"description": "A family needs blankets.", "region": "EG-C", "consent": True, "photos": []}
    refused = api().post("/api/v1/reports/", {**body, "consent": "true"}, format="multipart")
    assert refused.status_code == 415
    assert Report.objects.count() == 0

    created = api().post("/api/v1/reports/", body, format="json")
    assert created.status_code == 201, created.content
    code = created.json()["tracking_code"]
    uploaded = api().post(
        f"/api/v1/reports/{code}/photos/",
        {"photos": [SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")]},
        format="multipart",
    )
    assert uploaded.status_code == 200, uploaded.content
    assert Report.objects.get().photos.count() == 1


def _request_serializers():
    """Every serializer that reads a request body, nested ones included."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    endpoints = generator._get_paths_and_endpoints()
    assert len(endpoints) > 30
    for path, _pattern, method, view in endpoints:
        if method not in ("POST", "PUT", "PATCH"):
            continue
        found = view.schema.get_request_serializer()
        for one in found.values() if isinstance(found, dict) else [found]:
            if isinstance(one, type) and issubclass(one, serializers.BaseSerializer):
                one = one()
            if isinstance(one, serializers.BaseSerializer):
                yield f"{method} {path}", one


def _all_nested(serializer):
    serializer = getattr(serializer, "child", serializer)
    yield serializer
    for field in serializer.fields.values():
        if isinstance(field, serializers.BaseSerializer) and not field.read_only:
            yield from _all_nested(field)


def test_every_request_serializer_refuses_unknown_fields(db):
    seen = {type(s).__name__ for _where, top in _request_serializers() for s in _all_nested(top)}
    assert {"ProfileInputSerializer", "LocationSerializer", "PreferenceSerializer", "NeedSerializer"} <= seen
    loose = [
        f"{where}: {type(s).__name__}"
        for where, top in _request_serializers()
        for s in _all_nested(top)
        if not isinstance(s, StrictInputMixin)
    ]
    assert loose == []
