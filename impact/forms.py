from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import InputProblems
from impact import selectors


class ImpactFilterForm(forms.Form):
    """`?from=YYYY-MM&to=YYYY-MM&case=<id>`: every problem shown at once, on its field."""

    def __init__(self, data=None, *, charity, today=None):
        super().__init__(data)
        self.charity, self.today = charity, today
        self.fields["from"] = forms.CharField(
            label=_("From (month)"), required=False, help_text=_("YYYY-MM, for example 2026-01.")
        )
        self.fields["to"] = forms.CharField(label=_("To (month)"), required=False)
        cases = charity.cases.exclude(published_at=None).order_by("-published_at", "-id").values_list("id", "title")
        self.fields["case"] = forms.TypedChoiceField(
            label=_("Case"),
            required=False,
            coerce=str,
            choices=[("", _("All cases")), *((str(pk), title) for pk, title in cases[:100])],
        )
        for name in ("from", "to"):
            self.fields[name].widget.attrs.update({"dir": "ltr", "inputmode": "numeric", "placeholder": "2026-01"})

    def clean(self):
        data = super().clean()
        problems = InputProblems()
        for name in ("from", "to"):
            if data.get(name):
                problems.check(selectors.month_parse, data[name], field=name, today=self.today)
        if not problems:
            data["period"] = problems.check(selectors.period_parse, data.get("from"), data.get("to"), today=self.today)
        for field, messages in problems.errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, str(message))
        return data

    def choice(self) -> tuple:
        """(period, case) to show: the form's when valid, else the last 12 months, all cases."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"], selectors.case_for_impact(self.charity, self.cleaned_data["case"])
        return selectors.period_parse(None, None, today=self.today), None
