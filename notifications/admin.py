from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "channel", "recipient", "address", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient__email", "address", "idempotency_key")
    raw_id_fields = ("recipient",)
    readonly_fields = ("created_at", "claimed_at", "sent_at", "read_at")
