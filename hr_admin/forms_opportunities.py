"""Forms of the opportunities pages. They check shape only (lengths, choices, numbers); the rules
(what each kind needs, who may do what) are in ``services.opportunities``.

Every role profile, team, skill and candidate a form accepts comes from rows already loaded for
the caller's organisation, so another organisation's id is "Select a valid choice" and never
reaches a service.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Team
from skills.forms_hr import ObjectChoiceField
from skills.models import Level, RoleProfile, Skill

from .models import (
    TITLE_MAX_LENGTH,
    ManagerApproval,
    Opportunity,
    OpportunityKind,
)
from .services.opportunities import (
    MESSAGE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SkillRequirement,
)

#: What each kind of opening is, shown with the choice.
KIND_HELP: dict[str, str] = {
    OpportunityKind.ROLE: _("A job to move into: a role profile, full time."),
    OpportunityKind.PROJECT: _("A piece of work with an end, alongside the day job: a share of "
                               "time for some weeks."),
    OpportunityKind.GIG: _("A short stretch assignment for a few hours a week. The member's "
                           "manager approves the time."),
    OpportunityKind.MENTORING: _("Someone to mentor, or to be mentored by, on the skills "
                                 "listed."),
}

KIND_ICONS: dict[str, str] = {
    OpportunityKind.ROLE: "ladder",
    OpportunityKind.PROJECT: "layers",
    OpportunityKind.GIG: "sparkles",
    OpportunityKind.MENTORING: "heart",
}

IMPORTANCE_CHOICES = (("essential", _("Essential")), ("desirable", _("Desirable")))

MATCH_CHOICES = (
    ("", _("Any match")),
    ("25", _("At least 25%")),
    ("50", _("At least 50%")),
    ("75", _("At least 75%")),
    ("90", _("At least 90%")),
)

SORT_CHOICES = (
    ("match", _("Best match")),
    ("newest", _("Newest")),
    ("closing", _("Closing soon")),
)

DECISION_HELP: dict[str, str] = {
    ManagerApproval.APPROVED: _("They can take it on if chosen. Say how the day job will "
                                "adjust, if it helps."),
    ManagerApproval.DECLINED: _("Not now. Say why, and what would change the answer."),
}


def kind_options() -> list[dict]:
    return [{"value": value, "label": label, "help": KIND_HELP[value],
             "icon": KIND_ICONS[value]} for value, label in OpportunityKind.choices]


def level_choices(levels: Iterable[Level]) -> list[tuple[int, str]]:
    """Ranks 1..top across the organisation's frameworks, named when every framework that has
    the rank names it alike."""
    names: dict[int, set[str]] = {}
    for level in levels:
        names.setdefault(level.rank, set()).add(level.name)
    top = max(names, default=7)
    out = []
    for rank in range(1, top + 1):
        known = names.get(rank, set())
        label = f"{rank} · {next(iter(known))}" if len(known) == 1 else str(rank)
        out.append((rank, label))
    return out


def _role_label(role: RoleProfile) -> str:
    extra = " · ".join(part for part in (role.family, role.grade) if part)
    return f"{role.title} ({extra})" if extra else role.title


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OpportunityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of opening"), choices=OpportunityKind.choices,
                             initial=OpportunityKind.PROJECT, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_LENGTH,
        help_text=_("What people will see in the list, e.g. “Churn dashboard for Customer "
                    "Success” or “Senior Data Analyst, Marketing”."))
    description = forms.CharField(
        label=_("Description"), required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the work is, who it is with, and what someone gains from it."))
    role = ObjectChoiceField(
        label=_("Role profile"), required=False, empty_label=_("Choose a role profile"),
        help_text=_("Its required skills fill in below when you choose “Use its skills”, for "
                    "you to adjust."))
    team = ObjectChoiceField(label=_("Team"), required=False, empty_label=_("No team"),
                             help_text=_("Where the work sits. For a role, the person moves "
                                         "into this team."))
    time_share = forms.IntegerField(
        label=_("Share of time (%)"), required=False, min_value=5, max_value=100,
        widget=forms.NumberInput(attrs={"step": 5}),
        help_text=_("How much of the week it takes, e.g. 20 for one day a week."))
    duration_weeks = forms.IntegerField(
        label=_("Duration (weeks)"), required=False, min_value=1, max_value=260,
        help_text=_("How long it lasts."))
    location = forms.CharField(
        label=_("Location"), required=False, max_length=Opportunity._meta.get_field(
            "location").max_length,
        help_text=_("e.g. “London office”, “Remote” or “Hybrid, Paris”."))
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DateInput(),
                                help_text=_("When the person chosen starts, if known."))
    closes_on = forms.DateField(label=_("Applications close"), required=False,
                                widget=DateInput(),
                                help_text=_("After this day nobody new can express interest. "
                                            "Leave empty to keep it open until filled."))

    def __init__(self, *args, roles: Iterable[RoleProfile] = (), teams: Iterable[Team] = (),
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].set_objects(roles, label=_role_label)
        self.fields["team"].set_objects(teams)

    @property
    def kind_options(self) -> list[dict]:
        return kind_options()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        data["location"] = data.get("location") or ""
        return data


class SkillRowForm(forms.Form):
    """One required skill of an opening; a row with no skill is ignored."""

    skill = ObjectChoiceField(label=_("Skill"), required=False, empty_label=_("Choose a skill"))
    min_level = forms.TypedChoiceField(label=_("Minimum level"), coerce=int, required=False,
                                       empty_value=None)
    importance = forms.ChoiceField(label=_("Importance"), choices=IMPORTANCE_CHOICES,
                                   initial="essential")

    def __init__(self, *args, skills: list[Skill] = (), levels: list = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].set_objects(
            skills, group=lambda s: s.category.name if s.category_id else "")
        self.fields["min_level"].choices = [("", _("Level")), *levels]

    def clean(self):
        data = super().clean()
        if data.get("skill") is not None and not data.get("min_level"):
            self.add_error("min_level", _("Choose the minimum level."))
        return data

    def requirement(self) -> SkillRequirement | None:
        data = getattr(self, "cleaned_data", {}) or {}
        if data.get("skill") is None or not data.get("min_level"):
            return None
        return SkillRequirement(skill=data["skill"], min_level=data["min_level"],
                                is_core=data.get("importance") != "desirable")


class BaseSkillFormSet(forms.BaseFormSet):
    def requirements(self) -> list[SkillRequirement]:
        return [row for form in self.forms if (row := form.requirement()) is not None]

    def add_service_error(self, messages) -> None:
        self._non_form_errors = self.error_class(list(messages))


SkillFormSet = forms.formset_factory(SkillRowForm, formset=BaseSkillFormSet, extra=0,
                                     max_num=30, absolute_max=40)

#: Blank skill lines offered below the filled ones, and the fewest lines shown.
BLANK_SKILL_ROWS = 3
MIN_SKILL_ROWS = 5


def skill_initial(requirements: Iterable[SkillRequirement], *, blanks: int = BLANK_SKILL_ROWS,
                  ) -> list[dict]:
    rows = [{"skill": str(r.skill.pk), "min_level": r.min_level,
             "importance": "essential" if r.is_core else "desirable"} for r in requirements]
    rows += [{"importance": "essential"} for _ in range(max(blanks, MIN_SKILL_ROWS - len(rows)))]
    return rows


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the poster"), required=False, max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why it interests you and what you would bring. The poster, HR and, for a "
                    "project or gig, your manager read it."))


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (ManagerApproval.APPROVED, _("Approve the time")),
        (ManagerApproval.DECLINED, _("Decline")),
    ])
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("They read it. Required when you decline."))


EXTERNAL = "external"


class FillForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Who takes it"), widget=forms.RadioSelect)

    def __init__(self, *args, candidates: Iterable = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._by_key = {str(c.interest.pk): c.interest for c in candidates}
        self.fields["candidate"].choices = [
            (key, interest.member.display_name) for key, interest in self._by_key.items()
        ] + [(EXTERNAL, _("Someone from outside the organisation"))]

    def service_fields(self) -> dict:
        key = self.cleaned_data["candidate"]
        if key == EXTERNAL:
            return {"interest": None, "external": True}
        return {"interest": self._by_key[key], "external": False}
