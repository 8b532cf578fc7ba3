"""Public pages cost the same however many cases there are: each list query reads its page
from an index (not the table), counts stop at a cap, search ranks a bounded candidate set,
and the case and charity pages run a constant number of queries."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import common_words, search
from cases.models import Case, CasePhoto, CaseUpdate
from cases.tests.factories import CaseFactory, NeedFactory, cairo
from charities.tests.factories import CharityFactory
from core.models import Skill

pytestmark = pytest.mark.django_db

MANY = 8000


def _bulk_cases(charity, count: int, *, title: str = "أسرة تحتاج إلى مساعدة", story: str = "سلال غذائية") -> None:
    now = timezone.now()
    region = cairo()
    Case.objects.bulk_create(
        Case(
            charity=charity,
            title=f"{title} {n}",
            story=story,
            region=region,
            status=Case.Status.OPEN,
            published_at=now - dt.timedelta(minutes=n),
            urgency=1 + n % 3,
            search_text=search.search_text(f"{title} {n}", story),
        )
        for n in range(count)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
        cursor.execute("ANALYZE cases_need")


def _rows_read(node: dict, table: str) -> int:
    """Rows a plan took from `table` (returned and thrown away), over all its loops."""
    rows = 0
    if node.get("Relation Name") == table:
        loops = node.get("Actual Loops", 1)
        kept = node.get("Actual Rows", 0)
        dropped = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
        rows += (kept + dropped) * loops
    return rows + sum(_rows_read(child, table) for child in node.get("Plans", []))


def _case_rows_per_query(client, path: str) -> list[tuple[int, str]]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    read = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if "cases_case" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            (plan,) = cursor.fetchone()
            plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
            read.append((_rows_read(plan, "cases_case"), sql[:120]))
    return read


@pytest.mark.postgres
@pytest.mark.parametrize(
    "path",
    ["/ar/", "/ar/cases/", "/ar/cases/?region=EG-C", "/ar/cases/?page=3", "/api/v1/cases/", "/en/charities/{charity}/"],
)
def test_a_list_page_reads_its_page_from_the_index_not_the_whole_table(client, settings, verified_charity, path):
    settings.PUBLIC_LIST_MAX_RESULTS = 100
    _bulk_cases(verified_charity, MANY)
    for query_rows, sql in _case_rows_per_query(client, path.format(charity=verified_charity.pk)):
        # A page of 12 or 20 (after skipping two), and the capped count: 101 index entries.
        assert query_rows <= 150, f"{query_rows} of {MANY} cases read by {sql}"


@pytest.mark.postgres
def test_a_search_ranks_a_bounded_candidate_set_found_through_the_text_indexes(client, settings, verified_charity):
    settings.SEARCH_CANDIDATES = 40
    _bulk_cases(verified_charity, MANY, title="بطاطين للأسر", story="توزيع بطاطين قبل الشتاء")
    # A word in 8,000 cases is common: the hourly refresh keeps its newest cases in order.
    common_words.refresh()
    common_words.refresh()
    answer = client.get("/api/v1/cases/", {"q": "بطاطين"}).json()
    assert answer["count"] == 40
    for query_rows, sql in _case_rows_per_query(client, "/ar/cases/?q=%D8%A8%D8%B7%D8%A7%D8%B7%D9%8A%D9%86"):
        assert query_rows <= 150, f"{query_rows} of {MANY} cases read by {sql}"


@pytest.mark.postgres
def test_search_ranks_exact_words_first_then_the_list_order(api_as, verified_charity):
    typo = CaseFactory(charity=verified_charity, title="كسوه الشتا", story="ملابس", urgency=3)
    exact_old = CaseFactory(
        charity=verified_charity,
        title="كسوة الشتاء",
        story="ملابس",
        published_at=timezone.now() - dt.timedelta(days=2),
    )
    exact_new = CaseFactory(charity=verified_charity, title="كسوة الشتاء للأطفال", story="ملابس")
    CaseFactory(charity=verified_charity, title="إفطار صائم", story="وجبات")
    ids = [c["id"] for c in api_as("anonymous").get("/api/v1/cases/?q=الشتاء").json()["results"]]
    assert ids == [exact_new.pk, exact_old.pk, typo.pk]


def test_the_count_stops_at_the_cap_and_says_so(client, settings, verified_charity):
    settings.PUBLIC_LIST_MAX_RESULTS = 30
    CaseFactory.create_batch(31, charity=verified_charity)
    html = client.get("/en/cases/").content.decode()
    assert "More than 30 cases" in html
    answer = client.get("/api/v1/cases/", {"page_size": 20, "page": 2}).json()
    assert answer["count"] == 30 and answer["next"] is None and len(answer["results"]) == 10
    assert client.get("/api/v1/cases/", {"page_size": 20, "page": 3}).status_code == 404


def test_the_case_page_keeps_its_query_count_as_needs_updates_and_photos_grow(
    client, verified_charity, charity_owner, plain_user, django_assert_max_num_queries
):
    case = CaseFactory(charity=verified_charity)
    skills = list(Skill.objects.all()[:3])

    def grow(n):
        for _ in range(n):
            NeedFactory(case=case).skills.set(skills)
            update = CaseUpdate.objects.create(case=case, text="تم التوزيع")
            update.photos.create(image=SimpleUploadedFile("u.jpg", b"x"))
            CasePhoto.objects.create(case=case, image=SimpleUploadedFile("p.jpg", b"x"))

    counts = {}
    for size in (1, 10):
        grow(size)
        for who in (None, plain_user, charity_owner):
            client.logout()
            if who:
                client.force_login(who)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/ar/cases/{case.pk}/").status_code == 200
            counts.setdefault(who, []).append(len(queries))
    for who, (small, large) in counts.items():
        assert small == large, f"{who}: {small} queries with 1 need, {large} with 11"
    client.logout()
    with django_assert_max_num_queries(6):  # case, photos, needs, their skills, updates, their photos
        client.get(f"/ar/cases/{case.pk}/")


def test_the_charity_page_keeps_its_query_count_as_its_cases_grow(client, django_assert_max_num_queries):
    charity = CharityFactory()
    for case in CaseFactory.create_batch(2, charity=charity):
        NeedFactory(case=case)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/ar/charities/{charity.pk}/").status_code == 200
    for case in CaseFactory.create_batch(20, charity=charity):
        NeedFactory(case=case)
    with django_assert_max_num_queries(len(few)):
        html = client.get(f"/ar/charities/{charity.pk}/").content.decode()
    assert html.count("case-card") == 22
    assert len(few) <= 6  # the charity, its regions and activity types, its cases, their needs, its impact


def test_the_charity_page_lists_only_its_public_cases_newest_first(client):
    charity = CharityFactory()
    old = CaseFactory(charity=charity, title="قديمة", published_at=timezone.now() - dt.timedelta(days=3))
    new = CaseFactory(charity=charity, title="جديدة")
    CaseFactory(charity=charity, title="مسودة", status=Case.Status.DRAFT, published_at=None)
    CaseFactory(title="لغيرها")
    html = client.get(f"/ar/charities/{charity.pk}/").content.decode()
    assert html.index(new.title) < html.index(old.title)
    assert "مسودة" not in html and "لغيرها" not in html
