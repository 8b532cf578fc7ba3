from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from cases import hooks
        from cases.services.needs import need_time_moved_connect
        from cases.services.series import need_cancelled_connect, series_occurrences_created_connect
        from matching import privacy
        from matching.account import match_withdraw_for_account
        from matching.case_events import case_finish_matches, case_handover_matches
        from matching.occurrences import need_cancelled_matches, series_commitments_apply
        from matching.replies import invitation_answer
        from matching.reschedule import need_reschedule_matches
        from notifications.inbound import reply_handler_register
        from volunteers.privacy import anonymiser_register

        privacy.register()
        anonymiser_register(match_withdraw_for_account, first=True)  # before the profile is emptied
        # Cases may not import matching; matching tells cases what to do when a need moves.
        need_time_moved_connect(need_reschedule_matches)
        need_cancelled_connect(need_cancelled_matches)
        series_occurrences_created_connect(series_commitments_apply)
        hooks.connect(hooks.CASE_HANDED_OVER, case_handover_matches)
        hooks.connect(hooks.CASE_FINISHED, case_finish_matches)
        # Notifications may not import matching; matching answers invitations replied to by WhatsApp or SMS.
        reply_handler_register(invitation_answer)
