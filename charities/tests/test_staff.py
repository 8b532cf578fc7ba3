"""Staff: invitations expire, owners remove staff (never the last owner)."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from charities import services
from charities.models import Membership, StaffInvitation
from core.errors import StateConflict

pytestmark = pytest.mark.django_db


def _api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


@pytest.fixture
def coordinator(verified_charity, make_user):
    user = make_user("coord@example.org")
    Membership.objects.create(charity=verified_charity, user=user, role=Membership.Role.COORDINATOR)
    return user


def _old_invitation(charity, owner, days, settings):
    invitation = services.staff_invite(charity=charity, invited_by=owner, email="nour@example.org")
    StaffInvitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
    invitation.refresh_from_db()
    return invitation


def test_an_invitation_expires_after_the_setting(verified_charity, charity_owner, make_user, settings):
    settings.STAFF_INVITATION_DAYS = 7
    nour = make_user("nour@example.org")
    invitation = _old_invitation(verified_charity, charity_owner, 8, settings)
    with translation.override("en"), pytest.raises(StateConflict, match="expired"):
        services.staff_invitation_accept(invitation=invitation, user=nour)
    assert not Membership.objects.filter(user=nour).exists()
    settings.STAFF_INVITATION_DAYS = 9
    assert services.staff_invitation_accept(invitation=invitation, user=nour).role == "coordinator"


def test_an_expired_link_says_so_and_offers_no_button(client, verified_charity, charity_owner, make_user, settings):
    invitation = _old_invitation(verified_charity, charity_owner, 8, settings)
    client.force_login(make_user("nour@example.org"))
    page = client.get(f"/en/charities/invitations/{invitation.token}/").content.decode()
    assert "This invitation has expired" in page and "Accept the invitation" not in page
    response = client.post(f"/en/charities/invitations/{invitation.token}/", follow=True)
    assert "expired" in response.content.decode()
    assert Membership.objects.filter(charity=verified_charity).count() == 1


def test_the_owner_removes_a_coordinator_by_api(verified_charity, charity_owner, coordinator):
    url = f"/api/v1/charities/{verified_charity.pk}/staff/{coordinator.pk}/"
    assert _api(charity_owner).delete(url).status_code == 204
    assert not Membership.objects.filter(user=coordinator).exists()
    assert _api(charity_owner).delete(url).status_code == 404, "repeating: gone already"


def test_removing_staff_is_refused_to_coordinators_outsiders_and_anonymous(
    verified_charity, charity_owner, coordinator, other_charity_staff
):
    url = f"/api/v1/charities/{verified_charity.pk}/staff/{charity_owner.pk}/"
    assert _api(coordinator).delete(url).status_code == 404
    assert _api(other_charity_staff).delete(url).status_code == 404
    assert _api().delete(url).status_code in (401, 403)
    assert _api(charity_owner).get(url).status_code == 405
    assert Membership.objects.filter(charity=verified_charity).count() == 2


def test_the_last_owner_stays(verified_charity, charity_owner, make_user):
    url = f"/api/v1/charities/{verified_charity.pk}/staff/{charity_owner.pk}/"
    response = _api(charity_owner).delete(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409 and "at least one owner" in response.json()["detail"]
    second = make_user("second.owner@example.org")
    Membership.objects.create(charity=verified_charity, user=second, role=Membership.Role.OWNER)
    assert _api(charity_owner).delete(url).status_code == 204, "another owner remains"


def test_the_owner_removes_staff_from_the_dashboard(client, verified_charity, charity_owner, coordinator):
    client.force_login(charity_owner)
    page = client.get(f"/en/dashboard/?charity={verified_charity.pk}").content.decode()
    remove = f"/en/charities/{verified_charity.pk}/staff/{coordinator.pk}/remove/"
    assert remove in page
    assert client.get(remove).status_code == 405
    response = client.post(remove)
    assert response.status_code == 302 and not Membership.objects.filter(user=coordinator).exists()


def test_a_coordinator_sees_no_remove_button_and_cannot_post_it(client, verified_charity, charity_owner, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/en/dashboard/?charity={verified_charity.pk}").content.decode()
    assert "/remove/" not in page
    assert client.post(f"/en/charities/{verified_charity.pk}/staff/{charity_owner.pk}/remove/").status_code == 404
