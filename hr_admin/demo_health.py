"""Demo data for the health check: two closed surveys of acme, about six months apart.

Most of acme's members answered both; teams differ (some strong, some weak, and the smallest
teams fall under the anonymity threshold), and the second survey shows some progress. Rows are
written in bulk straight into the tables, as a finished survey would have left them; scores are
left to the scoring code (called at the end when it exists).

Idempotent: a survey with the demo title is never created twice. Deterministic: every choice
comes from ``random.Random`` seeded per survey (by its English title, so that every language
gets the same answers). Titles and comments are written in the active language (``seed_demo``
seeds each organisation under its default language).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization, Team

from .health_content import QUESTIONS
from .models import (
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyMode,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from .services.health_surveys import COMMENT_MIN_GROUP_SIZE, MIN_GROUP_FLOOR, tenure_band

SEED = "trellis-health-demo"
DEMO_SLUG = "acme"
# (title, days ago it opened, days ago it closed, overall lift in points of the mean)
SURVEYS = [
    (_("Career culture check, spring"), 200, 180, 0.0),
    (_("Career culture check, autumn"), 30, 12, 0.35),
]
ANSWER_RATE = 0.82
COMMENTS = [
    _("I would like my manager to talk about my career, not only about this quarter."),
    _("Internal openings are hard to find; I heard about the last one after it was filled."),
    _("The mentoring programme really helped me."),
    _("We celebrate launches, but not when someone grows into a new role."),
    _("I have no time in the week to learn anything new."),
    _("Career paths for specialists are unclear compared to management."),
    _("My last career conversation changed how I see my next two years."),
    _("More visibility on projects in other teams would help."),
    _("Leaders say development matters but we never hear about progress."),
    _("The skills framework is useful, but nobody uses it in reviews."),
]


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    if organization.slug != DEMO_SLUG:
        return
    seed_organization_health(organization)


def _team_strength(teams: list[Team]) -> dict[int | None, float]:
    """A lasting offset of each team's answers: some teams strong, some weak."""
    rng = random.Random(f"{SEED}:teams")
    offsets = [0.9, 0.6, 0.3, 0.0, -0.3, -0.6, -0.9]
    strength = {None: 0.0}
    for team in sorted(teams, key=lambda t: t.name):
        strength[team.pk] = rng.choice(offsets)
    return strength


def _dimension_bias(rng: random.Random) -> dict[str, float]:
    # Conversations and managers are the organisation's strengths; opportunities and HR tools
    # its weak spots, as in most organisations that start measuring.
    base = {"conversations": 0.3, "ownership": 0.2, "managers": 0.4, "opportunities": -0.6,
            "hr_tools": -0.4, "leadership": -0.1, "recognition": -0.3, "skills": 0.0}
    return {k: v + rng.uniform(-0.1, 0.1) for k, v in base.items()}


def _likert(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.9))))


def _enps(rng: random.Random, centre: float) -> int:
    return max(0, min(10, round(rng.gauss(4.5 + 2.2 * (centre - 3), 1.8))))


def seed_organization_health(organization: Organization) -> dict:
    org = organization
    made = {"surveys": 0, "responses": 0}
    with transaction.atomic(), tenancy.organization_scope(org):
        members = list(Membership.objects.for_org(org).filter(is_active=True)
                       .select_related("team").order_by("pk"))
        if not members:
            return made
        teams = list(Team.objects.for_org(org))
        strength = _team_strength(teams)
        existing = set(Survey.objects.for_org(org).filter(mode=SurveyMode.SURVEY)
                       .values_list("title", flat=True))
        hr = next((m for m in members if m.is_hr_admin), None)
        now = timezone.now()
        previous = None
        created = []
        for title, opened_days, closed_days, lift in SURVEYS:
            with translation.override(None):
                seed_key = str(title)
            title = str(title)
            if title in existing:
                previous = Survey.objects.for_org(org).filter(title=title).first()
                continue
            survey = _survey(org, members, strength, title=title, seed_key=seed_key, hr=hr,
                             previous=previous,
                             opens_at=now - timedelta(days=opened_days),
                             closes_at=now - timedelta(days=closed_days), lift=lift)
            made["surveys"] += 1
            made["responses"] += survey.response_count
            created.append(survey)
            previous = survey
    _score(org, created)
    return made


