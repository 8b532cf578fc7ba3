from django.contrib import admin

from charities.models import Charity, Membership, StaffInvitation
from core import public_cache


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Charity)
class CharityAdmin(admin.ModelAdmin):
    """Verification happens in the moderation queue (/moderation/), which keeps the audit log."""

    list_display = ("name_ar", "name_en", "country", "license_number", "status", "created_at")
    list_filter = ("status", "country", "regions")
    search_fields = ("name_ar", "name_en", "license_number")
    filter_horizontal = ("regions", "activity_types")
    readonly_fields = ("status", "rejection_reason", "verified_at", "created_at")
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        """Its name shows on its cases' pages and cards in every list: renamed, they show it at once."""
        super().save_model(request, obj, form, change)
        public_cache.bump(public_cache.ALL)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "charity", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "charity__name_ar", "charity__name_en")
    raw_id_fields = ("user", "charity")


@admin.register(StaffInvitation)
class StaffInvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "charity", "role", "created_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "charity__name_ar", "charity__name_en")
    raw_id_fields = ("charity", "invited_by")
