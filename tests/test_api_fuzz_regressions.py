"""What the schemathesis runs (tests/test_api_fuzz.py) found, pinned down."""

import functools

from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient


@functools.cache
def _components() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def _nullable(field: dict) -> bool:
    """OpenAPI 3.1: null is a type, in `type` or as a `oneOf` choice."""
    types = field.get("type", [])
    return "null" in ([types] if isinstance(types, str) else types) or {"type": "null"} in field.get("oneOf", [])


def test_a_case_without_an_activity_type_answers_null_and_the_schema_allows_it(db, verified_charity):
    from cases.tests.factories import CaseFactory

    case = CaseFactory(charity=verified_charity, activity_type=None)
    listed = APIClient().get("/api/v1/cases/").json()["results"][0]
    assert listed["id"] == case.pk and listed["activity_type"] is None
    assert APIClient().get(f"/api/v1/cases/{case.pk}/").json()["activity_type"] is None
    for component in ("Case", "CasePrivate", "ReportModeration"):
        assert _nullable(_components()[component]["properties"]["activity_type"]), component


def test_a_public_case_answers_the_documented_public_shape(db, verified_charity):
    """The detail was documented as the private shape, whose `exact_location` a visitor never gets:
    it is the public shape, with the private fields optional."""
    from cases.tests.factories import CaseFactory

    case = CaseFactory(charity=verified_charity)
    body = APIClient().get(f"/api/v1/cases/{case.pk}/").json()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = schema["paths"]["/api/v1/cases/{id}/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert documented["schema"]["$ref"] == "#/components/schemas/CaseDetail"
    assert set(_components()["CaseDetail"]["required"]) <= set(body)
    assert not {"private_details", "exact_location", "reported_as"} & set(_components()["CaseDetail"]["required"])


def test_a_charity_without_web_pages_answers_empty_strings_the_schema_allows(db, verified_charity):
    """`""` is not a "uri": the link fields are documented as plain strings."""
    body = APIClient().get(f"/api/v1/charities/{verified_charity.pk}/").json()
    assert body["facebook_url"] == body["x_url"] == body["website"] == ""
    for name in ("facebook_url", "x_url", "website"):
        assert "format" not in _components()["Charity"]["properties"][name], name


def test_contact_emails_may_be_empty_in_the_schema():
    """A charity with no email answered `""`, which is not an "email"."""
    for component in ("CharityContact", "VolunteerContact"):
        assert "format" not in _components()[component]["properties"]["email"], component


def test_quiet_hours_are_documented_as_hours_and_minutes(db, make_user):
    """ "22:00" is not OpenAPI's "time" (which wants seconds and an offset)."""
    client = APIClient()
    client.force_authenticate(make_user())
    body = client.get("/api/v1/me/notification-preferences/").json()
    for name in ("quiet_start", "quiet_end"):
        documented = _components()["Preferences"]["properties"][name]
        assert "format" not in documented and documented["pattern"] == "^[0-9]{2}:[0-9]{2}$"
        assert len(body[name]) == 5 and body[name][2] == ":"
    answer = client.patch("/api/v1/me/notification-preferences/", {"quiet_start": "٢٣:٠٠"}, format="json")
    assert answer.status_code == 200 and answer.json()["quiet_start"] == "23:00"


def test_a_profile_without_a_gender_answers_a_blank_the_schema_allows(volunteer):
    client = APIClient()
    client.force_authenticate(volunteer)
    assert client.get("/api/v1/me/profile/").json()["gender"] == ""
    documented = _components()["Profile"]["properties"]["gender"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in documented["oneOf"]


def test_a_proposal_not_yet_reviewed_answers_null_times_the_schema_allows(db, charity_owner, verified_charity):
    """A proposed match has no review, invitation or answer yet: those times are null."""
    from django.utils import timezone

    from cases.tests.factories import CaseFactory, NeedFactory
    from matching.models import Match
    from matching.tests.factories import make_volunteer

    need = NeedFactory(case=CaseFactory(charity=verified_charity))
    Match.objects.create(
        need=need,
        volunteer=make_volunteer(),
        charity=verified_charity,
        starts_at=need.starts_at,
        ends_at=need.ends_at,
        minutes=240,
        proposed_at=timezone.now(),
    )
    client = APIClient()
    client.force_authenticate(charity_owner)
    listed = client.get(f"/api/v1/charities/{verified_charity.pk}/matches/").json()["results"][0]
    for name in ("reviewed_at", "invited_at", "expires_at", "answered_at"):
        assert listed[name] is None
        assert _nullable(_components()["Match"]["properties"][name]), name
    assert _nullable(_components()["MyMatch"]["properties"]["expires_at"])
