"""Cases reported by the public, waiting for a moderator."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case, Urgency
from core.models import ActivityType, Region
from core.text import ascii_digits

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def tracking_code() -> str:
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{body[:4]}-{body[4:]}"


def tracking_code_normalize(raw: str) -> str:
    """The stored spelling of a code as people type it back: lower case, Arabic-Indic
    digits, spaces or other dashes, or no dash at all ("abcd efgh", "ABCD٢٣٤٥")."""
    body = "".join(ch for ch in ascii_digits(raw or "").upper() if ch.isascii() and ch.isalnum())
    return f"{body[:4]}-{body[4:]}" if len(body) == 8 else body


class Report(models.Model):
    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("pending review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        DUPLICATE = "duplicate", _("duplicate")

    tracking_code = models.CharField(_("tracking code"), max_length=9, unique=True, default=tracking_code)
    description = models.TextField(_("what is needed"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="reports", verbose_name=_("region"))
    activity_type = models.ForeignKey(
        ActivityType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity type"),
    )
    location_text = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True, editable=False, db_index=True)
    contact_email = models.EmailField(blank=True, editable=False)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    consent = models.BooleanField(_("the people concerned agree to be reported"), default=False)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING_REVIEW)
    reason = models.TextField(_("reason"), blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("case")
    )
    search_text = models.TextField(editable=False, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-urgency", "created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [("moderate", _("Can moderate reports and charities"))]
        indexes = [models.Index(fields=["status", "-urgency", "created_at"], name="report_queue")]

    def __str__(self) -> str:
        return self.tracking_code

    def is_locked_for(self, user) -> bool:
        """Another moderator has it open and the lock has not expired."""
        return bool(
            self.locked_by_id
            and self.locked_by_id != user.pk
            and self.locked_until
            and self.locked_until > timezone.now()
        )


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="reports/")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name
