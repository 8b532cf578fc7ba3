"""API v1 for attendance, hours and certificates. Thin: a selector finds the
object and decides access, one service changes it, a serializer answers."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from attendance import certificates, exports, selectors, services
from attendance.api import serializers as s
from attendance.models import Certificate, HoursRequest
from charities.models import Charity
from core.api.serializers import takes_no_body
from core.errors import InvalidInput


class MatchAttendanceApi(APIView):
    """Mark one confirmed volunteer: `{status: attended|partial|no_show, minutes}`
    (minutes only for partial). From the need's start (409 before); corrections
    within 14 days of its end, each audited. 404 for a volunteer not confirmed."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.AttendanceInputSerializer, responses=s.AttendanceSerializer)
    def post(self, request, pk):
        match = selectors.confirmed_match_get_for_staff(request.user, pk)
        data = s.AttendanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = services.attendance_mark(
            match=match,
            user=request.user,
            status=data.validated_data["status"],
            minutes=data.validated_data.get("minutes"),
        )
        return Response(s.AttendanceSerializer(attendance).data)


class NeedAttendanceApi(APIView):
    """GET: the need's confirmed volunteers with their attendance (its staff).
    POST: everyone not marked yet is marked attended, at once."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.NeedAttendanceRowSerializer(many=True))
    def get(self, request, pk):
        need = selectors.need_get_for_staff(request.user, pk)
        rows = selectors.attendance_list_for_need(need)
        return Response(s.NeedAttendanceRowSerializer(rows, many=True).data)

    @extend_schema(request=None, responses=s.NeedAttendanceRowSerializer(many=True))
    @takes_no_body
    def post(self, request, pk):
        need = selectors.need_get_for_staff(request.user, pk)
        services.attendance_mark_all(need=need, user=request.user)
        rows = selectors.attendance_list_for_need(need)
        return Response(s.NeedAttendanceRowSerializer(rows, many=True).data)


class NeedCheckInApi(APIView):
    """The confirmed volunteer checks in on site with the coordinator's `{code}`:
    on the day only (409 otherwise), 400 for a wrong or expired code, 429 after
    too many wrong codes. 404 for anyone not confirmed for the need."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.CheckInSerializer, responses=s.AttendanceSerializer)
    def post(self, request, pk):
        need = selectors.need_get_for_check_in(request.user, pk)
        data = s.CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = services.attendance_check_in(need=need, user=request.user, code=data.validated_data["code"])
        return Response(s.AttendanceSerializer(attendance).data)


class MyHoursApi(APIView):
    """The volunteer's attested hours: totals, by month, and every record with its source."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.HoursSerializer)
    def get(self, request):
        volunteer = selectors.volunteer_for_user(request.user)
        summary = selectors.hours_summary(volunteer)
        summary["records"] = selectors.hours_records_for(volunteer)
        return Response(s.HoursSerializer(summary).data)


class MyHoursRequestsApi(generics.ListAPIView):
    """GET: the volunteer's requests. POST `{charity, date, minutes, description}`:
    ask a charity to attest hours done outside the portal."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.HoursRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HoursRequest.objects.none()
        return HoursRequest.objects.filter(volunteer__user=self.request.user).select_related("charity", "volunteer")

    @extend_schema(request=s.HoursRequestInputSerializer, responses={201: s.HoursRequestSerializer})
    def post(self, request):
        data = s.HoursRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        charity = Charity.objects.filter(pk=values["charity"]).first()
        hours_request = services.hours_request_create(
            user=request.user,
            charity=charity,
            date=values["date"],
            minutes=values["minutes"],
            description=values["description"],
        )
        return Response(s.HoursRequestSerializer(hours_request).data, status=status.HTTP_201_CREATED)


