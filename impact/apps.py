from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "impact"
    verbose_name = _("Impact")

    def ready(self):
        from core import rollups
        from impact.services import impact_mark_dirty

        # Attendance, matching and cases may not import impact; they say what changed.
        rollups.connect(impact_mark_dirty)
