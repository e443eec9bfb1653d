"""The quick self-assessment: one person's view of the organisation's career-development culture.

Two ways in, one questionnaire (the shipped questions of ``health_content``) and one scoring
(``health_content.quick_scores``):

* inside an organisation, an HR admin or a leader fills it in alone; it is kept as a Survey in
  QUICK mode, closed at once, with its one response (no member on the response; the survey
  records who created it, since it is their own assessment of the organisation);
* on the front page, anyone fills it in without an account; it is kept as a
  ``PublicHealthCheck`` found by a random token held only in the visitor's session (the row keeps
  its hash). When that visitor creates an organisation, the check becomes the new
  organisation's first quick self-assessment. Unclaimed checks are deleted after
  ``PUBLIC_CHECK_DAYS`` days (``manage.py health_public_purge``).

Access: the organisation's quick assessments are for HR admins and leaders; for anyone else
they do not exist (404), and another organisation's survey id is 404 like an absent one.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conversations.services.feedback import require_active_member
from organizations import tenancy
from organizations.models import Membership, Organization
from organizations.services import audit

from .. import health_content as content
from ..models import (
    PublicHealthCheck,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyMode,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

#: The session key holding the raw token of the visitor's unclaimed public check.
SESSION_KEY = "health_public_token"
PUBLIC_CHECK_DAYS = 30
COMMENT_MAX_LENGTH = 4000

LIKERT_LABELS = {
    1: gettext_lazy("Strongly disagree"),
    2: gettext_lazy("Disagree"),
    3: gettext_lazy("Neither agree nor disagree"),
    4: gettext_lazy("Agree"),
    5: gettext_lazy("Strongly agree"),
}
ENPS_LOW = gettext_lazy("Not at all likely")
ENPS_HIGH = gettext_lazy("Extremely likely")

LIKERT_KEYS = [key for key, _d, kind, _t in content.QUESTIONS if kind == "likert"]
ENPS_KEY = next(key for key, _d, kind, _t in content.QUESTIONS if kind == "enps")
COMMENT_KEY = next(key for key, _d, kind, _t in content.QUESTIONS if kind == "comment")


# --- Access -------------------------------------------------------------------------------------


def assesses_health(membership: Membership) -> bool:
    """HR admins and leaders take and read quick self-assessments and run the action plan."""
    return bool(membership.is_hr_admin or membership.is_leader)


def require_health_lead(membership: Membership) -> None:
    """HR admins and leaders only; for anyone else the page does not exist (``Http404``)."""
    if not assesses_health(membership):
        raise Http404


def access_quick_survey_by_id(*, membership: Membership, survey_id) -> Survey:
    """A quick self-assessment of the caller's organisation, for HR admins and leaders.

    Absent, another organisation's, an organisation-wide survey (its answers are never shown
    one by one) or a caller who is neither HR nor a leader: all ``Http404``."""
    require_health_lead(membership)
    try:
        pk = int(survey_id)
    except (TypeError, ValueError):
        raise Http404 from None
    survey = (Survey.objects.for_org(membership.organization_id)
              .filter(pk=pk, mode=SurveyMode.QUICK).select_related("created_by__user").first())
    if survey is None:
        raise Http404
    return survey


# --- The questionnaire --------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    dimension: str
    kind: str
    text: str


@dataclass(frozen=True)
class DimensionQuestions:
    dimension: content.Dimension
    questions: list[Question]


def questionnaire() -> dict:
    """The shipped questions in the reader's language: Likert ones by dimension, then the
    career eNPS question and the comment."""
    by_dimension: dict[str, list[Question]] = {}
    enps = comment = None
    for key, dimension, kind, text in content.QUESTIONS:
        question = Question(key, dimension, kind, str(text))
        if kind == "likert":
            by_dimension.setdefault(dimension, []).append(question)
        elif kind == "enps":
            enps = question
        else:
            comment = question
    return {
        "groups": [DimensionQuestions(d, by_dimension[d.key]) for d in content.DIMENSIONS
                   if d.key in by_dimension],
        "enps": enps,
        "comment": comment,
    }


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def answers_clean(data: dict) -> dict:
    """The answers in ``data`` (question key → value) checked: every Likert question 1 to 5,
    the career eNPS 0 to 10, the comment optional. Returns ``{key: int, "comment": str}``;
    raises ``ValidationError`` naming every question that is missing or out of range."""
    errors: dict[str, str] = {}
    answers: dict = {}
    for key in LIKERT_KEYS:
        value = _as_int(data.get(key))
        if value is None:
            errors[key] = _("Choose how far you agree, from 1 to 5.")
        elif value not in content.LIKERT:
            errors[key] = _("Answer with a number from 1 to 5.")
        else:
            answers[key] = value
    value = _as_int(data.get(ENPS_KEY))
    if value is None:
        errors[ENPS_KEY] = _("Choose a number from 0 to 10.")
    elif value not in content.ENPS:
        errors[ENPS_KEY] = _("Answer with a number from 0 to 10.")
    else:
        answers[ENPS_KEY] = value
    comment = str(data.get(COMMENT_KEY) or "").replace("\r\n", "\n").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors[COMMENT_KEY] = _("Keep this under %(limit)s characters (it has %(count)s).") % {
            "limit": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(comment):,}"}
    if errors:
        raise ValidationError(errors)
    if comment:
        answers[COMMENT_KEY] = comment
    return answers


# --- Results ------------------------------------------------------------------------------------


@dataclass
class DimensionResult:
    dimension: content.Dimension
    score: float | None
    is_weak: bool
    strategies: list[content.Strategy]

    @property
    def key(self) -> str:
        return self.dimension.key


def result(answers: dict) -> dict:
    """``quick_scores`` of ``answers``, laid out for pages and the API: the index (0-100), the
    career eNPS, every dimension in the shipped order with its score, the strongest and weakest
    dimensions and the strategies for each weak one."""
    scores = content.quick_scores({k: v for k, v in answers.items() if k != COMMENT_KEY})
    dimensions = [
        DimensionResult(d, scores["dimensions"].get(d.key), d.key in scores["weak"],
                        content.STRATEGIES_BY_DIMENSION.get(d.key, [])
                        if d.key in scores["weak"] else [])
        for d in content.DIMENSIONS
    ]
    by_key = {d.key: d for d in dimensions}
    return {
        "index": scores["index"],
        "enps": scores["enps"],
        "dimensions": dimensions,
        "strongest": [by_key[k] for k in scores["strongest"]],
        "weakest": [by_key[k] for k in scores["weakest"]],
        "weak": [by_key[k] for k in scores["weak"]],
        "comment": answers.get(COMMENT_KEY, ""),
        "weak_below": content.WEAK_BELOW,
    }


# --- Quick self-assessments of an organisation --------------------------------------------------


def _default_title() -> str:
    return _("Quick self-assessment, %(date)s") % {
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT")}


def _store(*, organization: Organization, created_by: Membership | None, answers: dict,
           language: str | None = None) -> Survey:
    """A closed QUICK survey with the shipped questions and one response holding ``answers``.
    Questions are stored in ``language`` (the one the answers were given in)."""
    now = timezone.now()
    with tenancy.organization_scope(organization):
        survey = Survey(organization=organization, mode=SurveyMode.QUICK,
                        status=SurveyStatus.CLOSED, title=_default_title()[:200],
                        invited_count=1, response_count=1, created_by=created_by,
                        launched_at=now, closed_at=now)
        survey.full_clean()
        survey.save()
        questions = []
        with translation.override(language or translation.get_language()):
            for position, (key, dimension, kind, text) in enumerate(content.QUESTIONS):
                questions.append(SurveyQuestion(organization=organization, survey=survey,
                                                key=key, dimension=dimension, kind=kind,
                                                text=str(text)[:300], position=position))
        SurveyQuestion.objects.for_org(organization).bulk_create(questions)
        response = SurveyResponse.objects.for_org(organization).create(
            organization=organization, survey=survey)
        SurveyAnswer.objects.for_org(organization).bulk_create([
            SurveyAnswer(organization=organization, response=response, question=q,
                         value=answers[q.key])
            for q in questions if q.kind != "comment" and q.key in answers])
        comment = answers.get(COMMENT_KEY)
        if comment:
            question = next(q for q in questions if q.kind == "comment")
            SurveyComment.objects.for_org(organization).create(
                organization=organization, survey=survey, question=question, text=comment)
    return survey


@transaction.atomic
def quick_assessment_create(*, organization: Organization, actor: Membership,
                            answers: dict) -> Survey:
    """Keep an HR admin's or a leader's quick self-assessment of their organisation."""
    require_active_member(organization, actor)
    if not assesses_health(actor):
        raise PermissionDenied(_("Only HR admins and leaders take the quick self-assessment."))
    clean = answers_clean(answers)
    survey = _store(organization=organization, created_by=actor, answers=clean)
    audit(organization=organization, actor=actor, action="hr.health_quick_taken",
          survey_id=survey.pk)
    return survey


def quick_answers(*, organization: Organization, survey: Survey) -> dict:
    """The stored answers of a quick survey (question key → value, and the comment)."""
    answers = dict(SurveyAnswer.objects.for_org(organization)
                   .filter(response__survey=survey).values_list("question__key", "value"))
    comment = (SurveyComment.objects.for_org(organization).filter(survey=survey)
               .values_list("text", flat=True).first())
    if comment:
        answers[COMMENT_KEY] = comment
    return answers


def quick_history(*, organization: Organization, limit: int = 12) -> list[dict]:
    """The organisation's quick self-assessments, newest first, each with its index and eNPS:
    two queries whatever their number."""
    surveys = list(Survey.objects.for_org(organization).filter(mode=SurveyMode.QUICK)
                   .select_related("created_by__user").order_by("-created_at", "-pk")[:limit])
    values: dict[int, dict] = {s.pk: {} for s in surveys}
    rows = (SurveyAnswer.objects.for_org(organization)
            .filter(response__survey_id__in=list(values))
            .values_list("response__survey_id", "question__key", "value"))
    for survey_id, key, value in rows:
        values[survey_id][key] = value
    history = []
    for survey in surveys:
        scores = content.quick_scores(values[survey.pk])
        history.append({"survey": survey, "index": scores["index"], "enps": scores["enps"]})
    return history


# --- Public checks ------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def public_check_submit(*, answers: dict, language: str) -> tuple[PublicHealthCheck, str]:
    """Keep a visitor's answers; returns the row and the raw token (for their session only)."""
    clean = answers_clean(answers)
    token = secrets.token_urlsafe(32)
    check = PublicHealthCheck(token_hash=_hash(token), language=(language or "en")[:8],
                              answers=clean)
    check.save()
    return check, token


