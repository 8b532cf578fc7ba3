from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from matching.calendar import calendar_feed_anonymise
        from volunteers.privacy import anonymiser_register

        anonymiser_register(calendar_feed_anonymise)
