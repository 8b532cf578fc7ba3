from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import StrictInputMixin
from notifications import messages
from notifications.models import Channel, Kind, Notification


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    unread = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="not_before", read_only=True)
    context = serializers.DictField(
        read_only=True, help_text="The facts the message was written from; keys depend on `kind`."
    )

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "context", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_url(self, obj) -> str:
        return messages.absolute_url(obj.context.get("url", ""), obj.language)

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


@extend_schema_field({"type": "string", "pattern": r"^[0-9]{2}:[0-9]{2}$", "example": "22:00"})
class HourMinuteField(serializers.TimeField):
    """ "HH:MM" local time. Not OpenAPI's "time" format, which wants seconds and an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PreferenceSerializer(StrictInputMixin, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    label = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    enabled = serializers.BooleanField()


class PreferencesSerializer(StrictInputMixin, serializers.Serializer):
    """`preferences` lists every kind × channel a person may choose; a PATCH
    sends only the ones it changes."""

    timezone = serializers.CharField(required=False)
    quiet_hours = serializers.BooleanField(required=False)
    quiet_start = HourMinuteField(required=False)
    quiet_end = HourMinuteField(required=False)
    preferences = PreferenceSerializer(many=True, required=False)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