def public_check_for_token(token: str | None) -> PublicHealthCheck | None:
    """The unclaimed, unexpired check of ``token``, or ``None``."""
    if not token:
        return None
    oldest = timezone.now() - timedelta(days=PUBLIC_CHECK_DAYS)
    return (PublicHealthCheck.objects.filter(token_hash=_hash(str(token)), claimed_at__isnull=True,
                                             created_at__gte=oldest).first())


@transaction.atomic
def public_check_claim(*, token: str, organization: Organization,
                       founder: Membership) -> Survey | None:
    """Make the visitor's public check the new organisation's first quick self-assessment.
    Does nothing (``None``) for an unknown, expired or already claimed token."""
    if not token:
        return None
    check = (PublicHealthCheck.objects.select_for_update()
             .filter(token_hash=_hash(str(token)), claimed_at__isnull=True,
                     created_at__gte=timezone.now() - timedelta(days=PUBLIC_CHECK_DAYS))
             .first())
    if check is None:
        return None
    try:
        answers = answers_clean(check.answers)
    except ValidationError:
        return None
    survey = _store(organization=organization, created_by=founder, answers=answers,
                    language=check.language)
    check.claimed_at = timezone.now()
    check.claimed_by = survey
    check.save(update_fields=["claimed_at", "claimed_by"])
    with tenancy.organization_scope(organization):
        audit(organization=organization, actor=founder, action="hr.health_quick_claimed",
              survey_id=survey.pk)
    return survey


def claim_on_organization_created(sender, organization, membership, request=None,
                                  **kwargs) -> None:
    """Receiver of ``organizations.signals.organization_created``: the founder's pending public
    check, if their session holds one, becomes the organisation's first quick assessment."""
    session = getattr(request, "session", None)
    if session is None:
        return
    token = session.get(SESSION_KEY)
    if not token:
        return
    survey = public_check_claim(token=token, organization=organization, founder=membership)
    session.pop(SESSION_KEY, None)
    if survey is not None:
        from django.contrib import messages

        messages.info(request, _("Your health-check answers are kept: see them under "
                                 "Culture health check → Quick self-assessment."))


def public_checks_purge(*, days: int = PUBLIC_CHECK_DAYS) -> int:
    """Delete the unclaimed public checks older than ``days`` days; returns how many."""
    oldest = timezone.now() - timedelta(days=days)
    deleted, _detail = (PublicHealthCheck.objects
                        .filter(claimed_at__isnull=True, created_at__lt=oldest).delete())
    return deleted
