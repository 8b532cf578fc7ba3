"""What every HTML form shares: a service's errors shown on the fields they name.

Templates render forms with `templates/forms/_form.html` (error summary linking to
each field, help and errors with the ids Django's `aria-describedby` points to)."""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

DASHES = BLANK_CHOICE_DASH[0][1]


def blank_choices_say_choose(form: forms.Form) -> None:
    """A select's empty choice reads "Choose…" rather than Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.empty_label == DASHES:
            field.empty_label = _("Choose…")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] == "" and choices[0][1] == DASHES:
                field.choices = [("", _("Choose…")), *choices[1:]]


def add_domain_error(form: forms.Form, error: DomainError, aliases: dict | None = None) -> None:
    """Show each of a service's errors on the field it names (or on the whole form)."""
    for field, messages in error.errors.items():
        name = (aliases or {}).get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, str(message))


def location_pair(latitude: forms.Field, longitude: forms.Field) -> None:
    """Mark a latitude/longitude pair so `templates/forms/_form.html` adds, after the
    longitude, "use my location" and (when MAP_TILE_URL is set) a map to pick the point
    (static/js/location-picker.js); typing the numbers stays as the fallback."""
    latitude.widget.attrs.update({"data-location": "lat", "dir": "ltr", "inputmode": "decimal"})
    longitude.widget.attrs.update({"data-location": "lon", "dir": "ltr", "inputmode": "decimal"})
