import csv

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Case, CaseHandover, CaseUpdate, Need, NeedSeries, Report, Urgency
from cases.selectors import case_reports_private
from charities.models import Charity
from core.api.serializers import FormJSONMixin, NoFilesInJSONField, StrictInputMixin
from core.models import ActivityType, Region, Skill
from core.reference import DATA_DIR
from core.text import ascii_digits


class AsciiIntegerField(serializers.IntegerField):
    """Accepts Arabic-Indic and Persian digits as well as ASCII."""

    def to_internal_value(self, data):
        return super().to_internal_value(ascii_digits(data) if isinstance(data, str) else data)


class AsciiFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        return super().to_internal_value(ascii_digits(data) if isinstance(data, str) else data)


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset: a time without one is ambiguous across Cairo and Riyadh."""

    default_error_messages = {"naive": _("Give the time with its offset, e.g. 2027-01-09T16:00:00+02:00.")}

    def to_internal_value(self, value):
        if isinstance(value, str):
            parsed = parse_datetime(ascii_digits(value.strip()))
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
            value = ascii_digits(value.strip())
        return super().to_internal_value(value)


class CaseLocationSerializer(FormJSONMixin, StrictInputMixin, serializers.Serializer):
    lat = AsciiFloatField(min_value=-90, max_value=90)
    lon = AsciiFloatField(min_value=-180, max_value=180)

    class Meta:
        ref_name = "CaseLocation"  # volunteers has its own "Location" component


class CharityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    is_verified = serializers.BooleanField()


class CaseSerializer(serializers.ModelSerializer):
    description = serializers.CharField(source="story")
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    activity_type = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    charity = CharityBriefSerializer(read_only=True, allow_null=True)
    location = serializers.SerializerMethodField()
    claimable = serializers.BooleanField(source="is_claimable", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "description",
            "region",
            "region_name",
            "activity_type",
            "urgency",
            "status",
            "charity",
            "claimable",
            "location",
            "cover_photo",
            "published_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseLocationSerializer(allow_null=True))
    def get_location(self, case) -> dict | None:
        """The blurred public point, about 2 km from the real one."""
        if case.public_latitude is None:
            return None
        return {"lat": case.public_latitude, "lon": case.public_longitude}


class ReportedAsSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    description = serializers.CharField(help_text="The reporter's own words.")
    location_text = serializers.CharField()


class CasePrivateSerializer(CaseSerializer):
    """For the case's charity and moderators."""

    exact_location = serializers.SerializerMethodField()

    reported_as = serializers.SerializerMethodField(
        help_text="What the public report said (private: the reporter's words, place and contact)."
    )

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "private_details", "exact_location", "reported_as"]
        read_only_fields = fields

    @extend_schema_field(ReportedAsSerializer(many=True))
    def get_reported_as(self, case) -> list[dict]:
        return [
            {"tracking_code": r.tracking_code, "description": r.description, "location_text": r.location_text}
            for r in case_reports_private(case)
        ]

    @extend_schema_field(CaseLocationSerializer(allow_null=True))
    def get_exact_location(self, case) -> dict | None:
        if case.latitude is None:
            return None
        return {"lat": case.latitude, "lon": case.longitude}


class CaseDetailSerializer(CaseSerializer):
    """The schema of one case: the public fields, and the private ones its charity's
    staff and moderators also get (so they are documented but not required)."""

    private_details = serializers.CharField(required=False)
    exact_location = CaseLocationSerializer(required=False, allow_null=True)
    reported_as = ReportedAsSerializer(many=True, required=False)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "private_details", "exact_location", "reported_as"]
        read_only_fields = CaseSerializer.Meta.fields


