"""Cases' part of a person's export and erasure (see `volunteers.privacy`), and
the retention of reports that never became a case.

A report's own words, contact and photos are private to moderators (and the
charity that claims its case); the public case has the moderator's story and
copies of the photos the moderator picked, so a report can be erased or purged
without touching the case.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import CaseFollow, Report, ReportPhoto


def _iso(value):
    return value.isoformat() if value else None


def _filed_by(user):
    mine = Q(reporter=user)
    if user.email:
        mine |= Q(contact_email__iexact=user.email)
    return Report.objects.filter(mine)


def reports_filed_export(user) -> list[dict]:
    return [
        {
            "tracking_code": report.tracking_code,
            "status": report.status,
            "description": report.description,
            "region": report.region.code,
            "location_text": report.location_text,
            "contact": report.contact,
            "photos": len(report.photos.all()),
            "reason": report.reason,
            "case_id": report.case_id,
            "created_at": _iso(report.created_at),
        }
        for report in _filed_by(user).select_related("region").prefetch_related("photos").order_by("created_at")
    ]


def follows_export(user) -> list[dict]:
    rows = CaseFollow.objects.filter(user=user).select_related("case").order_by("created_at")
    return [{"case_id": f.case_id, "case": f.case.title, "reason": f.reason, "since": _iso(f.created_at)} for f in rows]


def _delete_photo_files(photos) -> None:
    """The files go once the rows are gone for good (after commit), so a rollback loses nothing."""
    names = [(photo.image.storage, photo.image.name) for photo in photos if photo.image]
    ReportPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()

    def remove():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def reports_anonymise(user) -> None:
    """Reports the person filed: one that became a case keeps its row (the case
    links to it) emptied of their words and contact; the others are deleted.
    Every photo of theirs is deleted from disk."""
    reports = list(_filed_by(user).prefetch_related("photos"))
    _delete_photo_files([photo for report in reports for photo in report.photos.all()])
    approved = [r.pk for r in reports if r.status == Report.Status.APPROVED]
    Report.objects.filter(pk__in=approved).update(
        description="",
        location_text="",
        contact="",
        contact_phone="",
        contact_email="",
        search_text="",
        latitude=None,
        longitude=None,
        reporter=None,
    )
    Report.objects.filter(pk__in=[r.pk for r in reports if r.pk not in approved]).delete()


def report_purge(*, now: dt.datetime | None = None) -> int:
    """Rejected reports (and duplicates, which never became a case either)
    reviewed more than REPORT_RETENTION_DAYS ago are deleted with their photos.
    Safe to run twice. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REPORT_RETENTION_DAYS)
    with transaction.atomic():
        old = list(
            Report.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(status__in=[Report.Status.REJECTED, Report.Status.DUPLICATE], reviewed_at__lt=cutoff)
            .prefetch_related("photos")[:1000]
        )
        _delete_photo_files([photo for report in old for photo in report.photos.all()])
        Report.objects.filter(pk__in=[r.pk for r in old]).delete()
    return len(old)


def register() -> None:
    from core.privacy import anonymiser_register, export_section_register

    export_section_register("reports_filed", reports_filed_export)
    export_section_register("follows", follows_export)
    anonymiser_register(reports_anonymise)
