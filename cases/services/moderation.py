"""Moderation: the report queue and charity verification, each action audited.

Every action runs in one transaction that locks the row, checks its state,
writes the change, an AuditEntry and the outbox rows together.
"""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access, common_words, search
from cases.models import AuditEntry, Case, CasePhoto, Report
from cases.services.reports import report_notify_status
from charities.models import Charity, Membership
from core import public_cache, rollups
from core.errors import InvalidInput, NotAllowed, StateConflict
from notifications.models import Kind
from notifications.services import notify
from notifications.webhooks import webhook_event_record

LOCK_DURATION = dt.timedelta(minutes=15)


def _require_moderator(user, region_ids) -> None:
    """Every region the object touches must be one the moderator works in."""
    if not access.is_moderator(user):
        raise NotAllowed(_("Only moderators may do this."))
    if not access.moderates_regions(user, list(region_ids)):
        raise NotAllowed(_("This is outside the regions you moderate."))


def report_lock(*, report: Report, moderator) -> Report:
    """Take (or renew) a pending report for review for 15 minutes, so other moderators see it
    as taken. One conditional UPDATE: two moderators opening it at once cannot both win.
    Raises StateConflict while someone else holds an unexpired lock."""
    _require_moderator(moderator, [report.region_id])
    now = timezone.now()
    with transaction.atomic():
        taken = (
            Report.objects.filter(pk=report.pk, status=Report.Status.PENDING_REVIEW)
            .filter(Q(locked_by__isnull=True) | Q(locked_until__lte=now) | Q(locked_by=moderator))
            .update(locked_by=moderator, locked_until=now + LOCK_DURATION)
        )
        fresh = report.locked_by_id != moderator.pk or not report.locked_until or report.locked_until <= now
        report.refresh_from_db()
        if not taken:
            if report.status != Report.Status.PENDING_REVIEW:
                raise StateConflict(_("This report was already reviewed."))
            raise StateConflict(_("Another moderator is reviewing this report."))
        if fresh:
            AuditEntry.objects.create(actor=moderator, action=AuditEntry.Action.REPORT_OPENED, report=report)
    return report


def _take_for_decision(report: Report, moderator) -> Report:
    _require_moderator(moderator, [report.region_id])
    report = Report.objects.select_for_update(no_key=True, of=("self",)).get(pk=report.pk)
    if report.status != Report.Status.PENDING_REVIEW:
        raise StateConflict(_("This report was already reviewed."))
    if report.is_locked_for(moderator):
        raise StateConflict(_("Another moderator is reviewing this report."))
    return report


def _close(report: Report, moderator, status: str, **fields) -> None:
    report.status = status
    report.reviewed_by, report.reviewed_at = moderator, timezone.now()
    report.locked_by, report.locked_until = None, None
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "locked_by", "locked_until", *fields])
    rollups.moderation_figures_changed()


def _copy_photo(photo) -> ContentFile:
    """A public copy of a report's photo (already re-encoded, without EXIF): the
    report's own files stay private and can be purged or erased on their own."""
    photo.image.open("rb")
    try:
        return ContentFile(photo.image.read(), name=Path(photo.image.name).name)
    finally:
        photo.image.close()


def report_approve(*, report: Report, moderator, title: str, story: str, photo_ids=()) -> Case:
    """Turn a pending report into an open case without a charity, claimable by verified
    charities serving its region (they are told). The reporter is told too.

    The public case carries the moderator's `title` and `story` (both required)
    and copies of the photos the moderator picked (`photo_ids` of the report's
    photos; the first becomes the cover), never the reporter's words: those,
    the contact and the place stay on the report and in the case's private
    details, for moderators and the charity that claims it. Raises InvalidInput
    naming `title`, `story` or `photo_ids`."""
    title, story = " ".join((title or "").split()), (story or "").strip()
    if not title:
        raise InvalidInput(_("Write the case's public title."), field="title")
    if len(title) > 200:
        raise InvalidInput(_("Keep the title under 200 characters."), field="title")
    if not story:
        raise InvalidInput(
            _("Write the public story in your own words; the reporter's text stays private."), field="story"
        )
    photo_ids = [int(pk) for pk in photo_ids]
    with transaction.atomic():
        report = _take_for_decision(report, moderator)
        photos = {photo.pk: photo for photo in report.photos.all()}
        unknown = [pk for pk in photo_ids if pk not in photos]
        if unknown:
            raise InvalidInput(_("Pick photos of this report."), field="photo_ids")
        private = "\n".join(p for p in (report.location_text, report.contact) if p)
        case = Case(
            title=title,
            story=story,
            region=report.region,
            activity_type=report.activity_type,
            urgency=report.urgency,
            private_details=private,
            status=Case.Status.OPEN,
            published_at=timezone.now(),
            created_by=moderator,
            search_text=search.search_text(title, story),
        )
        from cases.services.cases import _set_location

        _set_location(case, report.latitude, report.longitude)
        picked = [photos[pk] for pk in dict.fromkeys(photo_ids)]
        if picked:
            case.cover_photo.save(Path(picked[0].image.name).name, _copy_photo(picked[0]), save=False)
        case.save()
        common_words.case_saved(case)
        for photo in picked[1:]:
            CasePhoto(case=case).image.save(Path(photo.image.name).name, _copy_photo(photo))
        public_cache.bump_case(case_id=case.pk)
        _close(report, moderator, Report.Status.APPROVED, case=case)
        AuditEntry.objects.create(
            actor=moderator, action=AuditEntry.Action.REPORT_APPROVED, report=report, case=case, note=title
        )
        report_notify_status(report)
        staff = (
            Membership.objects.filter(charity__status=Charity.Status.VERIFIED, charity__regions=report.region_id)
            .select_related("user")
            .distinct()
        )
        claimable = {
            "case_id": case.pk,
            "region_name": report.region.name_ar,
            "summary": case.title,
            "url": f"/cases/{case.pk}/",
        }
        notify(
            kind=Kind.REPORT_CLAIMABLE,
            event_key=f"case:{case.pk}:claimable",
            context=claimable,
            recipients=list({m.user_id: m.user for m in staff}.values()),
        )
        # Each charity serving the region is owed the event on its own endpoints only.
        for charity_id in Charity.objects.filter(status=Charity.Status.VERIFIED, regions=report.region_id).values_list(
            "pk", flat=True
        ):
            webhook_event_record(
                charity_id=charity_id,
                kind=Kind.REPORT_CLAIMABLE,
                event_key=f"case:{case.pk}:claimable",
                payload=claimable,
            )
    return case


