"""What the API says about a match: for the charity (ranked, reasons, no contact
before confirmation) and for the volunteer (the need in local time, with the
Hijri date in Arabic)."""

from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import StrictInputMixin
from core.calendars import dual_date, hijri_date, local_datetime
from matching import reasons, selectors
from matching.models import Match
from matching.services import need_title


class MatchSkillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class VolunteerContactSerializer(serializers.Serializer):
    email = serializers.CharField(help_text="An email address, or empty.")
    phone = serializers.CharField()


class RegionBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-2, e.g. EG-C.")
    name = serializers.CharField()


class MatchVolunteerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    region = serializers.SerializerMethodField()
    skills = MatchSkillSerializer(many=True, source="skills.all")
    contact = serializers.SerializerMethodField()

    @extend_schema_field(RegionBriefSerializer)
    def get_region(self, volunteer) -> dict:
        return {"code": volunteer.region.code, "name": volunteer.region.name}

    @extend_schema_field(VolunteerContactSerializer(allow_null=True))
    def get_contact(self, volunteer):
        match = self.context["matches"].get(volunteer.pk)
        if match is None or not selectors.contact_visible(match):
            return None
        return {"email": volunteer.user.email, "phone": volunteer.phone}


class MatchCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    charity = serializers.CharField(help_text="The charity's name in the active language, or empty.")


class MatchNeedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    activity_type = serializers.CharField(source="activity_type.slug")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    local_starts_at = serializers.SerializerMethodField()
    local_ends_at = serializers.SerializerMethodField()
    timezone = serializers.CharField(source="region.timezone")
    date_text = serializers.SerializerMethodField(
        help_text="The date in the active language (with the Hijri date in Arabic)."
    )
    hijri_date = serializers.SerializerMethodField()
    volunteers_needed = serializers.IntegerField()
    volunteers_confirmed = serializers.IntegerField()
    places_left = serializers.SerializerMethodField()
    series = serializers.IntegerField(
        source="series_id", allow_null=True, help_text="The repeating need this day belongs to (accept-series)."
    )

    def get_title(self, need) -> str:
        return need_title(need)

    @extend_schema_field(MatchCaseSerializer)
    def get_case(self, need) -> dict:
        charity = need.case.charity
        return {"id": need.case_id, "title": need.case.title, "charity": charity.name if charity else ""}

    def get_local_starts_at(self, need) -> str:
        return local_datetime(need.starts_at, need.region.timezone).isoformat()

    def get_local_ends_at(self, need) -> str:
        return local_datetime(need.ends_at, need.region.timezone).isoformat()

    def get_date_text(self, need) -> str:
        return dual_date(local_datetime(need.starts_at, need.region.timezone))

    def get_hijri_date(self, need) -> str:
        with translation.override("ar"):
            return hijri_date(local_datetime(need.starts_at, need.region.timezone))

    def get_places_left(self, need) -> int:
        return max(0, need.volunteers_needed - need.volunteers_confirmed)


class MatchSerializer(serializers.Serializer):
    """A match as its charity sees it."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Match.Status.choices)
    source = serializers.ChoiceField(choices=Match.Source.choices)
    score = serializers.FloatField()
    reasons = serializers.SerializerMethodField()
    volunteer = serializers.SerializerMethodField()
    need = MatchNeedSerializer()
    proposed_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    invited_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)

    def get_reasons(self, match) -> list[str]:
        return reasons.render_all(match.reasons)

    @extend_schema_field(MatchVolunteerSerializer)
    def get_volunteer(self, match):
        return MatchVolunteerSerializer(match.volunteer, context={"matches": {match.volunteer_id: match}}).data


class CharityContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField(help_text="An email address, or empty.")
    whatsapp = serializers.CharField()
    website = serializers.CharField()


class MyMatchSerializer(serializers.Serializer):
    """An invitation or commitment as the volunteer sees it."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Match.Status.choices)
    expires_at = serializers.DateTimeField(allow_null=True)
    waiting_for_a_place = serializers.SerializerMethodField()
    need = MatchNeedSerializer()
    contact = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField(
        help_text="This invitation or commitment as a one-event iCalendar file (text/calendar)."
    )

    def get_waiting_for_a_place(self, match) -> bool:
        return match.waitlisted_at is not None

    def get_calendar_url(self, match) -> str:
        path = reverse("api:match-calendar", args=[match.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(CharityContactSerializer(allow_null=True))
    def get_contact(self, match):
        return selectors.charity_contacts(match) if selectors.contact_visible(match) else None


class SeriesSkipSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=["clash", "full", "closed", "limits"])


class SeriesAnswerSerializer(serializers.Serializer):
    """One answer for every day of a repeating need: the commitments made and the days skipped."""

    confirmed = MyMatchSerializer(many=True)
    skipped = SeriesSkipSerializer(many=True)


class CancelSerializer(StrictInputMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        allow_null=True, help_text="The private feed (https); null until one is created. Keep it secret."
    )
    webcal_url = serializers.CharField(
        allow_null=True, help_text="The same feed as webcal://, which phones open in their calendar app."
    )
