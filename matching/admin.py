from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError
from matching import reasons
from matching.models import CalendarFeed, Match, SeriesCommitment
from matching.services import match_cancel
from matching.sweep import match_needs


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    """Every field of a match belongs to `matching.services` (status, the copies of the
    need's time and charity): view only. Cancelling goes through the service."""

    list_display = ["id", "need", "volunteer", "status", "source", "score", "proposed_at", "reviewed_at", "answered_at"]
    list_filter = ["status", "source", "need__region", "charity", "proposed_at"]
    search_fields = ["volunteer__display_name", "volunteer__user__email", "need__case__title"]
    list_select_related = ["need__case", "need__activity_type", "volunteer"]
    exclude = ["reasons"]
    readonly_fields = ["reasons_text"]
    date_hierarchy = "proposed_at"
    actions = ["rerun_matching", "cancel_commitments"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel the selected commitments (the volunteers are told)"), permissions=["view"])
    def cancel_commitments(self, request, queryset):
        if not request.user.has_perm("matching.change_match"):
            self.message_user(request, _("You may not change matches."), messages.ERROR)
            return
        done = 0
        for match in queryset.filter(status=Match.Status.CONFIRMED):
            try:
                match_cancel(match=match, user=request.user, as_platform=True)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{match}: {error.message}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d commitment cancelled.", "%(count)d commitments cancelled.", done) % {"count": done},
        )

    @admin.display(description=_("reasons"))
    def reasons_text(self, match):
        return " · ".join(reasons.render_all(match.reasons))

    @admin.action(description=_("Re-run matching for the needs of the selected matches"), permissions=["view"])
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
