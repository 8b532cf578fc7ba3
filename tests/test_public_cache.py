"""The shared cache of public pages (core/public_cache.py): anonymous visitors read one
stored copy, the services' changes show at once, signed-in people always get fresh pages,
and nothing private or per-person is ever stored."""

import datetime as dt
import pickle

import pytest
from django.core.cache import caches
from django.utils import timezone

from cases import services
from cases.tests.factories import CaseFactory, NeedFactory
from core.models import ActivityType
from core.public_cache import HIT_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings, public_cache):
    settings.PUBLIC_CACHE_SECONDS = 300
    return public_cache


@pytest.fixture
def case(verified_charity):
    return CaseFactory(charity=verified_charity, title="بطاطين لأسر حلوان", private_details="أم أحمد 01001234567")


def _stored_pages(cache) -> list[bytes]:
    """Every page body in the (in-memory) shared cache."""
    bodies = []
    for key, value in list(cache._cache.items()):
        if ":pc:p:" in key:
            _versions, _status, _content_type, body = pickle.loads(value)  # noqa: S301 (our own test cache)
            bodies.append(body)
    return bodies


def test_an_anonymous_visitor_gets_the_stored_page_without_touching_the_database(
    client, shared, case, django_assert_num_queries
):
    first = client.get(f"/ar/cases/{case.pk}/")
    assert first[HIT_HEADER] == "miss" and not first.cookies
    with django_assert_num_queries(0):
        second = client.get(f"/ar/cases/{case.pk}/")
    assert second[HIT_HEADER] == "hit" and second.content == first.content
    assert second["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/ar/", "/ar/cases/", "/ar/cases/?q=%D8%A8%D8%B7%D8%A7%D8%B7%D9%8A%D9%86"])
def test_lists_are_shared_too_and_each_language_has_its_own_copy(client, shared, case, path):
    assert client.get(path)[HIT_HEADER] == "miss"
    assert client.get(path)[HIT_HEADER] == "hit"
    english = client.get(path.replace("/ar/", "/en/"))
    assert english[HIT_HEADER] == "miss" and 'lang="en"' in english.content.decode()


