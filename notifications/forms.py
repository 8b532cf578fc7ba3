from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Channel

ZONES = sorted(z for z in available_timezones() if z.startswith(("Africa/", "Asia/", "Europe/")) or z == "UTC")


class SettingsForm(forms.Form):
    """Quiet hours and zone; the kind × channel switches are read from the POST
    by name (`pref:<kind>:<channel>`) because their set comes from the code."""

    timezone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in ZONES])
    quiet_hours = forms.BooleanField(
        label=_("Hold messages during quiet hours"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    quiet_start = forms.TimeField(label=_("Quiet from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    quiet_end = forms.TimeField(label=_("Quiet until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def choices_from(self, data, matrix) -> list[tuple[str, str, bool]]:
        """Only the switches the person changed, so untouched kinds keep following the defaults."""
        choices = [(row["kind"], row["channel"], f"pref:{row['kind']}:{row['channel']}" in data) for row in matrix]
        return [choice for choice, row in zip(choices, matrix, strict=True) if choice[2] != row["enabled"]]


CHANNEL_LABELS = dict(Channel.choices)
