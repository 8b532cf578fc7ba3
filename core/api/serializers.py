import functools
import json
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from core.models import ActivityType, Region, Skill


class StrictInputMixin:
    # For every serializer that reads a request body: a key it does not know is refused
    # with `{"key": ["Unknown field."]}` (with the other errors, if any), so a typo in a
    # client never passes silently as "nothing changed". Names of read-only fields count
    # as known (and are ignored), so a client may send back what it read.
    # `extra_input_names` lists keys the view reads itself (multipart files, say).
    # (Comments, not docstrings, on these mixins: drf-spectacular would print a
    # docstring on every request schema that mixes one in.)

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


class FormJSONMixin:
    # For a nested object in a multipart body: generated clients send it as one part
    # holding JSON (`location={"lat": 30.0, "lon": 31.2}`); read it as the object.

    def get_value(self, dictionary):
        value = dictionary.get(self.field_name) if hasattr(dictionary, "getlist") else None
        if isinstance(value, str):
            try:
                return json.loads(value) if value not in ("", "null") else None
            except ValueError:
                return value
        return super().get_value(dictionary)


class NoFilesInJSONField(serializers.Field):
    # Where a JSON body once carried files (`photos: []`, `logo: null`): still
    # accepted empty, so older JSON clients keep working, and refused with a pointer to
    # the multipart operation that takes them otherwise.

    def __init__(self, *, upload_path: str, many: bool = True, **kwargs):
        self.upload_path, self.many = upload_path, many
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", list if many else None)
        kwargs.setdefault("help_text", f"Deprecated: upload files with `POST {upload_path}` (multipart/form-data).")
        super().__init__(**kwargs)
        schema = {"type": "array", "items": {"type": "string"}, "maxItems": 0} if many else {"type": "string"}
        set_override(self, "field", {**schema, "nullable": True, "deprecated": True})

    def validate_empty_values(self, data):
        if data is None:  # null means no files, as an empty list does
            return True, [] if self.many else None
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if data in ([], "", {}):
            return [] if self.many else None
        raise serializers.ValidationError(
            _("Send files with POST %(path)s as multipart/form-data.") % {"path": self.upload_path}
        )

    def to_representation(self, value):
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
