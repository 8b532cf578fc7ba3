"""API v1 for impact: a charity's figures (its staff) and the platform's (anyone).
Thin: the selector decides access and reads rollups, a serializer answers."""

from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from impact import selectors
from impact.api import serializers as s

STATS_MAX_AGE = 300

PERIOD_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="YYYY-MM, first month (default: 11 months before `to`)"),
    OpenApiParameter("to", OpenApiTypes.STR, description="YYYY-MM, last month (default: this month)"),
    OpenApiParameter("case", OpenApiTypes.INT, description="Only this case of the organisation"),
]


class CharityImpactApi(APIView):
    """The organisation's figures per month for a period of up to 36 months (the last
    12 by default), optionally for one of its cases: hours, active volunteers,
    attendance and no-shows, places filled, median times to fill and to review, top
    activities and regions. Its staff only (404 for anyone else); 400 for a month
    that is not YYYY-MM, in the future, or after the end; 404 for another's case."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=s.CharityImpactSerializer)
    def get(self, request, pk):
        charity = selectors.charity_for_impact(request.user, pk)
        period = selectors.period_parse(request.query_params.get("from"), request.query_params.get("to"))
        case = selectors.case_for_impact(charity, request.query_params.get("case"))
        figures = selectors.charity_impact(charity, period=period, case=case)
        return Response(s.CharityImpactSerializer(figures).data)


class StatsApi(APIView):
    """The platform's totals, per region (all 40), per activity and for the last 12
    months, from rollups refreshed within minutes. Anonymous, and cacheable for
    five minutes by any cache."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.StatsSerializer)
    def get(self, request):
        response = Response(s.StatsSerializer(selectors.platform_stats()).data)
        patch_cache_control(response, public=True, max_age=STATS_MAX_AGE)
        return response
