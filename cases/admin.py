"""The admin shows what the services own read-only; changing it goes through admin
actions that call the same services as the pages and the API (their notices,
copies and locks included). Needs are created by charities, never here."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import common_words, search
from cases import services as case_services
from cases.models import (
    AuditEntry,
    Case,
    CaseFollow,
    CaseHandover,
    CasePhoto,
    CaseStatusChange,
    CaseUpdate,
    CaseUpdatePhoto,
    CommonWord,
    CommonWordCase,
    ModeratorRegion,
    Need,
    NeedSeries,
    Report,
    ReportPhoto,
)
from core import public_cache
from core.errors import DomainError


class NeedInline(admin.TabularInline):
    """Read-only: a need's time moves with the reschedule action on the need's own page."""

    model = Need
    extra = 0
    fields = ("activity_type", "starts_at", "ends_at", "volunteers_needed", "volunteers_confirmed")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class CasePhotoInline(admin.TabularInline):
    model = CasePhoto
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = CaseStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "note", "created_at")


def _domain_error(modeladmin, request, obj, error) -> None:
    modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Status, charity and region are the services' (closing withdraws matches, a
    hand-over moves them, needs copy the region): read-only, with actions."""

    list_display = ("title", "charity", "region", "status", "urgency", "published_at")
    list_filter = ("status", "urgency", "region__country", "region", "activity_type")
    search_fields = ("title", "story", "search_text", "charity__name_ar", "charity__name_en")
    raw_id_fields = ("created_by",)
    readonly_fields = (
        "charity",
        "region",
        "status",
        "search_text",
        "public_latitude",
        "public_longitude",
        "created_at",
        "published_at",
    )
    inlines = [NeedInline, CasePhotoInline, StatusChangeInline]
    actions = ["close_cases", "resolve_cases"]

    def has_add_permission(self, request):
        return False  # a case is opened by a charity or by approving a report

    def save_model(self, request, obj, form, change):
        obj.search_text = search.search_text(obj.title, obj.story)  # the search copy follows the text
        super().save_model(request, obj, form, change)
        common_words.case_saved(obj)

    def save_related(self, request, form, formsets, change):
        """An edit here (text, urgency, cover, photos) shows on its page, cards and lists at once."""
        super().save_related(request, form, formsets, change)
        case = form.instance
        public_cache.bump_case(case_id=case.pk, charity_id=case.charity_id)

    def _finish(self, request, queryset, to_status):
        done = 0
        for case in queryset:
            try:
                case_services.case_status_change(case=case, user=request.user, to_status=to_status, as_platform=True)
                done += 1
            except DomainError as error:
                _domain_error(self, request, case, error)
        if done:
            self.message_user(
                request, ngettext("%(count)d case changed.", "%(count)d cases changed.", done) % {"count": done}
            )

    @admin.action(description=_("Close the selected cases (withdraws invitations and future commitments)"))
    def close_cases(self, request, queryset):
        self._finish(request, queryset, Case.Status.CLOSED)

    @admin.action(description=_("Mark the selected cases resolved"))
    def resolve_cases(self, request, queryset):
        self._finish(request, queryset, Case.Status.RESOLVED)


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"))
    ends_at = forms.DateTimeField(label=_("ends at"))


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    """Read-only: the need's time moves with the reschedule action (`need_update`, which
    moves the matches' copies, tells the volunteers and moves their reminders)."""

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
    actions = ["reschedule"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # view only; the actions below change needs through the services

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Reschedule the selected need"), permissions=["view"])
    def reschedule(self, request, queryset):
        if not request.user.has_perm("cases.change_need"):
            self.message_user(request, _("You may not change needs."), messages.ERROR)
            return None
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one need to reschedule."), messages.ERROR)
            return None
        need = queryset.select_related("case", "region").get()
        form = RescheduleForm(
            request.POST if "apply" in request.POST else None,
            initial={"starts_at": need.starts_at, "ends_at": need.ends_at},
        )
        if form.is_valid():
            try:
                case_services.need_update(need=need, user=request.user, as_platform=True, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("The need was rescheduled; its volunteers were told."))
                return None
        context = {**self.admin_site.each_context(request), "need": need, "form": form, "opts": self.model._meta}
        return render(request, "admin/cases/need/reschedule.html", context)


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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "report", "charity", "case")
    list_filter = ("action",)
    search_fields = ("actor__email", "note", "report__tracking_code")
    readonly_fields = ("actor", "action", "report", "charity", "case", "note", "created_at")


@admin.register(CommonWord)
class CommonWordAdmin(ReadOnlyAdmin):
    """Kept by the hourly refresh and the services (cases/common_words.py)."""

    list_display = ("word", "cases", "floor", "fills")
    search_fields = ("word",)


@admin.register(CommonWordCase)
class CommonWordCaseAdmin(ReadOnlyAdmin):
    list_display = ("word", "case")
    search_fields = ("word",)
    raw_id_fields = ("case",)


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
