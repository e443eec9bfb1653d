"""Forms of the goals, options and development plan pages. They check shape only (lengths,
formats, choices); the services in ``services.plan`` hold the rules.

Foreign-key choices come from selectors scoped to the organisation, so another organisation's
role or skill id is "Select a valid choice" and never reaches a service.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    ActionKind,
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalHorizon,
    GoalStatus,
    OptionCriterion,
    OptionDecision,
)
from .selectors import plan as selectors
from .services.plan import SCORE_MAX, SCORE_MIN

#: What each kind of action means, shown next to the choice.
ACTION_KIND_HELP: dict[str, str] = {
    ActionKind.TRAINING: _("A course, workshop or e-learning module."),
    ActionKind.MENTORING: _("Regular conversations with someone who has done it before."),
    ActionKind.ON_THE_JOB: _("Learning by doing it in your current role, with support."),
    ActionKind.STRETCH: _("A project a step beyond what you do today."),
    ActionKind.CROSS_FUNCTIONAL: _("Working with another team or function to see how it runs."),
    ActionKind.CONFERENCE: _("An event to learn and to build your professional network."),
    ActionKind.READING: _("Books, articles, videos or podcasts."),
    ActionKind.SHADOWING: _("Spending time alongside someone in the role you are curious "
                            "about."),
}

DATE_FORMAT_ERROR = _("Enter the date as YYYY-MM-DD, for example 2025-03-31.")

#: Text the browser sends for a due date: the ISO form an ``<input type=date>`` uses.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(model, name: str, *, label, rows: int = 3, help_text="", required: bool = False):
    return forms.CharField(label=label, required=required, max_length=_max_length(model, name),
                           strip=True, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        extra = " · ".join(part for part in (obj.shown_family, obj.grade) if part)
        label = f"{obj.shown_title} ({extra})" if extra else obj.shown_title
        if not obj.is_active:
            label = _("%(role)s — no longer in use") % {"role": label}
        return label


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        if getattr(obj, "relevant", False):
            return _("%(skill)s — needed for your role or goals") % {"skill": obj.shown_name}
        return obj.shown_name


# --- Goals --------------------------------------------------------------------------------------


class GoalForm(forms.Form):
    target_role = RoleChoiceField(
        label=_("Role I am aiming for"), queryset=None, required=False,
        empty_label=_("No role profile"),
        help_text=_("A role profile of the organisation: your plan then suggests learning for "
                    "the skills it needs. Or leave it and describe your goal below."),
    )
    title = forms.CharField(
        label=_("My goal in my own words"), required=False,
        max_length=_max_length(CareerGoal, "title"),
        help_text=_("e.g. “Lead a small team”, “Move into product management”. Needed when no "
                    "role profile fits."),
    )
    horizon = forms.ChoiceField(label=_("When"), choices=GoalHorizon.choices,
                                initial=GoalHorizon.ONE_YEAR)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices,
                               initial=GoalStatus.EXPLORING)
    motivation = _text(CareerGoal, "motivation", label=_("Why it matters to me"),
                       help_text=_("What draws you to it: the values, skills or kind of work "
                                   "it would bring."))
    shared_with_manager = forms.BooleanField(
        label=_("Share with my manager"), required=False,
        help_text=_("Your manager sees this goal on their “Shared with me” page. You can stop "
                    "sharing at any time."),
    )

    def __init__(self, *args, organization, goal: CareerGoal | None = None, **kwargs):
        if goal is not None and "initial" not in kwargs:
            kwargs["initial"] = {"target_role": goal.target_role_id, "title": goal.title,
                                 "horizon": goal.horizon, "status": goal.status,
                                 "motivation": goal.motivation,
                                 "shared_with_manager": goal.shared_with_manager}
        super().__init__(*args, **kwargs)
        self.fields["target_role"].queryset = selectors.goal_role_choices(
            organization=organization,
            include_id=goal.target_role_id if goal is not None else None)


# --- Options ------------------------------------------------------------------------------------


class OptionForm(forms.Form):
    title = forms.CharField(
        label=_("Option"), max_length=_max_length(CareerOption, "title"),
        help_text=_("A move, a role, a project, a course of study … e.g. “Transfer to the "
                    "Lisbon office”."),
    )
    description = _text(CareerOption, "description", label=_("What it would involve"))
    pros = _text(CareerOption, "pros", label=_("Pros"), rows=4,
                 help_text=_("One per line: what speaks for it."))
    cons = _text(CareerOption, "cons", label=_("Cons"), rows=4,
                 help_text=_("One per line: what speaks against it, or what it would cost."))
    decision = forms.ChoiceField(label=_("Decision"), choices=OptionDecision.choices,
                                 initial=OptionDecision.UNDECIDED)
    decision_note = _text(CareerOption, "decision_note", label=_("What I decided and why"))
    shared_with_manager = forms.BooleanField(
        label=_("Share with my manager"), required=False,
        help_text=_("Your manager sees this option, its ratings and your decision."),
    )

    def __init__(self, *args, option: CareerOption | None = None, **kwargs):
        if option is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(option, name) for name in (
                "title", "description", "pros", "cons", "decision", "decision_note",
                "shared_with_manager")}
        super().__init__(*args, **kwargs)


class OptionQuickForm(forms.Form):
    """Adding an option: its name and a line about it; the rest is on the option's page."""

    title = OptionForm.base_fields["title"]
    description = _text(CareerOption, "description", label=_("What it would involve"), rows=2)

    def __init__(self, *args, **kwargs):
        # Shares the goals page with the goal form: its own ids keep labels pointing right.
        kwargs.setdefault("auto_id", "id_option_%s")
        super().__init__(*args, **kwargs)


