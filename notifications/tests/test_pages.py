import pytest

from notifications import services
from notifications.models import Channel, Kind, Notification, NotificationPreference
from notifications.tests.factories import UserFactory
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db


def _in_app(person, n=1):
    for i in range(n):
        services.notify(
            kind=Kind.MATCH_INVITED, event_key=f"e{i}", context=SAMPLES[Kind.MATCH_INVITED], recipients=[person]
        )
    return list(Notification.objects.filter(recipient=person, channel=Channel.IN_APP).order_by("id"))


@pytest.fixture
def person(client):
    person = UserFactory()
    client.force_login(person)
    return person


def test_the_bell_shows_the_unread_count_on_every_page_with_one_query(client, person, django_assert_num_queries):
    _in_app(person, 2)
    page = client.get("/ar/").content.decode()
    assert 'id="notification-bell"' in page and 'data-unread="2"' in page
    with django_assert_num_queries(4):  # session, user, the one count, and the home page's open cases
        client.get("/ar/")


def test_the_bell_is_absent_for_anonymous_visitors(client):
    assert 'id="notification-bell"' not in client.get("/ar/").content.decode()


def test_the_bell_partial_refreshes_for_htmx(client, person):
    _in_app(person)
    assert 'data-unread="1"' in client.get("/ar/notifications/bell/", HTTP_HX_REQUEST="true").content.decode()


def test_the_list_page_shows_mine_newest_first_with_constant_queries(client, person, django_assert_max_num_queries):
    _in_app(person, 3)
    _in_app(UserFactory())
    with django_assert_max_num_queries(6):
        page = client.get("/ar/notifications/")
    assert page.status_code == 200
    assert page.content.decode().count("دعوة للتطوع: توزيع سلال رمضان") == 3
    _in_app(person, 30)
    with django_assert_max_num_queries(6):
        client.get("/ar/notifications/")


def test_opening_a_notification_marks_it_read(client, person):
    (row,) = _in_app(person)
    page = client.get(f"/ar/notifications/{row.pk}/").content.decode()
    assert "تدعوك جمعية الخير إلى المساعدة" in page and "1 شعبان 1448 هـ" in page
    row.refresh_from_db()
    assert row.read_at is not None
    assert 'data-unread="' not in client.get("/ar/").content.decode()


def test_an_outsider_cannot_open_or_mark_someone_elses_notification(client, person):
    (row,) = _in_app(UserFactory())
    assert client.get(f"/ar/notifications/{row.pk}/").status_code == 404
    assert client.post(f"/ar/notifications/{row.pk}/read/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_as_read_with_htmx_returns_the_item(client, person):
    (row,) = _in_app(person)
    response = client.post(f"/ar/notifications/{row.pk}/read/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="notification-{row.pk}"' in response.content.decode()
    assert client.post(f"/ar/notifications/{row.pk}/read/").status_code == 302


def test_mark_all_read_and_wrong_methods(client, person):
    _in_app(person, 2)
    assert client.get("/ar/notifications/read-all/").status_code == 405
    assert client.post("/ar/notifications/read-all/").status_code == 302
    assert not Notification.objects.filter(channel=Channel.IN_APP, read_at__isnull=True).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for path in ("/ar/notifications/", "/ar/notifications/settings/"):
        assert "/accounts/login/" in client.get(path)["Location"]


def test_the_settings_page_saves_choices_and_quiet_hours(client, person):
    page = client.get("/ar/notifications/settings/").content.decode()
    assert "ساعات الهدوء" in page and 'name="pref:match_invited:email"' in page and "checked" in page
    response = client.post(
        "/ar/notifications/settings/",
        {
            "timezone": "Asia/Riyadh",
            "quiet_hours": "on",
            "quiet_start": "23:00",
            "quiet_end": "06:00",
            "pref:match_invited:email": "on",
            "pref:match_invited:in_app": "on",
            "pref:match_invited:push": "on",
            "pref:match_invited:whatsapp": "on",
        },
    )
    assert response.status_code == 302
    off = set(NotificationPreference.objects.filter(user=person, enabled=False).values_list("kind", "channel"))
    assert ("case_update", "email") in off and ("match_invited", "email") not in off
    assert not NotificationPreference.objects.filter(kind="match_invited").exists(), "untouched kinds keep defaults"
    assert str(person.notification_settings.timezone) == "Asia/Riyadh"


def test_the_settings_page_refuses_a_bad_time_and_saves_nothing(client, person):
    response = client.post(
        "/ar/notifications/settings/", {"timezone": "Asia/Riyadh", "quiet_start": "99:99", "quiet_end": "06:00"}
    )
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not NotificationPreference.objects.exists()
