"""API v1 for matching: every endpoint's happy path, wrong method, anonymous,
outsider, side effects and repeat."""

import pytest

from matching import services
from matching.models import Match
from matching.tests.factories import SAT, make_need, make_volunteer, weekly
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(need, saturday_people):
    services.match_propose_for_need(need_id=need.pk)
    return list(need.matches.order_by("-score"))


@pytest.fixture
def invited(proposed, charity_owner):
    services.match_approve(match=proposed[0], user=charity_owner)
    return Match.objects.get(pk=proposed[0].pk)


def test_the_charity_lists_its_matches_ranked_with_reasons_and_no_contact(api, charity, charity_owner, proposed):
    response = api(charity_owner).get(
        f"/api/v1/charities/{charity.pk}/matches/?status=proposed", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    scores = [m["score"] for m in body["results"]]
    assert scores == sorted(scores, reverse=True)
    first = body["results"][0]
    assert first["status"] == "proposed"
    assert first["reasons"][:2] == ["free Saturdays \u206609:00–13:00\u2069", "has First aid"]
    assert first["volunteer"]["display_name"] == "sat0"
    assert first["volunteer"]["contact"] is None
    assert "email" not in str(first["volunteer"])
    assert first["need"]["places_left"] == 1


def test_the_reasons_read_in_arabic(api, charity, charity_owner, proposed):
    first = api(charity_owner).get(f"/api/v1/charities/{charity.pk}/matches/", HTTP_ACCEPT_LANGUAGE="ar").json()
    reasons = first["results"][0]["reasons"]
    assert reasons[1] == "لديه مهارة الإسعافات الأولية"
    assert reasons[0] == "متفرغ أيام السبت \u206609:00–13:00\u2069"


def test_the_status_filter_takes_several_statuses(api, charity, charity_owner, invited):
    client = api(charity_owner)
    assert client.get(f"/api/v1/charities/{charity.pk}/matches/?status=invited").json()["count"] == 1
    assert client.get(f"/api/v1/charities/{charity.pk}/matches/?status=invited,proposed").json()["count"] == 3


def test_the_charity_list_takes_a_constant_number_of_queries(
    api, charity, charity_owner, need, django_assert_max_num_queries
):
    for n in range(12):
        make_volunteer(f"many{n}", slots=[weekly(SAT, "09:00", "13:00")], skills=["first_aid", "driving"])
    need.volunteers_needed = 4
    need.save(update_fields=["volunteers_needed"])
    services.match_propose_for_need(need_id=need.pk)
    with django_assert_max_num_queries(8):
        response = api(charity_owner).get(f"/api/v1/charities/{charity.pk}/matches/")
    assert response.json()["count"] == 12


def test_outsiders_and_anonymous_cannot_list_a_charitys_matches(api, charity, other_charity_staff, proposed):
    assert api(other_charity_staff).get(f"/api/v1/charities/{charity.pk}/matches/").status_code == 404
    assert api().get(f"/api/v1/charities/{charity.pk}/matches/").status_code in (401, 403)


def test_approving_invites_and_repeating_is_a_conflict(api, charity_owner, proposed):
    client = api(charity_owner)
    response = client.post(f"/api/v1/matches/{proposed[0].pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "invited"
    assert Notification.objects.filter(kind=Kind.MATCH_INVITED, recipient=proposed[0].volunteer.user).exists()
    again = client.post(f"/api/v1/matches/{proposed[0].pk}/approve/")
    assert again.status_code == 409
    assert "detail" in again.json()


def test_approving_a_match_of_another_charity_is_a_404(api, other_charity_staff, proposed):
    response = api(other_charity_staff).post(f"/api/v1/matches/{proposed[0].pk}/approve/")
    assert response.status_code == 404
    assert Match.objects.get(pk=proposed[0].pk).status == Match.Status.PROPOSED


def test_the_volunteer_cannot_approve_their_own_proposal(api, proposed):
    response = api(proposed[0].volunteer.user).post(f"/api/v1/matches/{proposed[0].pk}/approve/")
    assert response.status_code == 404


def test_rejecting_declines_for_the_charity(api, charity_owner, proposed):
    response = api(charity_owner).post(f"/api/v1/matches/{proposed[1].pk}/reject/")
    assert response.status_code == 200
    assert response.json()["status"] == "declined_by_charity"


def test_review_actions_refuse_get_and_anonymous(api, charity_owner, proposed):
    assert api(charity_owner).get(f"/api/v1/matches/{proposed[0].pk}/approve/").status_code == 405
    assert api().post(f"/api/v1/matches/{proposed[0].pk}/approve/").status_code in (401, 403)


def test_my_matches_lists_invitations_with_local_time_and_hijri(api, invited):
    response = api(invited.volunteer.user).get("/api/v1/me/matches/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    [mine] = response.json()["results"]
    assert mine["status"] == "invited"
    assert mine["need"]["local_starts_at"] == "2027-01-09T10:00:00+02:00"
    assert mine["need"]["hijri_date"] == "1 شعبان 1448 هـ"
    assert "1448" in mine["need"]["date_text"]
    assert mine["contact"] is None


def test_proposals_stay_hidden_from_the_volunteer(api, proposed):
    assert api(proposed[1].volunteer.user).get("/api/v1/me/matches/").json()["count"] == 0


def test_accepting_confirms_and_shows_contacts_both_ways(api, charity, charity_owner, invited):
    response = api(invited.volunteer.user).post(f"/api/v1/matches/{invited.pk}/accept/")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert response.json()["contact"]["email"] == charity_owner.email
    listed = api(charity_owner).get(f"/api/v1/charities/{charity.pk}/matches/?status=confirmed").json()
    assert listed["results"][0]["volunteer"]["contact"]["email"] == invited.volunteer.user.email
    again = api(invited.volunteer.user).post(f"/api/v1/matches/{invited.pk}/accept/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already confirmed this invitation."


def test_accepting_someone_elses_invitation_is_a_404(api, invited, saturday_people):
    other = next(p for p in saturday_people if p.pk != invited.volunteer_id)
    response = api(other.user).post(f"/api/v1/matches/{invited.pk}/accept/")
    assert response.status_code == 404
    assert Match.objects.get(pk=invited.pk).status == Match.Status.INVITED


def test_accepting_a_full_need_is_a_409_with_the_reason(api, proposed, charity_owner):
    services.match_review_many(matches=proposed[:2], user=charity_owner, approve=True)
    assert api(proposed[0].volunteer.user).post(f"/api/v1/matches/{proposed[0].pk}/accept/").status_code == 200
    response = api(proposed[1].volunteer.user).post(
        f"/api/v1/matches/{proposed[1].pk}/accept/", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("اكتمل العدد")
    assert Match.objects.filter(status=Match.Status.CONFIRMED).count() == 1


def test_declining_and_repeating(api, invited):
    client = api(invited.volunteer.user)
    response = client.post(f"/api/v1/matches/{invited.pk}/decline/")
    assert response.status_code == 200
    assert response.json()["status"] == "declined_by_volunteer"
    assert client.post(f"/api/v1/matches/{invited.pk}/decline/").status_code == 409


def test_cancelling_a_commitment_reopens_the_place(api, invited, charity_owner):
    api(invited.volunteer.user).post(f"/api/v1/matches/{invited.pk}/accept/")
    response = api(charity_owner).post(f"/api/v1/matches/{invited.pk}/cancel/", {"reason": "rain"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert Notification.objects.filter(kind=Kind.MATCH_CANCELLED, recipient=invited.volunteer.user).exists()


def test_offering_to_help_enters_the_review_list(api, need, charity_owner):
    helper = make_volunteer("helper", slots=[weekly(SAT, "09:00", "13:00")])
    client = api(helper.user)
    response = client.post(f"/api/v1/needs/{need.pk}/offer/")
    assert response.status_code == 201
    assert response.json()["status"] == "proposed"
    match = Match.objects.get(need=need, volunteer=helper)
    assert match.source == "offer"
    assert client.post(f"/api/v1/needs/{need.pk}/offer/").status_code == 409
    assert Match.objects.filter(need=need, volunteer=helper).count() == 1


def test_offering_needs_a_profile_a_signed_in_person_and_an_open_need(api, need, plain_user):
    response = api(plain_user).post(f"/api/v1/needs/{need.pk}/offer/")
    assert response.status_code == 400
    assert "volunteer" in response.json()
    assert api().post(f"/api/v1/needs/{need.pk}/offer/").status_code in (401, 403)
    assert api(plain_user).post("/api/v1/needs/999999/offer/").status_code == 404
    assert api(plain_user).get(f"/api/v1/needs/{need.pk}/offer/").status_code == 405


def test_an_offer_for_a_need_of_another_gender_is_refused(api, charity):
    need = make_need(charity=charity, gender="female")
    man = make_volunteer("man", gender="male")
    response = api(man.user).post(f"/api/v1/needs/{need.pk}/offer/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["detail"] == "This need is for women only."
    assert not Match.objects.exists()
