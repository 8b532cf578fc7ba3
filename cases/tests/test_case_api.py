"""Cases, needs, updates and follows through the API, for every kind of person."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, CaseFollow, CaseStatusChange, CaseUpdate, Need
from cases.tests.conftest import PEOPLE
from cases.tests.factories import CaseFactory, NeedFactory
from charities.tests.factories import CharityFactory
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

ANONYMOUS_REFUSED = (401, 403)


def _need_payload(**overrides):
    starts = (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    payload = {
        "activity_type": "food_baskets",
        "skills": ["driving"],
        "starts_at": starts.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat(),
        "ends_at": (starts + dt.timedelta(hours=3)).isoformat(),
        "volunteers_needed": 4,
        "gender": "",
        "min_age": 18,
    }
    payload.update(overrides)
    return payload


# Reading


def test_anyone_lists_open_cases_with_the_contract_fields(api_as, open_case):
    response = api_as("anonymous").get("/api/v1/cases/")
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert {"id", "title", "description", "region", "status", "charity", "location"} <= set(result)
    assert result["region"] == "EG-C"
    assert "private_details" not in result


def test_drafts_closed_cases_and_unverified_charities_stay_out_of_the_list(api_as, open_case):
    CaseFactory(status=Case.Status.DRAFT, published_at=None)
    CaseFactory(status=Case.Status.CLOSED)
    CaseFactory(charity=CharityFactory(status="pending"))
    ids = [c["id"] for c in api_as("anonymous").get("/api/v1/cases/").json()["results"]]
    assert ids == [open_case.pk]


def test_the_list_filters_by_region_activity_and_arabic_normalised_text(api_as, verified_charity):
    from core.models import ActivityType, Region

    riyadh = Region.objects.get(code="SA-01")
    saudi = CharityFactory(country="SA", regions=[riyadh])
    hit = CaseFactory(charity=verified_charity, title="مدرسة القرية", story="نحتاج مدرسين متطوعين للأطفال")
    CaseFactory(charity=saudi, region=riyadh, title="إفطار صائم", story="وجبات إفطار في رمضان")
    NeedFactory(case=hit, activity_type=ActivityType.objects.get(slug="food_baskets"))
    client = api_as("anonymous")
    assert [c["id"] for c in client.get("/api/v1/cases/?region=EG-C").json()["results"]] == [hit.pk]
    assert [c["id"] for c in client.get("/api/v1/cases/?activity_type=food_baskets").json()["results"]] == [hit.pk]
    # typed with a hamza-less alef and a ha for ta marbuta, as people do
    assert [c["id"] for c in client.get("/api/v1/cases/?q=مدرسه").json()["results"]] == [hit.pk]


def test_the_case_list_api_keeps_its_query_count_as_cases_grow(api_as, verified_charity, django_assert_max_num_queries):
    client = api_as("anonymous")
    CaseFactory.create_batch(5, charity=verified_charity)
    with django_assert_max_num_queries(4):
        client.get("/api/v1/cases/")
    CaseFactory.create_batch(45, charity=verified_charity)
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/cases/?page_size=50").json()["count"] == 50


@pytest.mark.parametrize("person", PEOPLE)
def test_private_details_reach_only_the_charity_and_moderators(api_as, open_case, person):
    body = api_as(person).get(f"/api/v1/cases/{open_case.pk}/").json()
    sees = person in ("charity_owner", "moderator_with_permission")
    assert ("private_details" in body) is sees
    assert ("01001234567" in str(body)) is sees


def test_the_public_location_is_blurred_by_about_two_km_and_stable(api_as, charity_owner, verified_charity):
    from cases.location import distance_km

    response = api_as("charity_owner").post(
        "/api/v1/cases/",
        {
            "charity": verified_charity.pk,
            "title": "t",
            "description": "s",
            "region": "EG-C",
            "location": {"lat": 30.0444, "lon": 31.2357},
        },
        format="json",
    )
    case_id = response.json()["id"]
    first = api_as("anonymous").get(f"/api/v1/cases/{case_id}/").json()["location"]
    again = api_as("anonymous").get(f"/api/v1/cases/{case_id}/").json()["location"]
    assert first == again
    assert 1.3 <= distance_km((30.0444, 31.2357), (first["lat"], first["lon"])) <= 2.7


# Creating and editing


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", ANONYMOUS_REFUSED),
        ("plain_user", (404,)),
        ("other_charity_staff", (404,)),
        ("moderator_with_permission", (404,)),
        ("charity_owner", (201,)),
    ],
)
def test_only_the_charitys_staff_create_its_cases(api_as, verified_charity, person, expected):
    payload = {"charity": verified_charity.pk, "title": "أسرة", "description": "قصة", "region": "EG-C"}
    response = api_as(person).post("/api/v1/cases/", payload, format="json")
    assert response.status_code in expected
    assert Case.objects.count() == (1 if expected == (201,) else 0)
    if expected == (201,):
        case = Case.objects.get()
        assert case.status == "open" and case.created_by.email == "owner@charity.example.org"
        assert CaseStatusChange.objects.filter(case=case, to_status="open").exists()


def test_an_unverified_charity_is_refused_publishing_with_the_reason(api_as, verified_charity, charity_owner):
    verified_charity.status = "pending"
    verified_charity.save()
    payload = {"charity": verified_charity.pk, "title": "أسرة", "description": "قصة", "region": "EG-C"}
    response = api_as("charity_owner").post("/api/v1/cases/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "not verified" in response.json()["detail"]
    assert not Case.objects.exists()


def test_an_unverified_charity_may_keep_a_draft_but_not_publish_it(api_as, verified_charity):
    verified_charity.status = "pending"
    verified_charity.save()
    client = api_as("charity_owner")
    payload = {
        "charity": verified_charity.pk,
        "title": "أسرة",
        "description": "قصة",
        "region": "EG-C",
        "publish": False,
    }
    case_id = client.post("/api/v1/cases/", payload, format="json").json()["id"]
    response = client.post(f"/api/v1/cases/{case_id}/status/", {"status": "open"}, format="json")
    assert response.status_code == 403
    assert Case.objects.get(pk=case_id).status == "draft"


def test_a_case_in_a_region_the_charity_does_not_serve_is_refused(api_as, verified_charity):
    payload = {"charity": verified_charity.pk, "title": "أسرة", "description": "قصة", "region": "SA-01"}
    response = api_as("charity_owner").post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400
    assert "region" in response.json()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", ANONYMOUS_REFUSED),
        ("plain_user", (404,)),
        ("other_charity_staff", (404,)),
        ("moderator_with_permission", (404,)),
        ("charity_owner", (200,)),
    ],
)
def test_only_the_charitys_staff_edit_its_case(api_as, open_case, person, expected):
    response = api_as(person).patch(f"/api/v1/cases/{open_case.pk}/", {"title": "عنوان جديد"}, format="json")
    assert response.status_code in expected
    open_case.refresh_from_db()
    assert (open_case.title == "عنوان جديد") is (expected == (200,))


def test_the_lifecycle_is_recorded_and_refuses_going_back(api_as, open_case):
    client = api_as("charity_owner")
    assert (
        client.post(f"/api/v1/cases/{open_case.pk}/status/", {"status": "in_progress"}, format="json").status_code
        == 200
    )
    assert (
        client.post(f"/api/v1/cases/{open_case.pk}/status/", {"status": "resolved"}, format="json").status_code == 200
    )
    response = client.post(f"/api/v1/cases/{open_case.pk}/status/", {"status": "open"}, format="json")
    assert response.status_code == 409
    steps = list(CaseStatusChange.objects.filter(case=open_case).values_list("to_status", flat=True))
    assert steps == ["in_progress", "resolved"]


def test_the_wrong_method_is_refused(api_as, open_case):
    client = api_as("charity_owner")
    assert client.put(f"/api/v1/cases/{open_case.pk}/").status_code == 405
    assert client.get(f"/api/v1/cases/{open_case.pk}/claim/").status_code == 405
    assert client.get(f"/api/v1/cases/{open_case.pk}/follow/").status_code == 405
    assert client.delete("/api/v1/cases/").status_code == 405


# Needs


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", ANONYMOUS_REFUSED),
        ("plain_user", (404,)),
        ("other_charity_staff", (404,)),
        ("moderator_with_permission", (404,)),
        ("charity_owner", (201,)),
    ],
)
def test_only_the_charitys_staff_add_needs(api_as, open_case, person, expected):
    response = api_as(person).post(f"/api/v1/cases/{open_case.pk}/needs/", _need_payload(), format="json")
    assert response.status_code in expected
    assert Need.objects.count() == (1 if expected == (201,) else 0)


def test_a_new_need_is_stored_in_utc_with_the_case_region_and_flagged_for_matching(api_as, open_case):
    payload = _need_payload(volunteers_needed="٤")  # Arabic-Indic four
    response = api_as("charity_owner").post(f"/api/v1/cases/{open_case.pk}/needs/", payload, format="json")
    assert response.status_code == 201, response.json()
    need = Need.objects.get()
    assert need.volunteers_needed == 4
    assert need.region_id == open_case.region_id
    assert need.matching_requested_at is not None
    assert need.starts_at == dt.datetime.fromisoformat(payload["starts_at"])
    assert [s.slug for s in need.skills.all()] == ["driving"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"volunteers_needed": 0}, "volunteers_needed"),
        ({"starts_at": "2020-01-01T10:00:00+02:00", "ends_at": "2020-01-01T12:00:00+02:00"}, "starts_at"),
        ({"ends_at": "2020-01-01T10:00:00+02:00"}, "ends_at"),
        ({"starts_at": "2027-01-01T10:00:00"}, "starts_at"),
    ],
)
def test_bad_needs_are_refused_naming_the_field_and_nothing_is_saved(api_as, open_case, overrides, field):
    response = api_as("charity_owner").post(
        f"/api/v1/cases/{open_case.pk}/needs/", _need_payload(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Need.objects.exists()


def test_a_need_is_editable_until_someone_is_confirmed(api_as, open_case):
    need = NeedFactory(case=open_case)
    client = api_as("charity_owner")
    assert client.patch(f"/api/v1/needs/{need.pk}/", {"volunteers_needed": 6}, format="json").status_code == 200
    Need.objects.filter(pk=need.pk).update(volunteers_confirmed=1)
    response = client.patch(f"/api/v1/needs/{need.pk}/", {"volunteers_needed": 2}, format="json")
    assert response.status_code == 409
    need.refresh_from_db()
    assert need.volunteers_needed == 6


def test_staff_of_another_charity_cannot_edit_a_need(api_as, open_case):
    need = NeedFactory(case=open_case)
    assert (
        api_as("other_charity_staff")
        .patch(f"/api/v1/needs/{need.pk}/", {"volunteers_needed": 9}, format="json")
        .status_code
        == 404
    )


# Updates and follows


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", ANONYMOUS_REFUSED),
        ("plain_user", (404,)),
        ("other_charity_staff", (404,)),
        ("moderator_with_permission", (404,)),
        ("charity_owner", (201,)),
    ],
)
def test_only_the_charitys_staff_post_updates(api_as, open_case, person, expected):
    response = api_as(person).post(f"/api/v1/cases/{open_case.pk}/updates/", {"text": "وزعنا ٢٠ سلة"}, format="json")
    assert response.status_code in expected
    assert CaseUpdate.objects.count() == (1 if expected == (201,) else 0)


def test_followers_are_told_of_updates_in_the_outbox(api_as, open_case, plain_user, django_capture_on_commit_callbacks):
    assert api_as("plain_user").post(f"/api/v1/cases/{open_case.pk}/follow/").status_code == 201
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_as("charity_owner").post(f"/api/v1/cases/{open_case.pk}/updates/", {"text": "تم"}, format="json")
    assert response.status_code == 201
    rows = Notification.objects.filter(kind=Kind.CASE_UPDATE, recipient=plain_user)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert len(callbacks) == 1  # the email delivery task
    timeline = api_as("anonymous").get(f"/api/v1/cases/{open_case.pk}/updates/").json()["results"]
    assert [u["text"] for u in timeline] == ["تم"]


@pytest.mark.parametrize("person", ["plain_user", "charity_owner", "other_charity_staff", "moderator_with_permission"])
def test_anyone_signed_in_follows_and_unfollows_and_repeating_is_harmless(api_as, open_case, person):
    client = api_as(person)
    assert client.post(f"/api/v1/cases/{open_case.pk}/follow/").status_code == 201
    assert client.post(f"/api/v1/cases/{open_case.pk}/follow/").status_code == 200
    assert CaseFollow.objects.filter(case=open_case).count() == 1
    assert client.delete(f"/api/v1/cases/{open_case.pk}/follow/").status_code == 204
    assert client.delete(f"/api/v1/cases/{open_case.pk}/follow/").status_code == 204
    assert not CaseFollow.objects.exists()


def test_anonymous_cannot_follow(api_as, open_case):
    assert api_as("anonymous").post(f"/api/v1/cases/{open_case.pk}/follow/").status_code in ANONYMOUS_REFUSED


# Claiming


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", ANONYMOUS_REFUSED),
        ("plain_user", (403,)),
        ("moderator_with_permission", (403,)),
        ("other_charity_staff", (200,)),
        ("charity_owner", (200,)),
    ],
)
def test_verified_charities_of_the_region_claim_approved_reports(
    api_as, claimable_case, verified_charity, person, expected
):
    response = api_as(person).post(f"/api/v1/cases/{claimable_case.pk}/claim/")
    assert response.status_code in expected
    claimable_case.refresh_from_db()
    assert (claimable_case.charity_id is not None) is (expected == (200,))


def test_the_second_claim_loses_with_a_conflict(api_as, claimable_case, verified_charity, other_charity_staff):
    assert api_as("charity_owner").post(f"/api/v1/cases/{claimable_case.pk}/claim/").status_code == 200
    assert api_as("other_charity_staff").post(f"/api/v1/cases/{claimable_case.pk}/claim/").status_code == 409
    claimable_case.refresh_from_db()
    assert claimable_case.charity == verified_charity


def test_a_charity_of_another_region_cannot_claim(api_as, claimable_case, make_user):
    from charities.models import Membership
    from core.models import Region

    user = make_user("riyadh@example.org")
    saudi = CharityFactory(country="SA", regions=[Region.objects.get(code="SA-01")])
    Membership.objects.create(charity=saudi, user=user, role="owner")
    client = api_as("anonymous")
    client.force_authenticate(user)
    assert client.post(f"/api/v1/cases/{claimable_case.pk}/claim/").status_code == 403


def test_the_schema_describes_every_cases_endpoint(api_as):
    schema = api_as("anonymous").get("/api/schema/?format=json").json()
    for path in [
        "/api/v1/charities/",
        "/api/v1/cases/",
        "/api/v1/cases/{id}/claim/",
        "/api/v1/cases/{id}/updates/",
        "/api/v1/cases/{id}/follow/",
        "/api/v1/cases/{id}/needs/",
        "/api/v1/reports/",
        "/api/v1/reports/{code}/",
        "/api/v1/moderation/reports/",
        "/api/v1/moderation/reports/{id}/approve/",
        "/api/v1/moderation/reports/{id}/reject/",
        "/api/v1/moderation/reports/{id}/duplicate/",
        "/api/v1/moderation/charities/{id}/verify/",
    ]:
        assert path in schema["paths"], path


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("anonymous", ANONYMOUS_REFUSED),
        ("plain_user", (404,)),
        ("other_charity_staff", (404,)),
        ("moderator_with_permission", (404,)),
        ("charity_owner", (200,)),
    ],
)
def test_only_the_charitys_staff_change_the_lifecycle(api_as, open_case, person, expected):
    response = api_as(person).post(f"/api/v1/cases/{open_case.pk}/status/", {"status": "closed"}, format="json")
    assert response.status_code in expected
    open_case.refresh_from_db()
    assert (open_case.status == "closed") is (expected == (200,))


@pytest.mark.parametrize(
    ("person", "visible"), [("anonymous", False), ("other_charity_staff", False), ("charity_owner", True)]
)
def test_a_drafts_needs_and_updates_are_hidden_from_outsiders(api_as, verified_charity, person, visible):
    draft = CaseFactory(charity=verified_charity, status=Case.Status.DRAFT, published_at=None)
    NeedFactory(case=draft)
    for path in (
        f"/api/v1/cases/{draft.pk}/",
        f"/api/v1/cases/{draft.pk}/needs/",
        f"/api/v1/cases/{draft.pk}/updates/",
    ):
        assert api_as(person).get(path).status_code == (200 if visible else 404)


def test_a_case_is_created_then_given_photos_re_encoded(api_as, verified_charity):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from cases.tests.conftest import jpeg_with_gps

    def jpeg(name):
        return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")

    payload = {"charity": verified_charity.pk, "title": "أسرة", "description": "قصة", "region": "EG-C"}
    created = api_as("charity_owner").post("/api/v1/cases/", payload, format="json")
    assert created.status_code == 201, created.json()
    path = f"/api/v1/cases/{created.json()['id']}/photos/"
    outsider = api_as("other_charity_staff").post(path, {"photos": [jpeg("x.jpg")]}, format="multipart")
    assert outsider.status_code == 404
    body = {"cover_photo": jpeg("c.jpg"), "photos": [jpeg("0.jpg"), jpeg("1.jpg")]}
    response = api_as("charity_owner").post(path, body, format="multipart")
    assert response.status_code == 200, response.json()
    case = Case.objects.get()
    assert case.photos.count() == 2
    with case.cover_photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    assert api_as("charity_owner").post(path, {}, format="multipart").status_code == 400


def test_an_update_is_posted_then_given_photos(api_as, open_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.tests.conftest import jpeg_with_gps

    def jpeg(name):
        return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")

    posted = api_as("charity_owner").post(f"/api/v1/cases/{open_case.pk}/updates/", {"text": "وصلت"}, format="json")
    assert posted.status_code == 201, posted.json()
    path = f"/api/v1/cases/{open_case.pk}/updates/{posted.json()['id']}/photos/"
    assert api_as("other_charity_staff").post(path, {"photos": [jpeg("x.jpg")]}, format="multipart").status_code == 404
    response = api_as("charity_owner").post(path, {"photos": [jpeg("a.jpg")]}, format="multipart")
    assert response.status_code == 200, response.json()
    assert len(response.json()["photos"]) == 1
    six = {"photos": [jpeg(f"{n}.jpg") for n in range(5)]}
    assert api_as("charity_owner").post(path, six, format="multipart").status_code == 400
    assert open_case.updates.get().photos.count() == 1


def test_resolved_cases_leave_the_open_list_but_keep_their_page(api_as, open_case):
    Case.objects.filter(pk=open_case.pk).update(status=Case.Status.RESOLVED)
    client = api_as("anonymous")
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get(f"/api/v1/cases/{open_case.pk}/").status_code == 200


def test_the_timeline_needs_and_case_page_keep_their_query_counts(
    api_as, client, open_case, charity_owner, django_assert_max_num_queries
):
    from cases.models import CaseUpdate
    from core.models import Skill

    def grow(n):
        for _ in range(n):
            NeedFactory(case=open_case).skills.set(Skill.objects.all()[:2])
            CaseUpdate.objects.create(case=open_case, author=charity_owner, text="تقدم")

    anonymous = api_as("anonymous")
    for batch in (5, 45):
        grow(batch)
        with django_assert_max_num_queries(5):
            anonymous.get(f"/api/v1/cases/{open_case.pk}/updates/?page_size=100")
        with django_assert_max_num_queries(5):
            assert len(anonymous.get(f"/api/v1/cases/{open_case.pk}/needs/").json()) in (5, 50)
        with django_assert_max_num_queries(14):
            client.get(f"/ar/cases/{open_case.pk}/")