def report_reject(*, report: Report, moderator, reason: str) -> Report:
    """Reject with a reason the reporter sees on the status page."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason; the reporter will see it."), field="reason")
    with transaction.atomic():
        report = _take_for_decision(report, moderator)
        _close(report, moderator, Report.Status.REJECTED, reason=reason)
        AuditEntry.objects.create(actor=moderator, action=AuditEntry.Action.REPORT_REJECTED, report=report, note=reason)
        report_notify_status(report)
    return report


def report_duplicate(*, report: Report, moderator, case: Case | None) -> Report:
    """Mark a report as a duplicate of an existing case; the reporter is pointed to it."""
    if case is None:
        raise InvalidInput(_("Choose the case this report duplicates."), field="case")
    if case.status == Case.Status.DRAFT:
        raise InvalidInput(_("Choose a published case."), field="case")
    if access.is_moderator(moderator) and not access.moderates_region(moderator, case.region_id):
        raise InvalidInput(_("Choose a case in the regions you moderate."), field="case")
    with transaction.atomic():
        report = _take_for_decision(report, moderator)
        _close(report, moderator, Report.Status.DUPLICATE, case=case)
        AuditEntry.objects.create(
            actor=moderator, action=AuditEntry.Action.REPORT_DUPLICATE, report=report, case=case, note=f"#{case.pk}"
        )
        report_notify_status(report)
    return report


def _charity_decide(charity: Charity, moderator, status: str, reason: str) -> Charity:
    _require_moderator(moderator, charity.regions.values_list("pk", flat=True))
    with transaction.atomic():
        charity = Charity.objects.select_for_update(no_key=True).get(pk=charity.pk)
        if charity.status != Charity.Status.PENDING:
            raise StateConflict(_("This organisation was already reviewed."))
        charity.status = status
        charity.rejection_reason = reason
        charity.verified_at = timezone.now() if status == Charity.Status.VERIFIED else None
        charity.save(update_fields=["status", "rejection_reason", "verified_at"])
        public_cache.bump(public_cache.ALL)  # its cases, profile and every list may change
        action = (
            AuditEntry.Action.CHARITY_VERIFIED
            if status == Charity.Status.VERIFIED
            else AuditEntry.Action.CHARITY_REJECTED
        )
        AuditEntry.objects.create(actor=moderator, action=action, charity=charity, note=reason)
        owners = [m.user for m in charity.memberships.filter(role=Membership.Role.OWNER).select_related("user")]
        notify(
            kind=Kind.CHARITY_STATUS,
            event_key=f"charity:{charity.pk}:{status}",
            context={
                "charity_id": charity.pk,
                "charity_name": charity.name_ar,
                "status": status,
                "reason": reason,
                "url": f"/dashboard/?charity={charity.pk}",
            },
            recipients=owners,
        )
    return charity


def charity_verify(*, charity: Charity, moderator) -> Charity:
    """Pending → verified: the charity may now publish cases and claim reports."""
    return _charity_decide(charity, moderator, Charity.Status.VERIFIED, "")


def charity_reject(*, charity: Charity, moderator, reason: str) -> Charity:
    """Pending → rejected, with a reason the owner is told."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give a reason; the organisation will see it."), field="reason")
    return _charity_decide(charity, moderator, Charity.Status.REJECTED, reason)


# --- The daily summary --------------------------------------------------------------------------

SUMMARY_ZONE = "Africa/Cairo"


def moderation_summary_send(*, now: dt.datetime | None = None) -> list:
    """Tell each moderator, once a day, how many reports wait in their regions and
    since when. Nobody whose queue is empty is told. The event key is the day in
    Cairo (`day:YYYY-MM-DD`), so running it twice the same day records nothing
    new. Returns the outbox rows written."""
    from cases.selectors import moderator_list, report_queue_stats

    now = now or timezone.now()
    day = now.astimezone(ZoneInfo(SUMMARY_ZONE)).date()
    rows = []
    with transaction.atomic():
        for moderator in moderator_list():
            stats = report_queue_stats(moderator)
            if not stats["pending_count"]:
                continue
            rows += notify(
                kind=Kind.MODERATION_SUMMARY,
                event_key=f"day:{day.isoformat()}",
                context={
                    "pending_count": stats["pending_count"],
                    "oldest_pending_at": stats["oldest_pending_at"].astimezone(dt.UTC).isoformat(),
                    "url": "/moderation/",
                },
                recipients=[moderator],
            )
    return rows
