from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matching import reasons
from matching.models import CalendarFeed, Match, SeriesCommitment
from matching.sweep import match_needs


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["id", "need", "volunteer", "status", "source", "score", "proposed_at", "reviewed_at", "answered_at"]
    list_filter = ["status", "source", "need__region", "charity", "proposed_at"]
    search_fields = ["volunteer__display_name", "volunteer__user__email", "need__case__title"]
    list_select_related = ["need__case", "need__activity_type", "volunteer"]
    raw_id_fields = ["need", "volunteer", "charity", "reviewed_by", "cancelled_by"]
    readonly_fields = ["reasons_text"]
    date_hierarchy = "proposed_at"
    actions = ["rerun_matching"]

    @admin.display(description=_("reasons"))
    def reasons_text(self, match):
        return " · ".join(reasons.render_all(match.reasons))

    @admin.action(description=_("Re-run matching for the needs of the selected matches"))
    def rerun_matching(self, request, queryset):
        need_ids = sorted(set(queryset.values_list("need_id", flat=True)))
        made = match_needs(need_ids=need_ids)
        self.message_user(
            request,
            ngettext("%(count)d new proposal.", "%(count)d new proposals.", made) % {"count": made},
            messages.SUCCESS,
        )


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar link; deleting a row revokes it. The token stays out of sight."""

    list_display = ["volunteer", "created_at"]
    search_fields = ["volunteer__display_name", "volunteer__user__email"]
    list_select_related = ["volunteer"]
    fields = ["volunteer", "created_at"]
    readonly_fields = ["volunteer", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SeriesCommitment)
class SeriesCommitmentAdmin(admin.ModelAdmin):
    """Read only: `matching.occurrences` writes these with the matches they stand for."""

    list_display = ["volunteer", "series", "created_at", "ended_at"]
    raw_id_fields = ["volunteer", "series"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
