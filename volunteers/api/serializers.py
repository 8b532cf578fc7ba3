"""API shapes of SPEC.md's contract. Input fields are strings on purpose: the
services parse digits in any script, slugs and codes, with one set of messages."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import StrictInputMixin
from volunteers.models import AvailabilitySlot, Gender, VolunteerProfile


class LocationSerializer(StrictInputMixin, serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class GuardianSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    status = serializers.CharField(read_only=True, help_text='"pending", "confirmed" or "withdrawn".')
    requested_at = serializers.DateTimeField(read_only=True)
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)


class GuardianInputSerializer(StrictInputMixin, serializers.Serializer):
    email = serializers.CharField(help_text="The parent's or guardian's email: they get a signed link to answer.")


class MeDeleteInputSerializer(StrictInputMixin, serializers.Serializer):
    password = serializers.CharField(
        required=False,
        help_text="Needed unless the session token signed in (or reauthenticated) in the last 5 minutes.",
    )


class ProfileSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    activity_types = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    skills = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    location = serializers.SerializerMethodField()
    is_minor = serializers.BooleanField(read_only=True)
    guardian_consent = serializers.BooleanField(
        read_only=True, help_text="A guardian confirmed by the signed link (POST /api/v1/me/guardian/)."
    )
    gender = serializers.ChoiceField(
        choices=Gender.choices, read_only=True, allow_blank=True, help_text='"" when not given.'
    )

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
    gender = serializers.CharField(required=False, allow_blank=True, help_text='"female", "male" or "".')
    birth_date = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="YYYY-MM-DD.")
    location = LocationSerializer(required=False, allow_null=True)
    max_hours_per_week = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    paused_until = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="YYYY-MM-DD.")


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
    weekday = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="0=Monday … 6=Sunday.")
    date = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="YYYY-MM-DD.")
    start = serializers.CharField(help_text='"HH:MM".')
    end = serializers.CharField(help_text='"HH:MM"; "24:00" allowed.')
