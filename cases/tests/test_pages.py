"""The web pages: public, charity, reports and moderation, in Arabic and English."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases.models import AuditEntry, Case, CaseFollow, Need, Report, ReportPhoto
from cases.tests.conftest import jpeg_with_gps
from cases.tests.factories import CaseFactory, NeedFactory, ReportFactory
from charities.models import Charity
from charities.tests.factories import CharityFactory
from core.models import ActivityType, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, request):
    def make(person):
        client.force_login(request.getfixturevalue(person))
        return client

    return make


def _report_form(**overrides):
    data = {
        "description": "سيدة مسنة تحتاج كرسيا متحركا",
        "region": Region.objects.get(code="EG-C").pk,
        "location_text": "حلوان",
        "contact": "",
        "urgency": 1,
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


# Public pages


def test_the_home_page_shows_the_hero_and_the_latest_open_cases(client, open_case):
    html = client.get("/ar/").content.decode()
    assert "بوقتك" in html
    assert open_case.title in html
    assert 'href="/ar/cases/"' in html


def test_the_case_list_filters_by_region_and_text(client, verified_charity):
    hit = CaseFactory(charity=verified_charity, title="كسوة الشتاء", story="ملابس شتوية للأطفال")
    miss = CaseFactory(charity=verified_charity, title="أخرى", story="شيء آخر")
    html = client.get("/ar/cases/", {"q": "كسوه", "region": "EG-C"}).content.decode()
    assert hit.title in html and miss.title not in html


@pytest.mark.parametrize("path", ["/ar/", "/ar/cases/", "/en/cases/"])
def test_list_pages_keep_a_constant_number_of_queries(client, verified_charity, path, django_assert_max_num_queries):
    for case in CaseFactory.create_batch(5, charity=verified_charity):
        NeedFactory(case=case)
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200
    for case in CaseFactory.create_batch(45, charity=verified_charity):
        NeedFactory(case=case)
    with django_assert_max_num_queries(6):
        assert client.get(path).status_code == 200


def test_a_card_links_to_its_case_page(client, open_case):
    """The cards write a case's link as the list's URL and its id (one reverse per list)."""
    from django.urls import reverse

    assert reverse("cases:detail", args=[open_case.pk]) == f"{reverse('cases:list')}{open_case.pk}/"
    for path in ("/ar/", "/ar/cases/", "/en/cases/", f"/ar/charities/{open_case.charity_id}/"):
        assert f'href="{path[:3]}/cases/{open_case.pk}/"' in client.get(path).content.decode(), path


def test_the_case_list_reads_its_filter_choices_once_a_minute(client, open_case, django_assert_num_queries):
    """Regions and activity types change in the admin a few times a year: the filter's
    choices are kept per process and language, so the list runs only its own queries."""
    client.get("/ar/cases/")
    with django_assert_num_queries(3):  # the capped count, the page, its need counts
        assert open_case.title in client.get("/ar/cases/").content.decode()
    html = client.get("/ar/cases/", {"region": "EG-C", "activity_type": "food_baskets"}).content.decode()
    assert '<option value="EG-C" selected>' in html and '<option value="food_baskets" selected>' in html
    assert open_case.title in client.get("/ar/cases/", {"region": open_case.region.code}).content.decode()
    assert client.get("/ar/cases/", {"region": "XX-NONE"}).status_code == 200  # an unknown code filters nothing


def test_the_case_page_has_story_needs_in_local_time_share_links_and_open_graph(client, open_case):
    starts = dt.datetime(2030, 3, 9, 14, 0, tzinfo=dt.UTC)  # 16:00 in Cairo
    NeedFactory(case=open_case, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    html = client.get(f"/ar/cases/{open_case.pk}/").content.decode()
    assert "16:00–18:00" in html
    assert "هـ" in html  # the Hijri date beside the Gregorian
    assert f'<meta property="og:title" content="{open_case.title}">' in html
    assert 'name="twitter:card"' in html
    assert "facebook.com/sharer" in html and "x.com/intent" in html and "wa.me/?text=" in html
    assert "موثقة" in html or "verified" in html.lower()


def test_private_details_are_not_on_the_public_page(client, open_case, signed_in):
    assert "01001234567" not in client.get(f"/ar/cases/{open_case.pk}/").content.decode()
    assert "01001234567" in signed_in("charity_owner").get(f"/ar/cases/{open_case.pk}/").content.decode()


def test_html_in_a_story_is_escaped_never_run(client, verified_charity):
    case = CaseFactory(
        charity=verified_charity, title="<script>alert(1)</script>", story="<img src=x onerror=alert(1)>"
    )
    html = client.get(f"/ar/cases/{case.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html and "<img src=x" not in html


def test_drafts_are_hidden_from_the_public_but_shown_to_their_staff(client, verified_charity, signed_in):
    draft = CaseFactory(charity=verified_charity, status=Case.Status.DRAFT, published_at=None)
    assert client.get(f"/ar/cases/{draft.pk}/").status_code == 404
    assert signed_in("charity_owner").get(f"/ar/cases/{draft.pk}/").status_code == 200


def test_following_from_the_page_and_unfollowing(open_case, signed_in, plain_user):
    client = signed_in("plain_user")
    assert client.post(f"/ar/cases/{open_case.pk}/follow/").status_code == 302
    assert CaseFollow.objects.filter(user=plain_user).exists()
    assert "إلغاء المتابعة" in client.get(f"/ar/cases/{open_case.pk}/").content.decode()
    client.post(f"/ar/cases/{open_case.pk}/follow/", {"follow": "0"})
    assert not CaseFollow.objects.exists()


def test_following_needs_a_post_and_a_sign_in(client, open_case):
    assert client.get(f"/ar/cases/{open_case.pk}/follow/").status_code == 405
    assert client.post(f"/ar/cases/{open_case.pk}/follow/").status_code == 302
    assert not CaseFollow.objects.exists()


def test_a_verified_charity_profile_is_public_and_a_pending_one_is_not(client, verified_charity, open_case):
    html = client.get(f"/ar/charities/{verified_charity.pk}/").content.decode()
    assert verified_charity.name_ar in html and open_case.title in html
    assert client.get(f"/ar/charities/{CharityFactory(status='pending').pk}/").status_code == 404


# Reports


def test_an_anonymous_visitor_reports_with_a_photo_and_gets_a_tracking_code(client):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post("/ar/report/", {**_report_form(), "photos": [photo]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/ar/report/{report.tracking_code}/"
    html = client.get(response["Location"]).content.decode()
    assert report.tracking_code in html and "بانتظار المراجعة" in html
    with ReportPhoto.objects.get().image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": ""}, "Describe what is needed."),
        ({"region": ""}, "Choose the region."),
        ({"consent": ""}, "Confirm that the people concerned agree"),
    ],
)
def test_a_bad_report_form_shows_the_error_and_saves_nothing(client, overrides, message):
    response = client.post("/en/report/", _report_form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_non_image_photo_is_refused_on_the_form(client):
    fake = SimpleUploadedFile("p.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client.post("/en/report/", {**_report_form(), "photos": [fake]})
    assert response.status_code == 400
    assert "not an image" in response.content.decode()
    assert not Report.objects.exists()


def test_the_honeypot_catches_bots_and_saves_nothing(client):
    response = client.post("/ar/report/", _report_form(website="http://spam.example"))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_form_says_so_after_five_reports_a_minute(client, monkeypatch):
    monkeypatch.setattr("cases.services.reports.clock", lambda: 1_800_000_000.0)  # mid-minute, fixed
    for _ in range(5):
        assert client.post("/ar/report/", _report_form()).status_code == 302
    response = client.post("/ar/report/", _report_form())
    assert response.status_code == 429
    assert "انتظر" in response.content.decode()
    assert Report.objects.count() == 5


def test_the_status_page_shows_the_rejection_reason_and_nothing_private(client):
    report = ReportFactory(status=Report.Status.REJECTED, reason="لا يمكن التحقق", contact="01001234567")
    html = client.get(f"/ar/report/{report.tracking_code}/").content.decode()
    assert "لا يمكن التحقق" in html and "01001234567" not in html and "شبرا" not in html


# Charity pages


def test_registering_an_organisation_from_the_form(signed_in, plain_user):
    client = signed_in("plain_user")
    data = {
        "name_ar": "جمعية النور",
        "country": "EG",
        "license_number": "٤٤٥",
        "regions": [Region.objects.get(code="EG-C").pk],
    }
    response = client.post("/ar/charities/register/", data)
    assert response.status_code == 302
    charity = Charity.objects.get()
    assert charity.status == "pending" and charity.license_number == "445"
    html = client.get(response["Location"]).content.decode()
    assert "بانتظار التوثيق" in html or "ينتظر" in html


def test_the_dashboard_lists_cases_and_claimable_reports(signed_in, open_case, claimable_case):
    html = signed_in("charity_owner").get("/ar/dashboard/").content.decode()
    assert open_case.title in html and claimable_case.title in html


def test_an_unverified_charity_sees_why_it_cannot_publish(signed_in, verified_charity):
    Charity.objects.filter(pk=verified_charity.pk).update(status="pending")
    client = signed_in("charity_owner")
    data = {
        "title": "أسرة",
        "story": "قصة",
        "region": Region.objects.get(code="EG-C").pk,
        "urgency": 1,
        "publish": "on",
    }
    response = client.post(f"/en/cases/new/?charity={verified_charity.pk}", data)
    assert response.status_code == 200
    assert "not verified yet" in response.content.decode()
    assert not Case.objects.exists()


def test_staff_of_another_charity_cannot_open_the_edit_page(signed_in, open_case):
    client = signed_in("other_charity_staff")
    assert client.get(f"/ar/cases/{open_case.pk}/edit/").status_code == 404
    assert client.post(f"/ar/cases/{open_case.pk}/edit/", {"title": "x", "story": "y", "urgency": 1}).status_code == 404
    open_case.refresh_from_db()
    assert open_case.title != "x"


def test_a_need_entered_in_cairo_time_is_stored_in_utc(signed_in, open_case):
    client = signed_in("charity_owner")
    day = (timezone.now() + dt.timedelta(days=10)).date()
    data = {
        "activity_type": ActivityType.objects.first().pk,
        "starts_at": f"{day}T16:00",
        "ends_at": f"{day}T19:00",
        "volunteers_needed": "٥",
        "gender": "",
    }
    response = client.post(f"/ar/cases/{open_case.pk}/needs/new/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    need = Need.objects.get()
    assert need.starts_at.astimezone(ZoneInfo("Africa/Cairo")).hour == 16
    assert need.volunteers_needed == 5


def test_a_need_ending_before_it_starts_is_refused_on_the_form(signed_in, open_case):
    day = (timezone.now() + dt.timedelta(days=10)).date()
    data = {
        "activity_type": ActivityType.objects.first().pk,
        "starts_at": f"{day}T16:00",
        "ends_at": f"{day}T15:00",
        "volunteers_needed": "2",
    }
    response = signed_in("charity_owner").post(f"/en/cases/{open_case.pk}/needs/new/", data)
    assert "The end must come after the start." in response.content.decode()
    assert not Need.objects.exists()


def test_claiming_from_the_page(signed_in, claimable_case, verified_charity):
    response = signed_in("charity_owner").post(
        f"/ar/cases/{claimable_case.pk}/claim/", {"charity": verified_charity.pk}
    )
    assert response.status_code == 302
    claimable_case.refresh_from_db()
    assert claimable_case.charity == verified_charity


# Moderation pages


@pytest.mark.parametrize("person", ["plain_user", "charity_owner", "moderator"])
def test_the_queue_is_not_found_for_non_moderators(signed_in, person):
    assert signed_in(person).get("/ar/moderation/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_the_queue(client):
    response = client.get("/ar/moderation/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_moderator_works_a_report_from_the_queue(signed_in, moderator_with_permission):
    report = ReportFactory(description="عائلة تحتاج مساعدة عاجلة")
    client = signed_in("moderator_with_permission")
    assert "عائلة تحتاج" in client.get("/ar/moderation/").content.decode()
    html = client.get(f"/ar/moderation/reports/{report.pk}/").content.decode()
    report.refresh_from_db()
    assert report.locked_by is None and not AuditEntry.objects.exists(), "reading changes nothing"
    assert 'id="take"' in html
    assert client.post(f"/ar/moderation/reports/{report.pk}/lock/").status_code == 302
    report.refresh_from_db()
    assert report.locked_by == moderator_with_permission
    assert "15" in client.get(f"/ar/moderation/reports/{report.pk}/").content.decode()
    refused = client.post(f"/ar/moderation/reports/{report.pk}/approve/", {"title": "عائلة في شبرا"})
    assert refused.status_code == 400 and not Case.objects.exists()  # the public story is the moderator's
    response = client.post(
        f"/ar/moderation/reports/{report.pk}/approve/",
        {"title": "عائلة في شبرا", "story": "أسرة من خمسة أفراد تحتاج طعامًا."},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.title == "عائلة في شبرا" and case.charity is None
    assert AuditEntry.objects.filter(action="report_approved").exists()
    assert "عائلة في شبرا" not in client.get("/ar/moderation/").content.decode()
    assert moderator_with_permission.email in client.get("/ar/moderation/audit/").content.decode()


def test_another_moderator_sees_a_taken_report_as_taken(signed_in, make_user, moderator_with_permission):
    from django.contrib.auth.models import Permission

    report = ReportFactory()
    report.locked_by, report.locked_until = moderator_with_permission, timezone.now() + dt.timedelta(minutes=5)
    report.save()
    second = make_user("second@example.org", is_staff=True, moderates_everywhere=True)
    second.user_permissions.add(Permission.objects.get(codename="moderate"))
    from django.test import Client

    client = Client()
    client.force_login(second)
    assert moderator_with_permission.email in client.get("/en/moderation/").content.decode()
    html = client.get(f"/en/moderation/reports/{report.pk}/").content.decode()
    assert "Another moderator is reviewing this report." in html
    assert 'id="approve"' not in html


def test_rejecting_from_the_page_without_a_reason_is_refused(signed_in):
    report = ReportFactory()
    client = signed_in("moderator_with_permission")
    client.post(f"/ar/moderation/reports/{report.pk}/reject/", {"reason": ""})
    report.refresh_from_db()
    assert report.status == "pending_review"


def test_a_moderator_verifies_a_charity_from_the_queue(signed_in):
    charity = CharityFactory(status="pending", name_ar="جمعية جديدة")
    client = signed_in("moderator_with_permission")
    assert "جمعية جديدة" in client.get("/ar/moderation/").content.decode()
    client.post(f"/ar/moderation/charities/{charity.pk}/verify/")
    charity.refresh_from_db()
    assert charity.status == "verified"
    assert AuditEntry.objects.get().charity == charity


def test_the_moderation_queue_keeps_its_query_count(signed_in, django_assert_max_num_queries):
    client = signed_in("moderator_with_permission")
    ReportFactory.create_batch(5)
    with django_assert_max_num_queries(12):
        client.get("/ar/moderation/")
    ReportFactory.create_batch(45)
    with django_assert_max_num_queries(12):
        html = client.get("/ar/moderation/").content.decode()
    assert len(re.findall("queue-report", html)) == 50


def test_a_need_is_edited_in_local_time_and_only_rescheduled_once_someone_is_confirmed(signed_in, open_case):
    need = NeedFactory(case=open_case, starts_at=dt.datetime(2030, 5, 1, 13, 0, tzinfo=dt.UTC))
    client = signed_in("charity_owner")
    html = client.get(f"/ar/needs/{need.pk}/edit/").content.decode()
    assert 'value="2030-05-01T16:00"' in html  # Cairo keeps summer time: UTC+3 in May
    data = {
        "activity_type": need.activity_type_id,
        "starts_at": "2030-05-01T17:00",
        "ends_at": "2030-05-01T20:00",
        "volunteers_needed": "7",
    }
    assert client.post(f"/ar/needs/{need.pk}/edit/", data).status_code == 302
    need.refresh_from_db()
    assert need.volunteers_needed == 7 and need.starts_at == dt.datetime(2030, 5, 1, 14, 0, tzinfo=dt.UTC)
    Need.objects.filter(pk=need.pk).update(volunteers_confirmed=1)
    html = client.get(f"/en/needs/{need.pk}/edit/").content.decode()
    assert "need-times-only" in html
    assert re.search(r'name="volunteers_needed"[^>]*disabled', html)
    moved = {**data, "volunteers_needed": "2", "starts_at": "2030-05-01T18:00", "ends_at": "2030-05-01T21:00"}
    assert client.post(f"/en/needs/{need.pk}/edit/", moved).status_code == 302
    need.refresh_from_db()
    assert need.volunteers_needed == 7, "a locked field posted anyway is ignored"
    assert need.starts_at == dt.datetime(2030, 5, 1, 15, 0, tzinfo=dt.UTC)


def test_staff_of_another_charity_cannot_edit_a_need_page(signed_in, open_case):
    need = NeedFactory(case=open_case)
    assert signed_in("other_charity_staff").get(f"/ar/needs/{need.pk}/edit/").status_code == 404


def test_the_dashboard_and_the_charity_profile_keep_their_query_counts(
    signed_in, verified_charity, django_assert_max_num_queries
):
    client = signed_in("charity_owner")
    CaseFactory.create_batch(5, charity=verified_charity)
    CaseFactory.create_batch(5, charity=None)
    with django_assert_max_num_queries(16):
        client.get("/ar/dashboard/")
    with django_assert_max_num_queries(10):
        client.get(f"/ar/charities/{verified_charity.pk}/")
    CaseFactory.create_batch(45, charity=verified_charity)
    CaseFactory.create_batch(20, charity=None)
    with django_assert_max_num_queries(16):
        html = client.get("/ar/dashboard/").content.decode()
    assert html.count("claimable-case") == 20
    with django_assert_max_num_queries(10):
        client.get(f"/ar/charities/{verified_charity.pk}/")


def test_script_in_a_report_is_escaped_on_the_moderation_page(signed_in):
    report = ReportFactory(description="<script>alert('x')</script>", location_text="<b onmouseover=alert(1)>")
    html = signed_in("moderator_with_permission").get(f"/ar/moderation/reports/{report.pk}/").content.decode()
    assert "<script>alert('x')</script>" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;" in html


def test_the_owner_invites_from_the_page_and_the_invitee_joins(signed_in, verified_charity, make_user, client):
    from charities.models import Membership, StaffInvitation

    owner = signed_in("charity_owner")
    assert (
        owner.post(
            f"/ar/charities/{verified_charity.pk}/staff/", {"email": "new@example.org", "role": "coordinator"}
        ).status_code
        == 302
    )
    invitation = StaffInvitation.objects.get()
    client.force_login(make_user("new@example.org"))
    assert verified_charity.name_ar in client.get(f"/ar/charities/invitations/{invitation.token}/").content.decode()
    assert client.post(f"/ar/charities/invitations/{invitation.token}/").status_code == 302
    assert Membership.objects.filter(
        charity=verified_charity, user__email="new@example.org", role="coordinator"
    ).exists()
    assert client.get(f"/ar/charities/invitations/{invitation.token}/").status_code == 404


def test_only_the_owner_opens_the_invite_page(signed_in, verified_charity):
    assert signed_in("other_charity_staff").get(f"/ar/charities/{verified_charity.pk}/staff/").status_code == 404


def test_staff_create_a_case_with_a_cover_from_the_form_and_edit_it(signed_in, verified_charity):
    client = signed_in("charity_owner")
    assert client.get(f"/ar/cases/new/?charity={verified_charity.pk}").status_code == 200
    data = {
        "title": "أسرة في حلوان",
        "story": "أم وثلاثة أطفال يحتاجون سلة غذائية شهرية.",
        "region": Region.objects.get(code="EG-C").pk,
        "urgency": 2,
        "private_details": "أم محمد 01112223334",
        "latitude": "٣٠٫٠٤",
        "longitude": "31.23",
        "publish": "on",
        "cover_photo": SimpleUploadedFile("c.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    }
    response = client.post(f"/ar/cases/new/?charity={verified_charity.pk}", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.status, case.latitude, case.urgency) == ("open", 30.04, 2)
    with case.cover_photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
    edit = {"title": "أسرة في حلوان (محدّث)", "story": case.story, "urgency": 1, "private_details": ""}
    assert client.post(f"/ar/cases/{case.pk}/edit/", edit).status_code == 302
    case.refresh_from_db()
    assert case.title.endswith("(محدّث)") and case.private_details == ""


def test_posting_an_update_from_the_case_page(signed_in, open_case):
    client = signed_in("charity_owner")
    response = client.post(f"/ar/cases/{open_case.pk}/updates/", {"text": "وزعنا السلال", "is_achievement": "on"})
    assert response.status_code == 302
    assert "وزعنا السلال" in client.get(f"/ar/cases/{open_case.pk}/").content.decode()
    assert signed_in("other_charity_staff").post(f"/ar/cases/{open_case.pk}/updates/", {"text": "x"}).status_code == 404
