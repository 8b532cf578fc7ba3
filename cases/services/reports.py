"""Public reports: anyone tells us about a case; moderators decide (see moderation)."""

from time import time as clock

import phonenumbers
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from cases import location, search
from cases.models import Report, ReportPhoto, Urgency
from charities.images import images_clean, photo_limit_message
from core.errors import InputProblems, InvalidInput, StateConflict
from core.models import ActivityType, Region
from core.text import ascii_digits
from notifications.models import Kind
from notifications.services import notify

MAX_PHOTOS = 5
REPORTS_PER_MINUTE = 5


def _reports_rate() -> tuple[int, int]:
    """(reports, seconds) from THROTTLE_REPORTS (REST_FRAMEWORK's "reports" rate), 5/min by default."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("reports") or f"{REPORTS_PER_MINUTE}/min"
    count, period = rate.split("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


def report_rate_limited(ip: str) -> bool:
    """Count one report from this address; True once it passes the limit (5 a minute) in
    the current window. The web form and the API share the count."""
    limit, seconds = _reports_rate()
    key = f"reports:ip:{ip}:{int(clock() // seconds)}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=seconds * 2)
        count = 1
    return count > limit


def _parse_contact(contact: str, region: Region) -> tuple[str, str]:
    """(phone in E.164, email) read from what the reporter typed; either may be empty.
    Anything else ("ask for Hajj Mohamed at the grocery") is kept as typed for moderators."""
    contact = ascii_digits(contact.strip())
    if not contact:
        return "", ""
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return "", ""
        return "", contact.lower()
    try:
        number = phonenumbers.parse(contact, region.country)
    except phonenumbers.NumberParseException:
        return "", ""
    if not phonenumbers.is_possible_number(number):
        return "", ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


def report_submit(
    *,
    description: str,
    region: Region | None,
    consent: bool,
    activity_type: ActivityType | None = None,
    location_text: str = "",
    contact: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    urgency: int = Urgency.NORMAL,
    photos=(),
    reporter=None,
) -> Report:
    """Record a report as pending review, with its photos re-encoded (no EXIF, no GPS).
    Raises one InvalidInput naming every field at fault: no description, no region, no consent, bad
    coordinates, or photos that are not images, over 5 MB or more than 5.
    Nothing is saved on error. The reporter is told (by email if they left one) once a
    moderator decides; the tracking code is on the page they land on."""
    problems = InputProblems()
    description = (description or "").strip()
    if not description:
        problems.add(_("Describe what is needed."), field="description")
    if region is None:
        problems.add(_("Choose the region."), field="region")
    if not consent:
        problems.add(_("Confirm that the people concerned agree to be reported."), field="consent")
    if (latitude is None) != (longitude is None) or (
        latitude is not None and not location.validate(latitude, longitude)
    ):
        problems.add(_("Enter a valid latitude and longitude."), field="location")
    phone, email = _parse_contact(contact or "", region) if region is not None else ("", "")
    images = problems.check(images_clean, photos, limit=MAX_PHOTOS, default=[])
    problems.raise_if_any()
    with transaction.atomic():
        report = Report.objects.create(
            description=description,
            region=region,
            activity_type=activity_type,
            location_text=(location_text or "").strip()[:300],
            contact=(contact or "").strip()[:200],
            contact_phone=phone,
            contact_email=email,
            latitude=latitude,
            longitude=longitude,
            urgency=urgency,
            consent=True,
            reporter=reporter if reporter is not None and reporter.is_authenticated else None,
            search_text=search.search_text(description, location_text),
        )
        for image in images:
            ReportPhoto(report=report).image.save(image.name, image)
    return report


def report_photos_add(*, report: Report, photos) -> Report:
    """Attach photos to a report still waiting for review (the API's second step after
    `report_submit`; anyone holding the tracking code). Raises StateConflict once a
    moderator has decided, InvalidInput naming `photos` for none, more than 5 in all,
    or a file that is not an image; nothing is saved on error."""
    if report.status != Report.Status.PENDING_REVIEW:
        raise StateConflict(_("Photos can be added only while the report waits for review."))
    photos = [p for p in photos if p]
    if not photos:
        raise InvalidInput(_("Attach at least one photo."), field="photos")
    if report.photos.count() + len(photos) > MAX_PHOTOS:
        raise InvalidInput(photo_limit_message(MAX_PHOTOS), field="photos")
    images = images_clean(photos, limit=MAX_PHOTOS)
    with transaction.atomic():
        for image in images:
            ReportPhoto(report=report).image.save(image.name, image)
    return report


def report_notify_status(report: Report) -> None:
    """Tell the reporter (their account, and the email they left) what a moderator decided."""
    notify(
        kind=Kind.REPORT_STATUS,
        event_key=f"report:{report.pk}:{report.status}",
        context={
            "tracking_code": report.tracking_code,
            "status": report.status,
            "reason": report.reason,
            "case_id": report.case_id,
            "url": f"/report/{report.tracking_code}/",
        },
        recipients=[report.reporter] if report.reporter_id else [],
        address=report.contact_email,
    )
