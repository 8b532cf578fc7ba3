"""The volunteer's own data over the API: thin views over the services."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.views import MeApi
from core.errors import StateConflict
from volunteers import privacy, selectors, services
from volunteers.api.serializers import (
    ExportSerializer,
    ProfileInputSerializer,
    ProfileSerializer,
    SlotInputSerializer,
    SlotSerializer,
)
from volunteers.models import AvailabilitySlot


class ProfileApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ProfileSerializer, 404: OpenApiResponse(description="No profile yet.")})
    def get(self, request):
        return Response(ProfileSerializer(selectors.profile_get_for_user(request.user)).data)

    @extend_schema(request=ProfileInputSerializer, responses={200: ProfileSerializer})
    def patch(self, request):
        serializer = ProfileInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.profile_update(user=request.user, changes=serializer.validated_data)
        return Response(ProfileSerializer(selectors.profile_get_for_user(request.user)).data)


def _slot_arguments(request) -> dict:
    serializer = SlotInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return {"weekday": data.get("weekday"), "date": data.get("date"), "start": data["start"], "end": data["end"]}


class AvailabilityListApi(ListAPIView):
    """The volunteer's slots; POST adds one (merged with the slots it touches)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = SlotSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return AvailabilitySlot.objects.none()
        return selectors.slot_list_for_user(self.request.user)

    @extend_schema(
        request=SlotInputSerializer,
        responses={201: SlotSerializer, 409: OpenApiResponse(description="No profile yet.")},
    )
    def post(self, request):
        profile = selectors.profile_for_user(request.user)
        if profile is None:
            raise StateConflict(_("Create your volunteer profile first."))
        slot = services.availability_slot_add(volunteer=profile, **_slot_arguments(request))
        return Response(SlotSerializer(slot).data, status=status.HTTP_201_CREATED)


class AvailabilityDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SlotInputSerializer, responses={200: SlotSerializer})
    def put(self, request, pk):
        slot = selectors.slot_get_for_user(request.user, pk)
        slot = services.availability_slot_update(slot=slot, **_slot_arguments(request))
        return Response(SlotSerializer(slot).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.availability_slot_remove(slot=selectors.slot_get_for_user(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: ExportSerializer}, description="Everything stored about me, one key per section.")
    def get(self, request):
        response = Response(privacy.account_export(user=request.user))
        response["Content-Disposition"] = 'attachment; filename="volunteer-bank-export.json"'
        return response


class MeDeleteApi(MeApi):
    """`GET /me/` as before; `DELETE /me/` anonymises the account (SPEC.md)."""

    @extend_schema(responses={204: None})
    def delete(self, request):
        privacy.account_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
