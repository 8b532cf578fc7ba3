"""A charity's webhooks (self-service for its owners, events routed to its own
endpoints only) and its response time on the dashboard, profile and API."""

import datetime as dt
import hashlib
import hmac
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from charities.models import Membership
from charities.tests.factories import CharityFactory
from notifications import webhooks
from notifications.models import Kind, WebhookDelivery, WebhookEndpoint
from notifications.services import notify
from notifications.tests.factories import WebhookEndpointFactory

pytestmark = pytest.mark.django_db


def _page(charity):
    return f"/ar/charities/{charity.pk}/webhooks/"


@pytest.fixture
def owner_client(client, charity_owner, verified_charity):
    client.force_login(charity_owner)
    return client


# --- Who may manage ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, verified_charity):
    assert "/accounts/login/" in client.get(_page(verified_charity))["Location"]


@pytest.mark.parametrize("who", ["other_charity_staff", "plain_user", "coordinator"])
def test_outsiders_and_coordinators_get_404_and_change_nothing(request, client, verified_charity, make_user, who):
    if who == "coordinator":
        user = make_user("coordinator@charity.example.org")
        Membership.objects.create(charity=verified_charity, user=user, role=Membership.Role.COORDINATOR)
    else:
        user = request.getfixturevalue(who)
    endpoint = WebhookEndpointFactory(charity=verified_charity)
    client.force_login(user)
    assert client.get(_page(verified_charity)).status_code == 404
    assert client.post(_page(verified_charity), {"url": "https://evil.example.org/"}).status_code == 404
    for action in ("rotate", "pause", "delete"):
        assert client.post(f"{_page(verified_charity)}{endpoint.pk}/{action}/").status_code == 404
    assert WebhookEndpoint.objects.get() == endpoint and endpoint.secret == WebhookEndpoint.objects.get().secret


def test_another_charitys_endpoint_is_404_even_for_an_owner(owner_client, verified_charity):
    theirs = WebhookEndpointFactory()
    assert owner_client.post(f"{_page(verified_charity)}{theirs.pk}/delete/").status_code == 404
    assert WebhookEndpoint.objects.filter(pk=theirs.pk).exists()


def test_actions_need_post(owner_client, verified_charity):
    endpoint = WebhookEndpointFactory(charity=verified_charity)
    assert owner_client.get(f"{_page(verified_charity)}{endpoint.pk}/delete/").status_code == 405


# --- Adding, the secret once, rotating, pausing, deleting -----------------------------------------


def test_the_owner_adds_an_endpoint_and_sees_its_secret_once(owner_client, verified_charity, charity_owner):
    response = owner_client.post(
        _page(verified_charity), {"url": "https://hooks.resala.example.org/vb", "kinds": ["matches_digest"]}
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.charity, endpoint.owner, endpoint.kinds) == (verified_charity, charity_owner, ["matches_digest"])
    first = owner_client.get(_page(verified_charity)).content.decode()
    assert endpoint.secret in first and "hooks.resala.example.org" in first
    second = owner_client.get(_page(verified_charity)).content.decode()
    assert endpoint.secret not in second and "hooks.resala.example.org" in second


@pytest.mark.parametrize(
    "url",
    ["", "not a url", "ftp://hooks.example.org/", "http://hooks.example.org/x", "javascript:alert(1)"],
)
def test_a_bad_address_shows_an_error_and_saves_nothing(owner_client, verified_charity, url):
    response = owner_client.post(_page(verified_charity), {"url": url})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_kind_is_refused(owner_client, verified_charity):
    response = owner_client.post(_page(verified_charity), {"url": "https://h.example.org/", "kinds": ["account_email"]})
    assert response.status_code == 200 and not WebhookEndpoint.objects.exists()


def test_plain_http_and_internal_hosts_only_for_the_allow_list_whatever_debug_says(settings):
    from core.errors import InvalidInput

    settings.DEBUG, settings.WEBHOOK_ALLOWED_HOSTS = True, ["localhost"]
    assert webhooks.webhook_url_clean("http://localhost:8000/hook") == "http://localhost:8000/hook"
    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(InvalidInput):
        webhooks.webhook_url_clean("http://localhost:8000/hook")
    internals = ("https://localhost/hook", "https://10.0.0.5/hook", "https://169.254.169.254/x", "https://[::1]/")
    internals += ("https://[fd00::1]/", "https://[::ffff:10.0.0.1]/", "https://0.0.0.0/")
    for internal in internals:
        with pytest.raises(InvalidInput):
            webhooks.webhook_url_clean(internal)
    assert webhooks.webhook_url_clean("https://hooks.example.org/in") == "https://hooks.example.org/in"


