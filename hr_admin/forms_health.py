"""Forms of the health-check survey pages. They check shape; ``services.health_surveys`` holds
the rules. Teams and earlier surveys come from querysets scoped to the organisation, so another
organisation's id is "Select a valid choice"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Organization, Team

from .health_content import DIMENSIONS, ENPS, LIKERT
from .models import HealthQuestion, HealthQuestionKind, Survey
from .selectors import health_surveys as selectors
from .services.health_surveys import COMMENT_MAX_LENGTH

LIKERT_LABELS = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: pgettext_lazy("survey scale", "Agree"),
    5: _("Strongly agree"),
}
TEXT_MAX = HealthQuestion._meta.get_field("text").max_length


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Survey) -> str:
        return f"{obj.title} ({obj.closed_at:%b %Y})" if obj.closed_at else obj.title


class SurveyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=Survey._meta.get_field("title").max_length, strip=True,
        help_text=_("What members see in their invitation, e.g. “Career culture check, "
                    "spring 2027”."))
    teams = forms.ModelMultipleChoiceField(
        label=_("Audience"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave every team unticked to ask the whole organisation. A chosen team "
                    "includes its sub-teams."))
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeLocalInput(),
        help_text=_("In the organisation's time zone. Invitations go out when it opens."))
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeLocalInput(),
        help_text=_("Two or three weeks is usual. Final scores are computed at close."))
    previous = SurveyChoiceField(
        label=_("Compare with"), queryset=None, required=False,
        empty_label=_("No earlier survey"),
        help_text=_("Results show the change against this survey."))

    def __init__(self, *args, organization: Organization, survey: Survey | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.for_org(organization).order_by("name")
        self.fields["previous"].queryset = selectors.closed_surveys(organization=organization,
                                                                    exclude=survey)


class QuestionEditForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=TEXT_MAX, strip=True,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Surveys already launched keep the wording they "
                                       "asked."))


class QuestionCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(HealthQuestionKind.LIKERT, _("Agreement, 1 to 5")),
                                  (HealthQuestionKind.COMMENT, _("Comment (free text)"))],
        initial=HealthQuestionKind.LIKERT)
    dimension = forms.ChoiceField(
        label=_("Dimension"), required=False,
        choices=[("", _("Choose a dimension"))] + [(d.key, d.title) for d in DIMENSIONS],
        help_text=_("For an agreement question: the part of career culture it measures."))
    text = forms.CharField(label=_("Question"), max_length=TEXT_MAX, strip=True,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Write a statement people agree or disagree with, "
                                       "e.g. “I know who to ask about a move”."))


class AnswerForm(forms.Form):
    """One field per survey question: ``q<id>``, all optional."""

    def __init__(self, *args, questions: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"q{q.pk}"
            if q.kind == HealthQuestionKind.LIKERT:
                self.fields[name] = forms.TypedChoiceField(
                    label=q.display_text, required=False, coerce=int, empty_value=None,
                    choices=[(v, LIKERT_LABELS[v]) for v in LIKERT],
                    widget=forms.RadioSelect)
            elif q.kind == HealthQuestionKind.ENPS:
                self.fields[name] = forms.TypedChoiceField(
                    label=q.display_text, required=False, coerce=int, empty_value=None,
                    choices=[(v, str(v)) for v in ENPS], widget=forms.RadioSelect)
            else:
                self.fields[name] = forms.CharField(
                    label=q.display_text, required=False, strip=True,
                    max_length=COMMENT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 4}))
            q.field_name = name

    def answers(self) -> tuple[dict[int, int], dict[int, str]]:
        values, comments = {}, {}
        for q in self.questions:
            value = self.cleaned_data.get(q.field_name)
            if value in (None, ""):
                continue
            if q.kind == HealthQuestionKind.COMMENT:
                comments[q.pk] = value
            else:
                values[q.pk] = value
        return values, comments
