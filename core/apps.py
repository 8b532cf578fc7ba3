from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Reference data")

    def ready(self):
        from core.api import schema  # noqa: F401 - registers the session-token scheme with drf-spectacular
