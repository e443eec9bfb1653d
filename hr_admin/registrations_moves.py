"""What career moves add to shared pages and to the career record.

* a member's profile, "Career history" panel: each move with its date, kind and what it changed
  (and the opportunity, for one filled through an internal opportunity). Shown to the member
  themselves, to the managers above them in the reporting line, to HR admins and to leaders;
  not to anyone else who may open the profile (an employee looking at their own manager). A
  read by someone other than the member is audit-logged. HR can record or remove moves from it.
* the career record: every move of the member.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.panels import Panel, register_profile_panel
from organizations.personal_data import PersonalDataSection, register_personal_data
from organizations.services import audit

#: How many moves the panel shows; the rest are on the moves list (HR and leaders).
PANEL_ROWS = 12


def career_history_panel(request, member) -> dict | None:
    from .selectors import moves as selectors

    viewer, org = request.membership, request.organization
    if not selectors.can_read_moves_of(viewer=viewer, member=member):
        return None
    rows = list(selectors.member_moves(organization=org, member=member)[:PANEL_ROWS + 1])
    if rows and viewer.pk != member.pk:
        audit(organization=org, actor=viewer, action="hr.moves_viewed", subject=member,
              via="profile")
    return {
        "member": member,
        "moves": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "is_self": viewer.pk == member.pk,
        "can_record": viewer.is_hr_admin,
        "reads_all": selectors.reads_every_move(viewer),
    }


def collect_moves(*, organization, member) -> list[dict]:
    from .selectors.moves import moves_record

    return moves_record(organization=organization, member=member)


def register() -> None:
    register_profile_panel(Panel(key="hr-career-history",
                                 template="hr_admin/moves/_profile_panel.html",
                                 context=career_history_panel, column="main", order=20,
                                 stylesheets=("css/hr-succession.css",)))
    register_personal_data(PersonalDataSection(
        key="moves", title=_("Career moves"), collect=collect_moves,
        template="hr_admin/moves/_record.html", order=25,
        fields=(
            "hr_admin.Move.member", "hr_admin.Move.kind", "hr_admin.Move.effective_on",
            "hr_admin.Move.from_role", "hr_admin.Move.to_role", "hr_admin.Move.from_grade",
            "hr_admin.Move.to_grade", "hr_admin.Move.from_team", "hr_admin.Move.to_team",
            "hr_admin.Move.is_internal_fill", "hr_admin.Move.source",
            "hr_admin.Move.opportunity", "hr_admin.Move.recorded_by",
            "hr_admin.Move.created_at",
        )))
