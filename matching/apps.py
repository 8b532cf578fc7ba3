from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from cases.services.needs import need_time_moved_connect
        from cases.services.series import need_cancelled_connect, series_occurrences_created_connect
        from matching.calendar import calendar_feed_anonymise
        from matching.occurrences import need_cancelled_matches, series_commitments_apply
        from matching.reschedule import need_reschedule_matches
        from volunteers.privacy import anonymiser_register

        anonymiser_register(calendar_feed_anonymise)
        # Cases may not import matching; matching tells cases what to do when a need moves.
        need_time_moved_connect(need_reschedule_matches)
        need_cancelled_connect(need_cancelled_matches)
        series_occurrences_created_connect(series_commitments_apply)
