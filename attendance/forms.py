"""HTML input for hours requests. The form carries strings; the service owns every
rule and its InvalidInput lands on the field it names."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from charities.models import Charity
from core.errors import DomainError


class _CharityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        english = (get_language() or "ar").startswith("en")
        return (obj.name_en or obj.name_ar) if english else obj.name_ar


class HoursRequestForm(forms.Form):
    charity = _CharityChoice(
        label=_("Organisation"),
        queryset=Charity.objects.filter(status=Charity.Status.VERIFIED).order_by("name_ar"),
        required=False,
        empty_label=_("Choose an organisation"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    date = forms.CharField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        help_text=_("For example 90 for an hour and a half."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr", "class": "form-control", "size": 6}),
    )
    description = forms.CharField(
        label=_("What you did"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))
