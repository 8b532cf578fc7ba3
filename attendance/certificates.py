"""Certificates of attested hours: issue, revoke, look up, and render as PDF.

The code is 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
drawn with `secrets`: about 78 bits, so codes cannot be guessed, and lookups are
throttled per address anyway. It is shown grouped (`ABCD-EFGH-…`); lookups
ignore case, spaces and dashes.

The PDF is drawn by WeasyPrint from `templates/attendance/certificate_pdf.html`
with the vendored Noto Naskh Arabic (OFL, `static/vendor/noto-naskh-arabic/`),
so Arabic is shaped and laid out right to left on any machine, with no system
font assumed. It is rendered from the certificate's snapshot each time it is
asked for, so it never changes, and a revoked certificate prints "revoked".
"""

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Sum
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from attendance import checkin
from attendance.limits import TooManyAttempts, over_limit
from attendance.models import Certificate, HoursRecord, HoursRequest
from attendance.templatetags.hours import hours_phrase
from cases.access import is_moderator
from charities.models import Charity, Membership
from charities.selectors import is_staff_of
from core.calendars import hijri_date
from core.errors import NotAllowed, StateConflict
from volunteers.models import VolunteerProfile

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "noto-naskh-arabic"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:32]


def grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_url(certificate: Certificate) -> str:
    """Outside the language prefix: the QR opens it in the reader's language."""
    return f"{settings.SITE_URL}/verify/{certificate.code}/"


def pdf_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificate-pdf", args=[certificate.code])


def _lines(records) -> list[dict]:
    """Hours per charity, with the national platform's opportunity numbers of its needs."""
    rows = (
        records.values("charity_id")
        .annotate(minutes=Sum("minutes"), first=Min("date"), last=Max("date"))
        .order_by("-minutes", "charity_id")
    )
    charities = Charity.objects.in_bulk([row["charity_id"] for row in rows])
    numbers: dict[int, set] = {}
    # Attested hours done outside the portal have no need: NULL, not "", so ask for a number.
    for charity_id, number in records.filter(need__national_opportunity_number__gt="").values_list(
        "charity_id", "need__national_opportunity_number"
    ):
        numbers.setdefault(charity_id, set()).add(number)
    lines = []
    for row in rows:
        charity = charities[row["charity_id"]]
        lines.append(
            {
                "charity_id": charity.pk,
                "name_ar": charity.name_ar,
                "name_en": charity.name_en or charity.name_ar,
                "verified": charity.is_verified,
                "minutes": row["minutes"],
                "opportunity_numbers": sorted(numbers.get(charity.pk, ())),
            }
        )
    return lines


def certificate_issue(*, user, charity: Charity | None = None, now: dt.datetime | None = None) -> Certificate:
    """A certificate of all the volunteer's attested hours, or of one charity's.
    StateConflict when there are none to certify."""
    now = now or timezone.now()
    volunteer = VolunteerProfile.objects.filter(user=user, anonymised_at__isnull=True).first()
    if volunteer is None:
        raise NotAllowed(_("Create your volunteer profile first."))
    records = HoursRecord.objects.filter(volunteer=volunteer)
    if charity is not None:
        records = records.filter(charity=charity)
    span = records.aggregate(minutes=Sum("minutes"), first=Min("date"), last=Max("date"))
    if not span["minutes"]:
        if charity is not None:
            raise StateConflict(_("You have no attested hours with this organisation yet."))
        raise StateConflict(_("You have no attested hours yet."))
    with transaction.atomic():
        return Certificate.objects.create(
            code=new_code(),
            volunteer=volunteer,
            charity=charity,
            holder_name=volunteer.display_name,
            language="en" if (user.language or "ar").startswith("en") else "ar",
            minutes=span["minutes"],
            first_date=span["first"],
            last_date=span["last"],
            lines=_lines(records),
            issued_at=now,
        )


def can_revoke(user, certificate: Certificate) -> bool:
    """The issuing charity's owner; a certificate of all charities, moderators."""
    if not user.is_authenticated:
        return False
    if certificate.charity_id is None:
        return is_moderator(user)
    return is_staff_of(user, certificate.charity_id, role=Membership.Role.OWNER)


