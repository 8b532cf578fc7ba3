"""The moderation queue and charity verification through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import AuditEntry, Case, ModeratorRegion, Report
from cases.tests.conftest import PEOPLE
from cases.tests.factories import CaseFactory, ReportFactory
from charities.models import Charity
from charities.tests.factories import CharityFactory
from core.models import Region
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

ACTIONS = [
    ("approve", {"title": "Food", "story": "A family needs food."}),
    ("reject", {"reason": "بلاغ غير واضح"}),
]

APPROVE = {"title": "Food for a family in Shubra", "story": "A family of five needs food baskets."}


def _limit_to(user, *codes):
    """Take away "everywhere" and give the moderator these regions only."""
    user.moderates_everywhere = False
    user.save(update_fields=["moderates_everywhere"])
    for code in codes:
        ModeratorRegion.objects.create(user=user, region=Region.objects.get(code=code))


@pytest.mark.parametrize("person", PEOPLE)
def test_only_moderators_see_the_queue(api_as, person):
    ReportFactory()
    response = api_as(person).get("/api/v1/moderation/reports/")
    if person == "moderator_with_permission":
        assert response.status_code == 200 and response.json()["count"] == 1
    else:
        assert response.status_code in (401, 403)


def test_a_staff_user_without_the_permission_is_not_a_moderator(api_as, moderator):
    client = api_as("anonymous")
    client.force_authenticate(moderator)
    assert client.get("/api/v1/moderation/reports/").status_code == 403


def test_the_queue_puts_the_most_urgent_then_the_oldest_first(api_as):
    old = ReportFactory(created_at=timezone.now() - dt.timedelta(days=2))
    new = ReportFactory()
    urgent = ReportFactory(urgency=3)
    ReportFactory(status=Report.Status.REJECTED)
    ids = [r["id"] for r in api_as("moderator_with_permission").get("/api/v1/moderation/reports/").json()["results"]]
    assert ids == [urgent.pk, old.pk, new.pk]


def test_a_moderator_limited_to_riyadh_does_not_see_cairo(api_as, moderator_with_permission):
    _limit_to(moderator_with_permission, "SA-01")
    report = ReportFactory()
    client = api_as("moderator_with_permission")
    assert client.get("/api/v1/moderation/reports/").json()["count"] == 0
    assert client.post(f"/api/v1/moderation/reports/{report.pk}/approve/").status_code == 404


def test_the_queue_keeps_its_query_count(api_as, django_assert_max_num_queries):
    client = api_as("moderator_with_permission")
    ReportFactory.create_batch(5)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/moderation/reports/")
    ReportFactory.create_batch(45)
    with django_assert_max_num_queries(8):
        client.get("/api/v1/moderation/reports/?page_size=50")


@pytest.mark.parametrize("person", ["anonymous", "plain_user", "charity_owner", "other_charity_staff"])
@pytest.mark.parametrize(("action", "payload"), ACTIONS)
def test_non_moderators_cannot_act_on_reports(api_as, verified_charity, person, action, payload):
    report = ReportFactory()
    response = api_as(person).post(f"/api/v1/moderation/reports/{report.pk}/{action}/", payload, format="json")
    assert response.status_code in (401, 403)
    report.refresh_from_db()
    assert report.status == "pending_review"
    assert not AuditEntry.objects.exists()


def test_approving_makes_an_open_claimable_case_and_tells_reporter_and_charities(
    api_as, moderator_with_permission, verified_charity, charity_owner
):
    report = ReportFactory(contact="reporter@example.org", contact_email="reporter@example.org")
    response = api_as("moderator_with_permission").post(
        f"/api/v1/moderation/reports/{report.pk}/approve/", APPROVE, format="json"
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.status == "open" and case.charity is None and case.is_claimable
    assert "reporter@example.org" in case.private_details and "reporter@example.org" not in case.story
    report.refresh_from_db()
    assert report.status == "approved" and report.case == case
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.report, entry.case) == (
        moderator_with_permission,
        "report_approved",
        report,
        case,
    )
    assert Notification.objects.filter(kind=Kind.REPORT_STATUS, address="reporter@example.org").exists()
    assert Notification.objects.filter(kind=Kind.REPORT_CLAIMABLE, recipient=charity_owner).exists()
    assert api_as("anonymous").get(f"/api/v1/reports/{report.tracking_code}/").json()["case"] == case.pk
    # repeating is a conflict, and nothing more is written
    again = api_as("moderator_with_permission").post(
        f"/api/v1/moderation/reports/{report.pk}/approve/", APPROVE, format="json"
    )
    assert again.status_code == 409
    assert Case.objects.count() == 1 and AuditEntry.objects.count() == 1


def test_rejecting_needs_a_reason_which_the_reporter_sees(api_as):
    report = ReportFactory()
    client = api_as("moderator_with_permission")
    response = client.post(f"/api/v1/moderation/reports/{report.pk}/reject/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(f"/api/v1/moderation/reports/{report.pk}/reject/", {"reason": "خارج نطاقنا"}, format="json")
    assert response.status_code == 200
    status = api_as("anonymous").get(f"/api/v1/reports/{report.tracking_code}/").json()
    assert status == {**status, "status": "rejected", "reason": "خارج نطاقنا"}
    assert AuditEntry.objects.get().note == "خارج نطاقنا"


def test_marking_a_duplicate_points_to_the_case(api_as, open_case):
    report = ReportFactory()
    client = api_as("moderator_with_permission")
    assert client.post(f"/api/v1/moderation/reports/{report.pk}/duplicate/", {}, format="json").status_code == 400
    response = client.post(f"/api/v1/moderation/reports/{report.pk}/duplicate/", {"case": open_case.pk}, format="json")
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "duplicate" and report.case == open_case
    assert AuditEntry.objects.get().action == "report_duplicate"


def test_an_open_report_is_locked_for_other_moderators_until_the_lock_expires(
    api_as, make_user, moderator_with_permission
):
    from django.contrib.auth.models import Permission

    second = make_user("second@example.org", is_staff=True, moderates_everywhere=True)
    second.user_permissions.add(Permission.objects.get(codename="moderate"))
    report = ReportFactory()
    first = api_as("moderator_with_permission")
    assert first.get(f"/api/v1/moderation/reports/{report.pk}/").status_code == 200
    report.refresh_from_db()
    assert report.locked_by is None, "a GET changes nothing"
    assert first.post(f"/api/v1/moderation/reports/{report.pk}/lock/").status_code == 200
    other = api_as("anonymous")
    other.force_authenticate(second)
    assert other.get(f"/api/v1/moderation/reports/{report.pk}/").status_code == 200, "reading is fine"
    assert other.post(f"/api/v1/moderation/reports/{report.pk}/lock/").status_code == 409
    assert other.post(f"/api/v1/moderation/reports/{report.pk}/approve/", APPROVE, format="json").status_code == 409
    listed = other.get("/api/v1/moderation/reports/").json()["results"][0]
    assert listed["locked_by"] == moderator_with_permission.email
    Report.objects.filter(pk=report.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert other.post(f"/api/v1/moderation/reports/{report.pk}/approve/", APPROVE, format="json").status_code == 200


def test_opening_a_report_lists_likely_duplicates_by_phone(api_as):
    first = ReportFactory(contact_phone="+201001234567", description="طفل مريض يحتاج علاج")
    second = ReportFactory(contact_phone="+201001234567", description="كلام مختلف تماما")
    body = api_as("moderator_with_permission").get(f"/api/v1/moderation/reports/{second.pk}/").json()
    assert {"kind": "report", "id": first.pk} in [{"kind": d["kind"], "id": d["id"]} for d in body["duplicates"]]


def test_nearby_coordinates_are_suggested_as_duplicates(api_as):
    case = CaseFactory(latitude=30.0444, longitude=31.2357, title="x", story="y")
    report = ReportFactory(latitude=30.0450, longitude=31.2360, description="شيء آخر")
    body = api_as("moderator_with_permission").get(f"/api/v1/moderation/reports/{report.pk}/").json()
    assert [d["id"] for d in body["duplicates"] if d["kind"] == "case"] == [case.pk]


# Charity verification


@pytest.mark.parametrize("person", PEOPLE)
def test_only_moderators_verify_charities(api_as, person, make_user):
    charity = CharityFactory(status=Charity.Status.PENDING)
    response = api_as(person).post(f"/api/v1/moderation/charities/{charity.pk}/verify/")
    charity.refresh_from_db()
    if person == "moderator_with_permission":
        assert response.status_code == 200 and charity.status == "verified"
        assert AuditEntry.objects.get().action == "charity_verified"
    else:
        assert response.status_code in (401, 403) and charity.status == "pending"


def test_verifying_tells_the_owner_and_repeating_conflicts(api_as, charity_owner, verified_charity):
    verified_charity.status = Charity.Status.PENDING
    verified_charity.save()
    client = api_as("moderator_with_permission")
    assert [c["id"] for c in client.get("/api/v1/moderation/charities/").json()["results"]] == [verified_charity.pk]
    assert client.post(f"/api/v1/moderation/charities/{verified_charity.pk}/verify/").status_code == 200
    assert Notification.objects.filter(kind=Kind.CHARITY_STATUS, recipient=charity_owner).count() == 2
    assert client.post(f"/api/v1/moderation/charities/{verified_charity.pk}/verify/").status_code == 409
    assert AuditEntry.objects.count() == 1


def test_rejecting_a_charity_needs_a_reason(api_as):
    charity = CharityFactory(status=Charity.Status.PENDING)
    client = api_as("moderator_with_permission")
    assert client.post(f"/api/v1/moderation/charities/{charity.pk}/reject/", {}, format="json").status_code == 400
    response = client.post(
        f"/api/v1/moderation/charities/{charity.pk}/reject/", {"reason": "الترخيص منتهٍ"}, format="json"
    )
    assert response.status_code == 200
    charity.refresh_from_db()
    assert charity.status == "rejected" and charity.rejection_reason == "الترخيص منتهٍ"


@pytest.mark.parametrize("person", ["anonymous", "plain_user", "charity_owner", "other_charity_staff"])
def test_non_moderators_cannot_mark_duplicates_or_open_reports(api_as, open_case, person):
    report = ReportFactory()
    client = api_as(person)
    assert client.get(f"/api/v1/moderation/reports/{report.pk}/").status_code in (401, 403)
    response = client.post(f"/api/v1/moderation/reports/{report.pk}/duplicate/", {"case": open_case.pk}, format="json")
    assert response.status_code in (401, 403)
    report.refresh_from_db()
    assert report.status == "pending_review" and report.locked_by is None


@pytest.mark.parametrize("person", PEOPLE)
def test_only_moderators_reject_charities(api_as, person):
    charity = CharityFactory(status=Charity.Status.PENDING)
    response = api_as(person).post(f"/api/v1/moderation/charities/{charity.pk}/reject/", {"reason": "x"}, format="json")
    charity.refresh_from_db()
    allowed = person == "moderator_with_permission"
    assert response.status_code in ((200,) if allowed else (401, 403))
    assert (charity.status == "rejected") is allowed


def test_an_approved_reports_first_photo_becomes_the_cover(api_as):
    from django.core.files.base import ContentFile

    from cases.models import ReportPhoto

    report = ReportFactory()
    for n in range(2):
        ReportPhoto(report=report).image.save(f"{n}.jpg", ContentFile(b"jpeg"))
    first, second = ReportPhoto.objects.order_by("id")
    body = {**APPROVE, "photo_ids": [second.pk, first.pk]}
    api_as("moderator_with_permission").post(f"/api/v1/moderation/reports/{report.pk}/approve/", body, format="json")
    case = Case.objects.get()
    # Public copies of the picked photos, the second first: the report's files stay private.
    assert case.cover_photo.name != second.image.name and case.cover_photo.read() == second.image.read()
    [copy] = case.photos.all()
    assert copy.image.name != first.image.name and copy.image.read() == first.image.read()


def test_the_moderation_api_answers_in_the_requested_language(api_as):
    report = ReportFactory(status=Report.Status.REJECTED)
    client = api_as("moderator_with_permission")
    url = f"/api/v1/moderation/reports/{report.pk}/approve/"
    en = client.post(url, APPROVE, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    ar = client.post(url, APPROVE, format="json", HTTP_ACCEPT_LANGUAGE="ar").json()["detail"]
    assert en == "This report was already reviewed." and ar == "سبقت مراجعة هذا البلاغ."
