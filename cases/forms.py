"""HTML input for cases, needs, updates, reports and moderation. Rules live in the
services; these forms parse (Arabic digits included) and show the services' errors."""

import datetime as dt

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Need, Urgency
from charities.forms import BootstrapForm
from core.forms import add_domain_error, location_pair  # noqa: F401 (views import it from here)
from core.models import ActivityType, Region, Skill
from core.selectors import activity_type_choices, region_choices
from core.text import ascii_digits


class AsciiIntegerField(forms.IntegerField):
    """A text input (a number input refuses Arabic-Indic digits) that reads any digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


class AsciiFloatField(forms.FloatField):
    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; each is checked (and re-encoded) by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class PlainSelect(forms.Select):
    """A select written in Python, for flat choices. Django renders each option through a
    template, then `format_html` escapes each part again; with 40 regions and the activity
    types that was most of the case list's rendering time."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>{escape(label)}</option>'
            for option, label in self.choices
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{options}</select>')  # noqa: S308 (escaped above)


class CaseFilterForm(BootstrapForm):
    """The public list's filters. Region and activity are plain choices of code and slug,
    kept per process (`core.selectors.region_choices`): no query for them on each request."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=lambda: [("", _("All regions")), *region_choices()],
        required=False,
        widget=PlainSelect,
    )
    activity_type = forms.ChoiceField(
        label=_("Activity"),
        choices=lambda: [("", _("All activities")), *activity_type_choices()],
        required=False,
        widget=PlainSelect,
    )


class CaseForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 6}))
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    activity_type = forms.ModelChoiceField(
        label=_("Main activity"), queryset=ActivityType.objects.filter(is_active=True), required=False
    )
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL)
    private_details = forms.CharField(
        label=_("Private details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Beneficiary names, phones and addresses. Only your organisation and moderators see them."),
    )
    latitude = AsciiFloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = AsciiFloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    cover_photo = forms.FileField(
        label=_("Cover photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    photos = MultipleImageField(label=_("More photos (up to 5)"))
    publish = forms.BooleanField(label=_("Publish now"), required=False, initial=True)

    def __init__(self, *args, charity=None, **kwargs):
        super().__init__(*args, **kwargs)
        location_pair(self.fields["latitude"], self.fields["longitude"])
        if charity is not None:
            self.fields["region"].queryset = charity.regions.all()


class CaseEditForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 6}))
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int)
    private_details = forms.CharField(
        label=_("Private details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseStatusForm(BootstrapForm):
    status = forms.ChoiceField(choices=Case.Status.choices)
    note = forms.CharField(required=False, max_length=300)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time typed in the case region's zone (datetime-local input)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


class NeedForm(BootstrapForm):
    """A need, or a repeating one: "repeat" builds the RRULE (every day or every week,
    a number of times or until a day; or a rule typed as is), and "starts" may be
    sunset at the case's place (then only the first day of "starts" counts)."""

    REPEAT_CHOICES = [
        ("", _("Does not repeat")),
        ("daily", _("Every day")),
        ("weekly", _("Every week, on the same day")),
        ("custom", _("Another rule (RRULE)")),
    ]
    ANCHOR_CHOICES = [("", _("At the time above")), ("sunset", _("At sunset (iftar)"))]
    SERIES_FIELDS = (
        "repeat",
        "repeat_count",
        "repeat_until",
        "recurrence",
        "anchor",
        "anchor_offset_minutes",
        "duration_minutes",
    )

    activity_type = forms.ModelChoiceField(label=_("Activity"), queryset=ActivityType.objects.filter(is_active=True))
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("What volunteers will do"), max_length=300, required=False)
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"), required=False)
    repeat = forms.ChoiceField(label=_("Repeat"), choices=REPEAT_CHOICES, required=False)
    repeat_count = AsciiIntegerField(label=_("How many times"), required=False)
    repeat_until = forms.DateField(
        label=_("Or until (the last day)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    recurrence = forms.CharField(
        label=_("Rule"),
        required=False,
        max_length=500,
        help_text=_("For example RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=8"),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    anchor = forms.ChoiceField(label=_("Start time"), choices=ANCHOR_CHOICES, required=False)
    anchor_offset_minutes = AsciiIntegerField(
        label=_("Minutes after sunset"),
        required=False,
        help_text=_("Negative to start before sunset."),
        # Left to right, so "-15" does not read "15-" in Arabic; no numeric keypad, which
        # lacks the minus sign on some phones.
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    duration_minutes = AsciiIntegerField(label=_("Duration (minutes)"), required=False)
    volunteers_needed = AsciiIntegerField(label=_("Volunteers needed"), initial=1)
    gender = forms.ChoiceField(label=_("Who may volunteer"), choices=Need.Gender.choices, required=False)
    min_age = AsciiIntegerField(label=_("Minimum age"), required=False)
    radius_km = AsciiIntegerField(label=_("Radius (km)"), required=False)
    national_opportunity_number = forms.CharField(
        label=_("National platform opportunity number"),
        max_length=40,
        required=False,
        help_text=_("Saudi Arabia only: shown on certificates and hours exports."),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )

    EDITABLE_ONCE_CONFIRMED = ("starts_at", "ends_at", "national_opportunity_number")

    def __init__(self, *args, zone=None, times_only=False, series=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        if not series:  # editing one need (or one day of a series): no rule here
            for name in self.SERIES_FIELDS:
                del self.fields[name]
            self.fields["ends_at"].required = True
        if times_only:  # volunteers are confirmed: only a reschedule (cases.services.need_update)
            for name, field in self.fields.items():
                if name not in self.EDITABLE_ONCE_CONFIRMED:
                    field.disabled = True

    def _aware(self, name):
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        # the browser sends a naive wall-clock time; it means the region's time, not the server's
        naive = timezone.make_naive(value, dt.UTC) if timezone.is_aware(value) else value
        return timezone.make_aware(naive, self.zone)

    def clean(self):
        data = super().clean()
        data["starts_at"], data["ends_at"] = self._aware("starts_at"), self._aware("ends_at")
        if "repeat" in self.fields:
            data["recurrence"] = self.rule(data)
        return data

    @staticmethod
    def rule(data) -> str:
        """The RRULE the repeat fields mean ("" for a need that happens once)."""
        repeat = data.get("repeat") or ""
        if repeat == "custom":
            return (data.get("recurrence") or "").strip()
        if not repeat:
            return ""
        parts = [f"FREQ={repeat.upper()}"]
        if data.get("repeat_count"):
            parts.append(f"COUNT={data['repeat_count']}")
        elif data.get("repeat_until"):
            parts.append(f"UNTIL={data['repeat_until']:%Y%m%d}")
        return "RRULE:" + ";".join(parts)

    def service_fields(self) -> dict:
        """What `cases.services.need_create` / `need_update` take."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("repeat", "repeat_count", "repeat_until")}
        if "anchor" in data and not data["anchor"]:
            data.pop("anchor_offset_minutes", None)
        return data


class CaseUpdateForm(BootstrapForm):
    text = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
    is_achievement = forms.BooleanField(label=_("This is an achievement"), required=False)
    photos = MultipleImageField(label=_("Photos (up to 5)"))


class ReportForm(BootstrapForm):
    description = forms.CharField(
        label=_("What is needed?"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all(), required=False)
    activity_type = forms.ModelChoiceField(
        label=_("Kind of help"), queryset=ActivityType.objects.filter(is_active=True), required=False
    )
    location_text = forms.CharField(label=_("Place (area, street, landmark)"), max_length=300, required=False)
    contact = forms.CharField(
        label=_("Your phone or email (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only moderators and the charity that takes the case see it."),
    )
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL)
    photos = MultipleImageField(label=_("Photos (up to 5, 5 MB each)"))
    consent = forms.BooleanField(label=_("The people concerned agree to be reported."), required=False)
    # A field people never see: bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def shown_fields(self):
        """Every field but the honeypot, which the template draws off-screen itself."""
        return [field for field in self.visible_fields() if field.name != "website"]


class TrackForm(BootstrapForm):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        error_messages={"required": _("Enter the tracking code you were given, such as ABCD-EFGH.")},
        widget=forms.TextInput(attrs={"dir": "ltr", "placeholder": "ABCD-EFGH", "autocomplete": "off"}),
    )


class ApproveForm(BootstrapForm):
    """The moderator writes the public case; the reporter's words stay private."""

    title = forms.CharField(label=_("Public title"), max_length=200)
    story = forms.CharField(
        label=_("Public story"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words: no names, phone numbers or addresses. The report's text stays private."),
    )
    photo_ids = forms.MultipleChoiceField(
        label=_("Photos to publish"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        photos = list(report.photos.all()) if report is not None else []
        self.fields["photo_ids"].choices = [(str(photo.pk), photo.image.url) for photo in photos]
        if not photos:
            del self.fields["photo_ids"]


class RejectForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason (shown to the reporter)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DuplicateForm(BootstrapForm):
    case = AsciiIntegerField(label=_("Case number"), required=False)
