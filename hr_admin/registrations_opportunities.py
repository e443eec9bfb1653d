"""What internal opportunities add to other apps' pages and to the career record.

* the member's home, "Opportunities that match you": the open opportunities they match best
  from their validated skills (not ones they posted or already expressed interest in);
* the career record: the opportunities the member saved and those they expressed interest in,
  with their message, their match at the time and their manager's approval.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.panels import Panel, register_home_panel
from organizations.personal_data import PersonalDataSection, register_personal_data

#: How many opportunities the home panel shows.
HOME_PANEL_ROWS = 3


def home_panel(request) -> dict | None:
    """Five queries, whatever the number of opportunities and skills."""
    from .selectors import opportunities as selectors

    org, member = request.organization, request.membership
    return {
        "items": selectors.best_matches(organization=org, member=member, limit=HOME_PANEL_ROWS),
        "open_count": selectors.open_count(organization=org),
    }


def collect_opportunities(*, organization, member) -> dict:
    from .selectors.opportunities import opportunity_record

    return opportunity_record(organization=organization, member=member)


def register() -> None:
    register_home_panel(Panel(key="hr-opportunities",
                              template="hr_admin/opportunities/_home_panel.html",
                              context=home_panel, column="main", order=60,
                              stylesheets=("css/hr-opportunities.css",)))
    register_personal_data(PersonalDataSection(
        key="opportunities", title=_("Internal opportunities"), collect=collect_opportunities,
        template="hr_admin/opportunities/_record.html", order=80,
        fields=(
            "hr_admin.OpportunityBookmark.member", "hr_admin.OpportunityBookmark.opportunity",
            "hr_admin.OpportunityBookmark.created_at",
            "hr_admin.OpportunityInterest.member", "hr_admin.OpportunityInterest.opportunity",
            "hr_admin.OpportunityInterest.message", "hr_admin.OpportunityInterest.status",
            "hr_admin.OpportunityInterest.approval", "hr_admin.OpportunityInterest.approval_by",
            "hr_admin.OpportunityInterest.approval_at",
            "hr_admin.OpportunityInterest.approval_note",
            "hr_admin.OpportunityInterest.match_score",
            "hr_admin.OpportunityInterest.created_at", "hr_admin.OpportunityInterest.updated_at",
        )))
