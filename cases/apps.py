from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.db.backends.signals import connection_created

        from cases import privacy
        from cases.search import trigram_thresholds

        connection_created.connect(trigram_thresholds, dispatch_uid="cases.trigram_thresholds")
        privacy.register()
