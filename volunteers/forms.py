"""HTML input. Forms carry strings to the services, which own every rule; a
service's InvalidInput is shown on the field it names (`add_domain_error`)."""

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import selectors as reference
from core.errors import DomainError
from core.forms import add_domain_error, blank_choices_say_choose, location_pair
from volunteers.models import Gender, Language

TIME_ATTRS = {"inputmode": "numeric", "placeholder": "09:00", "dir": "ltr", "autocomplete": "off", "size": 6}


def week_order() -> list[int]:
    """Weekdays (0=Monday) in display order: Saturday first in Arabic, Monday first in English."""
    return [5, 6, 0, 1, 2, 3, 4] if (get_language() or "ar").startswith("ar") else list(range(7))


class BootstrapMixin:
    """Bootstrap classes on every widget; Django marks fields with errors aria-invalid."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank_choices_say_choose(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                css = "btn-check"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css


def _weekday_choices(blank: bool):
    choices = [(str(n), WEEKDAYS[n]) for n in week_order()]
    return [("", _("Choose a day")), *choices] if blank else choices


class SlotForm(BootstrapMixin, forms.Form):
    """A weekly slot (weekday) or a dated slot (date); the view sets which."""

    weekday = forms.ChoiceField(label=_("Day"), required=False)
    date = forms.CharField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.CharField(label=_("From"), widget=forms.TextInput(attrs=TIME_ATTRS))
    end = forms.CharField(label=_("Until"), widget=forms.TextInput(attrs={**TIME_ATTRS, "placeholder": "13:00"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekday"].choices = _weekday_choices(blank=True)

    def slot_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "weekday": data["weekday"] or None,
            "date": data["date"] or None,
            "start": data["start"],
            "end": data["end"],
        }


def _region_choices():
    return [("", _("Choose your region")), *((r.code, r.name) for r in reference.region_list())]


class ProfileForm(BootstrapMixin, forms.Form):
    display_name = forms.CharField(label=_("Name shown to charities"), max_length=80)
    region = forms.ChoiceField(label=_("Region"))
    activity_types = forms.MultipleChoiceField(
        label=_("What would you like to do?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    skills = forms.MultipleChoiceField(label=_("Skills"), required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), required=False, choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        help_text=_("Egyptian or Saudi. Charities see it only after you confirm a commitment."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}),
    )
    whatsapp_number = forms.CharField(
        label=_("WhatsApp number"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"})
    )
    sms_number = forms.CharField(
        label=_("Number for text messages"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "dir": "ltr"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("Prefer not to say")), *Gender.choices],
        help_text=_("Used only for needs that are limited to women or men."),
    )
    birth_date = forms.CharField(
        label=_("Birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Used only for needs with an age limit."),
    )
    max_hours_per_week = forms.CharField(
        label=_("Hours a week at most"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "size": 4}),
    )
    paused_until = forms.CharField(
        label=_("Not available until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty when you are available."),
    )
    latitude = forms.CharField(label=_("Latitude"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"}))
    longitude = forms.CharField(label=_("Longitude"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"}))

    location_field = "latitude"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "latitude" in self.fields:
            location_pair(self.fields["latitude"], self.fields["longitude"])
        self.fields["region"].choices = _region_choices()
        if "activity_types" in self.fields:
            self.fields["activity_types"].choices = [(a.slug, a.name) for a in reference.activity_type_list()]
        if "skills" in self.fields:
            self.fields["skills"].choices = [(s.slug, s.name) for s in reference.skill_list()]

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "display_name": profile.display_name,
            "region": profile.region.code,
            "activity_types": [a.slug for a in profile.activity_types.all()],
            "skills": [s.slug for s in profile.skills.all()],
            "languages": profile.languages,
            "phone": profile.phone,
            "whatsapp_number": profile.whatsapp_number,
            "sms_number": profile.sms_number,
            "gender": profile.gender,
            "birth_date": profile.birth_date.isoformat() if profile.birth_date else "",
            "max_hours_per_week": profile.max_hours_per_week or "",
            "paused_until": profile.paused_until.isoformat() if profile.paused_until else "",
            "latitude": "" if profile.latitude is None else profile.latitude,
            "longitude": "" if profile.longitude is None else profile.longitude,
        }

    def changes(self) -> dict:
        """The cleaned values for the service; after a failed `is_valid()`, those of the
        fields that passed (so the service can still check them)."""
        data = dict(self.cleaned_data)
        latitude, longitude = data.pop("latitude", ""), data.pop("longitude", "")
        if "latitude" in self.fields and "latitude" not in self.errors:
            data["location"] = {"lat": latitude, "lon": longitude} if (latitude or longitude) else None
        return data

    def add_domain_error(self, error: DomainError) -> None:
        add_domain_error(self, error, aliases={"location": "latitude"})


class OnboardingForm(ProfileForm):
    """Under a minute on a phone: a name, the region, activities and one free time."""

    weekday = forms.ChoiceField(label=_("A day you are usually free"), required=False)
    start = forms.CharField(label=_("From"), required=False, widget=forms.TextInput(attrs=TIME_ATTRS))
    end = forms.CharField(
        label=_("Until"), required=False, widget=forms.TextInput(attrs={**TIME_ATTRS, "placeholder": "13:00"})
    )

    keep = ("display_name", "region", "activity_types", "weekday", "start", "end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.keep:
                del self.fields[name]
        self.fields["weekday"].choices = _weekday_choices(blank=True)
        self.fields["weekday"].widget.attrs["aria-labelledby"] = "weekday-legend"
        self.fields["activity_types"].required = True

    def profile_fields(self):
        return [self[name] for name in ("display_name", "region", "activity_types")]

    def slot_fields(self):
        return [self[name] for name in ("weekday", "start", "end")]

    def changes(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("display_name", "region", "activity_types") if name in data}

    def first_slot(self) -> dict | None:
        data = self.cleaned_data
        if not (data["weekday"] or data["start"] or data["end"]):
            return None
        return {"weekday": data["weekday"] or None, "start": data["start"], "end": data["end"]}
