from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from cases.services.needs import need_time_moved_connect
        from matching import privacy
        from matching.reschedule import need_reschedule_matches

        privacy.register()
        # Cases may not import matching; matching tells cases what to do when a need moves.
        need_time_moved_connect(need_reschedule_matches)
