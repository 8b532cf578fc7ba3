from rest_framework import serializers

from charities.models import Charity
from core.api.serializers import NoFilesInJSONField, StrictInputMixin
from core.models import ActivityType, Country, Region


class CharitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    activity_types = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    is_verified = serializers.BooleanField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="pending, verified or rejected")
    # Empty when not given, so not "format: uri" in the schema.
    facebook_url = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    x_url = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    website = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    median_review_hours = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=(
            "Median hours from a volunteer being proposed to the charity's review, over recent matches "
            "(unreviewed proposals count with their age); null when there are too few matches to say."
        ),
    )
    median_answer_hours = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Median hours volunteers take to answer this charity's invitations; null when too few.",
    )

    class Meta:
        model = Charity
        fields = [
            "id",
            "name",
            "name_ar",
            "name_en",
            "country",
            "regions",
            "activity_types",
            "license_number",
            "description",
            "logo",
            "facebook_url",
            "x_url",
            "whatsapp",
            "website",
            "status",
            "is_verified",
            "rejection_reason",
            "median_review_hours",
            "median_answer_hours",
            "created_at",
        ]
        read_only_fields = fields


class CharityRegisterSerializer(StrictInputMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Arabic name")
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    country = serializers.ChoiceField(choices=Country.choices)
    license_number = serializers.CharField(max_length=60)
    regions = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Region.objects.all())
    activity_types = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=ActivityType.objects.filter(is_active=True), required=False, default=list
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    facebook_url = serializers.URLField(required=False, allow_blank=True, default="")
    x_url = serializers.URLField(required=False, allow_blank=True, default="")
    whatsapp = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    website = serializers.URLField(required=False, allow_blank=True, default="")
    logo = NoFilesInJSONField(upload_path="/api/v1/charities/{id}/logo/", many=False)


class LogoUploadSerializer(StrictInputMixin, serializers.Serializer):
    """multipart/form-data: the logo (an image, 5 MB at most)."""

    logo = serializers.FileField()


class StaffInviteSerializer(StrictInputMixin, serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=[("coordinator", "coordinator"), ("owner", "owner")], default="coordinator")
