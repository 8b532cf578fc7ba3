from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import InputProblems
from impact import selectors

CASE_CHOICES = 25  # the latest cases; any other by its number in the address (`?case=`)


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
            choices=[("", _("All cases")), *((str(pk), title) for pk, title in cases[:CASE_CHOICES])],
        )
        self._keep_chosen_case(data)
        for name in ("from", "to"):
            self.fields[name].widget.attrs.update(
                {"class": "form-control", "dir": "ltr", "inputmode": "numeric", "placeholder": "2026-01"}
            )
        self.fields["case"].widget.attrs["class"] = "form-select"

    def _keep_chosen_case(self, data) -> None:
        """A case older than the latest CASE_CHOICES, asked by its number, stays choosable."""
        chosen = (data or {}).get("case") or ""
        choices = self.fields["case"].choices
        if chosen.isdigit() and len(chosen) < 19 and chosen not in {str(value) for value, _label in choices}:
            case = self.charity.cases.filter(pk=int(chosen)).values_list("id", "title").first()
            if case:
                self.fields["case"].choices = [*choices, (str(case[0]), case[1])]

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
