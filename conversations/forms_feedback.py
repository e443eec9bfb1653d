"""Forms of the feedback and recommendation pages. They check shape only (lengths, choices); the
services in ``services.feedback`` and ``services.recommendations`` hold the rules.

Every person, conversation and role profile a form accepts comes from a selector scoped to the
organisation and to the author, so another organisation's id (or someone outside the author's
reporting line) is "Select a valid choice" and never reaches a service. A drop-down lists the
author's direct reports (and mentees) rather than their whole reporting line, which can run
into thousands; someone further down is chosen from their profile, and stays valid here.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from careers.forms_plan import RoleChoiceField
from organizations.models import Membership, Organization
from skills import selectors as skills_selectors

from .models import (
    Feedback,
    FeedbackKind,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)
from .selectors import feedback as feedback_selectors
from .selectors import recommendations as recommendation_selectors

#: What each kind of feedback spotlights, shown with the choice.
FEEDBACK_KIND_HELP: dict[str, str] = {
    FeedbackKind.STRENGTH: _("Something they do well, again and again."),
    FeedbackKind.ATTRIBUTE: _("A quality they bring: how they work, think or treat others."),
    FeedbackKind.ACHIEVEMENT: _("Something they did, and the difference it made."),
}

RECOMMENDATION_KIND_HELP: dict[str, str] = {
    RecommendationKind.PROMOTION: _("A step up, in their role family or to a named role "
                                    "profile."),
    RecommendationKind.ROLE: _("A move to a particular role profile, at the same level or "
                               "across the organisation."),
    RecommendationKind.OPPORTUNITY: _("A project, secondment, programme or stretch "
                                      "assignment."),
}

DECISION_HELP: dict[str, str] = {
    RecommendationStatus.ACCEPTED: _("It goes ahead. Say what happens next, and when."),
    RecommendationStatus.DECLINED: _("Not now. Say why, and what would change the answer."),
}

#: How many of the author's recent conversations a feedback form offers to refer to.
CONVERSATION_CHOICES = 30


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.display_name} · {obj.job_title}" if obj.job_title else obj.display_name


class ConversationChoiceField(forms.ModelChoiceField):
    """A conversation, named by the other participant and the day (in the reader's zone)."""

    def __init__(self, *args, author: Membership | None = None, **kwargs):
        self.author = author
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        other = obj.member if self.author is None or obj.partner_id == self.author.pk \
            else obj.partner
        day = date_format(timezone.localtime(obj.scheduled_at), "DATE_FORMAT")
        return f"{other.display_name} · {day}"


def _offer(field: forms.ModelChoiceField, shown, selected_id) -> None:
    """Render ``shown`` as the field's options (plus the selected row, wherever it comes from),
    while validation still accepts anything in the field's queryset."""
    rows = list(shown)
    if selected_id not in (None, "") and str(selected_id) not in {str(r.pk) for r in rows}:
        extra = field.queryset.filter(pk=selected_id).first() if str(selected_id).isdigit() \
            else None
        if extra is not None:
            rows.insert(0, extra)
    field.choices = [("", field.empty_label),
                     *((row.pk, field.label_from_instance(row)) for row in rows)]


def _selected(form: forms.Form, name: str):
    if form.is_bound:
        return form.data.get(form.add_prefix(name))
    value = form.initial.get(name)
    return getattr(value, "pk", value)


def _text_field(model, name: str, *, label, rows: int, help_text, required: bool = True):
    return forms.CharField(label=label, required=required, strip=True, help_text=help_text,
                           max_length=model._meta.get_field(name).max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


# --- Feedback -----------------------------------------------------------------------------------


class FeedbackForm(forms.Form):
    member = PersonChoiceField(
        label=_("Who is it for?"), queryset=None,
        empty_label=_("Choose a person"),
        help_text=_("Your reports and the people you mentor or coach. They are told when you "
                    "save it."))
    kind = forms.ChoiceField(label=_("What are you spotlighting?"), choices=FeedbackKind.choices,
                             initial=FeedbackKind.STRENGTH, widget=forms.RadioSelect)
    text = _text_field(
        Feedback, "text", label=_("Your feedback"), rows=5,
        help_text=_("Be specific and genuine: what they did, when, and the difference it "
                    "made. They, you and their line manager can read it."))
    conversation = ConversationChoiceField(
        label=_("From a career conversation"), queryset=None, required=False,
        empty_label=_("Not from a conversation"),
        help_text=_("Link it to a conversation you had together, if it came up there."))

    def __init__(self, *args, organization: Organization, author: Membership, **kwargs):
        kwargs.setdefault("auto_id", "id_feedback_%s")
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = feedback_selectors.feedback_recipients(organization=organization,
                                                                 author=author)
        _offer(member, feedback_selectors.feedback_recipient_shortlist(
            organization=organization, author=author), _selected(self, "member"))
        conversation = self.fields["conversation"]
        conversation.author = author
        conversation.queryset = feedback_selectors.feedback_conversations(
            organization=organization, author=author)
        _offer(conversation, conversation.queryset[:CONVERSATION_CHOICES],
               _selected(self, "conversation"))

    def kind_options(self) -> list[dict]:
        """The kinds as radio cards: value, label, help, checked."""
        value = self["kind"].value()
        return [{"value": v, "label": label, "help": FEEDBACK_KIND_HELP[v],
                 "checked": str(value) == v, "id": f"{self['kind'].auto_id}_{v}"}
                for v, label in FeedbackKind.choices]


# --- Recommendations ----------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    member = PersonChoiceField(
        label=_("Who do you recommend?"), queryset=None,
        empty_label=_("Choose a person"),
        help_text=_("Someone in your reporting line. They do not see your recommendation."))
    kind = forms.ChoiceField(label=_("For"), choices=RecommendationKind.choices,
                             initial=RecommendationKind.PROMOTION, widget=forms.RadioSelect)
    role = RoleChoiceField(
        label=_("Role profile"), queryset=None, required=False,
        empty_label=_("No particular role profile"),
        help_text=_("Needed for a role; optional for a promotion; not used for an "
                    "opportunity."))
    opportunity = forms.CharField(
        label=_("Opportunity"), required=False, strip=True,
        max_length=Recommendation._meta.get_field("opportunity").max_length,
        help_text=_("For an opportunity: e.g. “Lead the payments migration”, “Six-month "
                    "secondment to Data”."))
    rationale = _text_field(
        Recommendation, "rationale", label=_("Why"), rows=6,
        help_text=_("What they have shown, with examples, and why now. HR decides on what you "
                    "write; the person you recommend never sees it."))

    def __init__(self, *args, organization: Organization, author: Membership, **kwargs):
        kwargs.setdefault("auto_id", "id_recommendation_%s")
        super().__init__(*args, **kwargs)
        member = self.fields["member"]
        member.queryset = recommendation_selectors.recommendation_candidates(
            organization=organization, author=author)
        _offer(member, recommendation_selectors.recommendation_candidate_shortlist(
            organization=organization, author=author), _selected(self, "member"))
        self.fields["role"].queryset = skills_selectors.role_choices(organization=organization)

    def kind_options(self) -> list[dict]:
        value = self["kind"].value()
        return [{"value": v, "label": label, "help": RECOMMENDATION_KIND_HELP[v],
                 "checked": str(value) == v, "id": f"{self['kind'].auto_id}_{v}"}
                for v, label in RecommendationKind.choices]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(RecommendationStatus.ACCEPTED, _("Accept")),
                 (RecommendationStatus.DECLINED, _("Decline"))])
    decision_note = _text_field(
        Recommendation, "decision_note", label=_("Note for the manager"), rows=4,
        help_text=_("What happens next, or why not now. The manager who wrote the "
                    "recommendation reads it; the person it is about does not."))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)

    def decision_options(self) -> list[dict]:
        value = self["decision"].value()
        return [{"value": v, "label": label, "help": DECISION_HELP[v],
                 "checked": str(value) == v, "id": f"{self['decision'].auto_id}_{v}"}
                for v, label in self.fields["decision"].choices]
