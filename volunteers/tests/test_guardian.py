"""The guardian flow: the minor names an email, the guardian answers a signed
link with a POST, consent is recorded with its time and can be withdrawn."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.models import Kind, Notification
from volunteers import guardians
from volunteers.models import GuardianConsent
from volunteers.services import availability_slot_add, profile_update

GUARDIAN = "/api/v1/me/guardian/"


@pytest.fixture
def minor(volunteer):
    today = timezone.localdate()
    profile_update(user=volunteer, changes={"birth_date": today.replace(year=today.year - 15)})
    availability_slot_add(volunteer=volunteer.volunteer_profile, weekday=5, start="09:00", end="13:00")
    return volunteer


@pytest.fixture
def as_minor(minor):
    client = APIClient()
    client.force_authenticate(minor)
    return client


def _link(email="parent@example.org") -> str:
    row = Notification.objects.get(kind=Kind.ACCOUNT_EMAIL, address=email)
    return re.search(r"https?://\S+/guardian/(\S+)/", row.context["body"]).group(1)


def test_a_minor_names_a_guardian_who_gets_a_signed_link(as_minor, minor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = as_minor.post(GUARDIAN, {"email": "Parent@Example.org"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending" and response.json()["email"] == "parent@example.org"
    row = Notification.objects.get(kind=Kind.ACCOUNT_EMAIL, address="parent@example.org")
    token = _link()
    assert token not in row.event_key and token not in row.idempotency_key
    assert "Mona" in row.context["body"] or "Mona" in row.context["subject"]
    assert len(callbacks) == 1  # the delivery is queued after commit
    assert not minor.volunteer_profile.guardian_consent


def test_the_guardian_api_refuses_bad_input_outsiders_and_adults(as_minor, volunteer, other_volunteer):
    assert list(as_minor.post(GUARDIAN, {"email": "not-an-email"}, format="json").json()) == ["email"]
    assert as_minor.post(GUARDIAN, {"email": volunteer.email}, format="json").status_code == 400
    assert as_minor.post(GUARDIAN, {}, format="json").status_code == 400
    assert not GuardianConsent.objects.exists()
    assert APIClient().post(GUARDIAN, {"email": "p@example.org"}, format="json").status_code in (401, 403)
    adult = APIClient()
    adult.force_authenticate(other_volunteer)
    assert adult.post(GUARDIAN, {"email": "p@example.org"}, format="json").status_code == 409
    assert as_minor.get(GUARDIAN).status_code == 404
    assert as_minor.delete(GUARDIAN).status_code == 405


def test_the_profile_no_longer_takes_a_ticked_box(as_minor):
    response = as_minor.patch("/api/v1/me/profile/", {"guardian_consent": True}, format="json")
    assert response.status_code == 400 and "guardian_consent" in response.json()


def test_opening_the_link_changes_nothing_and_a_post_confirms(as_minor, minor):
    as_minor.post(GUARDIAN, {"email": "parent@example.org"}, format="json")
    page = f"/ar/volunteer/guardian/{_link()}/"
    guardian = Client()
    response = guardian.get(page)
    assert response.status_code == 200
    assert "كيف" in response.content.decode()  # the Arabic page says how to withdraw
    minor.volunteer_profile.refresh_from_db()
    assert not minor.volunteer_profile.guardian_consent
    assert guardian.post(page, {"action": "confirm"}).status_code == 302
    consent = GuardianConsent.objects.get()
    assert consent.confirmed_at is not None
    minor.volunteer_profile.refresh_from_db()
    assert minor.volunteer_profile.guardian_consented_at == consent.confirmed_at
    assert minor.volunteer_profile.slots.get().matchable
    assert as_minor.get(GUARDIAN).json()["status"] == "confirmed"
    assert "Withdraw" in Client().get(page.replace("/ar/", "/en/")).content.decode()


def test_the_guardian_withdraws_with_the_same_link_even_after_it_expired(as_minor, minor, settings):
    as_minor.post(GUARDIAN, {"email": "parent@example.org"}, format="json")
    token = _link()
    guardians.guardian_confirm(token=token)
    settings.GUARDIAN_LINK_DAYS = 0
    with pytest.raises(guardians.LinkInvalid):
        guardians.guardian_confirm(token=signing.dumps(signing.loads(token, salt=guardians.SALT), salt="x"))
    response = Client().post(f"/en/volunteer/guardian/{token}/", {"action": "withdraw"})
    assert response.status_code == 302
    consent = GuardianConsent.objects.get()
    assert consent.withdrawn_at is not None
    minor.volunteer_profile.refresh_from_db()
    assert not minor.volunteer_profile.guardian_consent
    assert not minor.volunteer_profile.slots.get().matchable


def test_an_expired_tampered_or_replaced_link_cannot_confirm(as_minor, minor, monkeypatch):
    as_minor.post(GUARDIAN, {"email": "parent@example.org"}, format="json")
    first = _link()
    assert Client().post(f"/en/volunteer/guardian/{first}x/", {"action": "confirm"}).status_code == 409
    later = timezone.now() + dt.timedelta(days=8)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
    response = Client().post(f"/en/volunteer/guardian/{first}/", {"action": "confirm"})
    assert response.status_code == 409 and "expired" in response.content.decode()
    monkeypatch.undo()
    as_minor.post(GUARDIAN, {"email": "other@example.org"}, format="json")
    assert Client().post(f"/en/volunteer/guardian/{first}/", {"action": "confirm"}).status_code == 409
    assert GuardianConsent.objects.get().confirmed_at is None


def test_the_dashboard_form_sends_the_link(client, minor):
    client.force_login(minor)
    page = client.get("/ar/volunteer/")
    assert 'name="email"' in page.content.decode()
    response = client.post("/ar/volunteer/guardian/", {"email": "bad"})
    assert response.status_code == 400
    assert client.post("/ar/volunteer/guardian/", {"email": "parent@example.org"}).status_code == 302
    assert GuardianConsent.objects.get().email == "parent@example.org"
