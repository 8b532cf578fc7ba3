from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharitiesConfig(AppConfig):
    name = "charities"
    verbose_name = _("Charities")

    def ready(self):
        from charities import privacy
        from charities.selectors import staff_users
        from notifications.services import digest_audience_register

        privacy.register()

        # A digest about a charity (new volunteers to review) is for its staff as they are when it goes out.
        digest_audience_register(staff_users)
