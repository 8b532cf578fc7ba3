"""The case cards kept as HTML (cases/cards.py, core.public_cache.fragments): a list
rendered afresh reads its stored cards instead of the rows, every change of what a card
shows through the services (or the admin) shows at once, signed-in visitors share the
cards and see fresh data, and nothing private is ever stored. The page cache is off
here, so every page is rendered and only the cards come from the cache."""

import datetime as dt
import pickle
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.tests.factories import CaseFactory, NeedFactory
from charities.models import Charity
from charities.tests.factories import CharityFactory, jpeg_with_gps
from core.models import ActivityType, Region
from core.public_cache import HIT_HEADER

pytestmark = pytest.mark.django_db
LISTS = ["/en/", "/en/cases/", "/en/cases/?q=blankets"]


@pytest.fixture
def cards(settings, public_cache):
    settings.PUBLIC_CACHE_SECONDS = 0
    settings.PUBLIC_FRAGMENT_SECONDS = 300
    return public_cache


@pytest.fixture
def case(verified_charity):
    return CaseFactory(
        charity=verified_charity,
        title="Blankets for the Nour family",
        story="Blankets for five families before the cold.",
        private_details="Umm Ahmed 01001234567",
    )


def _stored_cards(cache) -> list[str]:
    """Every card in the (in-memory) cache."""
    found = []
    for key, value in list(cache._cache.items()):
        if ":pc:f:" in key:
            _versions, html = pickle.loads(value)  # noqa: S301 (our own test cache)
            found.append(html)
    return found


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    assert answer.status_code == 200, path
    assert HIT_HEADER not in answer  # the page itself is rendered every time
    return answer.content.decode(), [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("path", ["/ar/", "/ar/cases/", "/ar/cases/?q=بطاطين", "charity"])
def test_stored_cards_spare_rows_and_need_counts_and_render_the_same(client, cards, settings, verified_charity, path):
    for n in range(3):
        NeedFactory(case=CaseFactory(charity=verified_charity, title=f"بطاطين لأسرة {n}"))
    path = f"/ar/charities/{verified_charity.pk}/" if path == "charity" else path
    settings.PUBLIC_FRAGMENT_SECONDS = 0
    _get(client, path)  # the filter's regions and activity types are then kept for a minute
    off, off_queries = _get(client, path)
    settings.PUBLIC_FRAGMENT_SECONDS = 300
    cold, cold_queries = _get(client, path)
    warm, warm_queries = _get(client, path)
    assert off == cold == warm
    assert len(_stored_cards(cards)) == 3
    assert len(cold_queries) == len(off_queries) + 1  # the ids, then the missing rows
    assert len(warm_queries) == len(off_queries) - 1  # the ids alone: no rows, no need counts
    assert not any('"cases_need"' in sql for sql in warm_queries)


def test_signed_in_visitors_share_the_cards_and_see_fresh_data(client, cards, case, plain_user, charity_owner):
    client.force_login(plain_user)
    _html, cold = _get(client, "/en/cases/")
    html, warm = _get(client, "/en/cases/")
    assert len(warm) < len(cold) and case.title in html and plain_user.email in html
    services.case_edit(case=case, user=charity_owner, title="Iftar and blankets for Helwan")
    html, _queries = _get(client, "/en/cases/")
    assert "Iftar and blankets for Helwan" in html and "Nour family" not in html
    assert plain_user.email not in "".join(_stored_cards(cards))


def _change_text(case, owner):
    services.case_edit(case=case, user=owner, title="Iftar and blankets for Helwan", story="Iftar meals every Friday.")
    return ["Iftar and blankets for Helwan", "Iftar meals every Friday."], ["Nour family", "before the cold"]


def _change_urgency(case, owner):
    services.case_edit(case=case, user=owner, urgency=3)
    return ["critical"], []


def _change_status(case, owner):
    services.case_status_change(case=case, user=owner, to_status=Case.Status.IN_PROGRESS)
    return ["in progress"], []


def _change_cover(case, owner):
    cover = SimpleUploadedFile("cover.jpg", jpeg_with_gps(), content_type="image/jpeg")
    services.case_photos_add(case=case, user=owner, cover_photo=cover)
    return ["case-cover", "cases/covers/"], []


def _add_a_need(case, owner):
    starts = timezone.now() + dt.timedelta(days=2)
    services.need_create(
        case=case,
        user=owner,
        activity_type=ActivityType.objects.first(),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    return ["1 need"], []


def _add_a_series(case, owner):
    services.series_create(
        case=case,
        user=owner,
        activity_type=ActivityType.objects.first(),
        starts_at=timezone.now() + dt.timedelta(days=1),
        recurrence_rule="RRULE:FREQ=DAILY;COUNT=3",
        duration_minutes=60,
    )
    return ["3 needs"], []


def _cancel_a_need(case, owner):
    _add_a_need(case, owner)
    _add_a_need(case, owner)
    services.need_cancel(need=case.needs.order_by("id").first(), user=owner)
    return ["1 need"], ["2 needs"]


def _hand_over(case, owner):
    from charities.models import Membership

    other = CharityFactory(name_en="Al-Orman")
    staff = Membership.objects.create(charity=other, user=owner.__class__.objects.create(email="o@x.org"), role="owner")
    handover = services.case_handover_request(case=case, charity=other, user=staff.user)
    services.case_handover_decide(handover=handover, user=owner, accept=True)
    return ["Al-Orman"], ["Resala"]


def _rename_the_charity_in_the_admin(case, owner):
    charity = Charity.objects.get(pk=case.charity_id)
    charity.name_en = "Resala Foundation"
    admin.site._registry[Charity].save_model(RequestFactory().post("/"), charity, None, True)
    return ["Resala Foundation"], []


def _rename_the_region_in_the_admin(case, owner):
    region = Region.objects.get(pk=case.region_id)
    region.name_en = "Greater Cairo"
    admin.site._registry[Region].save_model(RequestFactory().post("/"), region, None, True)
    return ["Greater Cairo"], []


def _edit_the_case_in_the_admin(case, owner):
    case.title = "Blankets, edited by the platform"
    case_admin = admin.site._registry[Case]
    case_admin.save_model(RequestFactory().post("/"), case, None, True)
    case_admin.save_related(RequestFactory().post("/"), SimpleNamespace(instance=case, save_m2m=lambda: None), [], True)
    return ["Blankets, edited by the platform"], ["Nour family"]


CHANGES = [
    _change_text,
    _change_urgency,
    _change_status,
    _change_cover,
    _add_a_need,
    _add_a_series,
    _cancel_a_need,
    _hand_over,
    _rename_the_charity_in_the_admin,
    _rename_the_region_in_the_admin,
    _edit_the_case_in_the_admin,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__.strip("_") for change in CHANGES])
def test_every_change_a_card_shows_is_seen_at_once(client, cards, case, charity_owner, change, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    charity_page = f"/en/charities/{case.charity_id}/"
    for path in [*LISTS, charity_page]:
        _get(client, path)
    assert _stored_cards(cards)
    shown, gone = change(case, charity_owner)
    for path in [*LISTS, f"/en/charities/{Case.objects.get(pk=case.pk).charity_id}/"]:
        html, _queries = _get(client, path)
        for text in shown:
            assert text in html, (path, text)
        for text in gone:
            assert text not in html, (path, text)


@pytest.mark.parametrize("fragments", [300, 0])
def test_a_card_counts_only_the_needs_still_to_come(client, cards, case, settings, fragments):
    """A weekly series' past days and a called-off day are not needs a volunteer can take."""
    settings.PUBLIC_FRAGMENT_SECONDS = fragments
    now = timezone.now()
    NeedFactory(case=case)
    NeedFactory(case=case, cancelled_at=now)
    NeedFactory(case=case, starts_at=now - dt.timedelta(days=7))
    NeedFactory(case=case, starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1))
    for path in [*LISTS, f"/en/charities/{case.charity_id}/"]:
        html, _queries = _get(client, path)
        assert "2 needs" in html and "4 needs" not in html, path


def test_a_claim_shows_the_charity_on_the_card(client, cards, verified_charity, charity_owner):
    report_case = CaseFactory(charity=None, title="Blankets for a family in Helwan")
    html, _queries = _get(client, "/en/cases/")
    assert "Waiting for a charity" in html
    services.case_claim(case=report_case, charity=verified_charity, user=charity_owner)
    html, _queries = _get(client, "/en/cases/")
    assert "Resala" in html and "Waiting for a charity" not in html


def test_a_closed_or_draft_case_never_has_a_card_and_nothing_private_is_stored(
    client, cards, case, charity_owner, moderator_with_permission
):
    draft = CaseFactory(charity=case.charity, status=Case.Status.DRAFT, title="A draft not yet public")
    for person in (None, charity_owner, moderator_with_permission):
        client.logout()
        if person:
            client.force_login(person)
        for path in [*LISTS, f"/en/charities/{case.charity_id}/"]:
            assert draft.title not in _get(client, path)[0]
    services.case_status_change(case=case, user=charity_owner, to_status=Case.Status.CLOSED)
    client.logout()
    for path in [*LISTS, f"/en/charities/{case.charity_id}/"]:
        assert case.title not in _get(client, path)[0]
    stored = "".join(_stored_cards(cards))
    assert case.title in stored  # stored while it was open, never shown again
    for secret in ["01001234567", "Umm Ahmed", draft.title, charity_owner.email, "Manage", "csrf", "form"]:
        assert secret not in stored, secret


def test_a_cache_that_is_down_only_means_cards_are_rendered(client, cards, case, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cards, "get_many", down)
    assert case.title in _get(client, "/en/cases/")[0]


def test_the_api_list_keeps_each_cases_payload_the_same_way(client, cards, settings, case, charity_owner):
    NeedFactory(case=CaseFactory(charity=case.charity, title="Blankets for the Salem family"))
    settings.PUBLIC_FRAGMENT_SECONDS = 0
    client.get("/api/v1/cases/")
    with CaptureQueriesContext(connection) as off_queries:
        off = client.get("/api/v1/cases/").json()
    settings.PUBLIC_FRAGMENT_SECONDS = 300
    cold = client.get("/api/v1/cases/").json()
    with CaptureQueriesContext(connection) as warm_queries:
        warm = client.get("/api/v1/cases/").json()
    assert off == cold == warm and off["count"] == 2
    assert len(warm_queries) == len(off_queries)  # the ids instead of the rows: no instance, no serialising
    assert not any('"cases_case"."title"' in query["sql"] for query in warm_queries.captured_queries)
    services.case_edit(case=case, user=charity_owner, title="Iftar and blankets for Helwan")
    titles = [item["title"] for item in client.get("/api/v1/cases/").json()["results"]]
    assert "Iftar and blankets for Helwan" in titles and "Blankets for the Nour family" not in titles
    payloads = [pickle.loads(value)[1] for key, value in cards._cache.items() if ":pc:f:case-api:" in key]  # noqa: S301
    assert len(payloads) == 2 and all("private_details" not in payload for payload in payloads)
    assert "01001234567" not in repr(payloads)
    services.case_status_change(case=case, user=charity_owner, to_status=Case.Status.CLOSED)
    assert case.pk not in [item["id"] for item in client.get("/api/v1/cases/").json()["results"]]
