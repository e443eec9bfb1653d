"""What succession planning adds to shared pages.

A member's profile, "Succession" panel: for HR admins and leaders, the key positions the member
holds and the positions they are nominated for (with readiness); for a manager above the member
in the reporting line, only the nominations that manager wrote, and a link to nominate. Never
shown to the member themselves, whatever their role, nor to anyone else. A planner's read is
audit-logged.

The career record holds the nominations the member wrote (their own words), never those about
them: nominations are not shown to the person nominated (DESIGN.md's privacy matrix).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.access import is_in_reporting_line
from organizations.panels import Panel, register_profile_panel
from organizations.personal_data import PersonalDataSection, iso, register_personal_data
from organizations.services import audit

PANEL_ROWS = 10


def succession_profile_panel(request, member) -> dict | None:
    from .access_succession import plans_succession
    from .selectors import succession as selectors

    viewer, org = request.membership, request.organization
    if viewer.pk == member.pk:
        return None
    plans = plans_succession(viewer)
    if not plans and not is_in_reporting_line(manager=viewer, member=member):
        return None
    nominations = list(selectors.visible_nominations(organization=org, viewer=viewer)
                       .filter(candidate=member).order_by("readiness", "-created_at")
                       [:PANEL_ROWS])
    held = list(selectors.positions_held(organization=org, member=member)
                .select_related("role", "team")[:PANEL_ROWS]) if plans else []
    if plans and (nominations or held):
        audit(organization=org, actor=viewer, action="hr.succession_viewed", subject=member,
              via="profile")
    return {
        "member": member,
        "nominations": nominations,
        "held": held,
        "plans": plans,
        "can_nominate": member.is_active,
    }


def collect_nominations_made(*, organization, member) -> dict:
    from .models import Readiness
    from .selectors.succession import nominations_made

    labels = dict(Readiness.choices)
    return {"made": [
        {"candidate": n.candidate.display_name, "position": str(n.position),
         "readiness": n.readiness, "readiness_label": str(labels.get(n.readiness, n.readiness)),
         "notes": n.notes, "created_at": iso(n.created_at), "updated_at": iso(n.updated_at)}
        for n in nominations_made(organization=organization, nominator=member)]}


def register() -> None:
    register_profile_panel(Panel(key="hr-succession",
                                 template="hr_admin/succession/_profile_panel.html",
                                 context=succession_profile_panel, column="main", order=45,
                                 stylesheets=("css/hr-succession.css",)))
    register_personal_data(PersonalDataSection(
        key="successor_nominations", title=_("Successors I nominated"),
        collect=collect_nominations_made, template="hr_admin/succession/_record.html",
        order=85,
        fields=(
            "hr_admin.SuccessorNomination.nominated_by",
            "hr_admin.SuccessorNomination.candidate", "hr_admin.SuccessorNomination.position",
            "hr_admin.SuccessorNomination.readiness", "hr_admin.SuccessorNomination.notes",
            "hr_admin.SuccessorNomination.created_at",
            "hr_admin.SuccessorNomination.updated_at",
        )))
