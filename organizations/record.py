"""The organisations app's section of a member's career record: who they are here."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, Invitation
from .personal_data import PersonalDataSection, iso, register_personal_data


def collect_profile(*, organization, member) -> dict:
    user = member.user
    manager = member.manager
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "job_title": member.job_title,
        "team": member.team.name if member.team_id else None,
        "manager": manager.display_name if manager else None,
        "hr_admin": member.is_hr_admin,
        "leader": member.is_leader,
        "active": member.is_active,
        "start_date": iso(member.started_on),
        "member_since": iso(member.created_at),
        "account": {
            "created_at": iso(user.date_joined),
            "last_sign_in": iso(user.last_login),
            "active": user.is_active,
            "operator": user.is_staff,
            "superuser": user.is_superuser,
        },
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": iso(t.created_at),
             "last_used_at": iso(t.last_used_at), "revoked_at": iso(t.revoked_at)}
            for t in user.api_tokens.order_by("created_at")
        ],
        # The invitations to their address, or that they accepted, with what each proposed.
        "invitations": [
            {"email": i.email, "first_name": i.first_name, "last_name": i.last_name,
             "job_title": i.job_title, "team": i.team.name if i.team_id else None,
             "manager": i.manager.display_name if i.manager_id else None,
             "hr_admin": i.is_hr_admin, "leader": i.is_leader,
             "invited_by": i.invited_by.display_name if i.invited_by_id else None,
             "created_at": iso(i.created_at), "sent_at": iso(i.sent_at),
             "expires_at": iso(i.expires_at), "accepted_at": iso(i.accepted_at),
             "accepted_by_me": i.accepted_by_id == user.pk, "revoked_at": iso(i.revoked_at)}
            for i in Invitation.objects.for_org(organization)
            .filter(Q(email__iexact=user.email) | Q(accepted_by=user))
            .select_related("team", "manager__user", "invited_by__user").order_by("created_at")
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
        template="organizations/record/_profile.html", order=0,
        fields=(
            "organizations.User.email", "organizations.User.first_name",
            "organizations.User.last_name", "organizations.User.language",
            "organizations.User.time_zone", "organizations.User.date_joined",
            "organizations.User.last_login", "organizations.User.is_active",
            "organizations.User.is_staff", "organizations.User.is_superuser",
            "organizations.Membership.user", "organizations.Membership.job_title",
            "organizations.Membership.team", "organizations.Membership.manager",
            "organizations.Membership.is_hr_admin", "organizations.Membership.is_leader",
            "organizations.Membership.is_active", "organizations.Membership.started_on",
            "organizations.Membership.created_at",
            "organizations.ApiToken.user", "organizations.ApiToken.name",
            "organizations.ApiToken.prefix", "organizations.ApiToken.created_at",
            "organizations.ApiToken.last_used_at", "organizations.ApiToken.revoked_at",
            "organizations.Invitation.email", "organizations.Invitation.first_name",
            "organizations.Invitation.last_name", "organizations.Invitation.job_title",
            "organizations.Invitation.team", "organizations.Invitation.manager",
            "organizations.Invitation.is_hr_admin", "organizations.Invitation.is_leader",
            "organizations.Invitation.invited_by", "organizations.Invitation.created_at",
            "organizations.Invitation.sent_at", "organizations.Invitation.expires_at",
            "organizations.Invitation.accepted_at", "organizations.Invitation.accepted_by",
            "organizations.Invitation.revoked_at",
            "organizations.AuditEvent.subject", "organizations.AuditEvent.actor",
            "organizations.AuditEvent.action", "organizations.AuditEvent.created_at",
        )))
