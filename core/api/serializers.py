import functools
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from core.models import ActivityType, Region, Skill


class StrictInputMixin:
    """For every serializer that reads a request body: a key it does not know is refused
    with `{"key": ["Unknown field."]}` (with the other errors, if any), so a typo in a
    client never passes silently as "nothing changed". Names of read-only fields count
    as known (and are ignored), so a client may send back what it read.
    `extra_input_names` lists keys the view reads itself (multipart files, say)."""

    extra_input_names: tuple[str, ...] = ()

    def to_internal_value(self, data):
        unknown = {}
        if isinstance(data, Mapping):
            known = set(self.fields) | set(self.extra_input_names)
            unknown = {
                key: [ErrorDetail(str(_("Unknown field.")), code="unknown_field")] for key in data if key not in known
            }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, Mapping):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


def takes_no_body(handler):
    """For an action that reads no body (approve, accept, follow…): a key sent
    with it is refused as unknown, as `StrictInputMixin` does for the others, so
    a client expecting a field to count learns it does not. An empty body or `{}`
    is fine."""

    @functools.wraps(handler)
    def checked(self, request, *args, **kwargs):
        data = request.data
        if isinstance(data, Mapping) and data:
            raise serializers.ValidationError(
                {key: [ErrorDetail(str(_("Unknown field.")), code="unknown_field")] for key in data}
            )
        return handler(self, request, *args, **kwargs)

    return checked


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
