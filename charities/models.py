"""Organisations, their staff and the invitations that bring staff in."""

import datetime
import math
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.models import ActivityType, Country, Region


class Charity(models.Model):
    """A registered organisation. Only a verified one publishes cases."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending verification")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")

    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    license_number = models.CharField(
        _("licence number"),
        max_length=60,
        help_text=_(
            "From the Ministry of Social Solidarity (Egypt) or the National Center for the Non-Profit Sector "
            "(Saudi Arabia)."
        ),
    )
    regions = models.ManyToManyField(Region, related_name="charities", verbose_name=_("regions served"))
    activity_types = models.ManyToManyField(
        ActivityType, related_name="charities", blank=True, verbose_name=_("activity types")
    )
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="charities/logos/", blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    x_url = models.URLField(_("X (Twitter) account"), blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Response time, a cached figure written by matching's periodic task
    # (`matching.response_times`); None when there are too few matches to say.
    median_review_hours = models.FloatField(_("median hours to review volunteers"), null=True, blank=True)
    review_sample_size = models.PositiveIntegerField(_("matches measured"), default=0)
    median_answer_hours = models.FloatField(_("median hours volunteers take to answer"), null=True, blank=True)
    response_time_updated_at = models.DateTimeField(_("response time measured at"), null=True, blank=True)

    class Meta:
        ordering = ["name_ar"]
        verbose_name = _("charity")
        verbose_name_plural = _("charities")
        constraints = [
            models.UniqueConstraint(fields=["country", "license_number"], name="charity_unique_license"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="charity_status_created")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "ar").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ar

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def review_time_text(self) -> str:
        """ "Usually reviews volunteers within 5 hours", or "" when there are too
        few matches to say (see `matching.response_times`)."""
        hours = self.median_review_hours
        if hours is None:
            return ""
        if hours <= 1:
            return gettext("Usually reviews volunteers within an hour")
        if hours < 48:
            count = math.ceil(hours)
            return ngettext(
                "Usually reviews volunteers within %(count)d hour",
                "Usually reviews volunteers within %(count)d hours",
                count,
            ) % {"count": count}
        count = math.ceil(hours / 24)
        return ngettext(
            "Usually reviews volunteers within %(count)d day",
            "Usually reviews volunteers within %(count)d days",
            count,
        ) % {"count": count}

    @property
    def answer_time_text(self) -> str:
        """For the charity's staff: how fast volunteers answer its invitations."""
        hours = self.median_answer_hours
        if hours is None:
            return ""
        if hours <= 1:
            return gettext("Volunteers usually answer your invitations within an hour")
        count = math.ceil(hours)
        return ngettext(
            "Volunteers usually answer your invitations within %(count)d hour",
            "Volunteers usually answer your invitations within %(count)d hours",
            count,
        ) % {"count": count}


class Membership(models.Model):
    """A person working for a charity. The owner invites the others."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        COORDINATOR = "coordinator", _("coordinator")

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="charity_memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.COORDINATOR)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["charity", "user"], name="membership_once_per_charity")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.charity} ({self.role})"


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


class StaffInvitation(models.Model):
    """An email invitation to join a charity's staff; accepted once by whoever signs in with that email."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=12, choices=Membership.Role.choices, default=Membership.Role.COORDINATOR
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.charity}"

    @property
    def expires_at(self):
        """Invitations live STAFF_INVITATION_DAYS (7): a forwarded or forgotten link stops working."""
        return self.created_at + datetime.timedelta(days=settings.STAFF_INVITATION_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
