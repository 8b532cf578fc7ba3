"""Proving a number by a one-time code (services, API and the settings page)."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notifications import phones, services
from notifications.models import Channel, Kind, Notification, PhoneVerification
from volunteers.services import profile_update
from volunteers.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START, CONFIRM = "/api/v1/me/phone-verifications/", "/api/v1/me/phone-verifications/confirm/"


@pytest.fixture
def person():
    user = UserFactory(language="ar")
    profile_update(user=user, changes={"region": "EG-C", "display_name": "Huda", "whatsapp_number": "٠١٠ ٠١٢٣ ٤٥٦٧"})
    return user


@pytest.fixture
def api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def _code(user, channel="whatsapp") -> str:
    row = Notification.objects.filter(recipient=user, kind=Kind.PHONE_CODE, channel=channel).latest("id")
    return phones.code_unseal(row.context["sealed_code"])


def _later(monkeypatch, minutes):
    moment = timezone.now() + dt.timedelta(minutes=minutes)
    monkeypatch.setattr("notifications.phones.timezone.now", lambda: moment)


def test_a_code_goes_out_on_that_channel_and_is_stored_hashed(api, person):
    response = api.post(START, {"channel": "whatsapp"}, format="json")
    assert response.status_code == 202
    assert response.json()["number"] == "+201001234567", "Arabic digits and spaces are normalised"
    assert response.json()["code_pending"] is True and response.json()["verified"] is False
    row = PhoneVerification.objects.get(user=person)
    code = _code(person)
    assert len(code) == 6 and code.isdigit()
    assert code not in row.code_hash
    outbox = Notification.objects.get(kind=Kind.PHONE_CODE)
    assert (outbox.channel, outbox.address) == (Channel.WHATSAPP, "+201001234567")
    assert code not in json.dumps(outbox.context), "the outbox carries the code sealed"


def test_the_right_code_verifies_the_number(api, person):
    api.post(START, {"channel": "whatsapp"}, format="json")
    response = api.post(CONFIRM, {"channel": "whatsapp", "code": _code(person)}, format="json")
    assert response.status_code == 200
    assert response.json()["verified"] is True
    assert phones.verified_number(user=person, channel="whatsapp") == "+201001234567"


def test_a_wrong_code_costs_a_try_and_five_use_them_up(api, person):
    api.post(START, {"channel": "whatsapp"}, format="json")
    right = _code(person)
    wrong = "000000" if right != "000000" else "111111"
    response = api.post(CONFIRM, {"channel": "whatsapp", "code": wrong}, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": ["رمز خاطئ. بقيت 4 محاولات."]}
    assert PhoneVerification.objects.get(user=person).attempts == 1
    for _ in range(4):
        response = api.post(CONFIRM, {"channel": "whatsapp", "code": wrong}, format="json")
    assert response.status_code == 409
    response = api.post(CONFIRM, {"channel": "whatsapp", "code": right}, format="json")
    assert response.status_code == 409, "even the right code is refused after five wrong ones"
    assert not phones.verified_number(user=person, channel="whatsapp")


def test_a_code_expires_after_ten_minutes(api, person, monkeypatch):
    api.post(START, {"channel": "whatsapp"}, format="json")
    code = _code(person)
    _later(monkeypatch, 11)
    response = api.post(CONFIRM, {"channel": "whatsapp", "code": code}, format="json")
    assert response.status_code == 409 and "انتهت صلاحية" in response.json()["detail"]
    assert not phones.verified_number(user=person, channel="whatsapp")


def test_asking_again_within_a_minute_is_a_409_and_later_a_new_code_replaces_the_old(api, person, monkeypatch):
    api.post(START, {"channel": "whatsapp"}, format="json")
    first = _code(person)
    assert api.post(START, {"channel": "whatsapp"}, format="json").status_code == 409
    _later(monkeypatch, 2)
    assert api.post(START, {"channel": "whatsapp"}, format="json").status_code == 202
    second = _code(person)
    if first != second:
        assert api.post(CONFIRM, {"channel": "whatsapp", "code": first}, format="json").status_code == 400
    assert api.post(CONFIRM, {"channel": "whatsapp", "code": second}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (START, {"channel": "fax"}, "channel"),
        (START, {"channel": "sms"}, "channel"),  # no SMS number on the profile
        (START, {}, "channel"),
        (CONFIRM, {"channel": "whatsapp", "code": "12ab56"}, "code"),
        (START, {"channel": "whatsapp", "number": "+201001234567"}, "number"),  # unknown key
    ],
)
def test_bad_input_names_the_field_and_sends_nothing(api, url, body, field):
    response = api.post(url, body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Notification.objects.exists()


def test_confirming_without_a_code_is_a_409(api):
    assert api.post(CONFIRM, {"channel": "whatsapp", "code": "123456"}, format="json").status_code == 409


def test_anonymous_people_are_refused(db):
    client = APIClient()
    assert client.post(START, {"channel": "whatsapp"}, format="json").status_code in (401, 403)
    assert client.post(CONFIRM, {"channel": "whatsapp", "code": "123456"}, format="json").status_code in (401, 403)
    assert not Notification.objects.exists()


def test_a_number_proved_by_someone_else_moves_to_them(person):
    other = UserFactory()
    profile_update(user=other, changes={"region": "EG-C", "display_name": "Sara", "whatsapp_number": "01001234567"})
    for user in (person, other):
        phones.phone_verification_start(user=user, channel="whatsapp")
        phones.phone_verification_confirm(user=user, channel="whatsapp", code=_code(user))
    assert phones.verified_number(user=other, channel="whatsapp") == "+201001234567"
    assert not phones.verified_number(user=person, channel="whatsapp")


def test_changing_the_number_on_the_profile_needs_a_new_proof(person):
    phones.phone_verification_start(user=person, channel="whatsapp")
    phones.phone_verification_confirm(user=person, channel="whatsapp", code=_code(person))
    profile_update(user=person, changes={"whatsapp_number": "01009998877"})
    person = type(person).objects.get(pk=person.pk)
    assert not phones.verified_number(user=person, channel="whatsapp")


def test_the_code_is_delivered_and_then_forgotten_by_the_outbox(person, settings, tmp_path):
    settings.WHATSAPP_TOKEN, settings.SMS_LOG_PATH = "", tmp_path / "sms.log"
    phones.phone_verification_start(user=person, channel="whatsapp")
    code = _code(person)
    row = Notification.objects.get(kind=Kind.PHONE_CODE)
    assert services.notification_deliver(notification_id=row.pk).status == Notification.Status.SENT
    assert f"رمزك في بنك المتطوعين هو {code}" in (tmp_path / "sms.log").read_text()
    row.refresh_from_db()
    assert row.context == {}


def test_the_settings_page_sends_and_confirms_a_code(client, person):
    client.force_login(person)
    page = client.get("/ar/notifications/settings/").content.decode()
    assert "+201001234567" in page and "لم يتم التحقق" in page
    response = client.post("/ar/notifications/settings/phone-code/", {"channel": "whatsapp"}, follow=True)
    assert "أرسلنا إليك رمزًا" in response.content.decode()
    assert 'autocomplete="one-time-code"' in response.content.decode()
    response = client.post(
        "/ar/notifications/settings/phone-code/confirm/", {"channel": "whatsapp", "code": "x"}, follow=True
    )
    assert "أدخل أرقام الرمز الستة" in response.content.decode()
    code = _code(person)
    response = client.post(
        "/ar/notifications/settings/phone-code/confirm/", {"channel": "whatsapp", "code": code}, follow=True
    )
    assert "تم التحقق من رقمك" in response.content.decode()
    assert phones.verified_number(user=person, channel="whatsapp")


def test_the_settings_page_actions_need_a_signed_in_person(client, db):
    response = client.post("/ar/notifications/settings/phone-code/", {"channel": "whatsapp"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not PhoneVerification.objects.exists()
