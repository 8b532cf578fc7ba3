from django.contrib import admin

from volunteers.models import AvailabilitySlot, GuardianConsent, VolunteerProfile


class SlotInline(admin.TabularInline):
    """Read-only: slots change through the services, which merge them and keep copies in step."""

    model = AvailabilitySlot
    fields = ("kind", "weekday", "date", "start_text", "end_text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "region", "paused_until", "created_at")
    list_filter = ("region__country", "region")
    search_fields = ("display_name", "user__email")
    list_select_related = ("region",)
    readonly_fields = ("activity_mask", "anonymised_at", "created_at", "updated_at")
    autocomplete_fields = ()
    inlines = [SlotInline]

    def has_change_permission(self, request, obj=None):
        return False  # edits go through the volunteer's own pages and the services


@admin.register(GuardianConsent)
class GuardianConsentAdmin(admin.ModelAdmin):
    """Read-only: only the guardian's own answer (the signed link) changes consent."""

    list_display = ("volunteer", "status", "requested_at", "confirmed_at", "withdrawn_at")
    fields = ("volunteer", "email", "language", "requested_at", "confirmed_at", "withdrawn_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
