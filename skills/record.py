"""The skills app's section of a member's career record: ratings, role and check-ins."""

from django.utils.translation import gettext_lazy as _

from organizations.personal_data import PersonalDataSection, iso, register_personal_data

from .models import CheckIn, CheckInItem, EmergingSkillNotice, MemberRole, RatingChange, SkillRating


def collect_skills(*, organization, member) -> dict:
    """Names of skills and roles are in the reader's language where the organisation gave one."""
    role = (MemberRole.objects.for_org(organization).filter(member=member)
            .select_related("role").first())
    changes: dict[int, list] = {}
    for change in (RatingChange.objects.for_org(organization)
                   .filter(item__check_in__member=member)
                   .select_related("changed_by__user").order_by("changed_at", "pk")):
        changes.setdefault(change.item_id, []).append({
            "rating": change.field, "from_level": change.from_level,
            "to_level": change.to_level, "at": iso(change.changed_at),
            "by": change.changed_by.display_name if change.changed_by_id else None,
        })
    items: dict[int, list] = {}
    for item in (CheckInItem.objects.for_org(organization).filter(check_in__member=member)
                 .select_related("skill").order_by("skill_name", "pk")):
        items.setdefault(item.check_in_id, []).append({
            "skill": item.shown_skill_name, "required_level": item.required_level,
            "importance": item.importance, "self_level": item.self_level,
            "manager_level": item.manager_level, "comment": item.comment,
            "changes": changes.get(item.pk, []),
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
             "validated_by": c.validated_by.display_name if c.validated_by_id else None,
             "manager_comment": c.manager_comment, "items": items.get(c.pk, [])}
            for c in CheckIn.objects.for_org(organization).filter(member=member)
            .select_related("role", "validated_by__user").order_by("-created_at")
        ],
        "emerging_skill_notices": [
            {"skill": n.skill.shown_name, "created_at": iso(n.created_at),
             "emailed_at": iso(n.emailed_at), "read_at": iso(n.read_at)}
            for n in EmergingSkillNotice.objects.for_org(organization).filter(member=member)
            .select_related("skill").order_by("created_at", "pk")
        ],
    }


def register() -> None:
    register_personal_data(PersonalDataSection(
        key="skills", title=_("Skills"), collect=collect_skills,
        template="skills/record/_skills.html", order=20,
        fields=(
            "skills.MemberRole.member", "skills.MemberRole.role", "skills.MemberRole.since",
            "skills.SkillRating.member", "skills.SkillRating.skill",
            "skills.SkillRating.self_level", "skills.SkillRating.validated_level",
            "skills.SkillRating.updated_at",
            "skills.CheckIn.member", "skills.CheckIn.role", "skills.CheckIn.status",
            "skills.CheckIn.created_at", "skills.CheckIn.submitted_at",
            "skills.CheckIn.validated_at", "skills.CheckIn.validated_by",
            "skills.CheckIn.manager_comment",
            "skills.CheckInItem.check_in", "skills.CheckInItem.skill",
            "skills.CheckInItem.required_level", "skills.CheckInItem.importance",
            "skills.CheckInItem.self_level", "skills.CheckInItem.manager_level",
            "skills.CheckInItem.comment",
            "skills.RatingChange.item", "skills.RatingChange.field",
            "skills.RatingChange.changed_by", "skills.RatingChange.from_level",
            "skills.RatingChange.to_level", "skills.RatingChange.changed_at",
            "skills.EmergingSkillNotice.member", "skills.EmergingSkillNotice.skill",
            "skills.EmergingSkillNotice.created_at", "skills.EmergingSkillNotice.emailed_at",
            "skills.EmergingSkillNotice.read_at",
        )))
