"""Reference lists for the phone clients. Short and stable, so not paginated:
a client loads them once and caches them."""

from rest_framework import generics

from core import selectors
from core.api.serializers import ActivityTypeSerializer, RegionSerializer, SkillSerializer


class RegionListApi(generics.ListAPIView):
    serializer_class = RegionSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.region_list()


class ActivityTypeListApi(generics.ListAPIView):
    serializer_class = ActivityTypeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.activity_type_list()


class SkillListApi(generics.ListAPIView):
    serializer_class = SkillSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.skill_list()
