"""Read-only views of what the services own: attendance, the audit log, the hours
ledger, requests and certificates change only through `attendance.services` and
`attendance.certificates` (the pages and the API), so the admin cannot bypass the
audit log or leave hours out of step with attendance."""

from django.contrib import admin

from attendance.models import Attendance, AttendanceChange, Certificate, HoursRecord, HoursRequest


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(_ReadOnly):
    list_display = ["id", "need", "volunteer", "charity", "status", "minutes", "source", "marked_at"]
    list_filter = ["status", "source", "charity"]
    list_select_related = ["need__activity_type", "need__case", "volunteer", "charity"]
    search_fields = ["volunteer__display_name", "need__case__title"]


@admin.register(AttendanceChange)
class AttendanceChangeAdmin(_ReadOnly):
    list_display = ["attendance", "actor", "old_status", "old_minutes", "new_status", "new_minutes", "created_at"]
    list_select_related = ["actor", "attendance"]
    date_hierarchy = "created_at"


@admin.register(HoursRecord)
class HoursRecordAdmin(_ReadOnly):
    list_display = ["id", "volunteer", "charity", "date", "minutes", "source"]
    list_filter = ["source", "charity"]
    list_select_related = ["volunteer", "charity"]
    date_hierarchy = "date"


@admin.register(HoursRequest)
class HoursRequestAdmin(_ReadOnly):
    list_display = ["id", "volunteer", "charity", "date", "minutes", "status", "worked_with_before", "created_at"]
    list_filter = ["status", "worked_with_before", "charity"]
    list_select_related = ["volunteer", "charity"]


@admin.register(Certificate)
class CertificateAdmin(_ReadOnly):
    list_display = ["code", "holder_name", "charity", "minutes", "issued_at", "revoked_at"]
    list_select_related = ["charity"]
    search_fields = ["code", "holder_name"]