def test_a_change_through_the_services_shows_at_once(client, shared, case, charity_owner):
    page, listing = f"/ar/cases/{case.pk}/", "/ar/cases/"
    client.get(page), client.get(listing), client.get("/ar/")
    starts = timezone.now() + dt.timedelta(days=2)
    services.need_create(
        case=case,
        user=charity_owner,
        activity_type=ActivityType.objects.first(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        description="توزيع البطاطين مساء الخميس",
    )
    fresh = client.get(page)
    assert fresh[HIT_HEADER] == "miss" and "توزيع البطاطين مساء الخميس" in fresh.content.decode()
    services.case_edit(case=case, user=charity_owner, title="عنوان جديد للحالة")
    assert "عنوان جديد للحالة" in client.get(listing).content.decode()
    assert "عنوان جديد للحالة" in client.get("/ar/").content.decode()
    services.case_status_change(case=case, user=charity_owner, to_status="closed")
    assert client.get(page).status_code == 404
    assert "عنوان جديد للحالة" not in client.get(listing).content.decode()


def test_the_api_list_is_shared_with_anonymous_clients_only(client, shared, case, django_assert_num_queries):
    assert client.get("/api/v1/cases/")[HIT_HEADER] == "miss"
    with django_assert_num_queries(0):
        assert client.get("/api/v1/cases/").json()["results"][0]["id"] == case.pk
    # A phone with a session token is someone: it is answered fresh, never from the store.
    answer = client.get("/api/v1/cases/", HTTP_X_SESSION_TOKEN="not-a-real-token")
    assert HIT_HEADER not in answer


def test_signed_in_people_always_get_a_fresh_page_and_never_fill_the_cache(client, shared, case, charity_owner):
    client.get(f"/ar/cases/{case.pk}/")
    client.force_login(charity_owner)
    for path in (f"/ar/cases/{case.pk}/", "/ar/cases/", "/ar/", f"/ar/charities/{case.charity_id}/"):
        answer = client.get(path)
        assert HIT_HEADER not in answer
        assert charity_owner.email in answer.content.decode()
    assert "01001234567" in client.get(f"/ar/cases/{case.pk}/").content.decode()
    assert len(_stored_pages(shared)) == 1  # the anonymous visitor's page only


def test_a_visitor_with_a_message_waiting_is_answered_fresh(client, shared, case):
    client.get(f"/ar/cases/{case.pk}/")
    client.cookies["messages"] = "waiting"
    assert HIT_HEADER not in client.get(f"/ar/cases/{case.pk}/")


def test_nothing_private_or_per_person_ever_enters_the_shared_cache(
    client, shared, case, charity_owner, plain_user, moderator_with_permission
):
    NeedFactory(case=case, description="مساعدة في التوزيع")
    paths = [
        "/ar/",
        "/en/",
        "/ar/cases/",
        f"/ar/cases/{case.pk}/",
        f"/en/cases/{case.pk}/",
        f"/ar/charities/{case.charity_id}/",
        "/api/v1/cases/",
    ]
    people = [None, plain_user, charity_owner, moderator_with_permission, None]
    for person in people:
        client.logout()
        if person:
            client.force_login(person)
            client.post(f"/ar/cases/{case.pk}/follow/")  # leaves a message for the next page
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, path
            if person is None:
                assert not answer.cookies, f"{path} set a cookie for an anonymous visitor"
    stored = _stored_pages(shared)
    assert len(stored) == len(paths)
    forbidden = [
        b"csrfmiddlewaretoken",
        b"X-CSRFToken",
        b"sessionid",
        b"01001234567",  # private details
        *(person.email.encode() for person in people if person),
        "إدارة الحالة".encode(),  # staff controls ("Manage this case")
        b"Manage this case",
        "ستصلك تحديثات".encode(),  # the follow message
        b"You will get this case",
        b"logout",
    ]
    for body in stored:
        for secret in forbidden:
            assert secret not in body, secret


def test_the_cache_is_off_when_its_lifetime_is_zero(client, settings, case):
    settings.PUBLIC_CACHE_SECONDS = 0
    caches["public"].clear()
    client.get(f"/ar/cases/{case.pk}/")
    assert HIT_HEADER not in client.get(f"/ar/cases/{case.pk}/")
    assert _stored_pages(caches["public"]) == []


def test_a_cache_that_is_down_only_means_pages_are_rendered(client, settings, case, charity_owner):
    settings.PUBLIC_CACHE_SECONDS = 300
    settings.CACHES = {
        **settings.CACHES,
        "public": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }
    answer = client.get(f"/ar/cases/{case.pk}/")
    assert answer.status_code == 200 and HIT_HEADER not in answer
    services.case_edit(case=case, user=charity_owner, title="ما زالت تعمل")  # the bump fails quietly
    assert "ما زالت تعمل" in client.get(f"/ar/cases/{case.pk}/").content.decode()


def test_a_cancelled_day_and_an_updates_new_photos_show_at_once_on_the_case_page(
    client, shared, case, charity_owner, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from charities.tests.factories import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    page = f"/en/cases/{case.pk}/"
    series = services.series_create(
        case=case,
        user=charity_owner,
        activity_type=ActivityType.objects.first(),
        starts_at=timezone.now() + dt.timedelta(days=1),
        recurrence_rule="RRULE:FREQ=DAILY;COUNT=3",
        duration_minutes=60,
    )
    update = services.case_update_post(case=case, user=charity_owner, text="The first blankets are bought.")
    assert "cancelled" not in client.get(page).content.decode()
    assert client.get(page)[HIT_HEADER] == "hit"
    services.need_cancel(need=series.occurrences.order_by("starts_at").last(), user=charity_owner)
    assert "cancelled" in client.get(page).content.decode()
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    services.case_update_photos_add(update=update, user=charity_owner, photos=[photo])
    assert "cases/updates/" in client.get(page).content.decode()
