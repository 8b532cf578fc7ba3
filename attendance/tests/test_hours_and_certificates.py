import csv
import datetime as dt
import io
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone, translation

from attendance import certificates, exports, selectors, services
from attendance.models import Certificate, HoursRecord, HoursRequest
from attendance.tests.conftest import AFTER
from core.errors import InvalidInput, NotAllowed, StateConflict
from matching.tests.factories import make_charity, make_need
from notifications.models import Notification

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "tests" / "artifacts"


def _ask(person, charity, **changes):
    values = {
        "date": timezone.localdate() - dt.timedelta(days=2),
        "minutes": 90,
        "description": "Taught children to read.",
        **changes,
    }
    return services.hours_request_create(user=person.user, charity=charity, **values)


def test_a_request_reaches_the_staff_and_says_whether_they_know_the_volunteer(
    person, charity, charity_owner, match, other_charity_staff
):
    known = _ask(person, charity)
    assert known.worked_with_before and known.status == "pending"
    assert Notification.objects.filter(kind="hours_requested", recipient=charity_owner).exists()
    stranger = other_charity_staff.charity_memberships.get().charity
    unknown = _ask(person, stranger, minutes=30)
    assert not unknown.worked_with_before  # allowed, and shown as such


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"minutes": 1441}, "minutes", "24 hours"),
        ({"minutes": 0}, "minutes", "more than zero"),
        ({"minutes": "x"}, "minutes", "whole number"),
        ({"date": "2099-01-01"}, "date", "future"),
        ({"date": "01/02/2026"}, "date", "YYYY-MM-DD"),
        ({"description": "  "}, "description", "what you did"),
    ],
)
def test_bad_requests_are_refused_and_save_nothing(person, charity, changes, field, message):
    with pytest.raises(InvalidInput) as error:
        _ask(person, charity, **changes)
    assert error.value.field == field and message.lower() in str(error.value.message).lower()
    assert not HoursRequest.objects.exists() and not Notification.objects.filter(kind="hours_requested").exists()


def test_a_day_holds_no_more_than_24_hours_across_requests(person, charity):
    _ask(person, charity, minutes=1000)
    with pytest.raises(InvalidInput) as error:
        _ask(person, charity, minutes=500)
    assert "24 hours" in str(error.value.message)
    assert HoursRequest.objects.count() == 1


def test_an_unverified_charity_cannot_be_asked(person):
    from charities.models import Charity

    pending = make_charity()
    pending.status = Charity.Status.PENDING
    pending.save()
    with pytest.raises(InvalidInput) as error:
        _ask(person, pending)
    assert error.value.field == "charity"


def test_approving_attests_the_hours_and_tells_the_volunteer(person, charity, coordinator):
    request = services.hours_request_approve(request=_ask(person, charity), user=coordinator)
    record = HoursRecord.objects.get()
    assert (record.source, record.minutes, record.request) == ("request", 90, request)
    assert Notification.objects.filter(kind="hours_decided", recipient=person.user).exists()
    with pytest.raises(StateConflict):
        services.hours_request_approve(request=request, user=coordinator)
    assert HoursRecord.objects.count() == 1


def test_declining_needs_a_reason(person, charity, charity_owner):
    request = _ask(person, charity)
    with pytest.raises(InvalidInput) as error:
        services.hours_request_decline(request=request, user=charity_owner, reason=" ")
    assert error.value.field == "reason"
    request.refresh_from_db()
    assert request.status == "pending"
    services.hours_request_decline(request=request, user=charity_owner, reason="We have no record of it.")
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "We have no record of it.")
    assert not HoursRecord.objects.exists()


def test_outsiders_cannot_decide(person, charity, other_charity_staff):
    request = _ask(person, charity)
    with pytest.raises(NotAllowed):
        services.hours_request_approve(request=request, user=other_charity_staff)
    with pytest.raises(NotAllowed):
        services.hours_request_approve(request=request, user=person.user)
    assert not HoursRecord.objects.exists()


def test_the_hours_summary(person, charity, charity_owner, match, django_assert_max_num_queries):
    services.attendance_mark(match=match, user=charity_owner, status="partial", minutes=75, now=AFTER)
    services.hours_request_approve(request=_ask(person, charity, minutes=60), user=charity_owner)
    with django_assert_max_num_queries(4):
        summary = selectors.hours_summary(person, today=timezone.localdate())
    assert summary["total_minutes"] == 135
    assert summary["by_month"][0] == {"month": "2027-01", "minutes": 75}  # newest first
    assert summary["by_month"][-1]["minutes"] == 60
    assert summary["by_charity"][0]["minutes"] == 135
    assert {row["activity_type__slug"] for row in summary["by_activity"]} == {"food_baskets", None}


# --- Certificates ----------------------------------------------------------------------------------------


def _hours(person, charity, owner, match):
    services.attendance_mark(match=match, user=owner, status="attended", now=AFTER)


def test_no_certificate_without_attested_hours(person):
    with pytest.raises(StateConflict):
        certificates.certificate_issue(user=person.user)
    assert not Certificate.objects.exists()


def test_a_certificate_snapshots_the_hours_per_charity(person, charity, charity_owner, match):
    _hours(person, charity, charity_owner, match)
    certificate = certificates.certificate_issue(user=person.user)
    assert len(certificate.code) == 16 and set(certificate.code) <= set(certificates.ALPHABET)
    assert certificate.minutes == 120 and certificate.lines[0]["charity_id"] == charity.pk
    assert certificate.first_date == certificate.last_date == dt.date(2027, 1, 9)
    other = certificates.certificate_issue(user=person.user)
    assert other.code != certificate.code


