"""Forms of HR's reflection template editor and of the participation page. Shape only: the
services (``careers.services.templates``) hold the rules and the friendly messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReflectionArea, ReflectionPrompt
from .selectors.participation import Status
from .services.templates import DIRECTIONS, INTRO_MAX_LENGTH


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class AreaForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=_max(ReflectionArea, "title"),
        help_text=_("What members see as the heading of this area, e.g. “Where I'm at”."))
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=INTRO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two on why this area matters and how to approach it."))


class PromptForm(forms.Form):
    text = forms.CharField(
        label=_("Question"), max_length=_max(ReflectionPrompt, "text"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ask one thing at a time, in the member's own voice: “What do you enjoy "
                    "most?”"))
    help_text = forms.CharField(
        label=_("Hint"), required=False, max_length=_max(ReflectionPrompt, "help_text"),
        help_text=_("Shown under the question to help the member get started."))


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(d, d) for d in DIRECTIONS])


class ParticipationSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Status.CHOICES])
