"""The impact API's answers, described field by field (the contract tests validate them)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$", "example": "2026-09"})
class MonthField(serializers.Field):
    """A month as YYYY-MM."""

    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class PeriodSerializer(serializers.Serializer):
    start = MonthField(source="first", help_text="YYYY-MM, the first month included")
    end = MonthField(source="last", help_text="YYYY-MM, the last month included")


class ImpactMonthSerializer(serializers.Serializer):
    month = MonthField(help_text="YYYY-MM")
    minutes = serializers.IntegerField(help_text="Attested minutes")
    volunteers = serializers.IntegerField(help_text="Distinct volunteers with attested hours that month")
    attendances = serializers.IntegerField(help_text="Volunteers who came (attended or partly)")
    no_shows = serializers.IntegerField()
    places_needed = serializers.IntegerField()
    places_filled = serializers.IntegerField()


class ImpactTotalsSerializer(serializers.Serializer):
    minutes = serializers.IntegerField()
    attendances = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    places_needed = serializers.IntegerField()
    places_filled = serializers.IntegerField()
    cases_resolved = serializers.IntegerField()


class RankedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    minutes = serializers.IntegerField()


class CharityImpactSerializer(serializers.Serializer):
    charity = serializers.IntegerField(source="charity.pk")
    case = serializers.IntegerField(source="case.pk", allow_null=True, default=None)
    period = PeriodSerializer()
    months = ImpactMonthSerializer(many=True)
    totals = ImpactTotalsSerializer()
    filled_share = serializers.FloatField(allow_null=True, help_text="Places filled / places needed (0..1)")
    no_show_share = serializers.FloatField(allow_null=True, help_text="No-shows / attendance marked (0..1)")
    median_fill_hours = serializers.FloatField(
        source="fill_hours", allow_null=True, help_text="Hours from publishing a need to its last place taken"
    )
    median_review_hours = serializers.FloatField(
        source="review_hours", allow_null=True, help_text="Hours from a proposal to the organisation's review"
    )
    top_activities = RankedSerializer(many=True)
    top_regions = RankedSerializer(many=True)


class StatsRegionSerializer(serializers.Serializer):
    code = serializers.CharField(source="region.code")
    name = serializers.CharField(source="region.name")
    minutes = serializers.IntegerField()
    attendances = serializers.IntegerField()
    volunteers = serializers.IntegerField()
    charities = serializers.IntegerField()


class StatsActivitySerializer(serializers.Serializer):
    slug = serializers.CharField(source="activity_type.slug")
    name = serializers.CharField(source="activity_type.name")
    minutes = serializers.IntegerField()
    attendances = serializers.IntegerField()
    volunteers = serializers.IntegerField()


class StatsMonthSerializer(serializers.Serializer):
    month = MonthField()
    minutes = serializers.IntegerField()
    attendances = serializers.IntegerField()
    volunteers = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    minutes = serializers.IntegerField()
    attendances = serializers.IntegerField()
    volunteers = serializers.IntegerField()
    charities = serializers.IntegerField()
    cases_resolved = serializers.IntegerField()
    updated_at = serializers.DateTimeField(allow_null=True)
    regions = StatsRegionSerializer(many=True)
    activities = StatsActivitySerializer(many=True)
    months = StatsMonthSerializer(many=True)