def score_field_name(criterion: OptionCriterion) -> str:
    return f"score_{criterion.pk}"


SCORE_LABELS = {
    1: _("Poor fit"), 2: _("Weak fit"), 3: _("Some fit"), 4: _("Good fit"), 5: _("Ideal fit"),
}


class OptionRatingForm(forms.Form):
    """One radio group per criterion: a score from 1 to 5, or not rated."""

    def __init__(self, *args, criteria: list[OptionCriterion],
                 scores: dict[int, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        scores = scores or {}
        choices = [("", _("Not rated")),
                   *[(n, f"{n} · {SCORE_LABELS[n]}") for n in range(SCORE_MIN, SCORE_MAX + 1)]]
        for criterion in criteria:
            self.fields[score_field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name, choices=choices, coerce=int, empty_value=None,
                required=False, widget=forms.RadioSelect, initial=scores.get(criterion.pk),
            )

    def scores(self) -> dict[int, int | None]:
        """``{criterion id: score}`` for the criteria the request answered."""
        return {c.pk: self.cleaned_data[score_field_name(c)] for c in self.criteria
                if score_field_name(c) in self.data}


class CriterionForm(forms.Form):
    name = forms.CharField(
        label=_("Criterion"), max_length=_max_length(OptionCriterion, "name"),
        help_text=_("What matters to you in a career move: a value, a skill you enjoy using, "
                    "location, pay, the people …"),
    )
    weight = forms.TypedChoiceField(
        label=_("How much it matters"), coerce=int, initial=3,
        choices=[(1, _("1 · A little")), (2, _("2 · Somewhat")), (3, _("3 · Quite a lot")),
                 (4, _("4 · A lot")), (5, _("5 · Essential"))],
        help_text=_("A weight of 5 counts five times as much as a weight of 1 in an option's "
                    "score."),
    )

    def __init__(self, *args, criterion: OptionCriterion | None = None, **kwargs):
        if criterion is not None and "initial" not in kwargs:
            kwargs["initial"] = {"name": criterion.name, "weight": criterion.weight}
        super().__init__(*args, **kwargs)


# --- Development actions ------------------------------------------------------------------------


class KindSelect(forms.RadioSelect):
    """The kinds of action as radio cards, each with what it means."""

    template_name = "careers/plan/widgets/kind_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                option["help"] = ACTION_KIND_HELP.get(str(option["value"]), "")
        return context


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("Action"), max_length=_max_length(DevelopmentAction, "title"),
        help_text=_("What you will do, e.g. “Shadow the release manager for a sprint”."),
    )
    kind = forms.ChoiceField(label=_("Kind of action"), choices=ActionKind.choices,
                             initial=ActionKind.TRAINING, widget=KindSelect)
    skill = SkillChoiceField(
        label=_("Skill it develops"), queryset=None, required=False,
        empty_label=_("No particular skill"),
        help_text=_("Link it to a skill gap where there is one: it then counts towards it."),
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": DATE_FORMAT_ERROR},
        help_text=_("When you want it done by."),
    )
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0,
        max_digits=DevelopmentAction._meta.get_field("hours").max_digits,
        decimal_places=DevelopmentAction._meta.get_field("hours").decimal_places,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
        help_text=_("Time it takes. Hours of actions you complete count as your learning "
                    "hours."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices,
                               initial=ActionStatus.PLANNED)
    evidence = _text(DevelopmentAction, "evidence", label=_("Evidence"),
                     help_text=DevelopmentAction._meta.get_field("evidence").help_text)
    shared_with_manager = forms.BooleanField(
        label=_("Share with my manager"), required=False, initial=True,
        help_text=_("Your manager can support what they can see. Untick to keep this action "
                    "to yourself."),
    )

    def __init__(self, *args, organization, member, action: DevelopmentAction | None = None,
                 **kwargs):
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(action, name) for name in (
                "title", "kind", "due_date", "hours", "status", "evidence",
                "shared_with_manager")}
            kwargs["initial"]["skill"] = action.skill_id
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = selectors.plan_skill_choices(
            organization=organization, member=member,
            include_id=action.skill_id if action is not None else None)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
