"""The health-check surveys' lifecycle: the question set, drafts, launch, answering, closing,
invitations and reminders.

Anonymity: a submission marks the participation (who answered) and writes the response, its
answers and the comments (what was answered) in one transaction, but the two sides share no
column, no key and no time. Nothing here logs or audits what was answered.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations import tenancy
from organizations.models import Membership, Organization, Team
from organizations.services import audit

from ..health_content import DIMENSION_KEYS, ENPS, LIKERT, QUESTIONS
from ..models import (
    HealthQuestion,
    HealthQuestionKind,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyMode,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    TenureBand,
)

COMMENT_MIN_GROUP_SIZE = 10
MIN_GROUP_FLOOR = 3
REMINDER_EVERY = timedelta(days=3)
MAX_REMINDERS = 2
DIRECTIONS = ("up", "down")
COMMENT_MAX_LENGTH = 4000


# --- The question set ---------------------------------------------------------------------------


def _questions(organization: Organization):
    return HealthQuestion.objects.for_org(organization).order_by("position", "pk")


def question_set(*, organization: Organization) -> list[HealthQuestion]:
    """The organisation's questions (retired ones included), made from the shipped set on first
    use in the organisation's default language. Two requests racing both end with the same rows:
    the loser's insert hits the one-key constraint and it reads the winner's."""
    rows = list(_questions(organization))
    if rows:
        return rows
    try:
        with transaction.atomic(), translation.override(organization.default_language):
            HealthQuestion.objects.for_org(organization).bulk_create([
                HealthQuestion(organization=organization, key=key, dimension=dimension,
                               kind=kind, text=str(text), position=position)
                for position, (key, dimension, kind, text) in enumerate(QUESTIONS)
            ])
    except IntegrityError:
        pass
    return list(_questions(organization))


def _question_errors(*, kind: str, dimension: str, text: str) -> dict:
    errors = {}
    if kind not in (HealthQuestionKind.LIKERT, HealthQuestionKind.COMMENT):
        errors["kind"] = _("Add an agreement question or a comment question.")
    if kind == HealthQuestionKind.LIKERT and dimension not in DIMENSION_KEYS:
        errors["dimension"] = _("Choose the dimension this question measures.")
    if not (text or "").strip():
        errors["text"] = _("Write the question.")
    return errors


@transaction.atomic
def question_create(*, organization: Organization, actor: Membership, kind: str,
                    dimension: str = "", text: str) -> HealthQuestion:
    """HR adds a question at the end of the set (of a dimension for an agreement question)."""
    question_set(organization=organization)
    errors = _question_errors(kind=kind, dimension=dimension, text=text)
    if errors:
        raise ValidationError(errors)
    last = _questions(organization).aggregate(m=Max("position"))["m"]
    question = HealthQuestion(organization=organization, kind=kind,
                              dimension=dimension if kind == HealthQuestionKind.LIKERT else "",
                              text=text.strip(), position=(last or 0) + 1)
    with tenancy.organization_scope(organization):
        question.full_clean()
    question.save()
    audit(organization=organization, actor=actor, action="hr.health_question_added",
          question_id=question.pk)
    return question


@transaction.atomic
def question_update(*, organization: Organization, actor: Membership, question: HealthQuestion,
                    text: str) -> HealthQuestion:
    """HR rewords a question; surveys already launched keep the wording they asked."""
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the question.")})
    question.text = text.strip()
    with tenancy.organization_scope(organization):
        question.full_clean()
    question.save(update_fields=["text"])
    audit(organization=organization, actor=actor, action="hr.health_question_changed",
          question_id=question.pk)
    return question


@transaction.atomic
def question_set_active(*, organization: Organization, actor: Membership,
                        question: HealthQuestion, is_active: bool) -> HealthQuestion:
    """Retire a question from the set (or bring it back). The career eNPS question stays."""
    if not is_active and question.kind == HealthQuestionKind.ENPS:
        raise ValidationError({"is_active": _("The career eNPS question is always asked.")})
    if not is_active and question.kind == HealthQuestionKind.LIKERT:
        others = (_questions(organization).filter(kind=HealthQuestionKind.LIKERT, is_active=True)
                  .exclude(pk=question.pk))
        if not others.exists():
            raise ValidationError({"is_active": _("Keep at least one agreement question.")})
    if question.is_active != is_active:
        question.is_active = is_active
        question.save(update_fields=["is_active"])
        audit(organization=organization, actor=actor,
              action="hr.health_question_retired" if not is_active
              else "hr.health_question_restored", question_id=question.pk)
    return question


@transaction.atomic
def question_move(*, organization: Organization, actor: Membership, question: HealthQuestion,
                  direction: str) -> HealthQuestion:
    """Swap a question with its neighbour in the order questions are asked."""
    if direction not in DIRECTIONS:
        raise ValidationError({"direction": _("Move a question up or down.")})
    rows = list(_questions(organization).select_for_update())
    # Renumber first: positions may have gaps or ties.
    index = next(i for i, q in enumerate(rows) if q.pk == question.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
    changed = []
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position
            changed.append(row)
    HealthQuestion.objects.for_org(organization).bulk_update(changed, ["position"])
    question.position = next(q.position for q in rows if q.pk == question.pk)
    return question


# --- Drafts -------------------------------------------------------------------------------------


def _schedule_errors(*, opens_at: datetime | None, closes_at: datetime | None,
                     now: datetime) -> dict:
    errors = {}
    if opens_at is None:
        errors["opens_at"] = _("Choose when the survey opens.")
    if closes_at is None:
        errors["closes_at"] = _("Choose when the survey closes.")
    elif closes_at <= now:
        errors["closes_at"] = _("Choose a closing time in the future.")
    elif opens_at is not None and closes_at <= opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    return errors


def _check_draft_fields(*, organization: Organization, teams, previous: Survey | None,
                        survey: Survey | None) -> dict:
    errors = {}
    if any(t.organization_id != organization.pk for t in teams):
        errors["teams"] = _("Choose teams of this organisation.")
    if previous is not None and (
            previous.organization_id != organization.pk or previous.mode != SurveyMode.SURVEY
            or previous.status != SurveyStatus.CLOSED
            or (survey is not None and previous.pk == survey.pk)):
        errors["previous"] = _("Choose a closed survey to compare with.")
    return errors


def last_closed_survey(*, organization: Organization, exclude: Survey | None = None):
    rows = (Survey.objects.for_org(organization)
            .filter(mode=SurveyMode.SURVEY, status=SurveyStatus.CLOSED))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.order_by(F("closed_at").desc(nulls_last=True), "-pk").first()


@transaction.atomic
def survey_create(*, organization: Organization, actor: Membership, title: str,
                  opens_at: datetime | None, closes_at: datetime | None, teams=(),
                  previous: Survey | None = None, now: datetime | None = None) -> Survey:
    """A draft survey; the question set is copied only at launch."""
    now = now or timezone.now()
    teams = list(teams)
    if previous is None:
        previous = last_closed_survey(organization=organization)
    errors = {**_schedule_errors(opens_at=opens_at, closes_at=closes_at, now=now),
              **_check_draft_fields(organization=organization, teams=teams, previous=previous,
                                    survey=None)}
    if not (title or "").strip():
        errors["title"] = _("Give the survey a title.")
    if errors:
        raise ValidationError(errors)
    survey = Survey(organization=organization, mode=SurveyMode.SURVEY, title=title.strip(),
                    opens_at=opens_at, closes_at=closes_at, previous=previous, created_by=actor,
                    min_group_size=max(organization.survey_anonymity_threshold, MIN_GROUP_FLOOR))
    survey.full_clean(exclude=["teams"])
    survey.save()
    with tenancy.organization_scope(organization):
        survey.teams.set(teams)
    audit(organization=organization, actor=actor, action="hr.health_survey_created",
          survey_id=survey.pk)
    return survey


@transaction.atomic
def survey_update(*, organization: Organization, actor: Membership, survey: Survey, title: str,
                  opens_at: datetime | None, closes_at: datetime | None, teams=(),
                  previous: Survey | None = None, now: datetime | None = None) -> Survey:
    """Change a draft (not yet launched)."""
    survey = Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
    if survey.launched_at is not None or survey.status != SurveyStatus.DRAFT:
        raise ValidationError({"title": _("A launched survey can no longer be changed.")})
    now = now or timezone.now()
    teams = list(teams)
    errors = {**_schedule_errors(opens_at=opens_at, closes_at=closes_at, now=now),
              **_check_draft_fields(organization=organization, teams=teams, previous=previous,
                                    survey=survey)}
    if not (title or "").strip():
        errors["title"] = _("Give the survey a title.")
    if errors:
        raise ValidationError(errors)
    survey.title, survey.opens_at, survey.closes_at = title.strip(), opens_at, closes_at
    survey.previous = previous
    survey.full_clean(exclude=["teams"])
    survey.save()
    with tenancy.organization_scope(organization):
        survey.teams.set(teams)
    audit(organization=organization, actor=actor, action="hr.health_survey_changed",
          survey_id=survey.pk)
    return survey


@transaction.atomic
def survey_delete(*, organization: Organization, actor: Membership, survey: Survey) -> None:
    """Delete a draft that was never launched."""
    if survey.launched_at is not None:
        raise ValidationError({"survey": _("A launched survey cannot be deleted.")})
    audit(organization=organization, actor=actor, action="hr.health_survey_deleted",
          survey_id=survey.pk)
    survey.delete()


# --- Audience and launch ------------------------------------------------------------------------


def team_subtree_ids(*, organization: Organization, team_ids) -> set[int]:
    """The chosen teams and every team below them (one query)."""
    parents = dict(Team.objects.for_org(organization).values_list("pk", "parent_id"))
    children: dict[int | None, list[int]] = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    seen: set[int] = set()
    stack = [t for t in team_ids if t in parents]
    while stack:
        pk = stack.pop()
        if pk in seen:
            continue
        seen.add(pk)
        stack.extend(children.get(pk, []))
    return seen


def audience(*, organization: Organization, survey: Survey):
    """The active members a survey asks: everyone, or the chosen teams and their sub-teams."""
    members = Membership.objects.for_org(organization).filter(is_active=True)
    with tenancy.organization_scope(organization):
        team_ids = list(survey.teams.values_list("pk", flat=True))
    if team_ids:
        members = members.filter(team_id__in=team_subtree_ids(organization=organization,
                                                              team_ids=team_ids))
    return members


@transaction.atomic
def survey_launch(*, organization: Organization, actor: Membership, survey: Survey,
                  now: datetime | None = None) -> Survey:
    """Freeze the questions and thresholds, invite the audience, open now or at ``opens_at``.

    From here on ``min_group_size`` and ``comment_min_group_size`` never change: a later
    change of the organisation's threshold leaves this survey alone.
    """
    now = now or timezone.now()
    survey = Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
    if survey.launched_at is not None or survey.status != SurveyStatus.DRAFT:
        raise ValidationError({"survey": _("This survey has already been launched.")})
    errors = _schedule_errors(opens_at=survey.opens_at, closes_at=survey.closes_at, now=now)
    if errors:
        raise ValidationError(errors)
    questions = [q for q in question_set(organization=organization) if q.is_active]
    if not any(q.kind == HealthQuestionKind.LIKERT for q in questions):
        raise ValidationError({"survey": _("The question set has no agreement question.")})
    member_ids = list(audience(organization=organization, survey=survey)
                      .values_list("pk", flat=True))
    if not member_ids:
        raise ValidationError({"teams": _("No active member is in the chosen teams.")})
    SurveyQuestion.objects.for_org(organization).bulk_create([
        SurveyQuestion(organization=organization, survey=survey, key=q.key,
                       dimension=q.dimension, kind=q.kind, text=q.text, position=position)
        for position, q in enumerate(questions)
    ])
    SurveyParticipation.objects.for_org(organization).bulk_create([
        SurveyParticipation(organization=organization, survey=survey, member_id=pk)
        for pk in member_ids
    ], batch_size=1000)
    survey.min_group_size = max(organization.survey_anonymity_threshold, MIN_GROUP_FLOOR)
    survey.comment_min_group_size = max(COMMENT_MIN_GROUP_SIZE, survey.min_group_size)
    survey.invited_count = len(member_ids)
    survey.launched_at = now
    if survey.opens_at <= now:
        survey.status = SurveyStatus.OPEN
    survey.save(update_fields=["min_group_size", "comment_min_group_size", "invited_count",
                               "launched_at", "status"])
    audit(organization=organization, actor=actor, action="hr.health_survey_launched",
          survey_id=survey.pk, invited=len(member_ids))
    return survey


def surveys_open_due(*, organization: Organization, now: datetime | None = None) -> list[int]:
    """Open launched surveys whose opening time has come. Returns their ids."""
    now = now or timezone.now()
    rows = (Survey.objects.for_org(organization)
            .filter(status=SurveyStatus.DRAFT, launched_at__isnull=False, opens_at__lte=now,
                    closes_at__gt=now))
    ids = list(rows.values_list("pk", flat=True))
    if ids:
        Survey.objects.for_org(organization).filter(pk__in=ids).update(status=SurveyStatus.OPEN)
    return ids


def _enqueue_final_scoring(organization_id: int, survey_id: int) -> None:
    # The scoring task lives in tasks_scoring (another module); looked up when needed.
    from .. import tasks_scoring

    task = getattr(tasks_scoring, "health_survey_score", None)
    if task is not None and hasattr(task, "delay"):
        transaction.on_commit(lambda: task.delay(organization_id, survey_id, final=True))


@transaction.atomic
def survey_close(*, organization: Organization, actor: Membership | None, survey: Survey,
                 now: datetime | None = None) -> Survey:
    """Close an open survey (by hand, or at ``closes_at`` from the scan) and queue the final
    scoring after commit. Closing a closed survey changes nothing."""
    now = now or timezone.now()
    survey = Survey.objects.for_org(organization).select_for_update().get(pk=survey.pk)
    if survey.status == SurveyStatus.CLOSED:
        return survey
    if survey.launched_at is None:
        raise ValidationError({"survey": _("Only a launched survey can be closed.")})
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = now
    if survey.closes_at is None or survey.closes_at > now:
        survey.closes_at = now
    survey.save(update_fields=["status", "closed_at", "closes_at"])
    audit(organization=organization, actor=actor, action="hr.health_survey_closed",
          survey_id=survey.pk, responses=survey.response_count)
    _enqueue_final_scoring(organization.pk, survey.pk)
    return survey


def surveys_close_due(*, organization: Organization, now: datetime | None = None) -> list[int]:
    """Close every open (or launched, never opened) survey whose closing time has passed."""
    now = now or timezone.now()
    ids = list(Survey.objects.for_org(organization)
               .filter(Q(status=SurveyStatus.OPEN)
                       | Q(status=SurveyStatus.DRAFT, launched_at__isnull=False),
                       closes_at__lte=now).values_list("pk", flat=True))
    for pk in ids:
        survey_close(organization=organization, actor=None,
                     survey=Survey.objects.for_org(organization).get(pk=pk), now=now)
    return ids


# --- Answering ----------------------------------------------------------------------------------


def tenure_band(started_on: date | None, today: date) -> str:
    if started_on is None or started_on > today:
        return TenureBand.UNKNOWN
    years = (today - started_on).days / 365.25
    if years < 1:
        return TenureBand.UNDER_1
    if years < 3:
        return TenureBand.ONE_TO_3
    if years < 5:
        return TenureBand.THREE_TO_5
    return TenureBand.OVER_5


ALREADY_ANSWERED = gettext_lazy("You have already answered this survey; each person answers "
                                "once.")


def answer_errors(*, questions, answers: dict, comments: dict) -> dict:
    """Field errors (``q<id>``) for values outside the scale of their question."""
    errors = {}
    by_id = {q.pk: q for q in questions}
    for question_id, value in answers.items():
        question = by_id.get(question_id)
        if question is None or question.kind == HealthQuestionKind.COMMENT:
            errors[f"q{question_id}"] = _("This is not a question of this survey.")
        elif question.kind == HealthQuestionKind.LIKERT and value not in LIKERT:
            errors[f"q{question_id}"] = _("Choose a value from 1 to 5.")
        elif question.kind == HealthQuestionKind.ENPS and value not in ENPS:
            errors[f"q{question_id}"] = _("Choose a value from 0 to 10.")
    for question_id, text in comments.items():
        question = by_id.get(question_id)
        if question is None or question.kind != HealthQuestionKind.COMMENT:
            errors[f"q{question_id}"] = _("This is not a comment question of this survey.")
        elif len(text) > COMMENT_MAX_LENGTH:
            errors[f"q{question_id}"] = _("Keep a comment under 4,000 characters.")
    return errors


@transaction.atomic
def response_submit(*, organization: Organization, member: Membership, survey: Survey,
                    answers: dict[int, int], comments: dict[int, str] | None = None,
                    today: date | None = None) -> None:
    """Record one member's answers, once.

    ``answers`` maps survey question ids to values (unanswered questions left out), ``comments``
    comment question ids to text. The participation is locked first, so two submissions of the
    same member cannot both pass. The response keeps the member's team and tenure band only.
    """
    comments = {k: v.strip() for k, v in (comments or {}).items() if v and v.strip()}
    participation = (SurveyParticipation.objects.for_org(organization).select_for_update()
                     .filter(survey=survey, member=member).first())
    if participation is None:
        raise ValidationError({"survey": _("You were not invited to this survey.")})
    if participation.has_responded:
        raise ValidationError({"survey": str(ALREADY_ANSWERED)})
    survey = Survey.objects.for_org(organization).get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError({"survey": _("This survey is not open for answers.")})
    questions = list(SurveyQuestion.objects.for_org(organization).filter(survey=survey))
    errors = answer_errors(questions=questions, answers=answers, comments=comments)
    if errors:
        raise ValidationError(errors)
    if not answers and not comments:
        raise ValidationError({"survey": _("Answer at least one question before sending.")})
    participation.has_responded = True
    participation.save(update_fields=["has_responded"])
    band = tenure_band(member.started_on, today or timezone.localdate())
    response = SurveyResponse.objects.for_org(organization).create(
        organization=organization, survey=survey, team_id=member.team_id, tenure_band=band)
    SurveyAnswer.objects.for_org(organization).bulk_create([
        SurveyAnswer(organization=organization, response=response, question_id=qid, value=value)
        for qid, value in sorted(answers.items())
    ])
    SurveyComment.objects.for_org(organization).bulk_create([
        SurveyComment(organization=organization, survey=survey, question_id=qid,
                      team_id=member.team_id, tenure_band=band, text=text)
        for qid, text in sorted(comments.items())
    ])
    Survey.objects.for_org(organization).filter(pk=survey.pk).update(
        response_count=F("response_count") + 1)


# --- Invitations and reminders ------------------------------------------------------------------


def invitations_due(*, organization: Organization) -> list[int]:
    """Participations of open surveys not yet invited."""
    return list(SurveyParticipation.objects.for_org(organization)
                .filter(survey__status=SurveyStatus.OPEN, invited_at__isnull=True,
                        member__is_active=True)
                .order_by("pk").values_list("pk", flat=True))


def _reminder_due_q(now: datetime) -> Q:
    window = now - REMINDER_EVERY
    return (Q(survey__status=SurveyStatus.OPEN, survey__closes_at__gt=now, has_responded=False,
              invited_at__isnull=False, reminder_count__lt=MAX_REMINDERS,
              member__is_active=True)
            & (Q(reminded_at__isnull=True, invited_at__lte=window)
               | Q(reminded_at__lte=window)))


def reminders_due(*, organization: Organization, now: datetime | None = None) -> list[int]:
    """Participations of people who have not answered and are due a reminder: three days after
    the invitation or the last reminder, at most two per survey."""
    now = now or timezone.now()
    return list(SurveyParticipation.objects.for_org(organization).filter(_reminder_due_q(now))
                .order_by("pk").values_list("pk", flat=True))


def _locked_participation(organization: Organization, participation_id: int):
    return (SurveyParticipation.objects.for_org(organization).select_for_update(of=("self",))
            .select_related("survey", "member__user", "member__organization")
            .filter(pk=participation_id).first())


def invitation_claim(*, organization: Organization, participation_id: int,
                     now: datetime | None = None):
    """Lock a participation due an invitation and mark it invited (in the caller's
    transaction); ``None`` when it is not (or no longer) due."""
    now = now or timezone.now()
    participation = _locked_participation(organization, participation_id)
    if (participation is None or participation.invited_at is not None
            or participation.survey.status != SurveyStatus.OPEN
            or not participation.member.is_active):
        return None
    participation.invited_at = now
    participation.save(update_fields=["invited_at"])
    # Someone who answered before the invitations went out needs none.
    return None if participation.has_responded else participation


def reminder_claim(*, organization: Organization, participation_id: int,
                   now: datetime | None = None):
    """Lock a participation due a reminder and record it; ``None`` when not due (answered in
    the meantime, reminded by another worker, or at the limit)."""
    now = now or timezone.now()
    participation = _locked_participation(organization, participation_id)
    if participation is None:
        return None
    due = (SurveyParticipation.objects.for_org(organization)
           .filter(_reminder_due_q(now), pk=participation.pk).exists())
    if not due:
        return None
    participation.reminded_at = now
    participation.reminder_count += 1
    participation.save(update_fields=["reminded_at", "reminder_count"])
    return participation
