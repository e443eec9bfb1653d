"""The skills app's section of a member's career record: ratings, role and check-ins."""

from django.utils.translation import gettext_lazy as _

from organizations.personal_data import PersonalDataSection, iso, register_personal_data

from .models import CheckIn, CheckInItem, MemberRole, SkillRating


def collect_skills(*, organization, member) -> dict:
    """Names of skills and roles are in the reader's language where the organisation gave one."""
    role = (MemberRole.objects.for_org(organization).filter(member=member)
            .select_related("role").first())
    items: dict[int, list] = {}
    for item in (CheckInItem.objects.for_org(organization).filter(check_in__member=member)
                 .select_related("skill").order_by("skill_name", "pk")):
        items.setdefault(item.check_in_id, []).append({
            "skill": item.shown_skill_name, "required_level": item.required_level,
            "self_level": item.self_level, "manager_level": item.manager_level,
            "comment": item.comment,
        })
    return {
        "current_role": ({"title": role.role.shown_title, "since": iso(role.since)}
                         if role else None),
        "ratings": [
            {"skill": r.skill.shown_name, "self_level": r.self_level,
             "validated_level": r.validated_level, "updated_at": iso(r.updated_at)}
            for r in SkillRating.objects.for_org(organization).filter(member=member)
            .select_related("skill").order_by("skill__name")
        ],
        "check_ins": [
            {"role": c.shown_role_title, "status": c.status, "created_at": iso(c.created_at),
             "submitted_at": iso(c.submitted_at), "validated_at": iso(c.validated_at),
             "manager_comment": c.manager_comment, "items": items.get(c.pk, [])}
            for c in CheckIn.objects.for_org(organization).filter(member=member)
            .select_related("role").order_by("-created_at")
        ],
    }


def register() -> None:
    register_personal_data(PersonalDataSection(
        key="skills", title=_("Skills"), collect=collect_skills,
        template="skills/record/_skills.html", order=20))
