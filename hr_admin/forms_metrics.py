"""Forms of the metrics pages: a leader's goal. Shape only; ``services.metric_goals`` holds the
rules (target ranges, period length, the team's organisation)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations import selectors as org_selectors
from organizations.models import Organization

from . import metric_definitions as defs
from .forms_moves import DateInput
from .models import GoalComparison

CUSTOM = "custom"


def period_choices(today: date) -> list[tuple[str, str]]:
    """This year, next year, the next four quarters, or other dates."""
    choices = [(str(today.year), str(today.year)), (str(today.year + 1), str(today.year + 1))]
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _n in range(4):
        choices.append((f"{year}-Q{quarter}",
                        _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}))
        quarter += 1
        if quarter == 5:
            year, quarter = year + 1, 1
    choices.append((CUSTOM, _("Other dates")))
    return choices


def period_dates(value: str) -> tuple[date, date] | None:
    """The first and last day of "2027" or "2027-Q2"."""
    try:
        if "-Q" in value:
            year, quarter = value.split("-Q")
            year, quarter = int(year), int(quarter)
            if not 1 <= quarter <= 4:
                return None
            start = date(year, 3 * quarter - 2, 1)
            end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1))
            return start, date.fromordinal(end.toordinal() - 1)
        year = int(value)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


class GoalForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"), choices=(),
                               help_text=_("Its definition is shown on the dashboard."))
    team = forms.ModelChoiceField(
        label=_("For"), queryset=None, required=False,
        empty_label=_("The whole organisation"),
        help_text=_("A team's goal covers the team and every team under it."))
    comparison = forms.ChoiceField(label=_("The figure should be"),
                                   choices=GoalComparison.choices,
                                   initial=GoalComparison.AT_LEAST)
    target = forms.FloatField(
        label=_("Target"),
        help_text=_("In the metric's unit: a percentage for a share (30 means 30 percent), "
                    "hours per member, a count, a rating from 1 to 5, a score from 0 to 100."))
    period = forms.ChoiceField(label=_("Period"), choices=(),
                               help_text=_("The goal is judged on the last figure of the "
                                           "period."))
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput(),
                                help_text=_("With “Other dates” only."))
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Why this goal"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Optional. Shown with the goal to everyone who sees "
                                       "the dashboard."))

    def __init__(self, *args, organization: Organization, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = defs.metric_choices()
        self.fields["team"].queryset = org_selectors.team_choices(organization=organization)
        choices = period_choices(today)
        initial = self.initial
        if initial.get("starts_on") and initial.get("ends_on"):
            known = [key for key, _label in choices
                     if period_dates(key) == (initial["starts_on"], initial["ends_on"])]
            initial.setdefault("period", known[0] if known else CUSTOM)
        self.fields["period"].choices = choices
        self.fields["period"].initial = str(today.year + 1)

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period and period != CUSTOM:
            dates = period_dates(period)
            if dates is None:
                self.add_error("period", _("Choose a period."))
            else:
                data["starts_on"], data["ends_on"] = dates
        elif period == CUSTOM:
            for name in ("starts_on", "ends_on"):
                if not data.get(name):
                    self.add_error(name, _("Give both dates, or choose a period."))
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {"metric": data["metric"], "team": data.get("team"),
                "comparison": data["comparison"], "target": data["target"],
                "starts_on": data["starts_on"], "ends_on": data["ends_on"],
                "note": data.get("note", "")}
