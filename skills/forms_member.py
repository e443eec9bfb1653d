"""Forms of the member and manager pages. They check shape only; the services hold the rules."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import CheckInItem, Level, RoleProfile
from .services.assessments import COMMENT_MAX_LENGTH


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RoleProfile) -> str:
        extra = " · ".join(part for part in (obj.shown_family, obj.grade) if part)
        return f"{obj.shown_title} ({extra})" if extra else obj.shown_title


class StartCheckInForm(forms.Form):
    role = RoleChoiceField(
        label=_("Role profile to rate yourself against"),
        queryset=None,
        empty_label=None,
        help_text=_("Your own role to see where you stand, or one you would like to move to."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from a selector: another organisation's id is simply not a valid choice.
        self.fields["role"].queryset = selectors.role_choices(organization=organization)


def _level_choices(levels: Iterable[Level]) -> list[tuple[int, str]]:
    return [(lv.rank, f"{lv.rank} · {lv.shown_name}") for lv in levels]


def self_field_name(item: CheckInItem) -> str:
    return f"item_{item.pk}"


class SelfAssessmentForm(forms.Form):
    """One radio group per skill of the check-in: a level of the scale, or "not yet"."""

    def __init__(self, *args, items: list[CheckInItem], levels: list[Level], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [("", _("Not yet")), *_level_choices(levels)]
        for item in items:
            self.fields[self_field_name(item)] = forms.TypedChoiceField(
                label=item.skill_name, choices=choices, coerce=int, empty_value=None,
                required=False, widget=forms.RadioSelect, initial=item.self_level,
            )

    def ratings(self) -> dict[int, int | None]:
        """``{item id: level}`` for the skills the request answered (absent ones are kept)."""
        return {item.pk: self.cleaned_data[self_field_name(item)] for item in self.items
                if self_field_name(item) in self.data}


def level_field_name(item: CheckInItem) -> str:
    return f"level_{item.pk}"


def comment_field_name(item: CheckInItem) -> str:
    return f"comment_{item.pk}"


class ManagerReviewForm(forms.Form):
    """Per skill: the manager's level (empty = agree with the self-assessment) and a comment."""

    comment = forms.CharField(
        label=_("Overall comment"), required=False, max_length=COMMENT_MAX_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shared with the person when you validate: what went well, what to work "
                    "on next."),
    )

    def __init__(self, *args, items: list[CheckInItem], levels: list[Level], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [("", _("Agree")), *_level_choices(levels)]
        for item in items:
            self.fields[level_field_name(item)] = forms.TypedChoiceField(
                label=_("Your rating of %(skill)s") % {"skill": item.skill_name},
                choices=choices, coerce=int, empty_value=None, required=False,
                initial=item.manager_level,
            )
            self.fields[comment_field_name(item)] = forms.CharField(
                label=_("Comment on %(skill)s") % {"skill": item.skill_name}, required=False,
                max_length=COMMENT_MAX_LENGTH, initial=item.comment,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def ratings(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data[level_field_name(item)] for item in self.items
                if level_field_name(item) in self.data}

    def comments(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[comment_field_name(item)] for item in self.items
                if comment_field_name(item) in self.data}
