"""The review section, the volunteer's invitations and the offer button, over HTTP."""

import pytest

from matching import services
from matching.models import Match
from matching.tests.factories import SAT, make_need, make_volunteer, weekly

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def proposed(need, saturday_people):
    services.match_propose_for_need(need_id=need.pk)
    return list(need.matches.order_by("-score"))


@pytest.fixture
def invited(proposed, charity_owner):
    services.match_approve(match=proposed[0], user=charity_owner)
    return Match.objects.get(pk=proposed[0].pk)


def _review(need):
    return f"/ar/matching/needs/{need.pk}/review/"


def test_the_charity_sees_proposals_ranked_with_reasons_and_no_contact(client, need, proposed, charity_owner):
    client.force_login(charity_owner)
    response = client.get(_review(need))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("sat0") < html.index(proposed[1].volunteer.display_name)
    assert "لديه مهارة الإسعافات الأولية" in html
    assert "متفرغ أيام السبت \u206609:00–13:00\u2069" in html
    assert "الأماكن الشاغرة: 1 من 1" in html
    assert "@example.org" not in html


def test_approving_several_at_once_invites_them_in_place(client, need, proposed, charity_owner):
    client.force_login(charity_owner)
    ids = [proposed[0].pk, proposed[1].pk]
    response = client.post(_review(need), {"action": "approve", "match": ids}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the partial, swapped in place
    assert set(Match.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"invited"}
    assert 'data-testid="invited"' in response.content.decode()


def test_rejecting_without_htmx_redirects_back(client, need, proposed, charity_owner):
    client.force_login(charity_owner)
    response = client.post(_review(need), {"action": "reject", "match": [proposed[2].pk]})
    assert response.status_code == 302
    assert Match.objects.get(pk=proposed[2].pk).status == Match.Status.DECLINED_BY_CHARITY


def test_nothing_ticked_says_so_and_changes_nothing(client, need, proposed, charity_owner):
    client.force_login(charity_owner)
    response = client.post(_review(need), {"action": "approve"}, **HTMX)
    assert "حدد متطوعًا واحدًا على الأقل" in response.content.decode()
    assert not Match.objects.exclude(status=Match.Status.PROPOSED).exists()


def test_a_match_of_another_need_cannot_be_slipped_in(client, need, proposed, charity_owner, charity):
    other = make_need(charity=charity)
    client.force_login(charity_owner)
    response = client.post(_review(other), {"action": "approve", "match": [proposed[0].pk]})
    assert response.status_code == 404
    assert Match.objects.get(pk=proposed[0].pk).status == Match.Status.PROPOSED


def test_outsiders_anonymous_and_wrong_methods_are_refused(client, need, proposed, other_charity_staff):
    assert client.get(_review(need)).status_code == 302
    client.force_login(other_charity_staff)
    assert client.get(_review(need)).status_code == 404
    assert client.post(_review(need), {"action": "approve", "match": [proposed[0].pk]}).status_code == 404
    assert client.put(_review(need)).status_code == 405
    assert Match.objects.get(pk=proposed[0].pk).status == Match.Status.PROPOSED


def test_the_charity_page_loads_each_need_lazily_at_constant_queries(
    client, charity, charity_owner, django_assert_max_num_queries
):
    client.force_login(charity_owner)
    for _ in range(2):
        make_need(charity=charity)
    with django_assert_max_num_queries(12):
        small = client.get(f"/ar/matching/charities/{charity.pk}/")
    for _ in range(8):
        make_need(charity=charity)
    with django_assert_max_num_queries(12):
        large = client.get(f"/ar/matching/charities/{charity.pk}/")
    loader = "جارٍ تحميل المتطوعين المرشحين"
    assert small.content.decode().count(loader) == 2
    assert large.content.decode().count(loader) == 10


def test_the_volunteer_sees_the_invitation_in_local_time_with_the_hijri_date(client, invited):
    client.force_login(invited.volunteer.user)
    response = client.get("/ar/matching/me/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="invitation"' in html
    assert "1 شعبان 1448 هـ" in html
    assert "10:00–12:00" in html


def test_the_volunteer_list_takes_constant_queries(client, charity, django_assert_max_num_queries):
    person = make_volunteer("many", slots=[weekly(SAT, "08:00", "20:00")])
    owner_need = make_need(charity=charity)
    services.match_offer(need=owner_need, user=person.user)
    Match.objects.update(status=Match.Status.INVITED)
    client.force_login(person.user)
    with django_assert_max_num_queries(10):
        client.get("/ar/matching/me/", **HTMX)


def test_accepting_in_place_shows_the_charitys_contact(client, invited, charity_owner):
    client.force_login(invited.volunteer.user)
    response = client.post(f"/ar/matching/matches/{invited.pk}/accept/", **HTMX)
    assert response.status_code == 200
    assert Match.objects.get(pk=invited.pk).status == Match.Status.CONFIRMED
    assert charity_owner.email in response.content.decode()
    again = client.post(f"/ar/matching/matches/{invited.pk}/accept/", **HTMX)
    assert "سبق أن أكدت هذه الدعوة" in again.content.decode()


def test_declining_without_htmx_redirects(client, invited):
    client.force_login(invited.volunteer.user)
    response = client.post(f"/ar/matching/matches/{invited.pk}/decline/")
    assert response.status_code == 302
    assert Match.objects.get(pk=invited.pk).status == Match.Status.DECLINED_BY_VOLUNTEER


def test_someone_elses_invitation_and_wrong_methods_are_refused(client, invited, saturday_people):
    other = next(p for p in saturday_people if p.pk != invited.volunteer_id)
    client.force_login(other.user)
    assert client.post(f"/ar/matching/matches/{invited.pk}/accept/").status_code == 404
    client.force_login(invited.volunteer.user)
    assert client.get(f"/ar/matching/matches/{invited.pk}/accept/").status_code == 405
    assert client.post(f"/ar/matching/matches/{invited.pk}/promote/").status_code == 404
    assert Match.objects.get(pk=invited.pk).status == Match.Status.INVITED


def test_the_offer_button_offers_once(client, need):
    helper = make_volunteer("helper", slots=[weekly(SAT, "09:00", "13:00")])
    client.force_login(helper.user)
    response = client.post(f"/ar/matching/needs/{need.pk}/offer/", **HTMX)
    assert "ستراجع الجمعية عرضك" in response.content.decode()
    again = client.post(f"/ar/matching/needs/{need.pk}/offer/", **HTMX)
    assert "سبق ترشيحك لهذا الاحتياج" in again.content.decode()
    assert Match.objects.filter(volunteer=helper, source="offer").count() == 1


def test_the_offer_redirect_stays_on_this_site(client, need):
    helper = make_volunteer("helper2", slots=[weekly(SAT, "09:00", "13:00")])
    client.force_login(helper.user)
    response = client.post(f"/ar/matching/needs/{need.pk}/offer/", {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/matching/me/"
