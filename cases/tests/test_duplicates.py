"""Likely duplicates among reports, by phone, place and Arabic-normalised text."""

import pytest
from django.utils import translation

from cases import search
from cases.selectors import report_duplicates
from cases.tests.factories import CaseFactory, ReportFactory
from core.models import Region

pytestmark = pytest.mark.django_db


def _report(description, region="EG-C", **fields):
    return ReportFactory(
        description=description,
        location_text="",
        region=Region.objects.get(code=region),
        search_text=search.search_text(description),
        **fields,
    )


@pytest.mark.postgres
def test_a_reworded_report_in_the_same_region_is_found_by_trigram_similarity():
    original = _report("أسرة فقيرة في حي المطرية تحتاج بطاطين وملابس شتوية للأطفال")
    # the same family, told by someone else: other words, hamza and ta marbuta spelt differently
    reworded = _report("اسره فقيره بالمطريه محتاجه بطاطين و ملابس شتويه لأطفالها")
    unrelated = _report("مستشفى يحتاج متبرعين بالدم من فصيلة O سالب")
    found = {(d.kind, d.obj.pk) for d in report_duplicates(reworded)}
    assert ("report", original.pk) in found
    assert ("report", unrelated.pk) not in found


@pytest.mark.postgres
def test_a_similar_report_in_another_region_is_not_a_duplicate():
    _report("أسرة فقيرة في حي المطرية تحتاج بطاطين وملابس شتوية للأطفال", region="SA-01")
    reworded = _report("اسره فقيره بالمطريه محتاجه بطاطين و ملابس شتويه لأطفالها")
    assert report_duplicates(reworded) == []


@pytest.mark.postgres
def test_an_open_case_with_a_similar_story_is_suggested():
    case = CaseFactory(title="بطاطين لأسرة في المطرية", story="أسرة فقيرة تحتاج بطاطين وملابس شتوية للأطفال")
    reworded = _report("اسره فقيره محتاجه بطاطين و ملابس شتويه للاطفال في المطريه")
    assert ("case", case.pk) in {(d.kind, d.obj.pk) for d in report_duplicates(reworded)}


def test_without_postgres_word_overlap_still_finds_a_close_rewording():
    original = _report("أسرة فقيرة تحتاج بطاطين وملابس شتوية")
    reworded = _report("اسره فقيره تحتاج بطاطين وملابس")
    assert ("report", original.pk) in {(d.kind, d.obj.pk) for d in report_duplicates(reworded)}


def test_the_same_phone_is_a_likely_duplicate_whatever_the_words():
    first = _report("نص أول", contact_phone="+201001234567")
    second = _report("نص مختلف تماما", contact_phone="+201001234567")
    with translation.override("en"):
        reasons = {d.obj.pk: d.reasons for d in report_duplicates(second)}
    assert "same phone number" in reasons[first.pk]


def test_the_queue_flags_a_report_sharing_a_phone(api_as):
    first = _report("نص أول", contact_phone="+201001234567")
    _report("نص مختلف تماما", contact_phone="+201001234567")
    alone = _report("شيء آخر لا يشبه غيره")
    rows = api_as("moderator_with_permission").get("/api/v1/moderation/reports/").json()["results"]
    flags = {row["id"]: row["likely_duplicate"] for row in rows}
    assert flags[first.pk] is True and flags[alone.pk] is False


@pytest.mark.postgres
def test_the_queue_flags_a_reworded_report_on_postgres(api_as):
    original = _report("أسرة فقيرة في حي المطرية تحتاج بطاطين وملابس شتوية للأطفال")
    _report("اسره فقيره بالمطريه محتاجه بطاطين و ملابس شتويه لأطفالها")
    alone = _report("مستشفى يحتاج متبرعين بالدم من فصيلة O سالب")
    rows = api_as("moderator_with_permission").get("/api/v1/moderation/reports/").json()["results"]
    flags = {row["id"]: row["likely_duplicate"] for row in rows}
    assert flags[original.pk] is True and flags[alone.pk] is False
