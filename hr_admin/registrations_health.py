"""What the health check adds to shared pages and to the career record.

* the member's home: "A health-check survey is waiting for your answers" while they are invited
  to an open survey they have not answered;
* the career record: the surveys they were invited to, when they were reminded and whether they
  answered. Their answers are not there: nothing links answers to the person who gave them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.panels import Panel, register_home_panel
from organizations.personal_data import PersonalDataSection, iso, register_personal_data

PANEL_ROWS = 3


def health_survey_home_panel(request) -> dict | None:
    from .selectors.health_surveys import pending_surveys

    surveys = list(pending_surveys(organization=request.organization,
                                   member=request.membership)[:PANEL_ROWS])
    if not surveys:
        return None
    return {"surveys": surveys, "organization": request.organization}


def collect_participation(*, organization, member) -> dict:
    from .models import SurveyParticipation

    return {"surveys": [
        {"survey": p.survey.title, "invited_at": iso(p.invited_at),
         "reminded_at": iso(p.reminded_at), "reminders": p.reminder_count,
         "answered": p.has_responded}
        for p in (SurveyParticipation.objects.for_org(organization).filter(member=member)
                  .select_related("survey").order_by("invited_at", "pk"))]}


def register() -> None:
    register_home_panel(Panel(key="hr-health-survey",
                              template="hr_admin/health/surveys/_home_panel.html",
                              context=health_survey_home_panel, column="main", order=15,
                              stylesheets=("css/hr-health.css",)))
    register_personal_data(PersonalDataSection(
        key="health_check", title=_("Health-check surveys"), collect=collect_participation,
        template="hr_admin/health/surveys/_record.html", order=92,
        fields=(
            "hr_admin.SurveyParticipation.member", "hr_admin.SurveyParticipation.survey",
            "hr_admin.SurveyParticipation.has_responded",
            "hr_admin.SurveyParticipation.invited_at",
            "hr_admin.SurveyParticipation.reminded_at",
            "hr_admin.SurveyParticipation.reminder_count",
        )))
