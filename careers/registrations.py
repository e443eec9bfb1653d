"""What the careers app adds to other apps' pages and to the member's career record.

* the member's home: a "My career" panel (reflection progress, goals, plan, what is shared);
* a member's profile: for their line manager, a link to what they share; for HR, completion only;
* the career record: every reflection with its answers and shares, and the plan section.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.panels import Panel, register_home_panel, register_profile_panel
from organizations.personal_data import PersonalDataSection, iso, register_personal_data

from .models import Reflection, ReflectionShare


def home_panel(request) -> dict | None:
    from .selectors.plan import plan_summary
    from .selectors.reflections import reflection_summary

    org, membership = request.organization, request.membership
    return {
        "reflection": reflection_summary(organization=org, member=membership),
        "plan": plan_summary(organization=org, member=membership),
    }


def profile_panel(request, member) -> dict | None:
    """Nothing of a member's career text appears on their profile: their line manager gets a
    link to what is shared, HR how far the latest reflection has got (counts only)."""
    from .selectors.reflections import reflection_list

    viewer = request.membership
    org = request.organization
    if member.pk == viewer.pk:
        return {"mode": "self", "member": member}
    if member.manager_id == viewer.pk and member.is_active:
        shared = ReflectionShare.objects.for_org(org).filter(reflection__member=member).count()
        return {"mode": "manager", "member": member, "shared_areas": shared}
    if viewer.is_hr_admin:
        latest = reflection_list(organization=org, member=member).first()
        return {"mode": "hr", "member": member, "latest": latest}
    return None


def collect_reflections(*, organization, member) -> list:
    from .selectors.reflections import reflection_details

    reflections = list(Reflection.objects.for_org(organization).filter(member=member)
                       .select_related("template").order_by("created_at", "pk"))
    result = []
    for view in reflection_details(organization=organization, reflections=reflections):
        reflection = view.reflection
        result.append({
            "title": reflection.title,
            "created_at": iso(reflection.created_at),
            "updated_at": iso(reflection.updated_at),
            "template_version": reflection.template.version,
            "areas": [{
                "key": a.area.key,
                "title": a.area.shown_title,
                "shared_with_manager_since": iso(a.shared_at),
                "answers": [{"question": p.prompt.shown_text, "answer": p.text,
                             "updated_at": iso(p.updated_at)} for p in a.prompts if p.answered],
            } for a in view.areas],
        })
    return result


def collect_plan(*, organization, member) -> dict:
    from .selectors.plan import plan_record

    return plan_record(organization=organization, member=member)


def register() -> None:
    register_home_panel(Panel(key="careers", template="careers/home/_panel.html",
                              context=home_panel, column="main", order=10,
                              stylesheets=("css/careers.css",)))
    register_profile_panel(Panel(key="careers", template="careers/home/_profile_panel.html",
                                 context=profile_panel, column="main", order=10,
                                 stylesheets=("css/careers.css",)))
    register_personal_data(PersonalDataSection(
        key="reflections", title=_("Reflections"), collect=collect_reflections,
        template="careers/record/_reflections.html", order=30,
        fields=(
            "careers.Reflection.member", "careers.Reflection.template",
            "careers.Reflection.title", "careers.Reflection.created_at",
            "careers.Reflection.updated_at",
            "careers.ReflectionAnswer.reflection", "careers.ReflectionAnswer.prompt",
            "careers.ReflectionAnswer.text", "careers.ReflectionAnswer.updated_at",
            "careers.ReflectionShare.reflection", "careers.ReflectionShare.area",
            "careers.ReflectionShare.shared_at",
        )))
    register_personal_data(PersonalDataSection(
        key="career_plan", title=_("Goals, options and development plan"),
        collect=collect_plan, template="careers/record/_plan.html", order=40,
        fields=(
            "careers.CareerGoal.member", "careers.CareerGoal.target_role",
            "careers.CareerGoal.title", "careers.CareerGoal.horizon",
            "careers.CareerGoal.motivation", "careers.CareerGoal.status",
            "careers.CareerGoal.shared_with_manager", "careers.CareerGoal.created_at",
            "careers.CareerGoal.updated_at",
            "careers.CareerOption.member", "careers.CareerOption.title",
            "careers.CareerOption.description", "careers.CareerOption.pros",
            "careers.CareerOption.cons", "careers.CareerOption.decision",
            "careers.CareerOption.decision_note", "careers.CareerOption.shared_with_manager",
            "careers.CareerOption.created_at",
            "careers.OptionCriterion.member", "careers.OptionCriterion.name",
            "careers.OptionCriterion.weight", "careers.OptionCriterion.position",
            "careers.OptionRating.option", "careers.OptionRating.criterion",
            "careers.OptionRating.score",
            "careers.DevelopmentAction.member", "careers.DevelopmentAction.title",
            "careers.DevelopmentAction.kind", "careers.DevelopmentAction.skill",
            "careers.DevelopmentAction.resource", "careers.DevelopmentAction.due_date",
            "careers.DevelopmentAction.hours", "careers.DevelopmentAction.status",
            "careers.DevelopmentAction.evidence", "careers.DevelopmentAction.completed_at",
            "careers.DevelopmentAction.shared_with_manager",
            "careers.DevelopmentAction.created_at",
        )))
