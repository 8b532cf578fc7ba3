"""After the match: who came, the hours that count, and the certificates that show them.

- `Attendance`: one per confirmed match, marked by the charity's staff (or started
  by the volunteer's on-site check-in). Every change is written to `AttendanceChange`.
- `HoursRecord`: the ledger of attested hours, one row per record, the only thing
  hours totals, certificates, exports and impact figures read. A record comes from
  an attendance (attended or partial; a no-show has none) or from an approved
  `HoursRequest`; `attendance.services` keeps it in step with its source.
- `Certificate`: a snapshot of the hours certified on the day it was issued, with an
  unguessable code; revoking it keeps the row so verification says "revoked".

The need, volunteer and charity are copied onto attendance and records when they are
made (the charity that attested them keeps them, even if the case is handed over
later), so reports group by charity and month without joining matches and cases.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Need
from charities.models import Charity
from core.models import ActivityType
from matching.models import Match
from volunteers.models import VolunteerProfile


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", _("attended")
        PARTIAL = "partial", _("partly attended")
        NO_SHOW = "no_show", _("did not come")

    class Source(models.TextChoices):
        STAFF = "staff", _("marked by the organisation")
        CHECK_IN = "check_in", _("checked in on site")

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("match"))
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("need"))
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("volunteer")
    )
    charity = models.ForeignKey(
        Charity, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("organisation")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    minutes = models.PositiveIntegerField(_("minutes credited"), default=0)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.STAFF)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        indexes = [
            models.Index(fields=["need", "status"], name="attendance_need"),
            models.Index(fields=["volunteer", "status"], name="attendance_volunteer"),
            models.Index(fields=["charity", "created_at"], name="attendance_charity"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} @ need {self.need_id}: {self.status}"

    @property
    def came(self) -> bool:
        return self.status in (self.Status.ATTENDED, self.Status.PARTIAL)


class AttendanceChange(models.Model):
    """The audit log of attendance: every marking and correction, who and when."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_status = models.CharField(_("old status"), max_length=10, blank=True)
    old_minutes = models.PositiveIntegerField(_("old minutes"), null=True, blank=True)
    new_status = models.CharField(_("new status"), max_length=10)
    new_minutes = models.PositiveIntegerField(_("new minutes"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance audit log")

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.old_status or '-'} → {self.new_status}"


class AttendanceReminder(models.Model):
    """A need whose staff were reminded to mark attendance: one row, so once."""

    need = models.OneToOneField(Need, on_delete=models.CASCADE, related_name="attendance_reminder")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance reminder")
        verbose_name_plural = _("attendance reminders")

    def __str__(self) -> str:
        return f"need {self.need_id} reminded {self.sent_at:%Y-%m-%d}"


class HoursRequest(models.Model):
    """A volunteer asks a charity to attest hours done outside the portal."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the organisation")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="hours_requests", verbose_name=_("volunteer")
    )
    charity = models.ForeignKey(
        Charity, on_delete=models.CASCADE, related_name="hours_requests", verbose_name=_("organisation")
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.TextField(_("what was done"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    worked_with_before = models.BooleanField(
        _("had volunteered with the organisation"),
        default=False,
        help_text=_("Whether the volunteer had a confirmed match with it when asking."),
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hours request")
        verbose_name_plural = _("hours requests")
        indexes = [models.Index(fields=["charity", "status", "-created_at"], name="hours_request_queue")]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gt=0), name="hours_request_minutes")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} → {self.charity_id}: {self.minutes} min ({self.status})"


class HoursRecord(models.Model):
    """Attested hours: one row per record, the only source of hours totals."""

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("attendance")
        REQUEST = "request", _("attested on request")

    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="hours_records", verbose_name=_("volunteer")
    )
    charity = models.ForeignKey(
        Charity, on_delete=models.CASCADE, related_name="hours_records", verbose_name=_("organisation")
    )
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="hours_records", verbose_name=_("need")
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("activity")
    )
    attendance = models.OneToOneField(
        Attendance, on_delete=models.CASCADE, null=True, blank=True, related_name="hours_record"
    )
    request = models.OneToOneField(
        HoursRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="hours_record"
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    date = models.DateField(_("date"), help_text=_("The local date the work was done."))
    minutes = models.PositiveIntegerField(_("minutes"))
    description = models.CharField(_("what was done"), max_length=300, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("hours record")
        verbose_name_plural = _("hours records")
        indexes = [
            models.Index(fields=["volunteer", "date"], include=["minutes", "charity"], name="hours_by_volunteer"),
            models.Index(fields=["charity", "date"], include=["minutes", "volunteer"], name="hours_by_charity"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="hours_record_minutes"),
            models.CheckConstraint(
                condition=models.Q(source="attendance", attendance__isnull=False, request__isnull=True)
                | models.Q(source="request", request__isnull=False, attendance__isnull=True),
                name="hours_record_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.charity_id} · {self.date}: {self.minutes} min"


class Certificate(models.Model):
    """Hours certified on the day of issue. `charity` empty: all organisations
    (issued by the platform, revocable by moderators); otherwise that charity's
    hours, revocable by its owner. `lines` keeps the per-charity breakdown as it
    was, so a later correction never changes what a printed certificate says."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        REVOKED = "revoked", _("revoked")

    code = models.CharField(_("verification code"), max_length=24, unique=True)
    volunteer = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("volunteer")
    )
    charity = models.ForeignKey(
        Charity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("organisation"),
    )
    holder_name = models.CharField(_("holder"), max_length=120)
    language = models.CharField(_("language"), max_length=5, default="ar")
    minutes = models.PositiveIntegerField(_("minutes"))
    first_date = models.DateField(_("from"))
    last_date = models.DateField(_("to"))
    lines = models.JSONField(_("hours per organisation"), default=list)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["volunteer", "-issued_at"], name="certificate_by_volunteer")]

    def __str__(self) -> str:
        return self.code

    @property
    def status(self) -> str:
        return self.Status.REVOKED if self.revoked_at else self.Status.VALID
