"""Every denormalised copy of docs/denormalised.md: change the original, check the copy.

Copies whose keeper is tested next to it are named in the document with their
test; the ones below had no test, or are kept by the rule "the original never
changes" (then the test shows that no path changes it)."""

import datetime as dt

import pytest

from cases import services as case_services
from cases.models import Case, Need
from cases.tests.factories import CaseFactory
from core.models import ActivityType, Region, Skill
from matching import services
from matching.models import Match
from matching.tests.factories import SAT, make_charity, make_need, make_volunteer, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_the_dates(monkeypatch):
    now = dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    monkeypatch.setattr("volunteers.services.timezone.now", lambda: now)


def test_case_search_text_follows_the_title_and_story(charity_owner, verified_charity):
    case = CaseFactory(charity=verified_charity)
    case_services.case_edit(case=case, user=charity_owner, title="قافلة الشتاء", story="بطاطين للأسر")
    case.refresh_from_db()
    assert "الشتاء" in case.search_text and "بطاطين" in case.search_text


def test_case_public_point_follows_the_exact_point(charity_owner, verified_charity):
    case = CaseFactory(charity=verified_charity)
    case_services.case_edit(case=case, user=charity_owner, latitude=30.05, longitude=31.25)
    case.refresh_from_db()
    first = (case.public_latitude, case.public_longitude)
    assert abs(first[0] - 30.05) < 0.05 and abs(first[1] - 31.25) < 0.05
    case_services.case_edit(case=case, user=charity_owner, latitude=24.7, longitude=46.7)
    case.refresh_from_db()
    assert abs(case.public_latitude - 24.7) < 0.05 and abs(case.public_longitude - 46.7) < 0.05


def test_need_region_copies_a_case_region_no_path_changes(admin_client, charity_owner):
    need = make_need(charity=make_charity(charity_owner))
    case = need.case
    assert "region" not in case_services.case_edit.__kwdefaults__
    page = admin_client.get(f"/en/admin/cases/case/{case.pk}/change/").content.decode()
    assert 'name="region"' not in page
    assert Need.objects.get(pk=need.pk).region_id == Case.objects.get(pk=case.pk).region_id


def test_a_region_time_zone_and_a_bit_position_are_read_only(admin_client):
    region = Region.objects.get(code="EG-C")
    data = {
        "code": "XX",
        "country": "SA",
        "name_ar": region.name_ar,
        "name_en": "Cairo (renamed)",
        "capital_ar": region.capital_ar,
        "capital_en": region.capital_en,
        "latitude": region.latitude,
        "longitude": region.longitude,
        "timezone": "Asia/Riyadh",
    }
    response = admin_client.post(f"/en/admin/core/region/{region.pk}/change/", data)
    assert response.status_code == 302  # saved: the names change, the copied facts do not
    region.refresh_from_db()
    assert (region.code, region.country, region.timezone, region.name_en) == (
        "EG-C",
        "EG",
        "Africa/Cairo",
        "Cairo (renamed)",
    )
    for model, kind in ((ActivityType, "activitytype"), (Skill, "skill")):
        item = model.objects.order_by("position").last()
        position = item.position
        data = {"slug": "renamed", "name_ar": item.name_ar, "name_en": "Renamed", "position": 0, "is_active": "on"}
        if kind == "activitytype":
            data["note"] = ""
        response = admin_client.post(f"/en/admin/core/{kind}/{item.pk}/change/", data)
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.position, item.slug, item.name_en) == (position, item.slug, "Renamed")
        assert item.slug != "renamed"


def test_a_new_activity_type_takes_the_next_free_bit(admin_client):
    last = ActivityType.objects.order_by("-position").values_list("position", flat=True).first()
    admin_client.post(
        "/en/admin/core/activitytype/add/",
        {"slug": "new_thing", "name_ar": "نشاط جديد", "name_en": "New thing", "is_active": "on"},
    )
    assert ActivityType.objects.get(slug="new_thing").position == last + 1


def test_confirmed_count_follows_the_matches(charity_owner):
    people = [make_volunteer(f"count{n}", slots=[weekly(SAT, "09:00", "13:00")]) for n in range(3)]
    need = make_need(charity=make_charity(charity_owner), volunteers_needed=3)
    services.match_propose_for_need(need_id=need.pk)

    def consistent():
        stored = Need.objects.get(pk=need.pk).volunteers_confirmed
        assert stored == Match.objects.filter(need=need, status=Match.Status.CONFIRMED).count()
        return stored

    for person in people:
        match = need.matches.get(volunteer=person)
        services.match_approve(match=match, user=charity_owner)
        services.match_accept(match=match, user=person.user)
    assert consistent() == 3
    services.match_cancel(match=need.matches.get(volunteer=people[0]), user=people[0].user)
    assert consistent() == 2
    case_services.case_status_change(case=need.case, user=charity_owner, to_status=Case.Status.CLOSED)
    assert consistent() == 0
