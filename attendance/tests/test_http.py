"""The API and the pages over HTTP: permissions, bad input in Arabic with nothing
saved, repeats and the public verification."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from attendance import certificates, checkin, services
from attendance.models import Attendance, Certificate, HoursRecord, HoursRequest
from attendance.tasks import attendance_reminders_task
from attendance.tests.factories import confirmed_match
from matching.tests.factories import make_need, make_volunteer
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(charity):
    """A need that started half an hour ago, two hours long."""
    starts = timezone.now() - dt.timedelta(minutes=30)
    return make_need(charity=charity, starts=starts, ends=starts + dt.timedelta(hours=2), volunteers_needed=3)


@pytest.fixture
def live_match(live, person):
    return confirmed_match(live, person)


def _url(match):
    return f"/api/v1/matches/{match.pk}/attendance/"


def test_staff_mark_attendance_over_the_api(api, live_match, coordinator):
    response = api(coordinator).post(_url(live_match), {"status": "partial", "minutes": 30}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["minutes"] == 30
    again = api(coordinator).post(_url(live_match), {"status": "partial", "minutes": 30}, format="json")
    assert again.status_code == 200 and HoursRecord.objects.count() == 1


def test_attendance_refuses_anonymous_outsiders_and_the_wrong_method(api, live_match, other_charity_staff, person):
    body = {"status": "attended"}
    assert api().post(_url(live_match), body, format="json").status_code in (401, 403)
    assert api(other_charity_staff).post(_url(live_match), body, format="json").status_code == 404
    assert api(person.user).post(_url(live_match), body, format="json").status_code == 404
    assert api(live_match.need.case.charity.memberships.first().user).get(_url(live_match)).status_code == 405
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "arabic"),
    [
        ({"status": "partial", "minutes": 500}, "minutes", "لا يمكن أن تزيد الدقائق"),
        ({"status": "partial", "minutes": -1}, "minutes", "أكثر من صفر"),
        ({"status": "late"}, "status", "اختر"),
        ({"status": "attended", "extra": 1}, "extra", ""),
    ],
)
def test_bad_attendance_is_a_400_in_arabic_and_saves_nothing(api, live_match, charity_owner, body, field, arabic):
    response = api(charity_owner).post(_url(live_match), body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert arabic in response.json()[field][0]
    assert not Attendance.objects.exists() and not HoursRecord.objects.exists()


def test_attendance_before_the_start_is_a_409(api, need, person, charity_owner):
    match = confirmed_match(need, person)  # 2027-01-09: not started yet
    response = api(charity_owner).post(_url(match), {"status": "attended"}, format="json")
    assert response.status_code == 409 and "بعد بدء" in response.json()["detail"]
    assert not Attendance.objects.exists()


def test_attendance_for_a_volunteer_not_confirmed_is_a_404(api, live, charity_owner):
    from matching.models import Match

    invited = confirmed_match(live, make_volunteer("waiting"), status=Match.Status.INVITED)
    assert api(charity_owner).post(_url(invited), {"status": "attended"}, format="json").status_code == 404
    assert not Attendance.objects.exists()


def test_the_need_list_and_everyone_at_once(api, live, live_match, charity_owner, other_charity_staff):
    confirmed_match(live, make_volunteer("second"))
    url = f"/api/v1/needs/{live.pk}/attendance/"
    assert api(other_charity_staff).get(url).status_code == 404
    rows = api(charity_owner).get(url).json()
    assert [row["attendance"] for row in rows] == [None, None]
    marked = api(charity_owner).post(url).json()
    assert {row["attendance"]["status"] for row in marked} == {"attended"}


def test_check_in_over_the_api(api, live_match, person, other_volunteer):
    url = f"/api/v1/needs/{live_match.need_id}/check-in/"
    code = checkin.current_code(live_match.need, now=timezone.now())
    assert api(other_volunteer).post(url, {"code": code}, format="json").status_code == 404
    wrong = api(person.user).post(url, {"code": "12"}, format="json")
    assert wrong.status_code == 400 and "غير صحيح" in wrong.json()["code"][0]
    assert not Attendance.objects.exists()
    response = api(person.user).post(url, {"code": code}, format="json")
    assert response.status_code == 200 and response.json()["source"] == "check_in"


def test_an_expired_check_in_code_says_so_in_arabic(api, live_match, person):
    old = checkin.current_code(live_match.need, now=timezone.now() - dt.timedelta(minutes=40))
    response = api(person.user).post(f"/api/v1/needs/{live_match.need_id}/check-in/", {"code": old}, format="json")
    assert response.status_code == 400 and "انتهت صلاحية هذا الرمز" in response.json()["code"][0]
    assert not Attendance.objects.exists()


def test_wrong_check_in_codes_are_throttled_with_a_429(api, live_match, person):
    cache.clear()
    url = f"/api/v1/needs/{live_match.need_id}/check-in/"
    statuses = [api(person.user).post(url, {"code": "000000"}, format="json").status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    assert not Attendance.objects.exists()


def test_my_hours(api, live_match, person, charity_owner, django_assert_max_num_queries):
    services.attendance_mark(match=live_match, user=charity_owner, status="attended")
    client = api(person.user)
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/me/hours/").json()
    assert data["total_minutes"] == 120 and data["records"][0]["source"] == "attendance"
    assert api().get("/api/v1/me/hours/").status_code in (401, 403)


def test_hours_requests_over_the_api(api, person, charity, charity_owner, other_charity_staff):
    body = {
        "charity": charity.pk,
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "minutes": 2000,
        "description": "Cooked iftar.",
    }
    too_long = api(person.user).post("/api/v1/me/hours/requests/", body, format="json")
    assert too_long.status_code == 400 and "24" in too_long.json()["minutes"][0]
    assert not HoursRequest.objects.exists()
    created = api(person.user).post("/api/v1/me/hours/requests/", {**body, "minutes": 120}, format="json")
    assert created.status_code == 201 and created.json()["worked_with_before"] is False
    pk = created.json()["id"]
    assert api(other_charity_staff).post(f"/api/v1/hours-requests/{pk}/approve/").status_code == 404
    assert api(person.user).post(f"/api/v1/hours-requests/{pk}/approve/").status_code == 404
    no_reason = api(charity_owner).post(f"/api/v1/hours-requests/{pk}/decline/", {"reason": ""}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert api(charity_owner).post(f"/api/v1/hours-requests/{pk}/approve/").json()["status"] == "approved"
    assert api(charity_owner).post(f"/api/v1/hours-requests/{pk}/approve/").status_code == 409
    listed = api(charity_owner).get(f"/api/v1/charities/{charity.pk}/hours-requests/").json()
    assert listed["results"][0]["id"] == pk


def test_certificates_over_the_api(api, live_match, person, charity, charity_owner, coordinator):
    none_yet = api(person.user).post("/api/v1/me/certificates/", {}, format="json")
    assert none_yet.status_code == 409 and not Certificate.objects.exists()
    services.attendance_mark(match=live_match, user=charity_owner, status="attended")
    issued = api(person.user).post("/api/v1/me/certificates/", {"charity": charity.pk}, format="json").json()
    code = issued["code"]
    assert issued["verify_url"].endswith(f"/verify/{code}/") and issued["minutes"] == 120
    public = api().get(f"/api/v1/certificates/{code}/").json()
    assert public["status"] == "valid" and public["holder"] == "mona" and "email" not in str(public)
    assert api(coordinator).post(f"/api/v1/certificates/{code}/revoke/").status_code == 403
    assert api().post(f"/api/v1/certificates/{code}/revoke/").status_code in (401, 403)
    assert api(charity_owner).post(f"/api/v1/certificates/{code}/revoke/").json()["status"] == "revoked"
    # a revoked certificate verifies as revoked, never as missing
    again = api().get(f"/api/v1/certificates/{code}/")
    assert again.status_code == 200 and again.json()["status"] == "revoked"
    assert api().get("/api/v1/certificates/NOPE-NOPE/").status_code == 404


def test_certificate_lookups_are_throttled(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "certificates": "2/min"},
    }
    statuses = [api().get(f"/api/v1/certificates/GUESS{n}/").status_code for n in range(3)]
    assert statuses == [404, 404, 429]


def test_exports_over_the_api(api, live_match, charity, charity_owner, other_charity_staff):
    services.attendance_mark(match=live_match, user=charity_owner, status="attended")
    url = f"/api/v1/charities/{charity.pk}/hours.csv"
    assert api(other_charity_staff).get(url).status_code == 404
    response = api(charity_owner).get(url)
    assert response.content.startswith("\ufeff".encode()) and response.content.count(b"\n") == 2
    bad = api(charity_owner).get(url + "?month=13-2027")
    assert bad.status_code == 400 and "month" in bad.json()
    month = timezone.localdate().strftime("%Y-%m")
    assert api(charity_owner).get(f"/api/v1/charities/{charity.pk}/hours.xlsx?month={month}").status_code == 200


def test_the_reminder_task(live, live_match, charity_owner):
    live.ends_at = timezone.now() - dt.timedelta(days=1, hours=1)
    live.starts_at = live.ends_at - dt.timedelta(hours=2)
    live.save()
    assert attendance_reminders_task() == 1
    assert attendance_reminders_task() == 0
    assert Notification.objects.filter(kind="attendance_reminder", recipient=charity_owner).count() >= 1


# --- Pages --------------------------------------------------------------------------------------------------


def test_the_coordinators_page_shows_the_code_and_marks(client, live, live_match, charity_owner, other_charity_staff):
    client.force_login(other_charity_staff)
    assert client.get(f"/ar/attendance/needs/{live.pk}/").status_code == 404
    client.force_login(charity_owner)
    page = client.get(f"/ar/attendance/needs/{live.pk}/")
    assert page.status_code == 200
    assert checkin.current_code(live, now=timezone.now()) in page.content.decode() and b"<svg" in page.content
    response = client.post(f"/ar/attendance/matches/{live_match.pk}/mark/", {"status": "partial", "minutes": "٩٠"})
    assert response.status_code == 302 and Attendance.objects.get().minutes == 90
    client.post(f"/ar/attendance/matches/{live_match.pk}/mark/", {"status": "partial", "minutes": "999"})
    assert Attendance.objects.get().minutes == 90  # refused, nothing changed
    assert "لا يمكن أن تزيد" in client.get(f"/ar/attendance/needs/{live.pk}/").content.decode()


def test_the_check_in_page(client, live_match, person, other_volunteer):
    client.force_login(other_volunteer)
    assert client.get(f"/ar/attendance/needs/{live_match.need_id}/check-in/").status_code == 404
    client.force_login(person.user)
    code = checkin.current_code(live_match.need, now=timezone.now())
    wrong = client.post(f"/ar/attendance/needs/{live_match.need_id}/check-in/", {"code": "999"})
    assert wrong.status_code == 400 and "غير صحيح" in wrong.content.decode()
    done = client.post(f"/ar/attendance/needs/{live_match.need_id}/check-in/", {"code": code})
    assert done.status_code == 200 and Attendance.objects.get().source == "check_in"


def test_the_hours_page_and_its_request_form(client, person, charity, django_assert_max_num_queries):
    client.force_login(person.user)
    with django_assert_max_num_queries(14):
        assert client.get("/ar/attendance/hours/").status_code == 200
    bad = client.post("/ar/attendance/hours/request/", {"charity": charity.pk, "date": "", "minutes": "30"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    assert not HoursRequest.objects.exists()
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    good = client.post(
        "/ar/attendance/hours/request/", {"charity": charity.pk, "date": day, "minutes": "٦٠", "description": "x"}
    )
    assert good.status_code == 302 and HoursRequest.objects.get().minutes == 60


@pytest.mark.pdf
def test_the_public_verify_page_and_pdf(client, live_match, person, charity, charity_owner):
    services.attendance_mark(match=live_match, user=charity_owner, status="attended")
    certificate = certificates.certificate_issue(user=person.user, charity=charity)
    redirect = client.get(f"/verify/{certificate.code}/", HTTP_ACCEPT_LANGUAGE="ar")
    assert redirect.status_code == 302 and redirect["Location"] == f"/ar/verify/{certificate.code}/"
    page = client.get(f"/ar/verify/{certificate.code}/")
    assert "هذه الشهادة سارية" in page.content.decode() and "mona" in page.content.decode()
    assert b"Revoke" not in page.content and "إلغاء هذه الشهادة" not in page.content.decode()
    pdf = client.get(f"/certificates/{certificate.code}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(charity_owner)
    client.post(f"/ar/verify/{certificate.code}/revoke/")
    client.logout()
    revoked = client.get(f"/ar/verify/{certificate.code}/")
    assert revoked.status_code == 200 and "أُلغيت هذه الشهادة" in revoked.content.decode()
    missing = client.get("/ar/verify/NOTACODE/")
    assert missing.status_code == 404 and "لا توجد شهادة" in missing.content.decode()


def test_the_charity_page_lists_requests_and_exports(client, person, charity, charity_owner, other_charity_staff):
    services.hours_request_create(
        user=person.user, charity=charity, date=timezone.localdate(), minutes=30, description="Sorted books."
    )
    client.force_login(other_charity_staff)
    assert client.get(f"/ar/attendance/charities/{charity.pk}/hours/").status_code == 404
    client.force_login(charity_owner)
    page = client.get(f"/ar/attendance/charities/{charity.pk}/hours/").content.decode()
    assert "Sorted books." in page and "لم يتطوع معكم" in page
    bad = client.get(f"/ar/attendance/charities/{charity.pk}/hours.csv?month=nope")
    assert bad.status_code == 302
    assert client.get(f"/ar/attendance/charities/{charity.pk}/hours.xlsx").status_code == 200
