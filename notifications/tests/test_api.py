import datetime as dt

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Channel, Kind, Notification, NotificationPreference, NotificationSettings
from notifications.tests.factories import UserFactory
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db

LIST = "/api/v1/me/notifications/"
PREFS = "/api/v1/me/notification-preferences/"


def _in_app(person, n=1, kind=Kind.MATCH_INVITED):
    for i in range(n):
        services.notify(kind=kind, event_key=f"e{i}", context=SAMPLES[kind], recipients=[person])
    return list(Notification.objects.filter(recipient=person, channel=Channel.IN_APP).order_by("id"))


@pytest.fixture
def person(client):
    person = UserFactory(language="ar")
    client.force_login(person)
    return person


def test_my_notifications_are_listed_newest_first_in_my_language(client, person):
    first, second = _in_app(person, 2)
    Notification.objects.filter(pk=first.pk).update(not_before=timezone.now() - dt.timedelta(hours=1))
    body = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 2 and set(body) == {"count", "next", "previous", "results"}
    assert [r["id"] for r in body["results"]] == [second.pk, first.pk]
    assert body["results"][0]["title"] == "You are invited to volunteer: توزيع سلال رمضان"
    assert body["results"][0]["url"] == "http://127.0.0.1:8000/ar/cases/12/"
    assert body["results"][0]["unread"] is True


def test_the_list_shows_nobody_elses_notifications_nor_emails(client, person):
    _in_app(UserFactory())
    _in_app(person)
    assert client.get(LIST).json()["count"] == 1


def test_a_digest_appears_only_once_its_hour_is_over(client, person):
    services.notify_digest(kind=Kind.MATCHES_DIGEST, key="need:1", context={"match_count": 2}, recipients=[person])
    assert client.get(LIST).json()["count"] == 0


def test_the_list_costs_the_same_queries_however_long(client, person, django_assert_max_num_queries):
    _in_app(person, 3)
    with django_assert_max_num_queries(4):
        client.get(LIST)
    _in_app(person, 25)
    with django_assert_max_num_queries(4):
        assert len(client.get(LIST).json()["results"]) == 20


def test_unread_filter(client, person):
    first, _second = _in_app(person, 2)
    services.notification_mark_read(notification=first)
    assert client.get(LIST + "?unread=1").json()["count"] == 1


def test_anonymous_is_refused(client):
    assert client.get(LIST).status_code in (401, 403)
    assert client.get(PREFS).status_code in (401, 403)
    assert client.post(LIST + "read-all/", content_type="application/json").status_code in (401, 403)


def test_the_wrong_method_is_refused(client, person):
    assert client.post(LIST).status_code == 405
    assert client.delete(PREFS).status_code == 405


def test_marking_one_read_is_idempotent(client, person):
    (row,) = _in_app(person)
    response = client.post(f"{LIST}{row.pk}/read/", content_type="application/json")
    assert response.status_code == 200 and response.json()["unread"] is False
    read_at = Notification.objects.get(pk=row.pk).read_at
    assert client.post(f"{LIST}{row.pk}/read/", content_type="application/json").status_code == 200
    assert Notification.objects.get(pk=row.pk).read_at == read_at


def test_an_outsider_cannot_mark_someone_elses_notification(client, person):
    (row,) = _in_app(UserFactory())
    assert client.post(f"{LIST}{row.pk}/read/", content_type="application/json").status_code == 404
    assert Notification.objects.get(pk=row.pk).read_at is None


def test_marking_all_read(client, person):
    _in_app(person, 3)
    (other,) = _in_app(UserFactory())
    assert client.post(LIST + "read-all/", content_type="application/json").json() == {"marked": 3}
    assert client.post(LIST + "read-all/", content_type="application/json").json() == {"marked": 0}
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_preferences_list_every_choosable_kind_and_channel_with_defaults(client, person):
    body = client.get(PREFS, HTTP_ACCEPT_LANGUAGE="ar").json()
    assert body["timezone"] == "Africa/Cairo"
    assert (body["quiet_hours"], body["quiet_start"], body["quiet_end"]) == (True, "22:00", "07:00")
    prefs = {(p["kind"], p["channel"]): p for p in body["preferences"]}
    assert prefs[("match_invited", "email")]["enabled"] is True
    assert prefs[("match_invited", "sms")]["enabled"] is False
    assert prefs[("match_invited", "email")]["label"] == "دعوة للتطوع"
    assert ("account_email", "email") not in prefs, "account messages cannot be turned off"


def test_patching_preferences_changes_only_what_is_sent(client, person):
    response = client.patch(
        PREFS,
        {
            "preferences": [{"kind": "case_update", "channel": "email", "enabled": False}],
            "timezone": "Asia/Riyadh",
            "quiet_start": "٢٣:٠٠",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["timezone"], body["quiet_start"], body["quiet_end"]) == ("Asia/Riyadh", "23:00", "07:00")
    assert NotificationPreference.objects.get(user=person).enabled is False
    again = client.patch(
        PREFS,
        {"preferences": [{"kind": "case_update", "channel": "email", "enabled": False}]},
        content_type="application/json",
    )
    assert again.status_code == 200 and NotificationPreference.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"preferences": [{"kind": "nonsense", "channel": "email", "enabled": False}]}, "preferences"),
        ({"preferences": [{"kind": "case_update", "channel": "pigeon", "enabled": False}]}, "preferences"),
        ({"preferences": [{"kind": "account_email", "channel": "email", "enabled": False}]}, "preferences"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"quiet_start": "25:99"}, "quiet_start"),
    ],
)
def test_bad_preferences_are_refused_naming_the_field_and_nothing_is_saved(client, person, payload, field):
    payload = {**payload, "preferences": payload.get("preferences", [])} if "preferences" in payload else payload
    response = client.patch(PREFS, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    assert field in response.json()
    assert not NotificationPreference.objects.exists()
    assert not NotificationSettings.objects.exists()


def test_the_schema_describes_the_notification_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/me/notifications/" in schema and "/api/v1/me/notification-preferences/" in schema
