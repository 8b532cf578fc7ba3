"""API v1 for moderators: the report queue and charity verification."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access, selectors, services
from cases.api import serializers as s
from charities.api.serializers import CharitySerializer
from core.api.serializers import takes_no_body
from core.calendars import duration_words


class IsModerator(permissions.BasePermission):
    def has_permission(self, request, view):
        return access.is_moderator(request.user)


class ModerationApi(APIView):
    permission_classes = [permissions.IsAuthenticated, IsModerator]


class ReportQueueApi(generics.ListAPIView):
    """Pending reports in my regions, most urgent then oldest first."""

    serializer_class = s.ReportModerationSerializer
    permission_classes = [permissions.IsAuthenticated, IsModerator]

    def get_queryset(self):
        return selectors.report_list_queue(self.request.user)


class ReportQueueStatsSerializer(serializers.Serializer):
    pending_count = serializers.IntegerField(help_text="reports pending review in my regions")
    oldest_pending_at = serializers.DateTimeField(allow_null=True, help_text="when the oldest of them was sent")
    oldest_pending_age = serializers.CharField(
        help_text='how long it has waited, in the requested language ("3 hours"); empty when none waits'
    )


class ReportQueueStatsApi(ModerationApi):
    """How many reports wait in my regions and how long the oldest has waited (one query)."""

    @extend_schema(responses=ReportQueueStatsSerializer)
    def get(self, request):
        stats = selectors.report_queue_stats(request.user)
        oldest = stats["oldest_pending_at"]
        age = duration_words(timezone.now() - oldest, parts=2) if oldest else ""  # Arabic's six plural forms
        return Response(ReportQueueStatsSerializer({**stats, "oldest_pending_age": age}).data)


class ReportReviewApi(ModerationApi):
    """GET shows a report and its likely duplicates; it changes nothing (the 15-minute
    lock is taken by POST .../lock/)."""

    @extend_schema(
        responses=inline_serializer(
            "ReportReview",
            {
                "report": s.ReportModerationSerializer(),
                "duplicates": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request, pk):
        report = selectors.report_get_for_moderator(request.user, pk)
        duplicates = [
            {"kind": d.kind, "id": d.obj.pk, "reasons": d.reasons} for d in selectors.report_duplicates(report)
        ]
        return Response({"report": s.ReportModerationSerializer(report).data, "duplicates": duplicates})


class ReportLockApi(ModerationApi):
    """Take (or renew) a report for review for 15 minutes: 409 while another moderator holds it."""

    @extend_schema(request=None, responses=s.ReportModerationSerializer)
    def post(self, request, pk):
        report = selectors.report_get_for_moderator(request.user, pk)
        report = services.report_lock(report=report, moderator=request.user)
        return Response(s.ReportModerationSerializer(report).data)


class ReportApproveApi(ModerationApi):
    @extend_schema(request=s.ApproveSerializer, responses=s.CasePrivateSerializer)
    def post(self, request, pk):
        report = selectors.report_get_for_moderator(request.user, pk)
        data = s.ApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.report_approve(report=report, moderator=request.user, **data.validated_data)
        return Response(s.CasePrivateSerializer(case, context={"request": request}).data)


class ReportRejectApi(ModerationApi):
    @extend_schema(request=s.RejectSerializer, responses=s.ReportStatusSerializer)
    def post(self, request, pk):
        report = selectors.report_get_for_moderator(request.user, pk)
        data = s.RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_reject(report=report, moderator=request.user, reason=data.validated_data["reason"])
        return Response(s.ReportStatusSerializer(report).data)


class ReportDuplicateApi(ModerationApi):
    @extend_schema(request=s.DuplicateSerializer, responses=s.ReportStatusSerializer)
    def post(self, request, pk):
        report = selectors.report_get_for_moderator(request.user, pk)
        data = s.DuplicateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_duplicate(report=report, moderator=request.user, case=data.validated_data.get("case"))
        return Response(s.ReportStatusSerializer(report).data)


class CharityQueueApi(generics.ListAPIView):
    """Organisations waiting for verification in my regions, oldest first."""

    serializer_class = CharitySerializer
    permission_classes = [permissions.IsAuthenticated, IsModerator]

    def get_queryset(self):
        return selectors.charity_list_pending(self.request.user).prefetch_related("activity_types")


class CharityVerifyApi(ModerationApi):
    @extend_schema(request=None, responses=CharitySerializer)
    @takes_no_body
    def post(self, request, pk):
        charity = selectors.charity_get_for_moderator(request.user, pk)
        charity = services.charity_verify(charity=charity, moderator=request.user)
        return Response(CharitySerializer(charity, context={"request": request}).data)


class CharityRejectApi(ModerationApi):
    @extend_schema(request=s.RejectSerializer, responses=CharitySerializer)
    def post(self, request, pk):
        charity = selectors.charity_get_for_moderator(request.user, pk)
        data = s.RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        charity = services.charity_reject(charity=charity, moderator=request.user, reason=data.validated_data["reason"])
        return Response(CharitySerializer(charity, context={"request": request}).data)