def certificate_revoke(*, certificate: Certificate, user, now: dt.datetime | None = None) -> Certificate:
    """valid → revoked. NotAllowed for anyone but `can_revoke`; StateConflict when already revoked."""
    if not can_revoke(user, certificate):
        raise NotAllowed(_("Only the owner of the organisation that issued it can revoke a certificate."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update(no_key=True).get(pk=certificate.pk)
        if certificate.revoked_at:
            raise StateConflict(_("This certificate was already revoked."))
        certificate.revoked_at, certificate.revoked_by = now or timezone.now(), user
        certificate.save(update_fields=["revoked_at", "revoked_by"])
    return certificate


def certificate_lookup(raw_code: str, *, client: str) -> Certificate:
    """A certificate by its code, for anyone (404 when unknown), counted against
    the address's limit (TooManyAttempts) so codes cannot be enumerated."""
    if over_limit(client, scope="certificates"):
        raise TooManyAttempts(_("Too many certificate look-ups. Wait a minute and try again."))
    code = normalise_code(raw_code)
    try:
        return Certificate.objects.select_related("charity").get(code=code)
    except Certificate.DoesNotExist:
        raise Http404 from None


def certificate_list_for_user(user):
    return Certificate.objects.filter(volunteer__user=user).select_related("charity")


# --- Rendering ------------------------------------------------------------------------------------


def hours_text(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    return f"{hours}:{rest:02d}"


def font_faces() -> str:
    """One family per subset: WeasyPrint mixes up glyphs when two files of one
    family differ only by their Unicode range. The template lists Latin first,
    then Arabic, and names no other font, so nothing falls back to the system."""
    faces = []
    for weight in (400, 700):
        for subset in ("arabic", "latin"):
            path = FONT_DIR / f"noto-naskh-arabic-{subset}-{weight}-normal.woff"
            faces.append(
                f"@font-face {{ font-family: 'VB Naskh {subset}'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}') format('woff'); }}"
            )
    return "\n".join(faces)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF, in its holder's language (Arabic unless English)."""
    from weasyprint import HTML

    with translation.override(certificate.language):
        english = certificate.language == "en"
        context = {
            "certificate": certificate,
            "code": grouped(certificate.code),
            "hours": hours_phrase(certificate.minutes),
            "lines": [
                {
                    **line,
                    "name": line["name_en"] if english else line["name_ar"],
                    "hours": hours_phrase(line["minutes"]),
                }
                for line in certificate.lines
            ],
            "first_hijri": hijri_date(certificate.first_date),
            "last_hijri": hijri_date(certificate.last_date),
            "issued_hijri": hijri_date(certificate.issued_at.date()),
            "qr": checkin.qr_svg(verify_url(certificate)),
            "verify_url": verify_url(certificate),
            "font_faces": font_faces(),
            "direction": "ltr" if english else "rtl",
        }
        html = render_to_string("attendance/certificate_pdf.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# --- Privacy ----------------------------------------------------------------------------------------------


def certificates_anonymise(user) -> None:
    """Account deletion: the holder's name leaves every certificate, and each is
    revoked, so a verification link says "revoked" rather than naming someone gone."""
    now = timezone.now()
    Certificate.objects.filter(volunteer__user=user).update(holder_name="", revoked_at=now)


def hours_export_section(user) -> dict:
    """The person's export: attested hours, hours requests and certificates."""
    records = HoursRecord.objects.filter(volunteer__user=user).order_by("date", "id")
    requests = HoursRequest.objects.filter(volunteer__user=user).order_by("created_at", "id")
    return {
        "records": [
            {
                "charity": r.charity_id,
                "need": r.need_id,
                "date": r.date.isoformat(),
                "minutes": r.minutes,
                "source": r.source,
            }
            for r in records
        ],
        "requests": [
            {"charity": q.charity_id, "date": q.date.isoformat(), "minutes": q.minutes, "status": q.status}
            for q in requests
        ],
        "certificates": [
            {"code": c.code, "minutes": c.minutes, "issued_at": c.issued_at.isoformat(), "status": c.status}
            for c in Certificate.objects.filter(volunteer__user=user)
        ],
    }
