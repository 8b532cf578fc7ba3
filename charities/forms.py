from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import add_domain_error, blank_choices_say_choose  # noqa: F401 (views import it from here)
from core.models import ActivityType, Country, Region
from notifications.models import Kind
from notifications.webhooks import CHARITY_KINDS


class BootstrapForm(forms.Form):
    """Gives each widget its Bootstrap class, so templates render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank_choices_say_choose(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class CharityRegisterForm(BootstrapForm):
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    license_number = forms.CharField(
        label=_("Licence number"),
        max_length=60,
        help_text=_(
            "Ministry of Social Solidarity registration (Egypt) or National Center for the Non-Profit Sector "
            "licence (Saudi Arabia)."
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions served"), queryset=Region.objects.all(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    activity_types = forms.ModelMultipleChoiceField(
        label=_("Activities"),
        queryset=ActivityType.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("About the organisation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    logo = forms.FileField(
        label=_("Logo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )
    facebook_url = forms.URLField(label=_("Facebook page"), required=False, assume_scheme="https")
    x_url = forms.URLField(label=_("X (Twitter) account"), required=False, assume_scheme="https")
    whatsapp = forms.CharField(label=_("WhatsApp number"), max_length=20, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class InviteForm(BootstrapForm):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"), choices=[("coordinator", _("coordinator")), ("owner", _("owner"))], initial="coordinator"
    )


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        widget=forms.URLInput(attrs={"class": "form-control", "dir": "ltr", "placeholder": "https://"}),
        help_text=_("We POST each event here as signed JSON. It must start with https://."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to receive every event."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind, Kind(kind).label) for kind in CHARITY_KINDS]
