from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import takes_no_body
from core.text import ascii_digits
from notifications import phones, push, selectors, services
from notifications.api.serializers import (
    MarkedSerializer,
    NotificationSerializer,
    PhoneStatusSerializer,
    PhoneVerificationConfirmSerializer,
    PhoneVerificationStartSerializer,
    PreferencesSerializer,
    PushSubscriptionSerializer,
    PushUnsubscribeSerializer,
)
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


def _phone_body(user, channel: str, row=None) -> dict:
    status = next(item for item in phones.phone_status(user=user) if item["channel"] == channel)
    body = {key: status[key] for key in ("channel", "number", "verified", "code_pending")}
    body["code_expires_at"] = row.code_expires_at if row is not None and status["code_pending"] else None
    return body


class PhoneVerificationApi(APIView):
    """Send a 6-digit code to the number on my profile for `channel` (whatsapp or sms)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PhoneVerificationStartSerializer, responses={202: PhoneStatusSerializer})
    def post(self, request):
        serializer = PhoneVerificationStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = serializer.validated_data["channel"]
        row = phones.phone_verification_start(user=request.user, channel=channel)
        return Response(_phone_body(request.user, channel, row), status=202)


class PhoneVerificationConfirmApi(APIView):
    """Prove the number with the code: 5 tries, 10 minutes."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PhoneVerificationConfirmSerializer, responses=PhoneStatusSerializer)
    def post(self, request):
        serializer = PhoneVerificationConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        phones.phone_verification_confirm(user=request.user, channel=values["channel"], code=values["code"])
        return Response(_phone_body(request.user, values["channel"]))


class PushSubscriptionApi(APIView):
    """This browser's Web Push subscription: POST keeps it, DELETE forgets it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=PushSubscriptionSerializer, responses={201: PushSubscriptionSerializer})
    def post(self, request):
        serializer = PushSubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        push.push_subscription_save(
            user=request.user,
            endpoint=values["endpoint"],
            p256dh=values["keys"]["p256dh"],
            auth=values["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        return Response({"endpoint": values["endpoint"], "keys": values["keys"]}, status=201)

    @extend_schema(request=PushUnsubscribeSerializer, responses={204: None})
    def delete(self, request):
        serializer = PushUnsubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        push.push_subscription_delete(user=request.user, endpoint=serializer.validated_data["endpoint"])
        return Response(status=204)
