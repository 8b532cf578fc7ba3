"""Public reports through the API: submit, track, and the abuse guards."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cases.models import Report, ReportPhoto
from cases.tests.conftest import jpeg_with_gps
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def _report(**overrides):
    payload = {
        "description": "أسرة بلا مأوى تحتاج بطاطين",
        "region": "EG-C",
        "location_text": "المطرية",
        "contact": "reporter@example.org",
        "consent": True,
    }
    payload.update(overrides)
    return payload


def test_anyone_reports_a_case_and_gets_a_tracking_code(api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = api_as("anonymous").post("/api/v1/reports/", _report(), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending_review"
    report = Report.objects.get(tracking_code=body["tracking_code"])
    assert report.contact_email == "reporter@example.org"
    assert not Notification.objects.exists()  # the reporter hears when a moderator decides


def test_the_status_page_shows_status_and_reason_and_nothing_private(api_as):
    code = (
        api_as("anonymous")
        .post("/api/v1/reports/", _report(contact="01001234567"), format="json")
        .json()["tracking_code"]
    )
    body = api_as("anonymous").get(f"/api/v1/reports/{code.lower()}/").json()
    assert body["status"] == "pending_review"
    assert "01001234567" not in str(body) and "المطرية" not in str(body)
    assert api_as("anonymous").get("/api/v1/reports/ZZZZ-ZZZZ/").status_code == 404


def test_phones_typed_in_arabic_digits_are_normalised(api_as):
    api_as("anonymous").post("/api/v1/reports/", _report(contact="٠١٠٠١٢٣٤٥٦٧"), format="json")
    assert Report.objects.get().contact_phone == "+201001234567"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": ""}, "description"),
        ({"region": None}, "region"),
        ({"consent": False}, "consent"),
        ({"region": "XX-99"}, "region"),
        ({"description": "   "}, "description"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field_and_nothing_is_saved(api_as, overrides, field):
    payload = {k: v for k, v in _report(**overrides).items() if v is not None}
    response = api_as("anonymous").post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Report.objects.exists()
    assert not Notification.objects.exists()


def _submitted(api_as) -> str:
    return api_as("anonymous").post("/api/v1/reports/", _report(), format="json").json()["tracking_code"]


def test_uploaded_photos_are_re_encoded_without_exif(api_as):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with Image.open(io.BytesIO(jpeg_with_gps())) as original:
        assert original.getexif().get_ifd(0x8825), "the test image must carry GPS to begin with"
    code = _submitted(api_as)
    response = api_as("anonymous").post(f"/api/v1/reports/{code}/photos/", {"photos": [photo]}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending_review"
    saved = ReportPhoto.objects.get()
    with saved.image.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"PhoneMaker" not in saved.image.open("rb").read()


@pytest.mark.parametrize(
    ("files", "message_part"),
    [
        ([SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")], "not an image"),
        ([SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")], "5 MB"),
        ([SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps(), content_type="image/jpeg") for n in range(6)], "at most 5"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_saved(api_as, files, message_part, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
    code = _submitted(api_as)
    response = api_as("anonymous").post(
        f"/api/v1/reports/{code}/photos/", {"photos": files}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert message_part in response.json()["photos"][0]
    assert not ReportPhoto.objects.exists()


def test_photos_wait_for_review_and_need_the_right_code(api_as):
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client = api_as("anonymous")
    assert client.post("/api/v1/reports/ZZZZ-ZZZZ/photos/", {"photos": [photo]}, format="multipart").status_code == 404
    code = _submitted(api_as)
    Report.objects.update(status=Report.Status.REJECTED)
    photo.seek(0)
    response = client.post(f"/api/v1/reports/{code}/photos/", {"photos": [photo]}, format="multipart")
    assert response.status_code == 409
    assert not ReportPhoto.objects.exists()


def test_a_json_report_with_photos_points_to_the_upload(api_as):
    response = api_as("anonymous").post(
        "/api/v1/reports/", _report(photos=["data:image/jpeg;base64,AAAA"]), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "/api/v1/reports/{tracking_code}/photos/" in response.json()["photos"][0]
    assert not Report.objects.exists()


def test_null_or_empty_photos_in_json_still_mean_none(api_as):
    for photos in (None, []):
        response = api_as("anonymous").post("/api/v1/reports/", _report(photos=photos), format="json")
        assert response.status_code == 201, response.json()


def test_a_multipart_report_is_refused(api_as):
    response = api_as("anonymous").post("/api/v1/reports/", _report(consent="true"), format="multipart")
    assert response.status_code == 415
    assert not Report.objects.exists()


def test_a_sixth_report_in_a_minute_is_throttled(api_as, monkeypatch):
    monkeypatch.setattr("cases.services.reports.clock", lambda: 1_800_000_000.0)  # mid-minute, fixed
    client = api_as("anonymous")
    for _ in range(5):
        assert client.post("/api/v1/reports/", _report(), format="json").status_code == 201
    response = client.post("/api/v1/reports/", _report(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many reports" in response.json()["detail"]
    assert Report.objects.count() == 5


def test_reporting_is_post_only(api_as):
    assert api_as("anonymous").get("/api/v1/reports/").status_code == 405


def test_script_in_a_report_is_stored_as_text(api_as):
    api_as("anonymous").post("/api/v1/reports/", _report(description="<script>alert(1)</script>"), format="json")
    assert Report.objects.get().description == "<script>alert(1)</script>"  # escaped when shown (see pages)


def test_a_signed_in_reporter_is_told_of_the_decision_in_the_app_too(api_as, plain_user):
    response = api_as("plain_user").post("/api/v1/reports/", _report(contact=""), format="json")
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.reporter == plain_user
    api_as("moderator_with_permission").post(f"/api/v1/moderation/reports/{report.pk}/reject/", {"reason": "مكرر"})
    row = Notification.objects.get(kind=Kind.REPORT_STATUS, recipient=plain_user, channel="in_app")
    assert row.context["status"] == "rejected" and row.context["url"] == f"/report/{report.tracking_code}/"


def test_a_contact_that_is_neither_phone_nor_email_is_kept_as_typed(api_as):
    response = api_as("anonymous").post(
        "/api/v1/reports/", _report(contact="اسأل عن الحاج محمد في البقالة"), format="json"
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert (report.contact, report.contact_phone, report.contact_email) == ("اسأل عن الحاج محمد في البقالة", "", "")


def test_the_report_schema_lists_regions_and_demands_consent(api_as):
    schema = api_as("anonymous").get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    fields = components["ReportCreateRequest"]["properties"]

    def enum(field):
        ref = field.get("$ref") or field.get("allOf", [{}])[0].get("$ref")
        return components[ref.rsplit("/", 1)[1]]["enum"] if ref else field["enum"]

    assert "EG-C" in enum(fields["region"]) and enum(fields["consent"]) == [True]
    assert "consent" in components["ReportCreateRequest"]["required"]
