"""API v1 for cases, needs, updates, follows and public reports. Thin: parse, call a
selector or service, serialise."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import access, cards, selectors, services
from cases.api import serializers as s
from cases.models import CaseUpdate, Need
from cases.services.reports import report_rate_limited
from charities.selectors import charity_get_for_staff, charity_list_for_user
from core import public_cache
from core.api.pagination import CappedPageNumberPagination
from core.api.parsers import MultiPartParser
from core.api.serializers import takes_no_body
from core.http import client_ip


def _case_payload(case, request):
    serializer = s.CasePrivateSerializer if access.can_see_private(request.user, case) else s.CaseSerializer
    return serializer(case, context={"request": request}).data


class CaseListCreateApi(generics.ListAPIView):
    """GET: open cases (filters `region`, `activity_type`, `q`). POST: a charity's staff create a case."""

    serializer_class = s.CaseSerializer
    pagination_class = CappedPageNumberPagination  # `count` stops at PUBLIC_LIST_MAX_RESULTS

    def get_permissions(self):
        return [permissions.IsAuthenticated()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.case_list_public(
            region=params.get("region", ""), activity_type=params.get("activity_type", ""), q=params.get("q", "")
        )

    @extend_schema(
        description=(
            "Most urgent, then newest first; with `q`, the best matches first (at most SEARCH_CANDIDATES, "
            "200, are ranked). `count` is exact up to PUBLIC_LIST_MAX_RESULTS (1000) and never more; "
            "`next` stops there too. Anonymous answers may come from a cache for up to "
            "PUBLIC_CACHE_SECONDS (300) after a change."
        ),
        parameters=[
            OpenApiParameter("region", str, description="ISO 3166-2 code, e.g. EG-C"),
            OpenApiParameter("activity_type", str, description="activity type slug"),
            OpenApiParameter("q", str, description="text search (Arabic spellings are normalised)"),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        """The page's ids, then each case's stored payload (cases/cards.py); as DRF's own
        list when fragments are off."""
        if not public_cache.fragments_on():
            return super().list(request, *args, **kwargs)
        rows = self.paginate_queryset(self.get_queryset().values_list("pk", "charity_id"))
        context = self.get_serializer_context()
        results = cards.case_payloads(
            rows,
            serialize=lambda case: s.CaseSerializer(case, context=context).data,
            origin=f"{request.scheme}://{request.get_host()}",
        )
        return self.get_paginated_response(results)

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CasePrivateSerializer})
    def post(self, request):
        data = s.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        charity = charity_get_for_staff(request.user, fields.pop("charity").pk)
        where = fields.pop("location", None) or {}
        case = services.case_create(
            user=request.user,
            charity=charity,
            story=fields.pop("description"),
            latitude=where.get("lat"),
            longitude=where.get("lon"),
            **fields,
        )
        return Response(_case_payload(case, request), status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    """GET: a public case (its charity and moderators also see private details). PATCH: its staff edit it."""

    def get_permissions(self):
        return [permissions.IsAuthenticated()] if self.request.method == "PATCH" else [permissions.AllowAny()]

    @extend_schema(
        responses=s.CaseDetailSerializer,
        description="The case's charity staff and moderators also get `private_details` and `exact_location`.",
    )
    def get(self, request, pk):
        return Response(_case_payload(selectors.case_get_public(pk, user=request.user), request))

    @extend_schema(request=s.CaseEditSerializer, responses=s.CasePrivateSerializer)
    def patch(self, request, pk):
        case = selectors.case_get_for_staff(request.user, pk)
        data = s.CaseEditSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        where = fields.pop("location", None) or {}
        if "description" in fields:
            fields["story"] = fields.pop("description")
        case = services.case_edit(
            case=case, user=request.user, latitude=where.get("lat"), longitude=where.get("lon"), **fields
        )
        return Response(_case_payload(case, request))


class CaseStatusApi(APIView):
    """Move a case through its lifecycle (publish, in progress, resolve, close)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.CaseStatusSerializer, responses=s.CasePrivateSerializer)
    def post(self, request, pk):
        case = selectors.case_get_for_staff(request.user, pk)
        data = s.CaseStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_status_change(
            case=case, user=request.user, to_status=data.validated_data["status"], note=data.validated_data["note"]
        )
        return Response(_case_payload(case, request))


class CaseClaimApi(APIView):
    """A verified charity serving the region takes an approved report's case."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ClaimSerializer, responses=s.CasePrivateSerializer)
    def post(self, request, pk):
        case = selectors.case_get_public(pk, user=request.user)
        data = s.ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "charity" in data.validated_data:
            charity = charity_get_for_staff(request.user, data.validated_data["charity"].pk)
        else:
            charities = list(charity_list_for_user(request.user)[:2])
            if len(charities) != 1:
                if not charities:
                    raise exceptions.PermissionDenied(_("Only staff of a verified organisation can claim cases."))
                raise exceptions.ValidationError({"charity": [_("Say which of your organisations claims it.")]})
            charity = charities[0]
        case = services.case_claim(case=case, charity=charity, user=request.user)
        return Response(_case_payload(case, request))


def _acting_charity(request, data, *, none_message: str):
    """The charity the caller acts for: the one named, else their only one."""
    if data.get("charity") is not None:
        return charity_get_for_staff(request.user, data["charity"].pk)
    charities = list(charity_list_for_user(request.user)[:2])
    if not charities:
        raise exceptions.PermissionDenied(none_message)
    if len(charities) > 1:
        raise exceptions.ValidationError({"charity": [_("Say which of your organisations asks.")]})
    return charities[0]


class CaseHandoverRequestApi(APIView):
    """Staff of a verified charity serving the region ask the holding charity for its case."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.HandoverRequestSerializer, responses={201: s.HandoverSerializer})
    def post(self, request, pk):
        case = selectors.case_get_public(pk, user=request.user)
        data = s.HandoverRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        charity = _acting_charity(
            request, data.validated_data, none_message=_("Only staff of a verified organisation can ask for a case.")
        )
        handover = services.case_handover_request(
            case=case, charity=charity, user=request.user, message=data.validated_data["message"]
        )
        return Response(s.HandoverSerializer(handover).data, status=status.HTTP_201_CREATED)


class _HandoverDecideApi(APIView):
    """The owner of the charity holding the case decides (its other staff get 403, anyone else 404)."""

    permission_classes = [permissions.IsAuthenticated]
    accept = True

    @extend_schema(request=None, responses=s.HandoverSerializer)
    @takes_no_body
    def post(self, request, pk):
        handover = selectors.handover_get_for_staff(request.user, pk)
        handover = services.case_handover_decide(handover=handover, user=request.user, accept=self.accept)
        return Response(s.HandoverSerializer(handover).data)


class HandoverAcceptApi(_HandoverDecideApi):
    """Accept: the case, its matches, digests and reminders move to the asking charity."""

    accept = True


class HandoverDeclineApi(_HandoverDecideApi):
    """Decline: the case stays; both charities are told."""

    accept = False


class CaseUpdateListCreateApi(generics.ListAPIView):
    """GET: the case's timeline (anyone who may see the case). POST: its charity's staff post an update."""

    serializer_class = s.CaseUpdateSerializer

    def get_permissions(self):
        return [permissions.IsAuthenticated()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CaseUpdate.objects.none()
        return selectors.case_updates(selectors.case_get_public(self.kwargs["pk"], user=self.request.user))

    @extend_schema(request=s.CaseUpdateCreateSerializer, responses={201: s.CaseUpdateSerializer})
    def post(self, request, pk):
        case = selectors.case_get_for_staff(request.user, pk)
        data = s.CaseUpdateCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.case_update_post(case=case, user=request.user, **data.validated_data)
        return Response(s.CaseUpdateSerializer(update, context={"request": request}).data, status=201)


class CaseFollowApi(APIView):
    """POST follows a case's updates, DELETE stops; both are safe to repeat."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: s.FollowingSerializer, 200: s.FollowingSerializer})
    @takes_no_body
    def post(self, request, pk):
        case = selectors.case_get_public(pk, user=request.user)
        _follow, created = services.case_follow(case=case, user=request.user)
        return Response({"following": True}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={204: None})
    @takes_no_body
    def delete(self, request, pk):
        case = selectors.case_get_public(pk, user=request.user)
        services.case_unfollow(case=case, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NeedListCreateApi(generics.ListAPIView):
    """GET: the case's needs. POST: its charity's staff add one; it is flagged for matching."""

    serializer_class = s.NeedSerializer
    pagination_class = None

    def get_permissions(self):
        return [permissions.IsAuthenticated()] if self.request.method == "POST" else super().get_permissions()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Need.objects.none()
        return selectors.case_needs(selectors.case_get_public(self.kwargs["pk"], user=self.request.user))

    @extend_schema(request=s.NeedSerializer, responses={201: s.NeedSerializer})
    def post(self, request, pk):
        case = selectors.case_get_for_staff(request.user, pk)
        data = s.NeedSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        need = services.need_create(case=case, user=request.user, **data.validated_data)
        return Response(s.NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetailApi(APIView):
    """PATCH: edit a need. Once a volunteer is confirmed only `starts_at` and `ends_at`
    may change (409 naming any other changed field); a move of more than
    NEED_TIME_CHANGE_NOTICE_MINUTES tells confirmed and invited volunteers."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.NeedSerializer, responses=s.NeedSerializer)
    def patch(self, request, pk):
        need = selectors.need_get_for_staff(request.user, pk)
        data = s.NeedSerializer(need, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        need = services.need_update(need=need, user=request.user, **data.validated_data)
        return Response(s.NeedSerializer(need).data)


class NeedCancelApi(APIView):
    """POST: call one need off (one day of a repeating need: the others stay). Its
    invited and confirmed volunteers are told; 409 once it has started."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.NeedSerializer)
    @takes_no_body
    def post(self, request, pk):
        need = services.need_cancel(need=selectors.need_get_for_staff(request.user, pk), user=request.user)
        return Response(s.NeedSerializer(need).data)


class SeriesDetailApi(APIView):
    """GET a repeating need; PATCH it: its future days change through the reschedule
    rules (a day with a confirmed volunteer may only move in time, else 409)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.SeriesSerializer)
    def get(self, request, pk):
        return Response(s.SeriesSerializer(selectors.series_get_for_staff(request.user, pk)).data)

    @extend_schema(request=s.SeriesSerializer, responses=s.SeriesSerializer)
    def patch(self, request, pk):
        series = selectors.series_get_for_staff(request.user, pk)
        data = s.SeriesSerializer(series, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        series = services.series_update(series=series, user=request.user, **data.validated_data)
        return Response(s.SeriesSerializer(series).data)


class ReportCreateApi(APIView):
    """Anyone reports a case; 5 a minute per address (shared with the web form)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=s.ReportCreateSerializer, responses={201: s.ReportStatusSerializer})
    def post(self, request):
        if report_rate_limited(client_ip(request)):
            raise exceptions.Throttled(
                wait=60, detail=_("Too many reports from your connection; try again in a minute.")
            )
        data = s.ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        where = fields.pop("location", None) or {}
        report = services.report_submit(
            reporter=request.user, latitude=where.get("lat"), longitude=where.get("lon"), **fields
        )
        return Response(s.ReportStatusSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportStatusApi(generics.RetrieveAPIView):
    """Anyone with the tracking code sees the status and the reason; nothing private."""

    serializer_class = s.ReportStatusSerializer

    def get_object(self):
        return selectors.report_get_by_code(self.kwargs["code"])


class CasePhotosApi(APIView):
    """Its charity's staff add photos to a case (up to 5 at a time, 20 in all) or replace its cover."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.CasePhotosUploadSerializer}, responses={200: s.CasePrivateSerializer}
    )
    def post(self, request, pk):
        case = selectors.case_get_for_staff(request.user, pk)
        data = s.CasePhotosUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_photos_add(case=case, user=request.user, **data.validated_data)
        return Response(_case_payload(case, request))


class CaseUpdatePhotosApi(APIView):
    """Its charity's staff attach photos to an update they posted (5 in all)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.PhotosUploadSerializer}, responses={200: s.CaseUpdateSerializer})
    def post(self, request, pk, update_id):
        case = selectors.case_get_for_staff(request.user, pk)
        update = selectors.case_update_get(case, update_id)
        data = s.PhotosUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.case_update_photos_add(update=update, user=request.user, **data.validated_data)
        return Response(s.CaseUpdateSerializer(update, context={"request": request}).data)


class ReportPhotosApi(APIView):
    """Whoever holds the tracking code adds photos while the report waits for review
    (5 in all); counted against the same rate limit as reports."""

    permission_classes = [permissions.AllowAny]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.PhotosUploadSerializer}, responses={200: s.ReportStatusSerializer})
    def post(self, request, code):
        if report_rate_limited(client_ip(request)):
            raise exceptions.Throttled(
                wait=60, detail=_("Too many reports from your connection; try again in a minute.")
            )
        report = selectors.report_get_by_code(code)
        data = s.PhotosUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_photos_add(report=report, **data.validated_data)
        return Response(s.ReportStatusSerializer(report).data)
