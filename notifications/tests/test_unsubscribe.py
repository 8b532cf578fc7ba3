import pytest
from django.core import mail, signing

from notifications import messages, services
from notifications.models import Channel, EmailOptOut, Kind, Notification, NotificationPreference
from notifications.tests.factories import UserFactory
from notifications.tests.samples import SAMPLES

pytestmark = pytest.mark.django_db


def _link_from_email(person, kind=Kind.CASE_UPDATE) -> str:
    services.notify(kind=kind, event_key="e1", context=SAMPLES[kind], recipients=[person])
    services.notification_deliver(
        notification_id=Notification.objects.get(channel=Channel.EMAIL, recipient=person, kind=kind).pk
    )
    return mail.outbox[-1].extra_headers["List-Unsubscribe"][1:-1].replace("http://127.0.0.1:8000", "")


def test_the_link_in_an_email_asks_then_turns_that_kind_of_email_off(client):
    person = UserFactory()
    link = _link_from_email(person)
    page = client.get(link)
    assert page.status_code == 200
    assert "لن تصلك بعد الآن رسائل بريد عن: مستجدات الحالات" in page.content.decode()
    assert not NotificationPreference.objects.exists(), "opening the link (or a mail scanner) changes nothing"
    done = client.post(link)
    assert done.status_code == 200
    assert (
        NotificationPreference.objects.get(user=person, kind=Kind.CASE_UPDATE, channel=Channel.EMAIL).enabled is False
    )
    services.notify(kind=Kind.CASE_UPDATE, event_key="e2", context={}, recipients=[person])
    assert not Notification.objects.filter(event_key="e2", channel=Channel.EMAIL).exists()
    assert Notification.objects.filter(event_key="e2", channel=Channel.IN_APP).exists(), "only that email stops"


def test_the_one_click_post_from_a_mail_client_works_without_a_csrf_token(client):
    person = UserFactory()
    link = _link_from_email(person)
    csrf_client = type(client)(enforce_csrf_checks=True)
    response = csrf_client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert NotificationPreference.objects.filter(user=person, enabled=False).count() == 1


def test_unsubscribing_twice_is_harmless(client):
    person = UserFactory()
    link = _link_from_email(person)
    client.post(link)
    assert client.post(link).status_code == 200
    assert NotificationPreference.objects.filter(user=person).count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: token.replace(
            token.split(":")[0], messages.unsubscribe_token(kind="case_update", user_id=999)[:8]
        ),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_refused_with_a_clear_page_and_changes_nothing(client, tamper):
    person = UserFactory()
    token = messages.unsubscribe_token(kind=Kind.CASE_UPDATE, user_id=person.pk)
    for method in (client.get, client.post):
        response = method(f"/ar/notifications/unsubscribe/{tamper(token)}/")
        assert response.status_code == 400
        assert "رابط إلغاء الاشتراك هذا غير صالح" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_someone_elses_kind_cannot_be_reached_by_editing_the_link(client):
    person = UserFactory()
    forged = signing.dumps({"u": person.pk, "k": Kind.MATCH_INVITED}, key="guessed", salt=messages.UNSUBSCRIBE_SALT)
    assert client.post(f"/en/notifications/unsubscribe/{forged}/").status_code == 400


def test_a_reporter_without_an_account_can_unsubscribe_by_address(client):
    services.notify(
        kind=Kind.REPORT_STATUS, event_key="r1", context=SAMPLES[Kind.REPORT_STATUS], address="r@example.org"
    )
    row = Notification.objects.get()
    services.notification_deliver(notification_id=row.pk)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"][1:-1].replace("http://127.0.0.1:8000", "")
    assert client.post(link).status_code == 200
    assert EmailOptOut.objects.filter(address="r@example.org", kind=Kind.REPORT_STATUS).exists()
    assert services.notify(kind=Kind.REPORT_STATUS, event_key="r2", context={}, address="r@example.org") == []


def test_the_wrong_method_is_refused(client):
    token = messages.unsubscribe_token(kind=Kind.CASE_UPDATE, user_id=UserFactory().pk)
    assert client.put(f"/ar/notifications/unsubscribe/{token}/").status_code == 405
