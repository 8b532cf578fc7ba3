from rest_framework import serializers

from core.models import ActivityType, Region, Skill


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "country", "timezone"]


class TaxonomySerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class ActivityTypeSerializer(TaxonomySerializer, serializers.ModelSerializer):
    class Meta:
        model = ActivityType
        fields = ["slug", "name"]


class SkillSerializer(TaxonomySerializer, serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name"]