def _survey(org, members, strength, *, title, seed_key, hr, previous, opens_at, closes_at,
            lift):
    rng = random.Random(f"{SEED}:{seed_key}")
    min_group = max(org.survey_anonymity_threshold, MIN_GROUP_FLOOR)
    survey = Survey.objects.for_org(org).create(
        organization=org, mode=SurveyMode.SURVEY, title=title, status=SurveyStatus.CLOSED,
        opens_at=opens_at, closes_at=closes_at, min_group_size=min_group,
        comment_min_group_size=max(COMMENT_MIN_GROUP_SIZE, min_group),
        previous=previous, created_by=hr, launched_at=opens_at - timedelta(days=1),
        closed_at=closes_at)
    Survey.objects.for_org(org).filter(pk=survey.pk).update(created_at=opens_at
                                                            - timedelta(days=2))
    questions = SurveyQuestion.objects.for_org(org).bulk_create([
        SurveyQuestion(organization=org, survey=survey, key=key, dimension=dimension,
                       kind=kind, text=str(text), position=position)
        for position, (key, dimension, kind, text) in enumerate(QUESTIONS)
    ])
    likert = [q for q in questions if q.kind == "likert"]
    enps = next(q for q in questions if q.kind == "enps")
    comment = next(q for q in questions if q.kind == "comment")
    bias = _dimension_bias(rng)
    answered = [m for m in members if rng.random() < ANSWER_RATE]
    answered_ids = {m.pk for m in answered}
    SurveyParticipation.objects.for_org(org).bulk_create([
        SurveyParticipation(organization=org, survey=survey, member=m,
                            has_responded=m.pk in answered_ids, invited_at=opens_at,
                            reminded_at=None if m.pk in answered_ids
                            else opens_at + timedelta(days=3),
                            reminder_count=0 if m.pk in answered_ids else 2)
        for m in members
    ], batch_size=1000)
    # Answers are shuffled apart from the member order, as submissions would be.
    rng.shuffle(answered)
    today = closes_at.date()
    responses, answers, comments = [], [], []
    for member in answered:
        person = rng.gauss(0, 0.4)
        band = tenure_band(member.started_on, today)
        response = SurveyResponse(organization=org, survey=survey, team_id=member.team_id,
                                  tenure_band=band)
        responses.append(response)
        centre = 3.1 + lift + strength.get(member.team_id, 0.0) + person
        for q in likert:
            if rng.random() < 0.03:
                continue  # skipped
            answers.append(SurveyAnswer(organization=org, response=response, question=q,
                                        value=_likert(rng, centre + bias.get(q.dimension, 0))))
        answers.append(SurveyAnswer(organization=org, response=response, question=enps,
                                    value=_enps(rng, centre)))
        if rng.random() < 0.18:
            comments.append(SurveyComment(organization=org, survey=survey, question=comment,
                                          team_id=member.team_id, tenure_band=band,
                                          text=str(rng.choice(COMMENTS))))
    SurveyResponse.objects.for_org(org).bulk_create(responses, batch_size=1000)
    SurveyAnswer.objects.for_org(org).bulk_create(answers, batch_size=2000)
    SurveyComment.objects.for_org(org).bulk_create(comments, batch_size=1000)
    Survey.objects.for_org(org).filter(pk=survey.pk).update(invited_count=len(members),
                                                            response_count=len(responses))
    survey.invited_count, survey.response_count = len(members), len(responses)
    return survey


def _score(org, surveys) -> None:
    if not surveys:
        return
    from . import tasks_scoring

    survey_score = getattr(tasks_scoring, "survey_score", None)
    if survey_score is None:
        return
    with transaction.atomic(), tenancy.organization_scope(org):
        for survey in surveys:
            survey_score(organization=org, survey=Survey.objects.for_org(org).get(pk=survey.pk),
                         final=True)
