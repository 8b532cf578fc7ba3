from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core.models import ActivityType, Region, Skill


def test_all_forty_regions_are_loaded_by_migration(db):
    assert Region.objects.filter(country="EG").count() == 27
    assert Region.objects.filter(country="SA").count() == 13
    cairo = Region.objects.get(code="EG-C")
    assert (cairo.name_ar, cairo.name_en, cairo.timezone) == ("القاهرة", "Cairo", "Africa/Cairo")
    assert Region.objects.get(code="SA-01").timezone == "Asia/Riyadh"


def test_every_region_has_both_names_coordinates_and_a_real_time_zone(db):
    for region in Region.objects.all():
        assert region.name_ar and region.name_en and region.capital_ar and region.capital_en
        assert any("\u0600" <= ch <= "\u06ff" for ch in region.name_ar), region.code
        assert 15 < region.latitude < 33 and 24 < region.longitude < 56, region.code
        ZoneInfo(region.timezone)


@pytest.mark.parametrize("model", [ActivityType, Skill])
def test_every_taxonomy_entry_has_an_arabic_and_an_english_name(db, model):
    assert model.objects.count() >= 15
    for entry in model.objects.all():
        assert entry.name_en and any("\u0600" <= ch <= "\u06ff" for ch in entry.name_ar), entry.slug


def test_names_follow_the_active_language(db):
    cairo = Region.objects.get(code="EG-C")
    with translation.override("ar"):
        assert cairo.name == "القاهرة"
    with translation.override("en"):
        assert cairo.name == "Cairo"


def test_reference_lists_answer_in_the_requested_language(client, db):
    regions = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"code": "EG-C", "name": "Cairo", "country": "EG", "timezone": "Africa/Cairo"} in regions
    activities = client.get("/api/v1/activity-types/", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert {"slug": "iftar", "name": "إفطار صائم"} in activities
    skills = client.get("/api/v1/skills/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"slug": "first_aid", "name": "First aid"} in skills


def test_reference_lists_take_a_constant_number_of_queries(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/api/v1/regions/")


def test_reference_data_is_editable_in_the_admin(admin_client):
    response = admin_client.get("/en/admin/core/region/?country=SA")
    assert response.status_code == 200
    assert "Riyadh" in response.content.decode()


def test_public_lists_carry_an_etag_and_answer_304_when_unchanged(client, db):
    first = client.get("/api/v1/activity-types/")
    assert first.has_header("ETag")
    again = client.get("/api/v1/activity-types/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
