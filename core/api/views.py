"""Reference lists for the phone clients (short and stable, so not paginated: a client
loads them once and caches them), and the schema the clients are generated from."""

from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
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


class SchemaApi(SpectacularAPIView):
    """The OpenAPI schema, in English unless `?lang=ar` asks otherwise: client code is
    generated from it, and its docstrings and enum descriptions should read the same for
    every team whatever their browser's language."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.GET.get("lang"):
            return super().get(request, *args, **kwargs)
        with translation.override("en"):
            return super().get(request, *args, **kwargs)