def test_rotating_shows_the_new_secret_once_and_the_old_one_stops(owner_client, verified_charity):
    endpoint = WebhookEndpointFactory(charity=verified_charity)
    old = endpoint.secret
    assert owner_client.post(f"{_page(verified_charity)}{endpoint.pk}/rotate/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in owner_client.get(_page(verified_charity)).content.decode()
    assert endpoint.secret not in owner_client.get(_page(verified_charity)).content.decode()


def test_pausing_stops_new_events_and_deleting_removes_the_endpoint(owner_client, verified_charity):
    endpoint = WebhookEndpointFactory(charity=verified_charity)
    owner_client.post(f"{_page(verified_charity)}{endpoint.pk}/pause/")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert (
        webhooks.webhook_event_record(charity_id=verified_charity.pk, kind="case_update", event_key="k", payload={})
        == []
    )
    owner_client.post(f"{_page(verified_charity)}{endpoint.pk}/resume/")
    endpoint.refresh_from_db()
    assert endpoint.is_active
    owner_client.post(f"{_page(verified_charity)}{endpoint.pk}/delete/")
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_shows_status_attempts_error_and_event_id(
    owner_client, verified_charity, django_assert_max_num_queries
):
    endpoint = WebhookEndpointFactory(charity=verified_charity)
    for n in range(5):
        webhooks.webhook_event_record(charity_id=verified_charity.pk, kind="case_update", event_key=f"{n}", payload={})
    WebhookDelivery.objects.update(status=WebhookDelivery.Status.FAILED, attempts=5, last_error="HTTP 503")
    theirs = WebhookEndpointFactory()
    webhooks.webhook_event_record(charity_id=theirs.charity_id, kind="case_update", event_key="x", payload={})
    with django_assert_max_num_queries(12):
        page = owner_client.get(_page(verified_charity)).content.decode()
    for delivery in endpoint.deliveries.all():
        assert str(delivery.event_id) in page
    assert "HTTP 503" in page
    assert str(theirs.deliveries.get().event_id) not in page


# --- Routing --------------------------------------------------------------------------------------


def test_charity_a_s_event_never_reaches_charity_b(verified_charity, django_capture_on_commit_callbacks):
    mine = WebhookEndpointFactory(charity=verified_charity)
    theirs = WebhookEndpointFactory(charity=CharityFactory())
    with django_capture_on_commit_callbacks() as callbacks:
        notify(
            kind=Kind.MATCH_CONFIRMED,
            event_key="match:1:confirmed",
            context={"need_title": "توزيع"},
            recipients=[],
            charity_id=verified_charity.pk,
        )
    assert list(WebhookDelivery.objects.values_list("endpoint_id", flat=True)) == [mine.pk]
    assert not theirs.deliveries.exists()
    assert len(callbacks) == 1


def test_a_case_update_goes_to_its_charitys_endpoint(verified_charity, charity_owner):
    from cases.services.updates import case_update_post
    from cases.tests.factories import CaseFactory

    mine = WebhookEndpointFactory(charity=verified_charity, kinds=["case_update"])
    theirs = WebhookEndpointFactory(charity=CharityFactory())
    case = CaseFactory(charity=verified_charity, status="open")
    case_update_post(case=case, user=charity_owner, text="وصلت السلال")
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.endpoint == mine and delivery.payload["case_id"] == case.pk
    assert not theirs.deliveries.exists()


def test_a_digest_webhook_waits_for_its_hour_and_carries_the_latest_count(verified_charity):
    from notifications.services import digest_release, notify_digest

    WebhookEndpointFactory(charity=verified_charity)
    for count in (1, 2, 3):
        notify_digest(
            kind=Kind.MATCHES_DIGEST,
            key="need:7:proposals",
            context={"match_count": count},
            charity_id=verified_charity.pk,
        )
    assert not WebhookDelivery.objects.exists(), "nothing before the hour ends"
    digest_release(now=timezone.now() + dt.timedelta(hours=1))
    (delivery,) = WebhookDelivery.objects.all()
    assert delivery.payload == {"match_count": 3}
    digest_release(now=timezone.now() + dt.timedelta(hours=2))
    assert WebhookDelivery.objects.count() == 1, "once"


def test_the_signature_is_verifiable_with_the_shared_secret(verified_charity, settings):
    from notifications.tests.hookserver import HookServer

    server = HookServer(200)
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    try:
        endpoint = webhooks.webhook_endpoint_create(charity_id=verified_charity.pk, created_by=None, url=server.url)
        (delivery,) = webhooks.webhook_event_record(
            charity_id=verified_charity.pk, kind="match_confirmed", event_key="m:1", payload={"a": 1}
        )
        webhooks.webhook_deliver(delivery_id=delivery.pk)
    finally:
        server.close()
    ((body, headers),) = [(call["body"], call["headers"]) for call in server.calls]
    expected = hmac.new(endpoint.secret.encode(), headers["X-VB-Timestamp"].encode() + b"." + body, hashlib.sha256)
    assert hmac.compare_digest(headers["X-VB-Signature"], f"sha256={expected.hexdigest()}")
    assert json.loads(body)["id"] == headers["X-VB-Event-Id"] == str(delivery.event_id)


def test_existing_endpoints_move_to_the_charity_their_configurer_owns(verified_charity, charity_owner, plain_user):
    """The data migration's rule, run on rows shaped like the old ones."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("notifications.migrations.0003_webhook_endpoint_charity")
    owned = WebhookEndpointFactory(charity=None, owner=charity_owner)
    orphan = WebhookEndpointFactory(charity=None, owner=plain_user)
    migration.endpoints_to_charities(apps, None)
    owned.refresh_from_db()
    orphan.refresh_from_db()
    assert owned.charity == verified_charity and owned.is_active
    assert orphan.charity is None and not orphan.is_active


# --- Response time shown --------------------------------------------------------------------------


def test_the_dashboard_shows_the_median_or_says_there_are_not_enough_matches(owner_client, verified_charity):
    page = owner_client.get(f"/ar/dashboard/?charity={verified_charity.pk}").content.decode()
    assert "لا توجد مطابقات كافية بعد" in page
    assert f"/charities/{verified_charity.pk}/webhooks/" in page
    verified_charity.median_review_hours, verified_charity.review_sample_size = 4.5, 12
    verified_charity.save()
    page = owner_client.get(f"/ar/dashboard/?charity={verified_charity.pk}").content.decode()
    assert "تراجع المتطوعين عادةً خلال 5 ساعات" in page and "12" in page


def test_coordinators_do_not_see_the_webhooks_link(client, verified_charity, make_user):
    user = make_user("coordinator@charity.example.org")
    Membership.objects.create(charity=verified_charity, user=user, role=Membership.Role.COORDINATOR)
    client.force_login(user)
    page = client.get(f"/ar/dashboard/?charity={verified_charity.pk}").content.decode()
    assert "لا توجد مطابقات كافية بعد" in page and "/webhooks/" not in page


def test_the_public_profile_shows_the_median_beside_the_badge_only_when_known(client, verified_charity):
    page = client.get(f"/ar/charities/{verified_charity.pk}/").content.decode()
    assert "review-time" not in page
    verified_charity.median_review_hours = 30
    verified_charity.save()
    page = client.get(f"/en/charities/{verified_charity.pk}/").content.decode()
    assert "Usually reviews volunteers within 30 hours" in page


def test_the_api_gives_the_median_as_a_nullable_number_in_constant_queries(db, django_assert_max_num_queries):
    CharityFactory.create_batch(3)
    CharityFactory(median_review_hours=2.5, review_sample_size=9)
    with django_assert_max_num_queries(4):
        rows = APIClient().get("/api/v1/charities/").json()["results"]
    assert sorted((r["median_review_hours"] for r in rows), key=lambda v: v or 0) == [None, None, None, 2.5]
    CharityFactory.create_batch(20)
    with django_assert_max_num_queries(4):
        APIClient().get("/api/v1/charities/?page_size=50")
    known = next(r for r in rows if r["median_review_hours"])
    assert APIClient().get(f"/api/v1/charities/{known['id']}/").json()["median_review_hours"] == 2.5
