from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from charities import selectors, services
from charities.api.serializers import (
    CharityRegisterSerializer,
    CharitySerializer,
    LogoUploadSerializer,
    StaffInviteSerializer,
)
from core.api.parsers import MultiPartParser


class CharityListCreateApi(generics.ListAPIView):
    """GET: verified organisations (anyone). POST: register one (signed in); it starts pending."""

    serializer_class = CharitySerializer

    def get_queryset(self):
        return selectors.charity_list_verified()

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(request=CharityRegisterSerializer, responses={201: CharitySerializer})
    def post(self, request):
        data = CharityRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        charity = services.charity_register(user=request.user, name_ar=fields.pop("name"), **fields)
        return Response(CharitySerializer(charity, context={"request": request}).data, status=status.HTTP_201_CREATED)


class CharityDetailApi(generics.RetrieveAPIView):
    serializer_class = CharitySerializer

    def get_object(self):
        return selectors.charity_get_public(self.kwargs["pk"])


class CharityMineApi(generics.ListAPIView):
    """The organisations I work for, whatever their status."""

    serializer_class = CharitySerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = None

    def get_queryset(self):
        return selectors.charity_list_for_user(self.request.user).prefetch_related("regions", "activity_types")


class StaffInviteApi(APIView):
    """The owner invites someone to the staff by email."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=StaffInviteSerializer, responses={201: StaffInviteSerializer})
    def post(self, request, pk):
        charity = selectors.charity_get_for_staff(request.user, pk)
        data = StaffInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.staff_invite(charity=charity, invited_by=request.user, **data.validated_data)
        return Response({"email": invitation.email, "role": invitation.role}, status=status.HTTP_201_CREATED)


class CharityLogoApi(APIView):
    """Its staff upload the organisation's logo (multipart/form-data)."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": LogoUploadSerializer}, responses={200: CharitySerializer})
    def post(self, request, pk):
        charity = selectors.charity_get_for_staff(request.user, pk)
        data = LogoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        charity = services.charity_logo_set(charity=charity, user=request.user, logo=data.validated_data["logo"])
        return Response(CharitySerializer(charity, context={"request": request}).data)
