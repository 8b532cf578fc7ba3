from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "attendance"
    verbose_name = _("Attendance, hours and certificates")

    def ready(self):
        from attendance.certificates import certificates_anonymise, hours_export_section
        from volunteers.privacy import anonymiser_register, export_section_register

        anonymiser_register(certificates_anonymise)
        export_section_register("hours", hours_export_section)
