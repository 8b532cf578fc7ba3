from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "impact"
    verbose_name = _("Impact")

    def ready(self):
        from cases import hooks
        from core import rollups
        from impact.services import impact_case_handed_over, impact_mark_dirty

        # Attendance, matching and cases may not import impact; they say what changed.
        rollups.connect(impact_mark_dirty)
        # A case's needs and places move to the charity it is handed to.
        hooks.connect(hooks.CASE_HANDED_OVER, impact_case_handed_over)
