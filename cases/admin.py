from django.contrib import admin

from cases.models import (
    AuditEntry,
    Case,
    CaseFollow,
    CaseHandover,
    CasePhoto,
    CaseStatusChange,
    CaseUpdate,
    CaseUpdatePhoto,
    ModeratorRegion,
    Need,
    NeedSeries,
    Report,
    ReportPhoto,
)


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    fields = ("activity_type", "starts_at", "ends_at", "volunteers_needed", "volunteers_confirmed")
    readonly_fields = ("volunteers_confirmed",)


class CasePhotoInline(admin.TabularInline):
    model = CasePhoto
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "note", "created_at")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "charity", "region", "status", "urgency", "published_at")
    list_filter = ("status", "urgency", "region__country", "region", "activity_type")
    search_fields = ("title", "story", "search_text", "charity__name_ar", "charity__name_en")
    raw_id_fields = ("charity", "created_by")
    readonly_fields = ("public_latitude", "public_longitude", "created_at", "published_at")
    inlines = [NeedInline, CasePhotoInline, StatusChangeInline]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = (
        "case",
        "activity_type",
        "region",
        "starts_at",
        "ends_at",
        "volunteers_needed",
        "volunteers_confirmed",
    )
    list_filter = ("activity_type", "region", "gender")
    search_fields = ("case__title", "description")
    raw_id_fields = ("case",)
    filter_horizontal = ("skills",)
    readonly_fields = ("matching_requested_at", "series", "occurrence_date", "cancelled_at")


@admin.register(NeedSeries)
class NeedSeriesAdmin(admin.ModelAdmin):
    """Read only: a series changes through `cases.services.series` (the API and the pages),
    which keeps its days in step under the reschedule rules."""

    list_display = ("case", "activity_type", "recurrence", "first_date", "anchor", "duration_minutes")
    list_filter = ("anchor", "activity_type", "region")
    search_fields = ("case__title", "description", "recurrence")
    list_select_related = ("case", "activity_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class UpdatePhotoInline(admin.TabularInline):
    model = CaseUpdatePhoto
    extra = 0


@admin.register(CaseUpdate)
class CaseUpdateAdmin(admin.ModelAdmin):
    list_display = ("case", "author", "is_achievement", "created_at")
    list_filter = ("is_achievement",)
    search_fields = ("text", "case__title")
    raw_id_fields = ("case", "author")
    inlines = [UpdatePhotoInline]


@admin.register(CaseFollow)
class CaseFollowAdmin(admin.ModelAdmin):
    list_display = ("case", "user", "reason", "created_at")
    list_filter = ("reason",)
    search_fields = ("user__email", "case__title")
    raw_id_fields = ("case", "user")


@admin.register(CaseHandover)
class CaseHandoverAdmin(admin.ModelAdmin):
    list_display = ("case", "from_charity", "to_charity", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("case__title",)
    raw_id_fields = ("case", "from_charity", "to_charity", "requested_by", "decided_by")


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Decisions are taken in the moderation queue, where they are audited."""

    list_display = ("tracking_code", "region", "urgency", "status", "created_at", "reviewed_by")
    list_filter = ("status", "urgency", "region__country", "region")
    search_fields = ("tracking_code", "description", "contact", "contact_phone")
    readonly_fields = ("status", "reason", "case", "reviewed_by", "reviewed_at", "locked_by", "locked_until")
    raw_id_fields = ("reporter",)
    inlines = [ReportPhotoInline]


@admin.register(ModeratorRegion)
class ModeratorRegionAdmin(admin.ModelAdmin):
    list_display = ("user", "region")
    list_filter = ("region",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "report", "charity", "case")
    list_filter = ("action",)
    search_fields = ("actor__email", "note", "report__tracking_code")
    readonly_fields = ("actor", "action", "report", "charity", "case", "note", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CasePhoto)
class CasePhotoAdmin(admin.ModelAdmin):
    list_display = ("case", "image", "created_at")
    search_fields = ("case__title",)
    raw_id_fields = ("case",)


@admin.register(CaseUpdatePhoto)
class CaseUpdatePhotoAdmin(admin.ModelAdmin):
    list_display = ("update", "image")
    search_fields = ("update__case__title",)
    raw_id_fields = ("update",)


@admin.register(ReportPhoto)
class ReportPhotoAdmin(admin.ModelAdmin):
    list_display = ("report", "image")
    search_fields = ("report__tracking_code",)
    raw_id_fields = ("report",)


@admin.register(CaseStatusChange)
class CaseStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("case", "from_status", "to_status", "changed_by", "created_at")
    list_filter = ("to_status",)
    search_fields = ("case__title", "note")
    readonly_fields = ("case", "from_status", "to_status", "changed_by", "note", "created_at")
