"""Who may do what with health-check surveys, and turning ids from a request into rows.

* HR admins keep the question set and create, launch and close surveys;
* leaders read the health-check home and participation (and results, elsewhere); a write is 403;
* any member answers a survey they were invited to while it is open;
* anyone else, and every id of another organisation, gets 404.

Nothing here, or anywhere, leads from a member to their answers: participation says only
whether someone answered.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations.models import Membership

from .models import HealthQuestion, Survey, SurveyMode, SurveyParticipation


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def reads_health(membership: Membership) -> bool:
    """HR admins and leaders read the health check of the whole organisation."""
    return bool(membership.is_hr_admin or membership.is_leader)


def manages_health(membership: Membership) -> bool:
    return bool(membership.is_hr_admin)


def require_reader(membership: Membership) -> None:
    """HR admins and leaders; for anyone else the page does not exist."""
    if not reads_health(membership):
        raise Http404


def require_manager(membership: Membership) -> None:
    """HR admins; a leader (who can see the page exists) is refused, anyone else 404."""
    require_reader(membership)
    if not manages_health(membership):
        raise PermissionDenied


def access_survey_by_id(*, membership: Membership, survey_id) -> Survey:
    """A survey of the organisation, for HR admins and leaders; 404 for anyone else and for an
    absent, foreign or malformed id."""
    survey_id = _as_id(survey_id)
    if not reads_health(membership):
        raise Http404
    survey = (Survey.objects.for_org(membership.organization_id)
              .filter(pk=survey_id, mode=SurveyMode.SURVEY)
              .select_related("previous", "created_by__user").first())
    if survey is None:
        raise Http404
    return survey


def access_participation(*, membership: Membership, survey_id) -> SurveyParticipation:
    """The caller's own invitation to a survey (with the survey); 404 when they were not
    invited, or for a foreign or malformed id."""
    survey_id = _as_id(survey_id)
    participation = (SurveyParticipation.objects.for_org(membership.organization_id)
                     .select_related("survey")
                     .filter(survey_id=survey_id, member=membership,
                             survey__mode=SurveyMode.SURVEY).first())
    if participation is None:
        raise Http404
    return participation


def access_question_by_id(*, membership: Membership, health_question_id) -> HealthQuestion:
    """A question of the organisation's set, for HR admins (403 for a leader, 404 otherwise)."""
    question_id = _as_id(health_question_id)
    require_reader(membership)
    question = (HealthQuestion.objects.for_org(membership.organization_id)
                .filter(pk=question_id).first())
    if question is None:
        raise Http404
    if not manages_health(membership):
        raise PermissionDenied
    return question
