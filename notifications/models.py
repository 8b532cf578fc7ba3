"""The outbox: every message we owe someone, written in the transaction of the
change that causes it and delivered afterwards by Celery; what each person wants
to receive; and signed webhooks for organisations' own systems."""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField


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
    CASE_HANDOVER = "case_handover", _("A case moved to another organisation")
    REPORT_STATUS = "report_status", _("Status of a reported case")
    REPORT_CLAIMABLE = "report_claimable", _("Reports to claim in our regions")
    CHARITY_STATUS = "charity_status", _("Organisation verification")
    STAFF_INVITED = "staff_invited", _("Invitation to join an organisation")
    MODERATION_SUMMARY = "moderation_summary", _("Daily moderation summary")
    PHONE_CODE = "phone_code", _("Phone verification code")
    CHANNEL_REPLY = "channel_reply", _("Answers to your messages")
    ATTENDANCE_REMINDER = "attendance_reminder", _("Attendance to mark")
    HOURS_REQUESTED = "hours_requested", _("Hours to attest")
    HOURS_DECIDED = "hours_decided", _("Answer to an hours request")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the app")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PUSH = "push", _("Notifications on this device")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

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
    event_key = models.CharField(_("event key"), max_length=150, blank=True)
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
    # What the provider (WhatsApp, the SMS gateway) called the message, and the last
    # delivery status its callbacks reported: sent, delivered, read or failed.
    provider_id = models.CharField(_("provider's message id"), max_length=128, blank=True)
    delivery_status = models.CharField(_("delivery status"), max_length=20, blank=True)
    delivery_status_at = models.DateTimeField(_("delivery status at"), null=True, blank=True)

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
            models.Index(fields=["channel", "sent_at"], name="notification_sent"),
            models.Index(fields=["kind", "event_key"], name="notification_event"),
            models.Index(fields=["provider_id"], condition=~models.Q(provider_id=""), name="notification_provider_id"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or self.address} ({self.channel}, {self.status})"

    @property
    def title(self) -> str:
        from notifications.kinds import title_for

        return title_for(self)


