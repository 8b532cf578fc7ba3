"""API v1 for matching. Thin: a selector finds the match (and decides access),
one service changes it, the serializer answers."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import takes_no_body
from matching import calendar, occurrences, selectors, services
from matching.api import serializers as s
from matching.models import Match


class CharityMatchListApi(generics.ListAPIView):
    """The charity's matches ranked by score; `?status=proposed` (or several, comma-separated)."""

    serializer_class = s.MatchSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no charity
            return Match.objects.none()
        statuses = selectors.statuses_from(self.request.query_params.get("status", ""))
        _charity, matches = selectors.match_list_for_charity(self.request.user, self.kwargs["pk"], statuses=statuses)
        return matches

    @extend_schema(parameters=[OpenApiParameter("status", str, description="e.g. proposed or proposed,invited")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyMatchListApi(generics.ListAPIView):
    """The signed-in volunteer's invitations and confirmed commitments, soonest first."""

    serializer_class = s.MyMatchSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.match_list_for_volunteer(self.request.user)


class _MatchAction(APIView):
    permission_classes = [permissions.IsAuthenticated]
    service = None
    side = "staff"  # or "volunteer"
    serializer_class = s.MatchSerializer

    def _match(self, request, pk):
        if self.side == "staff":
            return selectors.match_get_for_staff(request.user, pk)
        return selectors.match_get_for_volunteer(request.user, pk)

    @takes_no_body
    def post(self, request, pk):
        type(self).service(match=self._match(request, pk), user=request.user)
        match = self._match(request, pk)
        return Response(self.serializer_class(match, context={"request": request}).data)


@extend_schema(request=None, responses=s.MatchSerializer)
class MatchApproveApi(_MatchAction):
    """proposed → invited: the volunteer is invited and told."""

    service = services.match_approve


@extend_schema(request=None, responses=s.MatchSerializer)
class MatchRejectApi(_MatchAction):
    """proposed → declined_by_charity."""

    service = services.match_reject


@extend_schema(request=None, responses=s.MyMatchSerializer)
class MatchAcceptApi(_MatchAction):
    """invited → confirmed; 409 when the need is full or the invitation is closed."""

    service = services.match_accept
    side = "volunteer"
    serializer_class = s.MyMatchSerializer


class MatchAcceptSeriesApi(APIView):
    """invited → confirmed for this day and every later day of its repeating need:
    one commitment per day; full or clashing days are skipped and named. 409 when
    no day can be confirmed or the invitation is closed, 400 for a need that does not repeat."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=s.SeriesAnswerSerializer)
    @takes_no_body
    def post(self, request, pk):
        answer = occurrences.match_accept_series(
            match=selectors.match_get_for_volunteer(request.user, pk), user=request.user
        )
        confirmed = selectors.match_list_for_volunteer(request.user).filter(pk__in=[m.pk for m in answer.confirmed])
        body = {
            "confirmed": confirmed,
            "skipped": [{"need": need, "reason": why} for need, why in answer.skipped.items()],
        }
        return Response(s.SeriesAnswerSerializer(body, context={"request": request}).data)


@extend_schema(request=None, responses=s.MyMatchSerializer)
class MatchDeclineApi(_MatchAction):
    """invited → declined_by_volunteer."""

    service = services.match_decline
    side = "volunteer"
    serializer_class = s.MyMatchSerializer


class MatchCancelApi(APIView):
    """confirmed → cancelled, by the volunteer or the charity's staff; the place reopens."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.CancelSerializer, responses=s.MyMatchSerializer)
    def post(self, request, pk):
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            match = selectors.match_get_for_volunteer(request.user, pk)
        except Http404:  # not theirs: perhaps their charity's
            match = selectors.match_get_for_staff(request.user, pk)
        services.match_cancel(match=match, user=request.user, reason=data.validated_data.get("reason", ""))
        match.refresh_from_db()
        return Response(s.MyMatchSerializer(match, context={"request": request}).data)


class NeedOfferApi(APIView):
    """A volunteer offers to help: a proposal with the reason "offered to help"."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: s.MyMatchSerializer})
    @takes_no_body
    def post(self, request, pk):
        match = services.match_offer(need=selectors.need_get_open(pk), user=request.user)
        return Response(s.MyMatchSerializer(match, context={"request": request}).data, status=status.HTTP_201_CREATED)


def _feed_answer(request, feed) -> dict:
    if feed is None:
        return {"url": None, "webcal_url": None}
    url = calendar.feed_url(feed, base_url=request.build_absolute_uri("/"))
    return {"url": url, "webcal_url": calendar.webcal_url(url)}


class MyCalendarApi(APIView):
    """The volunteer's private calendar feed (iCalendar of confirmed commitments).
    GET shows the link (null until created); POST creates one, or replaces it so
    the old link stops working (404); DELETE revokes it."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=s.CalendarFeedSerializer)
    def get(self, request):
        return Response(_feed_answer(request, calendar.calendar_feed_for_user(request.user)))

    @extend_schema(
        request=None,
        responses={201: s.CalendarFeedSerializer},
    )
    @takes_no_body
    def post(self, request):
        feed = calendar.calendar_feed_create(user=request.user)
        return Response(_feed_answer(request, feed), status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def delete(self, request):
        calendar.calendar_feed_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _IgnoreAccept(BaseContentNegotiation):
    """The file answers whatever the client accepts (`text/calendar` included);
    errors go out as JSON, the one error shape of the API."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MatchCalendarApi(APIView):
    """One of the volunteer's own invitations or commitments as a one-event
    iCalendar file (404 for anyone else's)."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = _IgnoreAccept

    @extend_schema(
        operation_id="matches_calendar_retrieve",
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="An iCalendar file."),
        },
    )
    def get(self, request, pk):
        body = calendar.match_render(request.user, pk, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="volunteer-bank-{pk}.ics"'
        return response
