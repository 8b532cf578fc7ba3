"""The outbox: every message we owe someone, written in the transaction of the
change that causes it and delivered afterwards by Celery."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ACCOUNT_EMAIL = "account_email", _("Account messages (sign-up, password)")
    MATCH_INVITED = "match_invited", _("Invitation to volunteer")
    MATCH_CONFIRMED = "match_confirmed", _("Volunteer confirmed")
    MATCH_DECLINED = "match_declined", _("Invitation declined")
    MATCH_EXPIRED = "match_expired", _("Invitation expired")
    MATCH_CANCELLED = "match_cancelled", _("Commitment cancelled")
    MATCHES_DIGEST = "matches_digest", _("New matches to review")
    MATCH_WAITING = "match_waiting", _("Matches waiting for review")
    NEED_REMINDER = "need_reminder", _("Reminder before volunteering")
    NEED_TIME_CHANGED = "need_time_changed", _("A commitment's time changed")
    CASE_UPDATE = "case_update", _("Case updates")
    CASE_OUTCOME = "case_outcome", _("What a case achieved")
    REPORT_STATUS = "report_status", _("Status of a reported case")
    REPORT_CLAIMABLE = "report_claimable", _("Reports to claim in our regions")
    CHARITY_STATUS = "charity_status", _("Organisation verification")
    STAFF_INVITED = "staff_invited", _("Invitation to join an organisation")
    MODERATION_SUMMARY = "moderation_summary", _("Daily moderation summary")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the app")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    address = models.CharField(
        _("address"),
        max_length=254,
        blank=True,
        help_text=_("Where to send it when there is no account (a reporter's email)."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=2, default="ar")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    context = models.JSONField(_("context"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "idempotency_key"], name="notification_once_per_channel_and_event"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="notification_due"),
            models.Index(fields=["recipient", "channel", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.address} ({self.channel}, {self.status})"
