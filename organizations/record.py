"""The organisations app's section of a member's career record: who they are here."""

from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .personal_data import PersonalDataSection, iso, register_personal_data


def collect_profile(*, organization, member) -> dict:
    user = member.user
    manager = member.manager
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "job_title": member.job_title,
        "team": member.team.name if member.team_id else None,
        "manager": manager.display_name if manager else None,
        "hr_admin": member.is_hr_admin,
        "leader": member.is_leader,
        "active": member.is_active,
        "start_date": iso(member.started_on),
        "member_since": iso(member.created_at),
        "api_tokens": [
            {"name": t.name, "created_at": iso(t.created_at), "last_used_at": iso(t.last_used_at),
             "revoked_at": iso(t.revoked_at)}
            for t in user.api_tokens.order_by("created_at")
        ],
        # Who has looked at or changed this member's data: theirs to know.
        "views_of_my_data": [
            {"when": iso(e.created_at), "action": e.action,
             "by": e.actor.display_name if e.actor_id else None}
            for e in AuditEvent.objects.for_org(organization).filter(subject=member)
            .select_related("actor__user").order_by("-created_at")[:500]
        ],
    }


def register() -> None:
    register_personal_data(PersonalDataSection(
        key="profile", title=_("Profile"), collect=collect_profile,
        template="organizations/record/_profile.html", order=0))
