"""Who moderates where, and the audit log of every moderation action."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.reports import Report
from charities.models import Charity
from core.models import Region


class ModeratorRegion(models.Model):
    """A region a moderator works in. Everywhere is `User.moderates_everywhere`; no rows and no flag: nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_regions")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("moderator region")
        verbose_name_plural = _("moderator regions")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="moderator_region_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.region}"


class AuditEntry(models.Model):
    """Who did what, when: written by every moderation service in its own transaction."""

    class Action(models.TextChoices):
        REPORT_OPENED = "report_opened", _("opened a report")
        REPORT_APPROVED = "report_approved", _("approved a report")
        REPORT_REJECTED = "report_rejected", _("rejected a report")
        REPORT_DUPLICATE = "report_duplicate", _("marked a report as duplicate")
        CHARITY_VERIFIED = "charity_verified", _("verified a charity")
        CHARITY_REJECTED = "charity_rejected", _("rejected a charity")
        CASE_HANDED_OVER = "case_handed_over", _("handed a case over to another charity")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries")
    charity = models.ForeignKey(Charity, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries")
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.created_at:%Y-%m-%d %H:%M}"
