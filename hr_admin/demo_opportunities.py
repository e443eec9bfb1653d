"""Demo data for internal opportunities: a handful of acme openings of every kind, with required
skills from the example framework, and a few expressions of interest.

The demo employee (``employee@acme.test``) has asked to join a project, which waits for the
demo manager's approval, and saved another; colleagues have expressed interest in the role and a
gig, so the candidates and approvals pages have people to rank.

Idempotent: an opening is looked up by its title, an interest by its opening and member, and
only what is missing is created. Nothing random: the same people get the same rows on every
installation. Dates are relative to the day of seeding. Titles, descriptions, places and
messages are written in the active language (``seed_demo`` seeds each organisation under its
default language); role profiles and skills are looked up by their own (framework) names.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization, Team
from skills.models import RoleProfile, Skill

from .models import (
    InterestStatus,
    ManagerApproval,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)
from .selectors.opportunities import match_for, needs_manager_approval
from .services.opportunities import role_requirements

E, D = True, False  # essential, desirable

# title → what it is. ``poster`` is a demo sign-in ("hr", "manager"); ``skills`` are
# (skill name, minimum level, essential); a role without skills takes its profile's.
OPENINGS = (
    {"title": _("Senior Data Analyst, Customer Insights"), "kind": OpportunityKind.ROLE,
     "role": "Senior Data Analyst", "team": _("Data"), "poster": "hr", "closes_in": 21,
     "location": _("London office, hybrid"),
     "description": _("Join the analytics team to own the customer-health model with Customer "
                      "Success: define the metrics, build the dashboards the account managers "
                      "use every week, and coach two analysts.")},
    {"title": _("Incident review facilitator"), "kind": OpportunityKind.GIG, "team": _("Platform"),
     "poster": "manager", "time_share": 10, "weeks": 8, "closes_in": 10, "location": _("Remote"),
     "skills": (("Incident response", 3, E), ("Facilitation", 2, E),
                ("Written communication", 3, D)),
     "description": _("Run the blameless reviews after major incidents for a quarter: gather the "
                      "timeline, facilitate the session, write up what the teams will change.")},
    {"title": _("Customer churn dashboard"), "kind": OpportunityKind.PROJECT, "team": _("Data"),
     "poster": "hr", "time_share": 20, "weeks": 12, "closes_in": 14,
     "skills": (("Data analysis", 3, E), ("Data visualisation", 3, E), ("SQL", 2, E),
                ("Stakeholder management", 2, D)),
     "description": _("One day a week with Customer Success to find out why customers leave, and "
                      "a dashboard that warns account managers early.")},
    {"title": _("Observability rollout for Integrations"), "kind": OpportunityKind.PROJECT,
     "team": _("Product Engineering"), "poster": "hr", "time_share": 30, "weeks": 10,
     "closes_in": 18, "location": _("London office"),
     "skills": (("Observability", 3, E), ("Cloud infrastructure", 2, E), ("Programming", 3, D)),
     "description": _("Bring tracing and service-level objectives to the integrations services "
                      "with the platform team, and leave the runbooks behind.")},
    {"title": _("Mentor a new Sales Development Representative"), "kind": OpportunityKind.MENTORING,
     "team": _("EMEA"), "poster": "hr", "closes_in": 30,
     "skills": (("Coaching and mentoring", 3, E), ("Prospecting", 3, E),
                ("Giving and receiving feedback", 2, D)),
     "description": _("An hour a fortnight for six months with someone in their first sales "
                      "role: their first calls, their pipeline, their confidence.")},
    {"title": _("AI literacy lunch-and-learn co-host"), "kind": OpportunityKind.GIG,
     "team": _("People & Culture"), "poster": "hr", "time_share": 5, "weeks": 4,
     "closes_in": 7, "location": _("Any office"),
     "skills": (("AI literacy", 3, E), ("Presenting", 3, E)),
     "description": _("Co-host four lunchtime sessions on using AI tools well at work, with the "
                      "Learning & Development team.")},
    {"title": _("Engineering Manager, Payments"), "kind": OpportunityKind.ROLE,
     "role": "Engineering Manager", "team": _("Product Engineering"), "poster": "hr",
     "status": OpportunityStatus.DRAFT, "closes_in": 35,
     "description": _("Lead the new payments team of six engineers. Draft: waiting for the "
                      "budget to be confirmed.")},
)

# (opening title, member: a demo sign-in or a job title to take the first of, message,
# approval for a project or gig: None for pending).
INTERESTS = (
    (_("Observability rollout for Integrations"), "employee",
     _("I redesigned our on-call dashboards last quarter and would love to do this properly "
       "for a whole area."), None),
    (_("Senior Data Analyst, Customer Insights"), _("Data Analyst"),
     _("I have worked with the Customer Success team on renewals data for a year."), None),
    (_("Senior Data Analyst, Customer Insights"), _("Senior Data Analyst"), "", None),
    (_("Incident review facilitator"), _("Site Reliability Engineer"),
     _("I ran the review of the March outage and enjoyed it."), ManagerApproval.APPROVED),
)
SAVED = ((_("Customer churn dashboard"), "employee"),)


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    if organization.slug != "acme":
        return
    seed_organization_opportunities(organization)


def _member(org: Organization, who: str, members: list[Membership]) -> Membership | None:
    if who in ("employee", "manager", "hr", "leader"):
        email = f"{who}@{org.slug}.test"
        return next((m for m in members if m.user.email == email), None)
    demo_emails = {f"{role}@{org.slug}.test" for role in ("employee", "manager", "hr", "leader")}
    return next((m for m in members if m.job_title == who and m.user.email not in demo_emails),
                None)


#: The texts of an opening, written in the active language.
TEXTS = ("title", "team", "location", "description")


def _in_language(spec: dict) -> dict:
    """``spec`` with its texts in the active language."""
    return {**spec, **{key: str(spec[key]) for key in TEXTS if key in spec}}


def seed_organization_opportunities(organization: Organization) -> dict:
    org = organization
    today = timezone.localdate()
    created = interests = 0
    openings = [_in_language(spec) for spec in OPENINGS]
    with tenancy.organization_scope(org):
        members = list(Membership.objects.for_org(org).filter(is_active=True)
                       .select_related("user", "manager__user").order_by("pk"))
        teams = {t.name: t for t in Team.objects.for_org(org)}
        skills = {s.name: s for s in Skill.objects.for_org(org).filter(is_retired=False)}
        roles = {r.title: r for r in RoleProfile.objects.for_org(org).filter(is_active=True)}
        existing = {o.title: o for o in Opportunity.objects.for_org(org).filter(
            title__in=[spec["title"] for spec in openings])}
        for spec in openings:
            if spec["title"] in existing:
                continue
            role = roles.get(spec.get("role", ""))
            if spec["kind"] == OpportunityKind.ROLE and role is None:
                continue
            requirements = [(skills[name], level, core) for name, level, core in
                            spec.get("skills", ()) if name in skills]
            if role is not None and not requirements:
                requirements = [(r.skill, r.min_level, r.is_core) for r in
                                role_requirements(organization=org, role=role)]
            if not requirements:
                continue
            opportunity = Opportunity.objects.for_org(org).create(
                organization=org, kind=spec["kind"], title=spec["title"],
                description=spec.get("description", ""), role=role,
                team=teams.get(spec.get("team", "")),
                posted_by=_member(org, spec["poster"], members),
                time_share=spec.get("time_share"), duration_weeks=spec.get("weeks"),
                location=spec.get("location", ""),
                starts_on=today + timedelta(days=spec["closes_in"] + 14),
                closes_on=today + timedelta(days=spec["closes_in"]),
                status=spec.get("status", OpportunityStatus.OPEN))
            OpportunitySkill.objects.for_org(org).bulk_create([
                OpportunitySkill(organization=org, opportunity=opportunity, skill=skill,
                                 min_level=level, is_core=core)
                for skill, level, core in requirements])
            existing[opportunity.title] = opportunity
            created += 1
        for title, who, message, approval in INTERESTS:
            title, who, message = str(title), str(who), str(message)
            opportunity, member = existing.get(title), _member(org, who, members)
            if opportunity is None or member is None or member.pk == opportunity.posted_by_id:
                continue
            if OpportunityInterest.objects.for_org(org).filter(
                    opportunity=opportunity, member=member).exists():
                continue
            needs = needs_manager_approval(opportunity.kind)
            decided = needs and approval is not None and member.manager is not None
            OpportunityInterest.objects.for_org(org).create(
                organization=org, opportunity=opportunity, member=member, message=message,
                status=InterestStatus.INTERESTED,
                approval=(approval if decided else ManagerApproval.PENDING) if needs
                else ManagerApproval.NOT_NEEDED,
                approval_by=member.manager if decided else None,
                approval_at=timezone.now() if decided else None,
                match_score=match_for(organization=org, member=member,
                                      opportunity=opportunity).score)
            interests += 1
        for title, who in SAVED:
            opportunity, member = existing.get(str(title)), _member(org, who, members)
            if opportunity is not None and member is not None:
                OpportunityBookmark.objects.for_org(org).get_or_create(
                    organization=org, opportunity=opportunity, member=member)
    return {"opportunities": created, "interests": interests}
