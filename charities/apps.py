from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharitiesConfig(AppConfig):
    name = "charities"
    verbose_name = _("Charities")

    def ready(self):
        from django.contrib.auth import get_user_model

        from charities import privacy
        from notifications.services import digest_audience_register

        privacy.register()

        # A digest about a charity (new volunteers to review) is for its staff as they are when it goes out.
        digest_audience_register(
            lambda charity_id: get_user_model().objects.filter(charity_memberships__charity_id=charity_id)
        )
