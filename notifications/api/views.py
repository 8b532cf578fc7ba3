from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import takes_no_body
from core.text import ascii_digits
from notifications import selectors, services
from notifications.api.serializers import MarkedSerializer, NotificationSerializer, PreferencesSerializer
from notifications.models import Notification


class NotificationListApi(ListAPIView):
    """My in-app notifications, newest first; `?unread=1` for the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Notification.objects.none()
        rows = selectors.notification_list_for_user(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            rows = rows.filter(read_at__isnull=True)
        return rows


class NotificationReadApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=NotificationSerializer)
    @takes_no_body
    def post(self, request, pk):
        notification = selectors.notification_get_for_user(user=request.user, pk=pk)
        services.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=MarkedSerializer)
    @takes_no_body
    def post(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


def _preferences_body(user) -> dict:
    row = services.settings_for(user)
    return {
        "timezone": str(row.timezone),
        "quiet_hours": row.quiet_hours,
        "quiet_start": row.quiet_start.strftime("%H:%M"),
        "quiet_end": row.quiet_end.strftime("%H:%M"),
        "preferences": services.preference_matrix(user=user),
    }


class NotificationPreferencesApi(APIView):
    """Each kind of notification on or off per channel, the time zone, and the
    quiet hours that hold non-urgent emails and SMS until morning."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request):
        return Response(_preferences_body(request.user))

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def patch(self, request):
        data = request.data.copy() if hasattr(request.data, "copy") else dict(request.data)
        for field in ("quiet_start", "quiet_end"):
            if isinstance(data.get(field), str):
                data[field] = ascii_digits(data[field])
        serializer = PreferencesSerializer(data=data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        services.preferences_update(
            user=request.user,
            choices=[(p["kind"], p["channel"], p["enabled"]) for p in values.get("preferences", [])],
            time_zone=values.get("timezone"),
            quiet_hours=values.get("quiet_hours"),
            quiet_start=values.get("quiet_start"),
            quiet_end=values.get("quiet_end"),
        )
        return Response(_preferences_body(request.user))
