"""Forms of the succession pages. They check shape only; ``services.succession`` holds the rules.

Every role profile, team, person and position a form accepts comes from a selector scoped to the
organisation (and, for a manager's nomination, to their reporting line), so another
organisation's id, or someone outside the manager's line, is "Select a valid choice".
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from careers.forms_plan import RoleChoiceField
from conversations.forms_feedback import PersonChoiceField
from organizations import selectors as org_selectors
from organizations.models import Membership, Organization
from skills import selectors as skills_selectors
from skills.models import RoleProfile

from .models import Criticality, KeyPosition, Readiness, SuccessorNomination
from .selectors import succession as selectors

CRITICALITY_HELP = {
    Criticality.CRITICAL: _("The organisation could not run well without it for long."),
    Criticality.HIGH: _("A vacancy would hurt results or a team for months."),
    Criticality.MEDIUM: _("Worth planning for; a vacancy could be covered for a while."),
}
READINESS_HELP = {
    Readiness.READY_NOW: _("Could step in today, with the usual support."),
    Readiness.ONE_TWO_YEARS: _("Needs some experience or skills first; a plan can close it."),
    Readiness.THREE_PLUS: _("A longer-term prospect with the potential to grow into it."),
}


def _radio_options(bound_field, choices, help_texts) -> list[dict]:
    value = bound_field.value()
    return [{"value": v, "label": label, "help": help_texts[v], "checked": str(value) == v,
             "id": f"{bound_field.auto_id}_{v}"} for v, label in choices]


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KeyPosition) -> str:
        name = obj.title or obj.role.title
        return f"{name} · {obj.team.name}" if obj.team else name


class KeyPositionForm(forms.Form):
    role = RoleChoiceField(
        label=_("Role profile"), queryset=None, empty_label=_("Choose a role profile"),
        help_text=_("What the position asks for: successors' readiness is measured against it."))
    title = forms.CharField(
        label=_("Position"), required=False, strip=True,
        max_length=KeyPosition._meta.get_field("title").max_length,
        help_text=_("E.g. “Head of Platform”. Leave empty to use the role profile's title."))
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False,
                                  empty_label=_("No particular team"))
    incumbent = PersonChoiceField(
        label=_("Incumbent"), queryset=None, required=False, empty_label=_("Vacant"),
        help_text=_("Who holds the position today."))
    criticality = forms.ChoiceField(label=_("Criticality"), choices=Criticality.choices,
                                    initial=Criticality.HIGH, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("Notes"), required=False, strip=True,
        max_length=KeyPosition._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the position is key, risks such as a planned retirement … Read by HR "
                    "and leaders only."))

    def __init__(self, *args, organization: Organization, position: KeyPosition | None = None,
                 **kwargs):
        kwargs.setdefault("auto_id", "id_position_%s")
        super().__init__(*args, **kwargs)
        roles = skills_selectors.role_choices(organization=organization)
        people = Membership.objects.for_org(organization).filter(is_active=True)
        if position is not None:
            # A role profile retired, or an incumbent who left, since stays selectable.
            roles = (RoleProfile.objects.for_org(organization).select_related("framework")
                     .filter(Q(is_active=True) | Q(pk=position.role_id)).order_by("title", "pk"))
            people = Membership.objects.for_org(organization).filter(
                Q(is_active=True) | Q(pk=position.incumbent_id or 0))
        people = people.select_related("user").order_by("user__last_name", "user__first_name",
                                                        "pk")
        self.fields["role"].queryset = roles
        self.fields["team"].queryset = org_selectors.team_choices(organization=organization)
        self.fields["incumbent"].queryset = people

    def criticality_options(self) -> list[dict]:
        return _radio_options(self["criticality"], Criticality.choices, CRITICALITY_HELP)


class NominationForm(forms.Form):
    position = PositionChoiceField(label=_("Key position"), queryset=None,
                                   empty_label=_("Choose a position"))
    candidate = PersonChoiceField(label=_("Successor"), queryset=None,
                                  empty_label=_("Choose a person"))
    readiness = forms.ChoiceField(label=_("Readiness"), choices=Readiness.choices,
                                  initial=Readiness.ONE_TWO_YEARS, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("Notes"), required=False, strip=True,
        max_length=SuccessorNomination._meta.get_field("notes").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What makes them a successor, and what they still need. The person you "
                    "nominate does not see it."))

    def __init__(self, *args, organization: Organization, nominator: Membership, **kwargs):
        kwargs.setdefault("auto_id", "id_nomination_%s")
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = selectors.position_choices(organization=organization)
        self.fields["candidate"].queryset = selectors.nomination_candidates(
            organization=organization, nominator=nominator)
        if not selectors.plans_succession(nominator):
            self.fields["candidate"].help_text = _("Someone in your reporting line.")

    def readiness_options(self) -> list[dict]:
        return _radio_options(self["readiness"], Readiness.choices, READINESS_HELP)


class NominationEditForm(forms.Form):
    readiness = forms.ChoiceField(label=_("Readiness"), choices=Readiness.choices,
                                  widget=forms.RadioSelect)
    notes = NominationForm.base_fields["notes"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_nomination_%s")
        super().__init__(*args, **kwargs)

    def readiness_options(self) -> list[dict]:
        return _radio_options(self["readiness"], Readiness.choices, READINESS_HELP)


class PositionFilterForm(forms.Form):
    criticality = forms.ChoiceField(label=_("Criticality"), required=False,
                                    choices=[("", _("Any criticality")), *Criticality.choices])
    weak = forms.BooleanField(label=_("Only weak benches"), required=False,
                              help_text=_("Positions whose bench is not strong."))
    retired = forms.BooleanField(label=_("Include retired positions"), required=False)
