"""The phone team's path, proved: generate a Python client from `/api/schema/` with
openapi-python-client (pinned in requirements-dev), import every generated module, and
drive a volunteer's journey and a charity's review through it against a live server.

The generator runs once per test session into a temporary folder; nothing generated is
kept in the repository."""

import datetime as dt
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.test import Client
from django.utils import timezone

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "vbclient"


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The generated package, imported whole: {module name: module}."""
    folder = tmp_path_factory.mktemp("client")
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = folder / "schema.json"
    schema.write_text(json.dumps(response.json()), encoding="utf-8")
    subprocess.run(
        [str(GENERATOR), "generate", "--path", str(schema), "--meta", "none", "--output-path", str(folder / PACKAGE)],
        check=True,
        capture_output=True,
        cwd=folder,
        timeout=300,
    )
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        modules, failed = {}, {}
        for info in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
            try:
                modules[info.name] = importlib.import_module(info.name)
            except Exception as exc:
                failed[info.name] = repr(exc)
        yield {"modules": modules, "failed": failed}
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def test_every_generated_module_imports(generated):
    assert generated["failed"] == {}
    names = set(generated["modules"])
    assert f"{PACKAGE}.api.me.me_profile_partial_update" in names
    assert f"{PACKAGE}.api.reports.reports_photos_create" in names
    assert len(names) > 120


def test_the_schema_speaks_english_unless_asked(db, client):
    english = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="ar").json()
    arabic = client.get("/api/schema/?format=json&lang=ar").json()
    assert english["components"]["schemas"]["Error"] == arabic["components"]["schemas"]["Error"]
    assert english["info"]["title"] == "Volunteer Bank API"
    english_enum = json.dumps(english["components"]["schemas"]["MatchStatusEnum"], ensure_ascii=False)
    arabic_enum = json.dumps(arabic["components"]["schemas"]["MatchStatusEnum"], ensure_ascii=False)
    assert "declined by the volunteer" in english_enum and "declined by the volunteer" not in arabic_enum


def _sign_up(base: str, email: str) -> str:
    answer = httpx.post(
        f"{base}/_allauth/app/v1/auth/signup", json={"email": email, "password": "a long pass phrase 42"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["meta"]["session_token"]


def _need(owner_email: str):
    """A verified charity (its owner signs up by raw call first) with an open need on
    Saturday next week, 10:00–12:00 Cairo time."""
    from django.contrib.auth import get_user_model

    from cases.tests.factories import CaseFactory, NeedFactory
    from charities.models import Membership
    from charities.tests.factories import CharityFactory
    from core.models import ActivityType, Region

    cairo = Region.objects.get(code="EG-C")
    charity = CharityFactory(regions=[cairo])
    Membership.objects.create(
        charity=charity, user=get_user_model().objects.get(email=owner_email), role=Membership.Role.OWNER
    )
    today = timezone.localdate(timezone=cairo.zone)
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 7)
    starts = dt.datetime.combine(saturday, dt.time(10), tzinfo=cairo.zone)
    case = CaseFactory(charity=charity, region=cairo)
    food = ActivityType.objects.get(slug="food_baskets")
    return charity, NeedFactory(case=case, activity_type=food, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))


@pytest.mark.django_db(transaction=True)
def test_a_volunteer_and_a_charity_work_through_the_generated_client(generated, live_server):
    m = generated["modules"]
    base = live_server.url

    def api(name):
        group = name.split("_", 1)[0]
        return m[f"{PACKAGE}.api.{group}.{name}"]

    def model(name):
        return getattr(m[f"{PACKAGE}.models"], name)

    authenticated = m[f"{PACKAGE}.client"].AuthenticatedClient

    def client_for(token):
        return authenticated(base_url=base, token=token, prefix="", auth_header_name="X-Session-Token")

    volunteer = client_for(_sign_up(base, "layla@example.org"))
    owner = client_for(_sign_up(base, "owner@example.org"))
    charity, need = _need("owner@example.org")

    profile = api("me_profile_partial_update").sync_detailed(
        client=volunteer,
        body=model("PatchedProfileInputRequest")(
            display_name="ليلى",
            region="EG-C",
            activity_types=["food_baskets"],
            location=model("LocationRequest")(lat=30.0444, lon=31.2357),
            birth_date=None,
        ),
    )
    assert profile.status_code == 200, profile.content
    assert profile.parsed.location.lat == pytest.approx(30.0444)
    assert profile.parsed.birth_date is None

    slot = api("me_availability_create").sync_detailed(
        client=volunteer, body=model("SlotInputRequest")(weekday=5, start="09:00", end="13:00")
    )
    assert slot.status_code == 201, slot.content
    assert slot.parsed.weekday == 5
    listed = api("me_availability_list").sync(client=volunteer)
    assert [s.start for s in listed.results] == ["09:00"]

    offered = api("needs_offer_create").sync_detailed(client=volunteer, id=need.pk)
    assert offered.status_code == 201, offered.content

    proposals = api("charities_matches_list").sync(client=owner, id=charity.pk, status="proposed")
    (match,) = proposals.results
    assert match.status.value == "proposed" and match.source.value == "offer"
    assert match.volunteer.contact is None  # no contact before the volunteer confirms
    approved = api("matches_approve_create").sync_detailed(client=owner, id=match.id)
    assert approved.status_code == 200, approved.content
    assert approved.parsed.status.value == "invited"

    invitations = api("me_matches_list").sync(client=volunteer)
    assert [i.status.value for i in invitations.results] == ["invited"]
    accepted = api("matches_accept_create").sync_detailed(client=volunteer, id=match.id)
    assert accepted.status_code == 200, accepted.content
    assert accepted.parsed.status.value == "confirmed"
    assert accepted.parsed.need.case.id == need.case_id

    confirmed = api("charities_matches_list").sync(client=owner, id=charity.pk, status="confirmed")
    assert confirmed.results[0].volunteer.contact.email == "layla@example.org"

    preferences = api("me_notification_preferences_partial_update").sync_detailed(
        client=volunteer,
        body=model("PatchedPreferencesRequest")(
            quiet_hours=True,
            preferences=[
                model("PreferenceRequest")(
                    kind=model("KindEnum")("case_update"), channel=model("ChannelEnum")("email"), enabled=False
                )
            ],
        ),
    )
    assert preferences.status_code == 200, preferences.content

    export = api("me_export_retrieve").sync_detailed(client=volunteer)
    assert export.status_code == 200, export.content
    assert export.parsed.account["email"] == "layla@example.org"
    assert export.parsed.availability[0]["start"] == "09:00"

    missing = api("me_profile_retrieve").sync_detailed(client=owner.with_headers({"Accept-Language": "ar"}))
    assert missing.status_code == 404
    assert missing.parsed.detail and not missing.parsed.detail.isascii()
