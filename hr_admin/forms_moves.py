"""Forms of the career moves pages: recording a move by hand, HR's mark on an exit (a regretted
leaver or not), and the list's filters. They check shape only; ``services.moves`` holds the
rules (the form runs the regretted rule too, so that its message shows with the others). People,
role profiles and teams come from selectors scoped to the organisation."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careers.forms_plan import RoleChoiceField
from conversations.forms_feedback import PersonChoiceField
from organizations import selectors as org_selectors
from organizations.models import Membership, Organization
from skills.models import RoleProfile

from .models import MoveKind
from .services.moves import regretted_check

#: The value of "let Trellis work the kind out".
WORK_IT_OUT = ""

KIND_HELP = {
    WORK_IT_OUT: _("From the career paths between the roles, their grades and job families, "
                   "and the teams."),
    MoveKind.HIRE: _("They joined. Recorded once per person."),
    MoveKind.PROMOTION: _("A step up: a higher grade or a promotion path."),
    MoveKind.LATERAL: _("Another role or team at the same level, in the same function."),
    MoveKind.CROSS_FUNCTIONAL: _("Into another job family or another part of the organisation."),
    MoveKind.ASSIGNMENT: _("A project or gig alongside their role: nothing else changes."),
    MoveKind.EXIT: _("They left: for someone already deactivated."),
}


#: HR's three answers to "a regretted leaver?", as sent by a form, and what each stores.
REGRETTED_CHOICES = [("", pgettext_lazy("regretted leaver", "Not known")),
                     ("yes", _("Yes, regretted")), ("no", _("No"))]
REGRETTED_VALUES = {"yes": True, "no": False}


def regretted_field(**kwargs) -> forms.TypedChoiceField:
    kwargs.setdefault("label", _("Regretted leaver?"))
    return forms.TypedChoiceField(choices=REGRETTED_CHOICES, coerce=REGRETTED_VALUES.get,
                                  empty_value=None, required=False, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _roles(organization: Organization):
    return (RoleProfile.objects.for_org(organization).select_related("framework")
            .order_by("-is_active", "title", "pk"))


class MoveForm(forms.Form):
    member = PersonChoiceField(label=_("Who moved"), queryset=None,
                               empty_label=_("Choose a person"))
    kind = forms.ChoiceField(label=_("Kind of move"), required=False,
                             choices=[(WORK_IT_OUT, _("Work it out")), *MoveKind.choices],
                             initial=WORK_IT_OUT, widget=forms.RadioSelect)
    to_role = RoleChoiceField(label=_("New role profile"), queryset=None, required=False,
                              empty_label=_("Unchanged"))
    to_team = forms.ModelChoiceField(label=_("New team"), queryset=None, required=False,
                                     empty_label=_("Unchanged"))
    effective_on = forms.DateField(label=_("Date"), widget=DateInput(),
                                   help_text=_("When it took effect: today or earlier."))
    from_role = RoleChoiceField(
        label=_("Previous role profile"), queryset=None, required=False,
        empty_label=_("Their current one"),
        help_text=_("Only to record a past move again: leave both empty to move them from "
                    "their current role profile and team."))
    from_team = forms.ModelChoiceField(label=_("Previous team"), queryset=None, required=False,
                                       empty_label=_("Their current one"))
    update_profile = forms.BooleanField(
        label=_("Also update their profile"), required=False, initial=True,
        help_text=_("Their current role profile and team become the new ones (not for a gig "
                    "or an exit)."))
    regretted = regretted_field(
        widget=forms.RadioSelect, initial="",
        help_text=_("For an exit only: would the organisation have kept them if it could? It "
                    "counts in the regretted leavers figure; it can be changed later."))

    def __init__(self, *args, organization: Organization, **kwargs):
        kwargs.setdefault("auto_id", "id_move_%s")
        kwargs.setdefault("initial", {}).setdefault("effective_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Membership.objects.for_org(organization).select_related("user")
            .order_by("-is_active", "user__last_name", "user__first_name", "pk"))
        for name in ("to_role", "from_role"):
            self.fields[name].queryset = _roles(organization)
        for name in ("to_team", "from_team"):
            self.fields[name].queryset = org_selectors.team_choices(organization=organization)

    def kind_options(self) -> list[dict]:
        value = self["kind"].value() or WORK_IT_OUT
        return [{"value": v, "label": label, "help": KIND_HELP[v], "checked": str(value) == v,
                 "id": f"{self['kind'].auto_id}_{v or 'auto'}"}
                for v, label in self.fields["kind"].choices]

    def clean_kind(self) -> str | None:
        return self.cleaned_data.get("kind") or None

    def clean(self):
        data = super().clean()
        if "kind" in data and "regretted" in data:
            try:
                regretted_check(kind=data["kind"], regretted=data["regretted"])
            except ValidationError as e:
                self.add_error("regretted", e.message_dict["regretted"])
        return data


class RegrettedForm(forms.Form):
    """HR's mark on one exit, from its row of the moves list (the move itself is looked up by
    the view, before anything else)."""

    regretted = regretted_field()


class MoveFilterForm(forms.Form):
    """The list's filters. With no ``start`` in the query the period is the last year; an
    empty ``start`` is every date."""

    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("Every kind")), *MoveKind.choices])
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False,
                                  empty_label=_("Every team"))
    q = forms.CharField(label=_("Person"), required=False, max_length=100, strip=True)
    member = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, organization: Organization, **kwargs):
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = org_selectors.team_choices(organization=organization)
        self.fields["member"].queryset = (Membership.objects.for_org(organization)
                                          .select_related("user"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("Choose an end on or after the start."))
        return data
