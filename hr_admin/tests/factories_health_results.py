"""Surveys with answers, written straight into the tables the answer page fills, for the
scoring and results tests."""

from __future__ import annotations

import itertools

from django.utils import timezone

from hr_admin import health_content
from hr_admin.models import (
    HealthQuestionKind,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyMode,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from organizations.models import Team

_titles = itertools.count(1)


def survey_with_questions(org, *, status=SurveyStatus.OPEN, k=5, comment_k=10, invited=0,
                          previous=None, title=None, dimensions=None, enps=True,
                          comments=True) -> Survey:
    """A launched survey asking one agreement question per dimension (two for the first),
    the career eNPS question and a comment question."""
    now = timezone.now()
    survey = Survey.objects_unscoped.create(
        organization=org, mode=SurveyMode.SURVEY, title=title or f"Survey {next(_titles)}",
        status=status, min_group_size=k, comment_min_group_size=comment_k,
        invited_count=invited, previous=previous, launched_at=now,
        closed_at=now if status == SurveyStatus.CLOSED else None)
    keys = dimensions or health_content.DIMENSION_KEYS
    position = 0
    for index, dimension in enumerate(keys):
        for n in range(2 if index == 0 else 1):
            SurveyQuestion.objects_unscoped.create(
                organization=org, survey=survey, key=f"{dimension}-{n}", dimension=dimension,
                kind=HealthQuestionKind.LIKERT, text=f"About {dimension} ({n})",
                position=position)
            position += 1
    if enps:
        SurveyQuestion.objects_unscoped.create(
            organization=org, survey=survey, key="enps", kind=HealthQuestionKind.ENPS,
            text="Would you recommend us as a place to grow a career?", position=position)
    if comments:
        SurveyQuestion.objects_unscoped.create(
            organization=org, survey=survey, key="comment", kind=HealthQuestionKind.COMMENT,
            text="Anything else?", position=position + 1)
    return survey


def questions_of(survey):
    return list(SurveyQuestion.objects_unscoped.filter(survey=survey).order_by("position"))


def respond(survey, *, team=None, tenure="unknown", likert=4, enps=8, values=None,
            comment="") -> SurveyResponse:
    """One response: every agreement question answered ``likert`` (or ``values[key]``)."""
    response = SurveyResponse.objects_unscoped.create(
        organization_id=survey.organization_id, survey=survey, team=team, tenure_band=tenure)
    values = values or {}
    answers = []
    for question in questions_of(survey):
        if question.kind == HealthQuestionKind.COMMENT:
            if comment:
                SurveyComment.objects_unscoped.create(
                    organization_id=survey.organization_id, survey=survey, question=question,
                    team=team, tenure_band=tenure, text=comment)
            continue
        value = values.get(question.key, enps if question.kind == HealthQuestionKind.ENPS
                           else likert)
        if value is None:
            continue
        answers.append(SurveyAnswer(organization_id=survey.organization_id, response=response,
                                    question=question, value=value))
    SurveyAnswer.objects_unscoped.bulk_create(answers)
    Survey.objects_unscoped.filter(pk=survey.pk).update(
        response_count=SurveyResponse.objects_unscoped.filter(survey=survey).count())
    return response


def team(org, name) -> Team:
    return Team.objects_unscoped.create(organization=org, name=name)