def test_hours_attested_outside_the_portal_carry_no_national_number(person, charity, charity_owner):
    services.hours_request_approve(request=_ask(person, charity), user=charity_owner)
    certificate = certificates.certificate_issue(user=person.user)
    assert certificate.lines[0]["opportunity_numbers"] == []  # not [None], shown as "None"


def test_only_the_issuing_charitys_owner_revokes(person, charity, charity_owner, coordinator, match, moderator):
    _hours(person, charity, charity_owner, match)
    certificate = certificates.certificate_issue(user=person.user, charity=charity)
    for outsider in (coordinator, person.user, moderator):
        with pytest.raises(NotAllowed):
            certificates.certificate_revoke(certificate=certificate, user=outsider)
    certificates.certificate_revoke(certificate=certificate, user=charity_owner)
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    with pytest.raises(StateConflict):
        certificates.certificate_revoke(certificate=certificate, user=charity_owner)


def test_codes_are_looked_up_loosely_and_throttled(person, charity, charity_owner, match, settings):
    from django.http import Http404

    from attendance.limits import TooManyAttempts

    _hours(person, charity, charity_owner, match)
    certificate = certificates.certificate_issue(user=person.user)
    loose = certificates.grouped(certificate.code).lower()
    assert certificates.certificate_lookup(loose, client="1.2.3.4") == certificate
    with pytest.raises(Http404):
        certificates.certificate_lookup("AAAA-BBBB", client="1.2.3.4")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "certificates": "3/min"},
    }
    certificates.certificate_lookup(certificate.code, client="1.2.3.4")  # the third of three
    with pytest.raises(TooManyAttempts):
        certificates.certificate_lookup(certificate.code, client="1.2.3.4")
    assert certificates.certificate_lookup(certificate.code, client="5.6.7.8") == certificate


@pytest.mark.pdf
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_certificate_pdf_renders_with_the_vendored_font_only(person, charity, charity_owner, match, language):
    from charities.models import Charity

    saudi = make_charity(charity_owner, region="SA-01")
    saudi.name_ar, saudi.name_en = "جمعية البر بالرياض", "Al-Birr Society"
    saudi.status = Charity.Status.VERIFIED
    saudi.save()
    need = make_need(charity=saudi, region="SA-01", national_opportunity_number="NVP-2027-0042")
    from attendance.tests.factories import confirmed_match

    services.attendance_mark(
        match=confirmed_match(need, person), user=charity_owner, status="partial", minutes=100, now=AFTER
    )
    _hours(person, charity, charity_owner, match)
    person.display_name = "منى عبد الرحمن"
    person.save()
    person.user.language = language
    person.user.save()
    certificate = certificates.certificate_issue(user=person.user)
    pdf = certificates.certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"certificate-{language}.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("VB-Naskh" in name for name in names), fonts  # no system font
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(path), str(path.with_suffix(""))],
        check=True,
    )
    assert path.with_suffix(".png").stat().st_size > 20_000
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "NVP-2027-0042" in text and certificates.grouped(certificate.code) in text
    if language == "ar":
        # pdftotext reads the Arabic runs back as right-to-left embeddings of Arabic letters
        assert "\u202b" in text and any("\u0600" <= ch <= "\u06ff" for ch in text)
        assert "1448" in text  # the Hijri year beside the Gregorian dates
    else:
        assert "Certificate of volunteer hours" in text and "AH" in text


# --- Exports -----------------------------------------------------------------------------------------------


def test_exports_keep_arabic_names_one_row_per_record(person, charity, charity_owner, match):
    person.display_name = "منى عبد الرحمن"
    person.save()
    _hours(person, charity, charity_owner, match)
    services.hours_request_approve(request=_ask(person, charity), user=charity_owner)
    _charity, records = selectors.hours_records_for_charity(charity_owner, charity.pk)
    with translation.override("ar"):
        body = exports.as_csv(records)
        book = exports.as_xlsx(records, title="hours")
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][1] == "منى عبد الرحمن"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet.max_row == 3 and sheet.cell(2, 2).value == "منى عبد الرحمن" and sheet.sheet_view.rightToLeft
    _charity, january = selectors.hours_records_for_charity(charity_owner, charity.pk, month="2027-01")
    assert [r.source for r in january] == ["attendance"]
    with pytest.raises(InvalidInput) as error:
        selectors.hours_records_for_charity(charity_owner, charity.pk, month="January")
    assert error.value.field == "month"


# --- The Saudi national platform's number ---------------------------------------------------------


def test_only_saudi_needs_take_the_national_number(charity, charity_owner):
    from cases.services.needs import need_update

    egypt = make_need(charity=charity)
    with pytest.raises(InvalidInput) as error:
        need_update(need=egypt, user=charity_owner, national_opportunity_number="NVP-1")
    assert error.value.field == "national_opportunity_number"
    egypt.refresh_from_db()
    assert egypt.national_opportunity_number == ""
    saudi = make_need(charity=make_charity(charity_owner, region="SA-01"), region="SA-01")
    saudi.volunteers_confirmed = 1
    saudi.save()
    need_update(need=saudi, user=charity_owner, national_opportunity_number="NVP-٢٠٢٧-1")
    saudi.refresh_from_db()
    assert saudi.national_opportunity_number == "NVP-2027-1"


def test_the_export_holds_hours_and_deleting_the_account_revokes_its_certificates(
    person, charity, charity_owner, match
):
    from volunteers import privacy

    _hours(person, charity, charity_owner, match)
    certificate = certificates.certificate_issue(user=person.user)
    exported = privacy.account_export(user=person.user)["hours"]
    assert exported["records"][0]["minutes"] == 120 and exported["certificates"][0]["code"] == certificate.code
    privacy.account_delete(user=person.user)
    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.status == "revoked"
