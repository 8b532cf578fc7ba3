from rest_framework import permissions, serializers
from rest_framework.generics import RetrieveAPIView

from accounts.models import User


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "language"]
        read_only_fields = fields


class MeApi(RetrieveAPIView):
    """The signed-in account; phones call it to check a session token."""

    serializer_class = AccountSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return self.request.user
