"""Moderators see how long the oldest pending report has waited: on the queue page
and at GET /api/v1/moderation/reports/stats/."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import ModeratorRegion, Report
from cases.tests.conftest import PEOPLE
from cases.tests.factories import ReportFactory
from core.models import Region

pytestmark = pytest.mark.django_db

STATS = "/api/v1/moderation/reports/stats/"


def _limit_to(user, *codes):
    """Take away "everywhere" and give the moderator these regions only."""
    user.moderates_everywhere = False
    user.save(update_fields=["moderates_everywhere"])
    for code in codes:
        ModeratorRegion.objects.create(user=user, region=Region.objects.get(code=code))


@pytest.fixture
def signed_in(client, request):
    def make(person):
        client.force_login(request.getfixturevalue(person))
        return client

    return make


def _waiting(hours: int) -> Report:
    return ReportFactory(created_at=timezone.now() - dt.timedelta(hours=hours, minutes=1))


def test_the_stats_give_the_count_and_the_oldest_pending_report(api_as):
    oldest = _waiting(3)
    _waiting(1)
    ReportFactory(status=Report.Status.APPROVED, created_at=timezone.now() - dt.timedelta(days=3))
    client = api_as("moderator_with_permission")
    body = client.get(STATS, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["pending_count"] == 2
    assert dt.datetime.fromisoformat(body["oldest_pending_at"]) == oldest.created_at
    assert body["oldest_pending_age"] == "3 hours, 1 minute"
    arabic = client.get(STATS, HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["oldest_pending_age"] == "3 ساعات، دقيقة"  # not Django's "1 دقيقة"


def test_an_empty_queue_has_no_age(api_as):
    assert api_as("moderator_with_permission").get(STATS).json() == {
        "pending_count": 0,
        "oldest_pending_at": None,
        "oldest_pending_age": "",
    }


@pytest.mark.parametrize("person", [p for p in PEOPLE if p != "moderator_with_permission"] + ["moderator"])
def test_only_moderators_see_the_stats(api_as, person):
    _waiting(3)
    assert api_as(person).get(STATS).status_code in (401, 403)


def test_the_stats_refuse_other_methods(api_as):
    assert api_as("moderator_with_permission").post(STATS, {}).status_code == 405


def test_a_moderator_limited_to_regions_counts_only_theirs(api_as, moderator_with_permission):
    _limit_to(moderator_with_permission, "SA-01")
    _waiting(3)  # Cairo
    assert api_as("moderator_with_permission").get(STATS).json()["pending_count"] == 0


def test_the_stats_take_one_query_however_long_the_queue(api_as, django_assert_num_queries):
    client = api_as("moderator_with_permission")
    _waiting(2)
    client.get(STATS)  # the moderator's permissions are cached after the first request
    with django_assert_num_queries(1) as few:  # the aggregate (a global moderator reads no regions)
        client.get(STATS)
    for hours in range(30):
        _waiting(hours)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(STATS).json()["pending_count"] == 31


def test_the_queue_page_shows_how_long_the_oldest_has_waited_in_arabic(signed_in):
    _waiting(3)
    _waiting(1)
    html = signed_in("moderator_with_permission").get("/ar/moderation/").content.decode()
    assert "queue-stats" in html
    assert "أقدمها ينتظر منذ 3 ساعات" in html


def test_the_queue_page_says_nothing_of_age_when_empty(signed_in):
    html = signed_in("moderator_with_permission").get("/ar/moderation/").content.decode()
    assert "queue-stats" not in html


def test_the_queue_page_is_refused_to_non_moderators(signed_in):
    _waiting(3)
    assert signed_in("charity_owner").get("/ar/moderation/").status_code == 404
