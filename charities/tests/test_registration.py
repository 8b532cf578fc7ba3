"""Registering an organisation and inviting its staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from charities import services
from charities.models import Charity, Membership, StaffInvitation
from charities.tests.factories import CharityFactory, jpeg_with_gps
from core.errors import NotAllowed, StateConflict
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "name": "جمعية بسمة",
    "name_en": "Basma",
    "country": "EG",
    "regions": ["EG-C", "EG-GZ"],
    "activity_types": ["food_baskets"],
    "license_number": "١٢٣٤/٢٠٢٤",
}


def _client(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def test_a_signed_in_person_registers_a_pending_charity_and_owns_it(plain_user):
    response = _client(plain_user).post("/api/v1/charities/", PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending"
    charity = Charity.objects.get()
    assert charity.license_number == "1234/2024"
    assert sorted(charity.regions.values_list("code", flat=True)) == ["EG-C", "EG-GZ"]
    assert Membership.objects.get(charity=charity).user == plain_user
    assert Membership.objects.get(charity=charity).role == "owner"


def test_anonymous_cannot_register(db):
    assert _client().post("/api/v1/charities/", PAYLOAD, format="json").status_code in (401, 403)
    assert not Charity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"regions": []}, "regions"),
        ({"regions": ["SA-01"]}, "regions"),
        ({"license_number": ""}, "license_number"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_registrations_name_the_field_and_save_nothing(plain_user, overrides, field):
    response = _client(plain_user).post("/api/v1/charities/", {**PAYLOAD, **overrides}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Charity.objects.exists() and not Membership.objects.exists()


def test_a_licence_number_registers_once_per_country(plain_user, other_charity_staff):
    assert _client(plain_user).post("/api/v1/charities/", PAYLOAD, format="json").status_code == 201
    response = _client(other_charity_staff).post("/api/v1/charities/", PAYLOAD, format="json")
    assert response.status_code == 400 and "license_number" in response.json()


def test_the_logo_is_uploaded_after_registering_and_re_encoded_without_exif(plain_user, other_charity_staff):
    charity_id = _client(plain_user).post("/api/v1/charities/", PAYLOAD, format="json").json()["id"]
    path = f"/api/v1/charities/{charity_id}/logo/"

    def logo():
        return SimpleUploadedFile("logo.jpg", jpeg_with_gps(), content_type="image/jpeg")

    assert _client(other_charity_staff).post(path, {"logo": logo()}, format="multipart").status_code == 404
    assert (
        _client(plain_user).post("/api/v1/charities/", {**PAYLOAD, "logo": logo()}, format="multipart").status_code
        == 415
    )
    response = _client(plain_user).post(path, {"logo": logo()}, format="multipart")
    assert response.status_code == 200, response.json()
    with Charity.objects.get(pk=charity_id).logo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_the_public_list_shows_only_verified_charities_in_constant_queries(db, django_assert_max_num_queries):
    CharityFactory(status="pending")
    CharityFactory.create_batch(5)
    with django_assert_max_num_queries(4):
        assert _client().get("/api/v1/charities/").json()["count"] == 5
    CharityFactory.create_batch(45)
    with django_assert_max_num_queries(4):
        assert _client().get("/api/v1/charities/?page_size=60").json()["count"] == 50


def test_a_pending_charity_has_no_public_profile(db):
    pending = CharityFactory(status="pending")
    assert _client().get(f"/api/v1/charities/{pending.pk}/").status_code == 404


def test_the_owner_invites_staff_who_join_by_accepting(verified_charity, charity_owner, make_user):
    response = _client(charity_owner).post(
        f"/api/v1/charities/{verified_charity.pk}/invitations/", {"email": "Nour@Example.org"}, format="json"
    )
    assert response.status_code == 201
    invitation = StaffInvitation.objects.get()
    assert Notification.objects.filter(kind=Kind.STAFF_INVITED, address="nour@example.org").exists()
    nour = make_user("nour@example.org")
    membership = services.staff_invitation_accept(invitation=invitation, user=nour)
    assert membership.role == "coordinator"
    with pytest.raises(StateConflict):
        services.staff_invitation_accept(invitation=invitation, user=nour)


def test_a_coordinator_cannot_invite_and_outsiders_get_404(verified_charity, make_user, other_charity_staff):
    coordinator = make_user("coord@example.org")
    Membership.objects.create(charity=verified_charity, user=coordinator, role="coordinator")
    url = f"/api/v1/charities/{verified_charity.pk}/invitations/"
    assert _client(coordinator).post(url, {"email": "x@example.org"}, format="json").status_code == 403
    assert _client(other_charity_staff).post(url, {"email": "x@example.org"}, format="json").status_code == 404
    assert not StaffInvitation.objects.exists()


def test_an_invitation_cannot_be_taken_by_another_email(verified_charity, charity_owner, plain_user):
    invitation = services.staff_invite(charity=verified_charity, invited_by=charity_owner, email="nour@example.org")
    with pytest.raises(NotAllowed):
        services.staff_invitation_accept(invitation=invitation, user=plain_user)
    assert not Membership.objects.filter(user=plain_user).exists()
