from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from cases.services.needs import need_time_moved_connect
        from matching.calendar import calendar_feed_anonymise
        from matching.replies import invitation_answer
        from matching.reschedule import need_reschedule_matches
        from notifications.inbound import reply_handler_register
        from volunteers.privacy import anonymiser_register

        anonymiser_register(calendar_feed_anonymise)
        # Cases may not import matching; matching tells cases what to do when a need moves.
        need_time_moved_connect(need_reschedule_matches)
        # Notifications may not import matching; matching answers invitations replied to by WhatsApp or SMS.
        reply_handler_register(invitation_answer)
