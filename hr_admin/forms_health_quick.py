"""Forms of the quick self-assessment and the action plan (shape only; the services decide)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership

from . import health_content as content
from .services import health_quick as quick


class QuickCheckForm(forms.Form):
    """The shipped questionnaire: one 1-5 choice per Likert question, the career eNPS (0-10)
    and an optional comment. Missing answers are reported by the service, by question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        likert = [(str(v), str(label)) for v, label in quick.LIKERT_LABELS.items()]
        for key in quick.LIKERT_KEYS:
            self.fields[key] = forms.ChoiceField(choices=likert, required=False,
                                                 widget=forms.RadioSelect)
        self.fields[quick.ENPS_KEY] = forms.ChoiceField(
            choices=[(str(v), str(v)) for v in content.ENPS], required=False,
            widget=forms.RadioSelect)
        self.fields[quick.COMMENT_KEY] = forms.CharField(
            required=False, widget=forms.Textarea(attrs={"rows": 4}),
            max_length=quick.COMMENT_MAX_LENGTH)

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class HealthActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200,
                            help_text=_("What will be done, in a few words."))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("How, with whom, and how you will know it worked."))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None,
                                   required=False, empty_label=_("No owner yet"),
                                   help_text=_("They see it on their home page and are told "
                                               "when it is given to them."))
    due_on = forms.DateField(label=_("Due"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}),
                             help_text=_("Past this date the action shows as overdue."))
    dimension = forms.ChoiceField(label=_("Dimension"), required=False,
                                  help_text=_("The part of the culture it should improve."))
    strategy = forms.CharField(required=False, widget=forms.HiddenInput)
    survey = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organization, current_owner_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = Membership.objects.for_org(organization).select_related("user")
        if current_owner_id:
            from django.db.models import Q

            members = members.filter(Q(is_active=True) | Q(pk=current_owner_id))
        else:
            members = members.filter(is_active=True)
        self.fields["owner"].queryset = members.order_by("user__first_name", "user__last_name",
                                                         "pk")
        self.fields["owner"].label_from_instance = lambda m: m.display_name
        self.fields["dimension"].choices = [("", _("No particular dimension"))] + [
            (d.key, d.title) for d in content.DIMENSIONS]


def questionnaire_layout(form: QuickCheckForm) -> dict:
    """The questions by dimension, each with its bound field, for the questionnaire template."""
    layout = quick.questionnaire()
    number = 0
    groups = []
    for group in layout["groups"]:
        rows = []
        for question in group.questions:
            number += 1
            rows.append({"question": question, "field": form[question.key], "number": number})
        groups.append({"dimension": group.dimension, "rows": rows,
                       "errors": any(form[r["question"].key].errors for r in rows)})
    return {"groups": groups, "enps": layout["enps"], "enps_field": form[quick.ENPS_KEY],
            "comment": layout["comment"], "comment_field": form[quick.COMMENT_KEY],
            "enps_number": number + 1, "comment_number": number + 2}
