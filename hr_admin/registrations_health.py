"""What the health check adds to shared pages: on the member's home, "A health-check survey is
waiting for your answers" while they are invited to an open survey they have not answered."""

from __future__ import annotations

from organizations.panels import Panel, register_home_panel

PANEL_ROWS = 3


def health_survey_home_panel(request) -> dict | None:
    from .selectors.health_surveys import pending_surveys

    surveys = list(pending_surveys(organization=request.organization,
                                   member=request.membership)[:PANEL_ROWS])
    if not surveys:
        return None
    return {"surveys": surveys, "organization": request.organization}


def register() -> None:
    register_home_panel(Panel(key="hr-health-survey",
                              template="hr_admin/health/surveys/_home_panel.html",
                              context=health_survey_home_panel, column="main", order=15,
                              stylesheets=("css/hr-health.css",)))
