"""The impact pages and API over HTTP: who may see what, the hand-computed figures,
bad input with its clear error, and the same few queries however much data."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from attendance import services as attendance
from attendance.tests.factories import confirmed_match
from impact import services
from matching.tests.factories import local, make_need, make_volunteer

pytestmark = pytest.mark.django_db
PERIOD = "from=2026-09&to=2026-10"


@pytest.fixture
def refreshed(world):
    services.impact_refresh_dirty()
    return world


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Periods are checked against today: the world is in autumn 2026."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2026, 11, 30))


def _web(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="ar")
    if user is not None:
        client.force_authenticate(user)
    return client


def _more_data(world, count: int) -> None:
    """More needs, volunteers and attendance for the charity, then a refresh."""
    for index in range(count):
        need = make_need(charity=world.charity, starts=local(f"2026-09-{10 + index}", "10:00"), volunteers_needed=1)
        match = confirmed_match(need, make_volunteer(f"extra{index}", slots=[]))
        attendance.attendance_mark(match=match, user=world.owner, status="attended", now=need.ends_at)
    services.impact_refresh_dirty()


# --- The charity's page ---------------------------------------------------------------------------


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_staff_page_shows_the_figures_in_arabic_digits_with_tables(refreshed):
    page = _web(refreshed.owner).get(f"/ar/charities/{refreshed.charity.pk}/impact/?{PERIOD}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "٣٦٠" not in html  # minutes are never shown as such
    assert "<svg" in html and "<table" in html and 'role="img"' in html
    assert "٦" in html  # six hours, in Arabic-Indic digits
    assert "٨٠٪" in html  # 4 of 5 places filled


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_english_page_keeps_western_digits(refreshed):
    html = _web(refreshed.owner).get(f"/en/charities/{refreshed.charity.pk}/impact/?{PERIOD}").content.decode()
    assert "80%" in html and "Hours given per month" in html


@pytest.mark.parametrize("who", ["other", "volunteer", "anonymous"])
def test_others_never_see_a_charitys_impact(refreshed, other_charity_staff, volunteer, who):
    user = {"other": other_charity_staff, "volunteer": volunteer, "anonymous": None}[who]
    response = _web(user).get(f"/ar/charities/{refreshed.charity.pk}/impact/")
    assert response.status_code == (302 if user is None else 404)
    assert _api(user).get(f"/api/v1/charities/{refreshed.charity.pk}/impact/").status_code in (
        (401, 403) if user is None else (404,)
    )


def test_a_bad_period_shows_every_error_on_the_form(refreshed):
    page = _web(refreshed.owner).get(f"/en/charities/{refreshed.charity.pk}/impact/?from=March&to=2099-01")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter the month as YYYY-MM" in html and "cannot be in the future" in html
    reversed_period = _web(refreshed.owner).get(f"/en/charities/{refreshed.charity.pk}/impact/?from=2026-10&to=2026-09")
    assert "must start before it ends" in reversed_period.content.decode()


def test_the_page_runs_the_same_queries_with_more_data(refreshed, django_assert_max_num_queries):
    client = _web(refreshed.owner)
    url = f"/ar/charities/{refreshed.charity.pk}/impact/?{PERIOD}"
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    _more_data(refreshed, 6)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


# --- Files ----------------------------------------------------------------------------------------


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_csv_has_one_row_per_month(refreshed):
    response = _web(refreshed.owner).get(f"/en/charities/{refreshed.charity.pk}/impact.csv?{PERIOD}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert (
        lines[0].startswith("Month,Hours")
        and lines[1] == "2026-09,3.0,2,2,1,3,3"
        and lines[2].startswith("2026-10,3.0,1")
    )


def test_a_csv_with_a_bad_month_is_a_translated_400(refreshed):
    response = _web(refreshed.owner).get(f"/ar/charities/{refreshed.charity.pk}/impact.csv?from=abc")
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode() and "أدخل" in response.content.decode()


def test_the_pdf_is_one_page(refreshed):
    response = _web(refreshed.owner).get(f"/ar/charities/{refreshed.charity.pk}/impact.pdf?{PERIOD}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page>") <= 1 or (
        response.content.count(b"/Count 1") >= 1
    )


# --- The API --------------------------------------------------------------------------------------


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_api_gives_the_hand_computed_figures(refreshed):
    body = _api(refreshed.owner).get(f"/api/v1/charities/{refreshed.charity.pk}/impact/?{PERIOD}").json()
    assert body["period"] == {"start": "2026-09", "end": "2026-10"}
    assert [row["minutes"] for row in body["months"]] == [180, 180]
    assert [row["volunteers"] for row in body["months"]] == [2, 1]
    assert body["filled_share"] == 0.8 and body["no_show_share"] == 0.25
    assert body["median_review_hours"] == pytest.approx(4) and body["median_fill_hours"] == pytest.approx(36)
    assert body["totals"]["cases_resolved"] == 1


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("from=2026-09&to=2027-01", "to", "المستقبل"),
        ("from=2026-10&to=2026-09", "from", "قبل"),
        ("from=yesterday", "from", "YYYY-MM"),
        ("case=abc", "case", "رقم"),
    ],
)
def test_the_api_refuses_bad_periods_with_a_translated_400(refreshed, query, field, words):
    response = _api(refreshed.owner).get(f"/api/v1/charities/{refreshed.charity.pk}/impact/?{query}")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_another_charitys_case_is_404(refreshed):
    other_case = make_need(charity=refreshed.other).case_id
    response = _api(refreshed.owner).get(f"/api/v1/charities/{refreshed.charity.pk}/impact/?case={other_case}")
    assert response.status_code == 404


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_api_runs_the_same_queries_with_more_data(refreshed, django_assert_max_num_queries):
    client, url = _api(refreshed.owner), f"/api/v1/charities/{refreshed.charity.pk}/impact/?{PERIOD}"
    with django_assert_max_num_queries(8):
        client.get(url)
    _more_data(refreshed, 6)
    with django_assert_max_num_queries(8):
        assert client.get(url).json()["months"][0]["minutes"] == 180 + 6 * 120


# --- Public ---------------------------------------------------------------------------------------


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_stats_are_anonymous_cacheable_and_constant(refreshed, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = _api().get("/api/v1/stats/")
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    body = response.json()
    assert body["minutes"] == 600 and body["volunteers"] == 3 and len(body["regions"]) == 40
    _more_data(refreshed, 4)
    with django_assert_max_num_queries(3):
        assert _api().get("/api/v1/stats/").json()["minutes"] == 600 + 4 * 120
    assert _api().post("/api/v1/stats/").status_code == 405


def test_the_platform_page_has_the_map_and_its_table(refreshed, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        html = _web().get("/ar/impact/").content.decode()
    assert 'class="vb-map"' in html and "القاهرة" in html and "الإسكندرية" in html
    assert html.count("<svg") >= 3


@pytest.mark.postgres  # rollups are computed by PostgreSQL (impact.selectors.rollups_computed)
def test_the_share_page_has_open_graph_headline_figures(refreshed):
    html = _web().get(f"/en/impact/c/{refreshed.charity.pk}/").content.decode()
    assert 'property="og:description"' in html and "hours given: 6 · volunteers: 2 · cases resolved: 1" in html


def test_the_public_profile_shows_the_headline(refreshed):
    html = _web().get(f"/ar/charities/{refreshed.charity.pk}/").content.decode()
    assert "ساعات التطوع" in html or "٦" in html


def test_a_pending_charity_has_no_share_page(refreshed):
    refreshed.charity.status = "pending"
    refreshed.charity.save(update_fields=["status"])
    assert _web().get(f"/en/impact/c/{refreshed.charity.pk}/").status_code == 404


# --- Moderators -----------------------------------------------------------------------------------


def test_moderators_see_the_queue_figures_and_nobody_else(refreshed, moderator_with_permission, charity_owner):
    services.impact_rebuild()
    page = _web(moderator_with_permission).get("/en/moderation/impact/")
    assert page.status_code == 200 and "Reports waiting at the end of each day" in page.content.decode()
    assert _web(charity_owner).get("/en/moderation/impact/").status_code == 404
