"""What the quick self-assessment and the action plan add to shared pages and signals.

* the member's home: "Health-check actions you own", the open actions they own (one query),
  shown only to owners of an open action;
* ``organizations.signals.organization_created``: a founder's pending public check becomes the
  new organisation's first quick self-assessment.
"""

from __future__ import annotations

from organizations.panels import Panel, register_home_panel


def health_actions_home_panel(request) -> dict | None:
    from .services import health_actions as actions
    from .services.health_quick import assesses_health

    rows = actions.actions_owned(organization=request.organization, member=request.membership)
    if not rows:
        return None
    for action in rows:
        action.overdue = actions.is_overdue(action)
    return {"actions": rows, "leads": assesses_health(request.membership)}


def register() -> None:
    from organizations.signals import organization_created

    from .services.health_quick import claim_on_organization_created

    organization_created.connect(claim_on_organization_created,
                                 dispatch_uid="hr-admin-health-quick-claim")
    register_home_panel(Panel(key="hr-health-actions",
                              template="hr_admin/health/quick/_home_panel.html",
                              context=health_actions_home_panel, column="main", order=55,
                              stylesheets=("css/hr-health-quick.css",)))