class Digest(models.Model):
    """A digest waiting for its clock hour to end: one row per kind, key (a need)
    and hour, written in the caller's transaction with the latest context (the
    outbox record of the event). When the hour is over the sweep tells its
    people (`digest_release`) with their choices and quiet hours as they are
    then, so someone who joined the charity in the meantime hears of it too, and
    recording one costs the caller a single upsert."""

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=150)
    hour = models.DateTimeField(_("hour"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    recipient_ids = models.JSONField(_("recipients"), default=list, blank=True)
    # The charity the event concerns: its staff hear of it (see `digest_audience_register`) and its webhooks get it.
    charity_id = models.PositiveBigIntegerField(_("organisation"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [models.UniqueConstraint(fields=["kind", "key", "hour"], name="digest_once_per_key_and_hour")]
        indexes = [
            models.Index(fields=["hour"], condition=models.Q(released_at__isnull=True), name="digest_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.hour:%Y-%m-%d %H}:00"


class NotificationPreference(models.Model):
    """One person's choice for one kind on one channel. No row means the kind's
    default (see `notifications.kinds.KINDS`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}/{self.channel}: {self.enabled}"


class NotificationSettings(models.Model):
    """Where a person lives in time, and when not to disturb them. Quiet hours
    hold non-urgent emails and SMS until they end; in-app notifications wait
    silently anyway."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    timezone = TimeZoneField(_("time zone"), default="Africa/Cairo")
    quiet_hours = models.BooleanField(_("quiet hours"), default=True)
    quiet_start = models.TimeField(_("quiet from"), default=dt.time(22, 0))
    quiet_end = models.TimeField(_("quiet until"), default=dt.time(7, 0))

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user_id} {self.timezone}"


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL an organisation wants events posted to, signed with its secret.

    It belongs to a charity and receives only the events of that charity (the
    caller of `notify` names it with `charity_id`). The lazy "charities.Charity"
    foreign key is the one reference from this leaf app to charities: nothing
    here imports the charities app. `owner` is who set it up (audit only)."""

    charity = models.ForeignKey(
        "charities.Charity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organisation"),
        help_text=_("Only this organisation's events are posted here."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_endpoints",
        verbose_name=_("configured by"),
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("secret"), max_length=100, default=_new_secret)
    kinds = models.JSONField(_("kinds"), default=list, blank=True, help_text=_("Empty means every kind."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, kind: str) -> bool:
        return self.is_active and (not self.kinds or kind in self.kinds)

    @property
    def kind_labels(self) -> list[str]:
        return [str(Kind(kind).label) for kind in self.kinds if kind in Kind.values]


class WebhookDelivery(models.Model):
    """One event owed to one endpoint, and the log of trying to deliver it.
    `event_id` is fixed when the event is recorded, so every retry and every
    replay carries the same id and receivers can drop duplicates."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="webhook_delivery_once_per_event"),
        ]
        indexes = [models.Index(fields=["status", "not_before"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.endpoint_id} ({self.status})"

    @property
    def error_text(self) -> str:
        """`last_error` (a short class, see notifications.webhooks) in the reader's language."""
        if self.last_error.startswith("HTTP "):
            return self.last_error
        return str(WEBHOOK_ERROR_TEXTS.get(self.last_error, self.last_error))


WEBHOOK_ERROR_TEXTS = {
    "address not allowed": _("address not allowed"),
    "host not found": _("host not found"),
    "timeout": _("timeout"),
    "TLS error": _("TLS error"),
    "connection failed": _("connection failed"),
    "request error": _("request error"),
}


class EmailOptOut(models.Model):
    """An unsubscribe by someone without an account (a reporter's address)."""

    address = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("email opt-out")
        verbose_name_plural = _("email opt-outs")
        constraints = [models.UniqueConstraint(fields=["address", "kind"], name="email_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.address} {self.kind}"


class PhoneChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class PhoneVerification(models.Model):
    """One person's number on one messaging channel: the code we sent to prove
    it is theirs (hashed, with its deadline and tries) and the number proved.
    Messages on WhatsApp and SMS go only to `verified_number`, and only while it
    is still the number on the person's profile. A number proved by someone else
    later moves to them (a shared phone answers for one account at a time)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_verifications", verbose_name=_("user")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=PhoneChannel.choices)
    number = models.CharField(_("number the code went to"), max_length=20, blank=True)
    code_hash = models.CharField(_("code (hashed)"), max_length=128, blank=True)
    code_sent_at = models.DateTimeField(_("code sent at"), null=True, blank=True)
    code_expires_at = models.DateTimeField(_("code expires at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    codes_today = models.PositiveSmallIntegerField(_("codes sent today"), default=0)
    verified_number = models.CharField(_("verified number"), max_length=20, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="phone_verification_once_per_channel"),
            models.UniqueConstraint(
                fields=["channel", "verified_number"],
                condition=~models.Q(verified_number=""),
                name="phone_verified_by_one_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.channel} {self.verified_number or '-'}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the endpoint its push service gave it
    and the keys to encrypt for it). Removed when the push service answers 404
    or 410, or when the person unsubscribes that browser."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions", verbose_name=_("user")
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(_("public key"), max_length=200)
    auth = models.CharField(_("auth secret"), max_length=100)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.endpoint[:60]}"


class InboundMessage(models.Model):
    """A message someone sent us on WhatsApp or SMS, kept once per provider
    message id: providers repeat deliveries, and a repeat must change nothing."""

    channel = models.CharField(_("channel"), max_length=20, choices=PhoneChannel.choices)
    message_id = models.CharField(_("provider's message id"), max_length=128)
    sender = models.CharField(_("from"), max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
        verbose_name=_("user"),
    )
    text = models.TextField(_("text"), blank=True)
    action = models.CharField(_("what we did"), max_length=20, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=["channel", "message_id"], name="inbound_message_once"),
        ]
        indexes = [models.Index(fields=["user", "channel", "-received_at"], name="inbound_message_latest")]

    def __str__(self) -> str:
        return f"{self.channel} {self.sender} {self.action}"
