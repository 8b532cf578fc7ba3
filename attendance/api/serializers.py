from django.utils.translation import get_language
from rest_framework import serializers

from attendance import certificates
from attendance.models import Attendance, Certificate, HoursRecord, HoursRequest
from core.api.serializers import StrictInputMixin


def _english() -> bool:
    return (get_language() or "ar").startswith("en")


def _charity_name(charity) -> str:
    if charity is None:
        return ""
    return (charity.name_en or charity.name_ar) if _english() else charity.name_ar


class AttendanceInputSerializer(StrictInputMixin, serializers.Serializer):
    # Loose on purpose: the service checks status and minutes and words the errors.
    status = serializers.CharField()
    minutes = serializers.IntegerField(required=False, allow_null=True)


class AttendanceSerializer(serializers.ModelSerializer):
    match = serializers.IntegerField(source="match_id", read_only=True)
    # Plain strings, as reports' statuses: one more `status` enum would rename the case's in the schema.
    status = serializers.CharField(read_only=True, help_text="attended, partial or no_show")
    source = serializers.CharField(read_only=True, help_text="staff or check_in")
    volunteer = serializers.IntegerField(source="volunteer_id", read_only=True)

    class Meta:
        model = Attendance
        fields = ["match", "volunteer", "status", "minutes", "source", "checked_in_at", "marked_at"]


class NeedAttendanceRowSerializer(serializers.Serializer):
    """A confirmed volunteer of the need and their attendance (null until marked)."""

    match = serializers.IntegerField(source="pk")
    volunteer = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()

    def get_volunteer(self, match) -> dict:
        return {"id": match.volunteer_id, "display_name": match.volunteer.display_name}

    def get_attendance(self, match) -> dict | None:
        attendance = getattr(match, "attendance", None) if _has_attendance(match) else None
        return AttendanceSerializer(attendance).data if attendance else None


def _has_attendance(match) -> bool:
    try:
        match.attendance  # noqa: B018 (reverse one-to-one: raises when absent)
    except Attendance.DoesNotExist:
        return False
    return True


class CheckInSerializer(StrictInputMixin, serializers.Serializer):
    code = serializers.CharField(allow_blank=True, max_length=20)


class HoursRecordSerializer(serializers.ModelSerializer):
    charity = serializers.SerializerMethodField()
    need = serializers.IntegerField(source="need_id", allow_null=True)

    class Meta:
        model = HoursRecord
        fields = ["id", "charity", "need", "date", "minutes", "source", "description"]

    def get_charity(self, record) -> dict:
        return {"id": record.charity_id, "name": _charity_name(record.charity)}


class HoursMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    minutes = serializers.IntegerField()


class HoursSerializer(serializers.Serializer):
    total_minutes = serializers.IntegerField()
    month_minutes = serializers.IntegerField()
    year_minutes = serializers.IntegerField()
    by_month = HoursMonthSerializer(many=True)
    records = HoursRecordSerializer(many=True)


class HoursRequestInputSerializer(StrictInputMixin, serializers.Serializer):
    # Checked and worded by the service (date, minutes, the 24-hour day).
    charity = serializers.IntegerField()
    date = serializers.CharField()
    minutes = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True, max_length=2000)


class HoursRequestSerializer(serializers.ModelSerializer):
    charity = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="pending, approved or declined")
    volunteer = serializers.SerializerMethodField()

    class Meta:
        model = HoursRequest
        fields = [
            "id",
            "charity",
            "volunteer",
            "date",
            "minutes",
            "description",
            "status",
            "worked_with_before",
            "decline_reason",
            "created_at",
            "decided_at",
        ]

    def get_charity(self, request) -> dict:
        return {"id": request.charity_id, "name": _charity_name(request.charity)}

    def get_volunteer(self, request) -> dict:
        return {"id": request.volunteer_id, "display_name": request.volunteer.display_name}


class DeclineSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=1000, required=False, default="")


class CertificateInputSerializer(StrictInputMixin, serializers.Serializer):
    charity = serializers.IntegerField(required=False, allow_null=True)


class MyCertificateSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["code", "pdf_url", "verify_url", "minutes", "issued_at", "status"]

    def get_pdf_url(self, certificate) -> str:
        return certificates.pdf_url(certificate)

    def get_verify_url(self, certificate) -> str:
        return certificates.verify_url(certificate)


class CertificateSerializer(serializers.ModelSerializer):
    """What anyone holding the code may read: no contact, no id of the person."""

    holder = serializers.CharField(source="holder_name")
    charity = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "code",
            "holder",
            "charity",
            "minutes",
            "first_date",
            "last_date",
            "issued_at",
            "status",
            "revoked_at",
            "lines",
        ]

    def get_charity(self, certificate) -> dict | None:
        if certificate.charity_id is None:
            return None
        return {
            "id": certificate.charity_id,
            "name": _charity_name(certificate.charity),
            "verified": certificate.charity.is_verified,
        }

    def get_lines(self, certificate) -> list[dict]:
        english = _english()
        return [
            {
                "charity": line["name_en"] if english else line["name_ar"],
                "verified": line["verified"],
                "minutes": line["minutes"],
                "opportunity_numbers": line["opportunity_numbers"],
            }
            for line in certificate.lines
        ]