class CaseCreateSerializer(StrictInputMixin, serializers.Serializer):
    charity = serializers.PrimaryKeyRelatedField(queryset=Charity.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    activity_type = serializers.SlugRelatedField(
        slug_field="slug", queryset=ActivityType.objects.filter(is_active=True), required=False, allow_null=True
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    private_details = serializers.CharField(required=False, allow_blank=True, default="")
    location = CaseLocationSerializer(required=False, allow_null=True)
    publish = serializers.BooleanField(default=True)
    cover_photo = NoFilesInJSONField(upload_path="/api/v1/cases/{id}/photos/", many=False)
    photos = NoFilesInJSONField(upload_path="/api/v1/cases/{id}/photos/")


class CasePhotosUploadSerializer(StrictInputMixin, serializers.Serializer):
    """multipart/form-data: up to 5 photos at a time (20 per case), and/or a new cover."""

    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    cover_photo = serializers.FileField(required=False, allow_null=True, default=None)


class CaseEditSerializer(StrictInputMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False)
    private_details = serializers.CharField(required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    location = CaseLocationSerializer(required=False)


class CaseStatusSerializer(StrictInputMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ClaimSerializer(StrictInputMixin, serializers.Serializer):
    charity = serializers.PrimaryKeyRelatedField(
        queryset=Charity.objects.all(), required=False, help_text="Needed only when you work for several."
    )


class LocalTimeField(serializers.TimeField):
    """A wall-clock "HH:MM" in the region's time; Arabic-Indic digits accepted."""

    def to_internal_value(self, value):
        return super().to_internal_value(ascii_digits(value.strip()) if isinstance(value, str) else value)


class SeriesSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A repeating need. PATCH changes its future days through the reschedule rules:
    409 naming the field when a day with a confirmed volunteer would change more than its time."""

    start_time = LocalTimeField(required=False, format="%H:%M")
    anchor_offset_minutes = AsciiIntegerField(required=False)
    duration_minutes = AsciiIntegerField(required=False)
    volunteers_needed = AsciiIntegerField(required=False)
    min_age = AsciiIntegerField(required=False, allow_null=True)
    radius_km = AsciiIntegerField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Need.Gender.choices, required=False, allow_blank=True)
    skills = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Skill.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = NeedSeries
        fields = [
            "id",
            "recurrence",
            "first_date",
            "start_time",
            "anchor",
            "anchor_offset_minutes",
            "duration_minutes",
            "description",
            "volunteers_needed",
            "gender",
            "min_age",
            "radius_km",
            "skills",
        ]
        read_only_fields = ["id", "first_date", "anchor"]
        ref_name = "NeedSeries"


class SeriesBriefSerializer(serializers.ModelSerializer):
    start_time = serializers.TimeField(format="%H:%M", allow_null=True)

    class Meta:
        model = NeedSeries
        fields = ["id", "recurrence", "first_date", "start_time", "anchor", "anchor_offset_minutes", "duration_minutes"]
        read_only_fields = fields


class HandoverRequestSerializer(StrictInputMixin, serializers.Serializer):
    charity = serializers.PrimaryKeyRelatedField(
        queryset=Charity.objects.all(), required=False, help_text="Needed only when you work for several."
    )
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HandoverSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    from_charity = serializers.IntegerField(source="from_charity_id", read_only=True)
    to_charity = serializers.IntegerField(source="to_charity_id", read_only=True)
    message = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=CaseHandover.Status.choices, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)


class NeedSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A need. POST may add `recurrence` (an RRULE in the region's local time, bounded by
    COUNT or UNTIL, at most 400 days) and/or `anchor: "sunset"` with `anchor_offset_minutes`
    (-360..360) and `duration_minutes`: then `starts_at` gives the first day (and, without
    an anchor, the local start time), and the answer is the first occurrence with its `series`."""

    activity_type = serializers.SlugRelatedField(
        slug_field="slug", queryset=ActivityType.objects.filter(is_active=True)
    )
    skills = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Skill.objects.filter(is_active=True), required=False
    )
    starts_at = AwareDateTimeField()
    ends_at = AwareDateTimeField(required=False)
    recurrence = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=500)
    anchor = serializers.ChoiceField(
        choices=NeedSeries.Anchor.choices, write_only=True, required=False, allow_blank=True
    )
    anchor_offset_minutes = AsciiIntegerField(write_only=True, required=False, allow_null=True)
    duration_minutes = AsciiIntegerField(write_only=True, required=False, allow_null=True)
    series = SeriesBriefSerializer(read_only=True, allow_null=True)
    volunteers_needed = AsciiIntegerField(default=1)
    min_age = AsciiIntegerField(required=False, allow_null=True)
    radius_km = AsciiIntegerField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Need.Gender.choices, required=False, allow_blank=True, default="")

    class Meta:
        model = Need
        fields = [
            "id",
            "case",
            "activity_type",
            "skills",
            "description",
            "starts_at",
            "ends_at",
            "volunteers_needed",
            "volunteers_confirmed",
            "gender",
            "min_age",
            "radius_km",
            "recurrence",
            "anchor",
            "anchor_offset_minutes",
            "duration_minutes",
            "series",
            "occurrence_date",
            "cancelled_at",
            "national_opportunity_number",
        ]
        read_only_fields = ["id", "case", "volunteers_confirmed", "series", "occurrence_date", "cancelled_at"]


class CaseUpdateSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = CaseUpdate
        fields = ["id", "text", "is_achievement", "photos", "created_at"]
        read_only_fields = fields

    def get_photos(self, update) -> list[str]:
        request = self.context.get("request")
        urls = [photo.image.url for photo in update.photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls


class CaseUpdateCreateSerializer(StrictInputMixin, serializers.Serializer):
    text = serializers.CharField()
    is_achievement = serializers.BooleanField(default=False)
    photos = NoFilesInJSONField(upload_path="/api/v1/cases/{id}/updates/{update_id}/photos/")


class PhotosUploadSerializer(StrictInputMixin, serializers.Serializer):
    """multipart/form-data: one or more `photos` parts (images, 5 MB each, 5 in all)."""

    photos = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class FollowingSerializer(serializers.Serializer):
    following = serializers.BooleanField()


NO_NUL = r"^[^\x00]*$"


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(serializers.BooleanField):
    """Must be true: the people concerned agree to be reported."""

    default_error_messages = {"refused": _("Confirm that the people concerned agree to be reported.")}

    def to_internal_value(self, data):
        if not super().to_internal_value(data):
            self.fail("refused")
        return True


def _shipped_codes(file: str, column: str) -> list[str]:
    """Codes of the reference data shipped in core/data, for the schema's enums (read
    without the database, so the schema builds anywhere)."""
    with open(DATA_DIR / file, encoding="utf-8", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


class ReferenceCodeField(serializers.CharField):
    """A region code or activity slug, checked against the database (rows added in the
    admin count); the schema lists the shipped ones as an enum."""

    default_error_messages = {"unknown": _("Choose one from the list.")}

    def __init__(self, model, lookup, **kwargs):
        self.model, self.lookup = model, lookup
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        rows = self.model.objects.filter(**{self.lookup: code})
        if hasattr(self.model, "is_active"):
            rows = rows.filter(is_active=True)
        found = rows.first()
        if found is None:
            self.fail("unknown")
        return found


@extend_schema_field({"type": "string", "enum": _shipped_codes("regions.csv", "iso_code")})
class RegionCodeField(ReferenceCodeField):
    def __init__(self, **kwargs):
        super().__init__(Region, "code", **kwargs)


@extend_schema_field({"type": "string", "enum": _shipped_codes("activity_types.csv", "slug"), "nullable": True})
class ActivitySlugField(ReferenceCodeField):
    def __init__(self, **kwargs):
        super().__init__(ActivityType, "slug", **kwargs)


class ReportCreateSerializer(StrictInputMixin, serializers.Serializer):
    """JSON. Photos follow with `POST /api/v1/reports/{tracking_code}/photos/`."""

    description = serializers.RegexField(r"\S", max_length=4000)
    region = RegionCodeField()
    activity_type = ActivitySlugField(required=False, allow_null=True)
    location_text = serializers.RegexField(NO_NUL, required=False, allow_blank=True, default="", max_length=300)
    location = CaseLocationSerializer(required=False, allow_null=True)
    contact = serializers.RegexField(NO_NUL, required=False, allow_blank=True, default="", max_length=200)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    consent = ConsentField()
    photos = NoFilesInJSONField(upload_path="/api/v1/reports/{tracking_code}/photos/")


class ReportStatusSerializer(serializers.ModelSerializer):
    """What anyone with the tracking code sees: no private data."""

    case = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Report.Status.choices, read_only=True)

    class Meta:
        model = Report
        fields = ["tracking_code", "status", "reason", "case", "created_at"]
        read_only_fields = fields

    def get_case(self, report) -> int | None:
        return report.case_id if report.status in (Report.Status.APPROVED, Report.Status.DUPLICATE) else None


class ReportModerationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    activity_type = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    photos = serializers.SerializerMethodField()
    locked_by = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Report.Status.choices, read_only=True)
    likely_duplicate = serializers.BooleanField(
        read_only=True, default=False, help_text="same phone or (on PostgreSQL) similar text in the region"
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "tracking_code",
            "description",
            "region",
            "activity_type",
            "location_text",
            "latitude",
            "longitude",
            "contact",
            "urgency",
            "status",
            "photos",
            "locked_by",
            "locked_until",
            "likely_duplicate",
            "created_at",
        ]
        read_only_fields = fields

    def get_photos(self, report) -> list[str]:
        return [photo.image.url for photo in report.photos.all()]

    def get_locked_by(self, report) -> str | None:
        return report.locked_by.email if report.locked_by_id and report.locked_by else None


class RejectSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ApproveSerializer(StrictInputMixin, serializers.Serializer):
    """The public case is the moderator's: title and story are required (400 naming
    the field when missing); the reporter's description stays private."""

    title = serializers.CharField(max_length=200, help_text="The public title, written by the moderator.")
    story = serializers.CharField(help_text="The public story, in the moderator's words.")
    photo_ids = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of the report's photos to publish (the first becomes the cover); none by default.",
    )


class DuplicateSerializer(StrictInputMixin, serializers.Serializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all(), required=False, allow_null=True)