class CharityHoursRequestsApi(generics.ListAPIView):
    """The charity's hours requests, pending first (its staff)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.HoursRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return HoursRequest.objects.none()
        _charity, requests = selectors.hours_requests_for_charity(self.request.user, self.kwargs["pk"])
        return requests.select_related("charity")


class HoursRequestApproveApi(APIView):
    """pending → approved: the hours become attested (409 once answered)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.HoursRequestSerializer)
    @takes_no_body
    def post(self, request, pk):
        hours_request = selectors.hours_request_get_for_staff(request.user, pk)
        hours_request = services.hours_request_approve(request=hours_request, user=request.user)
        return Response(s.HoursRequestSerializer(hours_request).data)


class HoursRequestDeclineApi(APIView):
    """pending → declined, with a `reason` (required; the volunteer reads it)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.DeclineSerializer, responses=s.HoursRequestSerializer)
    def post(self, request, pk):
        hours_request = selectors.hours_request_get_for_staff(request.user, pk)
        data = s.DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hours_request = services.hours_request_decline(
            request=hours_request, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(s.HoursRequestSerializer(hours_request).data)


class MyCertificatesApi(generics.ListAPIView):
    """GET: the volunteer's certificates. POST `{charity}` (optional): issue one
    for all attested hours, or one charity's (409 with no attested hours)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = s.MyCertificateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return certificates.certificate_list_for_user(self.request.user)

    @extend_schema(request=s.CertificateInputSerializer, responses={201: s.MyCertificateSerializer})
    def post(self, request):
        data = s.CertificateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        charity = None
        if data.validated_data.get("charity") is not None:
            charity = Charity.objects.filter(pk=data.validated_data["charity"]).first()
            if charity is None:
                raise InvalidInput(_no_such_charity(), field="charity")
        certificate = certificates.certificate_issue(user=request.user, charity=charity)
        return Response(s.MyCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


def _no_such_charity() -> str:
    from django.utils.translation import gettext

    return gettext("There is no such organisation.")


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class CertificateApi(APIView):
    """Anyone with the code: who, how many hours, which charity, when, and whether
    it was revoked. Throttled per address (429); an unknown code is 404."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=s.CertificateSerializer)
    def get(self, request, code):
        certificate = certificates.certificate_lookup(code, client=client_address(request))
        return Response(s.CertificateSerializer(certificate).data)


class CertificateRevokeApi(APIView):
    """valid → revoked, by the issuing charity's owner (403 for anyone else: the
    certificate itself is public; 409 when already revoked)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.CertificateSerializer)
    @takes_no_body
    def post(self, request, code):
        certificate = certificates.certificate_lookup(code, client=client_address(request))
        certificate = certificates.certificate_revoke(certificate=certificate, user=request.user)
        return Response(s.CertificateSerializer(certificate).data)


class _AnyAccept(BaseContentNegotiation):
    """The file answers whatever the client accepts; errors go out as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


MONTH = OpenApiParameter("month", str, description="YYYY-MM: only that month's records")


def hours_file(request, pk, *, kind: str) -> HttpResponse:
    """The charity's attested records as CSV or XLSX (shared by the API and the pages)."""
    month = request.GET.get("month") or None
    charity, records = selectors.hours_records_for_charity(request.user, pk, month=month)
    name = f"hours-{charity.pk}-{month or 'all'}"
    if kind == "csv":
        response = HttpResponse(exports.as_csv(records), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(records, title=month or "hours"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


class _HoursExportApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = _AnyAccept
    kind = "csv"

    def get(self, request, pk):
        return hours_file(request, pk, kind=self.kind)


class CharityHoursCsvApi(_HoursExportApi):
    """The charity's attested hours, one row per record (its staff)."""

    kind = "csv"

    @extend_schema(
        operation_id="charities_hours_csv",
        parameters=[MONTH],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="UTF-8 CSV with a BOM.")},
    )
    def get(self, request, pk):
        return super().get(request, pk)


class CharityHoursXlsxApi(_HoursExportApi):
    """The charity's attested hours as an Excel workbook (its staff)."""

    kind = "xlsx"

    @extend_schema(
        operation_id="charities_hours_xlsx",
        parameters=[MONTH],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY, description="An Excel workbook."
            )
        },
    )
    def get(self, request, pk):
        return super().get(request, pk)
