"""API shapes of SPEC.md's contract. The services parse digits in any script, slugs
and codes, with one set of messages, so input fields hand them the raw value; the
schema still types them as they come out (integers, dates), so a generated client
sends and reads the same types."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import FormJSONMixin, StrictInputMixin
from volunteers import privacy
from volunteers.models import AvailabilitySlot, Gender, VolunteerProfile


@extend_schema_field({"type": "integer"})
class RawIntegerField(serializers.Field):
    """An integer (or the same digits as a string, in any script), passed on raw."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            raise serializers.ValidationError(_("Enter a whole number."))
        return str(data)


@extend_schema_field({"type": "string", "format": "date"})
class RawDateField(serializers.CharField):
    """A date, YYYY-MM-DD (digits in any script), passed on raw."""


@extend_schema_field({"type": "string", "enum": [*Gender.values, ""]})
class GenderInputField(serializers.CharField):
    """Checked by the service, which names the choices in its message."""


class LocationSerializer(FormJSONMixin, StrictInputMixin, serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class ProfileSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    activity_types = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    location = serializers.SerializerMethodField()
    is_minor = serializers.BooleanField(read_only=True)
    gender = serializers.ChoiceField(
        choices=Gender.choices, read_only=True, allow_blank=True, help_text='"" when not given.'
    )
    languages = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="e.g. ar, en.")

    class Meta:
        model = VolunteerProfile
        fields = [
            "display_name",
            "phone",
            "sms_number",
            "whatsapp_number",
            "region",
            "activity_types",
            "skills",
            "languages",
            "gender",
            "birth_date",
            "location",
            "guardian_consent",
            "is_minor",
            "max_hours_per_week",
            "paused_until",
        ]
        read_only_fields = fields

    @extend_schema_field(LocationSerializer(allow_null=True))
    def get_location(self, profile) -> dict | None:
        if profile.latitude is None:
            return None
        return {"lat": profile.latitude, "lon": profile.longitude}


class ProfileInputSerializer(StrictInputMixin, serializers.Serializer):
    """PATCH body: any subset. The first PATCH creates the profile and needs `region`."""

    display_name = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, help_text="Egyptian or Saudi; stored E.164.")
    sms_number = serializers.CharField(required=False, allow_blank=True)
    whatsapp_number = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, help_text="ISO 3166-2 code, e.g. EG-C.")
    activity_types = serializers.ListField(child=serializers.CharField(), required=False, help_text="Slugs.")
    skills = serializers.ListField(child=serializers.CharField(), required=False, help_text="Slugs.")
    languages = serializers.ListField(child=serializers.CharField(), required=False)
    gender = GenderInputField(required=False, allow_blank=True, help_text='"" when not given.')
    birth_date = RawDateField(required=False, allow_null=True, allow_blank=True)
    location = LocationSerializer(required=False, allow_null=True)
    guardian_consent = serializers.BooleanField(required=False)
    max_hours_per_week = RawIntegerField(required=False, allow_null=True)
    paused_until = RawDateField(required=False, allow_null=True, allow_blank=True)


class SlotSerializer(serializers.ModelSerializer):
    weekday = serializers.SerializerMethodField(help_text="0=Monday … 6=Sunday; null for a dated slot.")
    start = serializers.CharField(source="start_text", help_text='"HH:MM", local to the region.')
    end = serializers.CharField(source="end_text", help_text='"HH:MM"; may be "24:00".')

    class Meta:
        model = AvailabilitySlot
        fields = ["id", "weekday", "date", "start", "end"]
        read_only_fields = fields

    def get_weekday(self, slot) -> int | None:
        return slot.weekday if slot.date is None else None


class SlotInputSerializer(StrictInputMixin, serializers.Serializer):
    weekday = RawIntegerField(required=False, allow_null=True, help_text="0=Monday … 6=Sunday; null for a dated slot.")
    date = RawDateField(required=False, allow_null=True, allow_blank=True, help_text="Null for a weekly slot.")
    start = serializers.CharField(help_text='"HH:MM".')
    end = serializers.CharField(help_text='"HH:MM"; "24:00" allowed.')


_OBJECT_LIST = {"type": "array", "items": {"type": "object", "additionalProperties": {}}}
EXPORT_SECTION_SCHEMAS = {
    "account": {"type": "object", "additionalProperties": {}},
    "volunteer_profile": {"type": "object", "nullable": True, "additionalProperties": {}},
    "availability": _OBJECT_LIST,
    "notifications": _OBJECT_LIST,
}


class ExportSerializer(serializers.Serializer):
    """`GET /me/export/`: one key per registered section (apps add theirs in
    `volunteers.privacy`), so the schema lists every section the export holds."""

    def get_fields(self):
        fields = {"exported_at": serializers.DateTimeField()}
        for name, _section in privacy.EXPORT_SECTIONS:
            field = serializers.JSONField(help_text=f"The {name.replace('_', ' ')} section.")
            set_override(field, "field", EXPORT_SECTION_SCHEMAS.get(name, {"nullable": True}))
            fields[name] = field
        return fields
