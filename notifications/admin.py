import json

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import StateConflict
from notifications import services, webhooks
from notifications.models import (
    EmailOptOut,
    InboundMessage,
    Kind,
    Notification,
    NotificationPreference,
    NotificationSettings,
    PhoneVerification,
    PushSubscription,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the services. The context is never a
    form field, and an account message's (live links) is never shown at all."""

    list_display = (
        "id",
        "kind",
        "channel",
        "recipient",
        "address",
        "status",
        "delivery_status",
        "attempts",
        "not_before",
        "sent_at",
    )
    list_filter = ("status", "channel", "kind", "delivery_status", "created_at")
    search_fields = ("recipient__email", "address")
    raw_id_fields = ("recipient",)
    fields = (
        "kind",
        "channel",
        "recipient",
        "address",
        "language",
        "status",
        "attempts",
        "last_error",
        "not_before",
        "claimed_at",
        "sent_at",
        "read_at",
        "created_at",
        "provider_id",
        "delivery_status",
        "delivery_status_at",
        "message",
    )
    readonly_fields = fields
    date_hierarchy = "created_at"
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("message"))
    def message(self, notification):
        if notification.kind == Kind.ACCOUNT_EMAIL:
            return _("%(subject)s (the body holds live links and is not shown)") % {
                "subject": notification.context.get("subject", "")
            }
        return json.dumps(notification.context, ensure_ascii=False, indent=1)

    @admin.action(description=_("Send again"))
    def resend(self, request, queryset):
        count = 0
        for notification in queryset.exclude(channel="in_app"):
            try:
                services.notification_resend(notification=notification)
            except StateConflict as error:
                self.message_user(request, f"#{notification.pk}: {error.message}", messages.WARNING)
            else:
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d notification queued again.", "%(count)d notifications queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel", "enabled")
    list_filter = ("kind", "channel", "enabled")
    raw_id_fields = ("user",)


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "timezone", "quiet_hours", "quiet_start", "quiet_end")
    raw_id_fields = ("user",)


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ("address", "kind", "created_at")
    list_filter = ("kind",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "charity", "owner", "is_active", "created_at")
    list_filter = ("is_active",)
    raw_id_fields = ("charity", "owner")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event_id", "kind", "endpoint", "status", "attempts", "response_status", "created_at")
    list_filter = ("status", "kind", "created_at")
    readonly_fields = ("event_id", "attempts", "last_error", "response_status", "claimed_at", "delivered_at")
    actions = ["redeliver"]

    @admin.action(description=_("Deliver again (same event id)"))
    def redeliver(self, request, queryset):
        for delivery in queryset:
            webhooks.webhook_redeliver(delivery=delivery)


@admin.register(PhoneVerification)
class PhoneVerificationAdmin(admin.ModelAdmin):
    """Read-only: a number is proved by its owner's code, never by hand."""

    list_display = ("user", "channel", "verified_number", "verified_at", "attempts", "code_sent_at")
    list_filter = ("channel",)
    search_fields = ("user__email", "verified_number", "number")
    exclude = ("code_hash",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "user_agent", "created_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received_at", "channel", "sender", "user", "action", "text")
    list_filter = ("channel", "action")
    search_fields = ("sender", "user__email", "message_id")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
