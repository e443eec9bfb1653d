"""Reads of the health-check surveys: the list, the questions a member answers, participation.

Participation is counted, never listed: how many were invited and how many answered, overall
and per team, and a team's count of answers only when it reaches the survey's smallest group.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from organizations.models import Membership, Organization, Team

from ..health_content import DIMENSIONS, shipped_question_text
from ..models import (
    HealthQuestionKind,
    Survey,
    SurveyMode,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)


def rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def survey_list(*, organization: Organization):
    return (Survey.objects.for_org(organization).filter(mode=SurveyMode.SURVEY)
            .select_related("created_by__user")
            .annotate(team_count=Count("teams", distinct=True))
            .order_by("-created_at", "-pk"))


def survey_summary(*, organization: Organization) -> dict:
    counts = (Survey.objects.for_org(organization).filter(mode=SurveyMode.SURVEY)
              .aggregate(total=Count("pk"),
                         open=Count("pk", filter=Q(status=SurveyStatus.OPEN)),
                         closed=Count("pk", filter=Q(status=SurveyStatus.CLOSED)),
                         drafts=Count("pk", filter=Q(status=SurveyStatus.DRAFT))))
    return counts


def survey_state(survey: Survey) -> str:
    """draft, scheduled (launched, not yet open), open or closed."""
    if survey.status == SurveyStatus.DRAFT and survey.launched_at is not None:
        return "scheduled"
    return survey.status


def closed_surveys(*, organization: Organization, exclude: Survey | None = None):
    rows = Survey.objects.for_org(organization).filter(mode=SurveyMode.SURVEY,
                                                       status=SurveyStatus.CLOSED)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.order_by("-closed_at", "-pk")


@dataclass
class DimensionGroup:
    key: str
    title: object
    description: object
    questions: list


def answer_questions(*, organization: Organization, survey: Survey) -> dict:
    """The survey's questions for its answering page: Likert questions grouped by dimension (in
    the shipped order), the eNPS question and the comment questions; shipped texts in the
    reader's language."""
    rows = list(SurveyQuestion.objects.for_org(organization).filter(survey=survey)
                .order_by("position", "pk"))
    for q in rows:
        q.display_text = shipped_question_text(q.text)
    groups = []
    for d in DIMENSIONS:
        qs = [q for q in rows if q.kind == HealthQuestionKind.LIKERT and q.dimension == d.key]
        if qs:
            groups.append(DimensionGroup(d.key, d.title, d.description, qs))
    known = {d.key for d in DIMENSIONS}
    orphans = [q for q in rows if q.kind == HealthQuestionKind.LIKERT
               and q.dimension not in known]
    if orphans:
        groups.append(DimensionGroup("other", "", "", orphans))
    return {
        "all": rows,
        "groups": groups,
        "enps": [q for q in rows if q.kind == HealthQuestionKind.ENPS],
        "comments": [q for q in rows if q.kind == HealthQuestionKind.COMMENT],
    }


@dataclass
class TeamParticipation:
    team_id: int | None
    name: str
    invited: int
    answered: int | None  # None: hidden (see ``hidden_because``)
    rate: int | None
    hidden_because: str = ""  # "small": too few answered; "complement": could be subtracted


def participation(*, organization: Organization, survey: Survey) -> dict:
    """Invited and answered, overall and per team (three queries whatever the size).

    A team's answered count comes from the responses (the team each answer was given from) and
    is hidden by the same rules as the results (``health_suppression``): below
    ``min_group_size``, or when it could be worked out by subtracting the shown teams from the
    total; the page then says "fewer than N" or "hidden".
    """
    from ..health_suppression import suppress_partition

    invited = dict(SurveyParticipation.objects.for_org(organization).filter(survey=survey)
                   .values_list("member__team_id").annotate(n=Count("pk"))
                   .values_list("member__team_id", "n"))
    answered = dict(SurveyResponse.objects.for_org(organization).filter(survey=survey)
                    .values_list("team_id").annotate(n=Count("pk"))
                    .values_list("team_id", "n"))
    team_ids = {t for t in (set(invited) | set(answered)) if t is not None}
    names = dict(Team.objects.for_org(organization).filter(pk__in=team_ids)
                 .values_list("pk", "name"))
    hidden = suppress_partition({t: answered.get(t, 0) for t in set(invited) | set(answered)},
                                survey.min_group_size)
    rows = []
    for team_id in sorted(set(invited) | set(answered),
                          key=lambda t: (t is None, names.get(t, "").lower())):
        n_invited, n_answered = invited.get(team_id, 0), answered.get(team_id, 0)
        shown = None if hidden.get(team_id) else n_answered
        rows.append(TeamParticipation(
            team_id=team_id, name=names.get(team_id, ""), invited=n_invited, answered=shown,
            rate=rate(shown, n_invited) if shown is not None else None,
            hidden_because=hidden.get(team_id, "")))
    total_answered = survey.response_count
    return {
        "invited": survey.invited_count,
        "answered": total_answered if total_answered >= survey.min_group_size else None,
        "answered_any": total_answered,
        "rate": rate(total_answered, survey.invited_count)
        if total_answered >= survey.min_group_size else None,
        "teams": rows,
        "min_group_size": survey.min_group_size,
    }


def pending_surveys(*, organization: Organization, member: Membership):
    """Open surveys the member was invited to and has not answered."""
    return (Survey.objects.for_org(organization)
            .filter(mode=SurveyMode.SURVEY, status=SurveyStatus.OPEN,
                    participations__member=member, participations__has_responded=False)
            .order_by("closes_at", "pk"))
