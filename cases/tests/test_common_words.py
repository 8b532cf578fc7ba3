"""A common word's newest cases are kept in order (cases/common_words.py): a search for it
reads them instead of the full-text index's bitmap of every match, and finds what the
index would have found."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from cases import common_words, search, services
from cases.models import Case, CommonWord, CommonWordCase
from cases.selectors import case_list_public, public_filter
from cases.tests.factories import CaseFactory, ReportFactory, cairo, case_admin_edit
from core.models import Region
from volunteerbank.schedule import BEAT_SCHEDULE

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WORD = "بطاطين"


@pytest.fixture
def small_bar(settings):
    """A word in 20 cases is common; its newest 30 are kept; a search ranks 10."""
    settings.SEARCH_COMMON_WORD_CASES = 20
    settings.SEARCH_COMMON_WORD_HEAD = 30
    settings.SEARCH_CANDIDATES = 10
    return settings


def _cases(charity, count: int, *, title: str = "توزيع بطاطين", region=None, **fields) -> list[Case]:
    now = timezone.now()
    cases = [
        CaseFactory(
            charity=charity,
            title=f"{title} {n}",
            story="للأسر المحتاجة",
            region=region or cairo(),
            published_at=now - dt.timedelta(minutes=n),
            **fields,
        )
        for n in range(count)
    ]
    _analyze()
    return cases


def _analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")


def _ready():
    common_words.refresh()
    common_words.refresh()


def _from_index(queryset, text: str, limit: int) -> list[int]:
    return search._ids_from_index(queryset, search._full_text(search.normalize_arabic(text)), limit, newest=True)


def _listed():
    return Case.objects.filter(public_filter(), status__in=(Case.Status.OPEN, Case.Status.IN_PROGRESS))


def test_a_word_in_many_cases_is_found_common_and_read_only_after_its_second_fill(small_bar, verified_charity):
    cases = _cases(verified_charity, 45)
    first = common_words.refresh()
    assert WORD in first["filled"] and CommonWord.objects.get(word=WORD).fills == 1
    assert common_words.newest_ids(_listed(), WORD, 10) is None  # a save in flight may be missing yet

    second = common_words.refresh()
    word = CommonWord.objects.get(word=WORD)
    assert WORD in second["filled"] and word.fills == 2 and word.cases >= 20
    newest = [case.pk for case in sorted(cases, key=lambda case: -case.pk)]
    assert word.floor == newest[29]  # the newest 30 are kept, and every newer one to come
    assert CommonWordCase.objects.filter(word=WORD).count() == 30
    assert common_words.newest_ids(_listed(), WORD, 10) == newest[:10] == _from_index(_listed(), WORD, 10)


def test_a_rare_word_or_a_query_with_operators_is_left_to_the_index(small_bar, verified_charity):
    _cases(verified_charity, 45)
    CaseFactory(charity=verified_charity, title="كرسي متحرك", story="بطاطين")
    _analyze()
    _ready()
    assert "كرسي" not in set(CommonWord.objects.values_list("word", flat=True))
    assert common_words.newest_ids(_listed(), "كرسي", 10) is None
    assert common_words.newest_ids(_listed(), "كرسي بطاطين", 10) is None
    for query in ('"توزيع بطاطين"', "بطاطين -الشتاء", "بطاطين or كرسي"):
        assert common_words.query_words(query) == [] and common_words.newest_ids(_listed(), query, 10) is None


def test_two_common_words_read_the_rarer_ones_head_and_test_the_other(small_bar, verified_charity):
    winter = _cases(verified_charity, 25, title="كسوة الشتاء")
    both = _cases(verified_charity, 25, title="بطاطين الشتاء")
    _cases(verified_charity, 25, title="بطاطين")
    _ready()
    ids = common_words.newest_ids(_listed(), "بطاطين الشتاء", 10)
    assert ids == sorted((case.pk for case in both), reverse=True)[:10]
    assert ids == _from_index(_listed(), "بطاطين الشتاء", 10)
    assert not set(ids) & {case.pk for case in winter}


def test_filters_that_let_too_few_of_the_head_through_fall_back_to_the_index(small_bar, verified_charity):
    giza = Region.objects.get(code="EG-GZ")
    old_giza = _cases(verified_charity, 5, region=giza)
    _cases(verified_charity, 60)
    _ready()
    in_giza = _listed().filter(region=giza)
    assert common_words.newest_ids(in_giza, WORD, 10) is None  # the Giza ones lie below the floor
    page = case_list_public(region="EG-GZ", q=WORD)
    assert {case.pk for case in page} == {case.pk for case in old_giza}


def test_a_case_created_edited_or_approved_follows_its_words_at_once(
    small_bar, verified_charity, charity_owner, moderator_with_permission
):
    _cases(verified_charity, 45)
    _ready()
    created = services.case_create(
        user=charity_owner, charity=verified_charity, title="بطاطين عاجلة", story="لأسرة", region=cairo()
    )
    approved = services.report_approve(
        report=ReportFactory(), moderator=moderator_with_permission, title="بطاطين لمسن", story="يعيش وحده"
    )
    ids = common_words.newest_ids(_listed(), WORD, 10)
    assert ids[:2] == [approved.pk, created.pk]

    services.case_edit(case=created, user=charity_owner, title="كسوة عاجلة")
    ids = common_words.newest_ids(_listed(), WORD, 10)
    assert created.pk not in ids and ids == _from_index(_listed(), WORD, 10)
    assert not CommonWordCase.objects.filter(case=created, word=WORD).exists()


def test_an_admin_edit_of_the_text_moves_the_case_to_its_new_words(small_bar, admin_client, verified_charity):
    cases = _cases(verified_charity, 45)
    _ready()
    case = cases[0]
    assert case_admin_edit(admin_client, case, title="كسوة الشتاء", story="ملابس").status_code == 302
    assert not CommonWordCase.objects.filter(case=case).exists()
    assert case.pk not in common_words.newest_ids(_listed(), WORD, 10)


def test_a_case_that_stops_being_listed_loses_its_rows_and_one_published_gains_them(
    small_bar, verified_charity, charity_owner
):
    cases = _cases(verified_charity, 45)
    draft = services.case_create(
        user=charity_owner, charity=verified_charity, title="بطاطين", story="x", region=cairo(), publish=False
    )
    _ready()
    assert not CommonWordCase.objects.filter(case=draft).exists()
    services.case_status_change(case=cases[0], user=charity_owner, to_status=Case.Status.RESOLVED)
    services.case_status_change(case=draft, user=charity_owner, to_status=Case.Status.OPEN)
    ids = common_words.newest_ids(_listed(), WORD, 10)
    assert ids[0] == draft.pk and cases[0].pk not in ids and ids == _from_index(_listed(), WORD, 10)
    # A search of resolved cases is not one of the lists: the index answers it.
    resolved = case_list_public(q=WORD, statuses=[Case.Status.RESOLVED])
    assert [case.pk for case in resolved] == [cases[0].pk]


def test_a_case_edited_under_the_floor_gets_no_row_and_is_still_found_through_the_index(
    small_bar, verified_charity, charity_owner
):
    oldest = CaseFactory(charity=verified_charity, title="كسوة", story="ملابس", region=cairo())
    _cases(verified_charity, 45)
    _ready()
    services.case_edit(case=oldest, user=charity_owner, title="بطاطين قديمة")
    assert not CommonWordCase.objects.filter(case=oldest).exists()
    assert oldest.pk in _from_index(_listed(), WORD, 100)


def test_the_head_is_trimmed_back_once_it_doubles_and_reads_stay_whole(small_bar, verified_charity, charity_owner):
    _cases(verified_charity, 45)
    _ready()
    for n in range(31):
        services.case_create(
            user=charity_owner, charity=verified_charity, title=f"بطاطين {n}", story="x", region=cairo()
        )
    assert CommonWordCase.objects.filter(word=WORD).count() == 61
    assert WORD in common_words.refresh()["trimmed"]
    word = CommonWord.objects.get(word=WORD)
    kept = list(CommonWordCase.objects.filter(word=WORD).order_by("-case_id").values_list("case_id", flat=True))
    assert len(kept) == 30 and word.floor == kept[-1]
    assert common_words.newest_ids(_listed(), WORD, 10) == _from_index(_listed(), WORD, 10)


def test_a_word_gone_rare_is_forgotten_with_its_rows(small_bar, verified_charity):
    _cases(verified_charity, 45)
    _ready()
    Case.objects.filter(title__startswith="توزيع").update(search_text="كسوة")
    _analyze()
    assert WORD in common_words.refresh()["forgotten"]
    assert not CommonWord.objects.filter(word=WORD).exists()
    assert not CommonWordCase.objects.filter(word=WORD).exists()


def test_a_refresh_without_statistics_forgets_nothing(small_bar, verified_charity, monkeypatch):
    _cases(verified_charity, 45)
    _ready()
    monkeypatch.setattr(common_words, "word_estimates", lambda: ({}, 0))  # statistics reset, say
    assert common_words.refresh()["forgotten"] == []
    assert CommonWordCase.objects.filter(word=WORD).count() == 30


def test_the_search_page_shows_the_same_cases_through_the_head_as_through_the_index(
    small_bar, client, verified_charity
):
    _cases(verified_charity, 45)
    CaseFactory(charity=verified_charity, title="بطاطين", story="عاجلة", urgency=3, status=Case.Status.DRAFT)
    _analyze()
    before = client.get("/api/v1/cases/", {"q": WORD}).json()
    _ready()
    after = client.get("/api/v1/cases/", {"q": WORD}).json()
    assert [case["id"] for case in after["results"]] == [case["id"] for case in before["results"]]
    assert after["count"] == before["count"] == 10


def test_a_search_in_an_unknown_region_finds_nothing_and_fails_nothing(small_bar, client, verified_charity):
    _cases(verified_charity, 45)
    for ready in (False, True):
        if ready:
            _ready()
        answer = client.get("/api/v1/cases/", {"q": WORD, "region": "XX-99"})
        assert answer.status_code == 200 and answer.json()["count"] == 0
        assert client.get("/ar/cases/", {"q": WORD, "region": "XX-99"}).status_code == 200


def test_the_refresh_runs_hourly():
    entry = BEAT_SCHEDULE["common-words-refresh"]
    assert entry["task"] == "cases.tasks.common_words_refresh_task" and entry["schedule"] == 3600.0
