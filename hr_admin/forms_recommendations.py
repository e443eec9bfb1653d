"""The decision form of HR's recommendations queue: accept or decline with a note and, accepting a
promotion or a role, record the move. Shape only; ``services.recommendation_decisions`` holds
the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from careers.forms_plan import RoleChoiceField
from conversations.forms_feedback import DecisionForm
from conversations.models import Recommendation
from organizations.models import Organization
from skills import selectors as skills_selectors

from .forms_moves import DateInput
from .services.recommendation_decisions import can_record_move


class QueueDecisionForm(DecisionForm):
    record_move = forms.BooleanField(
        label=_("Record the move"), required=False,
        help_text=_("When you accept: set their role profile and record the move in their "
                    "career history."))
    role = RoleChoiceField(label=_("New role profile"), queryset=None, required=False,
                           empty_label=_("Choose a role profile"),
                           help_text=_("The recommended one unless you choose another."))
    effective_on = forms.DateField(label=_("Effective date"), required=False,
                                   widget=DateInput(),
                                   help_text=_("When the move took effect: today or earlier."))

    def __init__(self, *args, organization: Organization, recommendation: Recommendation,
                 **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("effective_on", timezone.localdate())
        if recommendation.role_id:
            initial.setdefault("role", recommendation.role_id)
        super().__init__(*args, **kwargs)
        self.can_record_move = can_record_move(recommendation)
        if self.can_record_move:
            self.fields["role"].queryset = skills_selectors.role_choices(
                organization=organization)
        else:
            for name in ("record_move", "role", "effective_on"):
                del self.fields[name]

    def move_fields(self) -> list:
        """The fields needed when the move is recorded (shown without an "optional" mark)."""
        return [self["role"], self["effective_on"]] if self.can_record_move else []
