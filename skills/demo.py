"""Skills demo data: the example framework, role profiles for people, and their check-ins.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (inside its
transaction and ``cross_organization``). Idempotent: the framework is imported through the
ordinary import (a second import changes nothing), and only members without a role profile get
one, only members without any check-in get one. Levels come from ``random.Random`` seeded per
organisation and member, so every installation gets the same ratings.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization
from skills.data import example_framework_bytes
from skills.models import (
    CheckIn,
    CheckInItem,
    CheckInStatus,
    EmergingSkillNotice,
    Importance,
    Level,
    MemberRole,
    RatingChange,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillRating,
)
from skills.services import interchange, notices

SEED = "trellis-skills-demo"
BATCH = 500

# Job titles of the demo people that are not role profile titles themselves: first matching
# prefix wins (compared without case).
TITLE_PREFIXES = (
    ("Senior Mobile Engineer", "Senior Software Engineer"),
    ("Software Engineer", "Software Engineer II"),
    ("Frontend Engineer", "Software Engineer II"),
    ("Mobile Engineer", "Software Engineer II"),
    ("QA Engineer", "Quality Engineer"),
    ("Site Reliability", "Site Reliability Engineer"),
    ("DevOps Engineer", "Site Reliability Engineer"),
    ("Security Engineer", "Site Reliability Engineer"),
    ("Systems Administrator", "Site Reliability Engineer"),
    ("Engineering Manager", "Engineering Manager"),
    ("Senior Data Engineer", "Data Engineer"),
    ("Machine Learning Engineer", "Data Scientist"),
    ("Data Engineering Manager", "Analytics Manager"),
    ("Head of Data", "Analytics Manager"),
    ("Sales Operations Analyst", "Data Analyst"),
    ("UX Researcher", "Product Designer"),
    ("Graphic Designer", "Product Designer"),
    ("Sales Manager", "Sales Manager"),
    ("Implementation Consultant", "Solutions Consultant"),
    ("Technical Support Engineer", "Senior Customer Support Specialist"),
    ("Support Specialist", "Customer Support Specialist"),
    ("IT Support Technician", "Customer Support Specialist"),
    ("Customer Support Manager", "Customer Support Manager"),
    ("Head of Customer Success", "Customer Support Manager"),
    ("Customer Success", "Customer Success Manager"),
    ("Content Marketer", "Marketing Specialist"),
    ("Copywriter", "Marketing Specialist"),
    ("Digital Marketing Specialist", "Marketing Specialist"),
    ("Product Marketing Specialist", "Marketing Specialist"),
    ("Marketing Operations Analyst", "Marketing Specialist"),
    ("Brand & Content Manager", "Marketing Manager"),
    ("Demand Generation Manager", "Marketing Manager"),
    ("Product Marketing Manager", "Marketing Manager"),
    ("Senior Accountant", "Accountant"),
    ("Payroll Specialist", "Accountant"),
    ("Financial Controller", "Finance Manager"),
    ("FP&A Manager", "Finance Manager"),
    ("HR Business Partner", "People Partner"),
    ("Learning & Development", "People Partner"),
    ("Talent Acquisition", "People Partner"),
    ("HRIS Analyst", "People Coordinator"),
    ("People Operations Coordinator", "People Coordinator"),
    ("People Operations Manager", "Senior People Partner"),
    ("Head of Talent", "Senior People Partner"),
    ("Head of People", "Senior People Partner"),
)


def _english_titles(role_titles: set[str]) -> dict[str, str]:
    """Demo job titles and role profile titles as written in the active language (lower case)
    → the English title they translate."""
    from organizations.management.commands.seed_demo import demo_job_titles

    return {gettext(t).lower(): t for t in sorted(demo_job_titles() | set(role_titles))}


def role_title_for(job_title: str, role_titles: set[str]) -> str | None:
    """The role profile a demo job title maps to, or ``None``.

    Demo job titles are written in the organisation's language (the active one while seeding);
    a translated title is read back to the English one first, which the prefixes are in.
    """
    title = job_title.strip().lower()
    language = translation.get_language()
    if language and not language.startswith("en"):
        english = _english_titles(role_titles)
        title = english.get(title, title).lower()
    exact = {t.lower(): t for t in role_titles}
    if title in exact:
        return exact[title]
    for prefix, role_title in TITLE_PREFIXES:
        if title.startswith(prefix.lower()) and role_title in role_titles:
            return role_title
    return None


def seed_skills_demo(sender=None, *, organization: Organization, **kwargs) -> None:
    """Receiver of ``organizations.signals.demo_organization_seeded``."""
    seed_organization_skills(organization)


def seed_organization_skills(organization: Organization) -> dict:
    """Everything skills-related of one demo organisation that is still missing."""
    org = organization
    report = interchange.framework_import(
        organization=org, actor=None, data=example_framework_bytes(), fmt=interchange.JSON,
        dry_run=False, notify_emerging=False,
    )
    if not report.ok:
        raise RuntimeError(f"the example framework does not import: {report.errors[:5]}")
    framework = report.framework
    with tenancy.organization_scope(org):
        roles = {r.title: r for r in RoleProfile.objects.for_org(org).filter(framework=framework)}
        members = list(
            Membership.objects.for_org(org).filter(is_active=True).select_related("user")
            .order_by("pk")
        )
        new_links = _assign_roles(org, members, roles)
        role_of = dict(MemberRole.objects.for_org(org).values_list("member_id", "role_id"))
        check_ins = _check_ins(org, members, role_of, framework)
        noticed = _notices(org, framework)
    return {"roles_assigned": new_links, "check_ins": check_ins, "notices": noticed}


def _assign_roles(org, members, roles) -> int:
    linked = set(MemberRole.objects.for_org(org).values_list("member_id", flat=True))
    today = timezone.localdate()
    links = []
    for member in members:
        if member.pk in linked:
            continue
        title = role_title_for(member.job_title, set(roles))
        if title is None:
            continue
        since = member.started_on or today
        rng = random.Random(f"{SEED}:{org.slug}:{member.user.email}:since")
        since = max(since, today - timedelta(days=rng.randrange(90, 900)))
        links.append(MemberRole(organization=org, member=member, role=roles[title],
                                since=since))
    MemberRole.objects.bulk_create(links, batch_size=BATCH)
    return len(links)


def _clamp(level: int, top: int) -> int:
    return max(1, min(top, level))


def _check_ins(org, members, role_of, framework) -> int:
    """A check-in for most members who have a role and none yet: mostly validated, some waiting
    for their manager, a few not started."""
    has_check_in = set(CheckIn.objects.for_org(org).values_list("member_id", flat=True))
    requirements: dict[int, list] = {}
    for req in (RoleRequirement.objects.for_org(org).filter(role__framework=framework)
                .select_related("skill", "role").order_by("role_id", "skill__name")):
        requirements.setdefault(req.role_id, []).append(req)
    role_titles = dict(RoleProfile.objects.for_org(org).values_list("pk", "title"))
    top = max(Level.objects.for_org(org).filter(framework=framework)
              .values_list("rank", flat=True), default=1)
    by_pk = {m.pk: m for m in members}
    demo_employee = next((m for m in members if m.user.email == f"employee@{org.slug}.test"),
                         None)
    # One of the demo manager's other reports waits for validation, so the queue is not empty.
    waiting = next((m.pk for m in members
                    if demo_employee is not None and m.manager_id == demo_employee.manager_id
                    and m.pk != demo_employee.pk and m.pk in role_of), None)
    now = timezone.now()
    plans = []
    for member in members:
        role_id = role_of.get(member.pk)
        if role_id is None or member.pk in has_check_in or not requirements.get(role_id):
            continue
        rng = random.Random(f"{SEED}:{org.slug}:{member.user.email}")
        roll = rng.random()
        if member is demo_employee:
            status = CheckInStatus.VALIDATED
        elif member.pk == waiting:
            status = CheckInStatus.SUBMITTED
        elif roll < 0.06:
            continue
        elif roll < 0.22:
            status = CheckInStatus.SUBMITTED
        else:
            status = CheckInStatus.VALIDATED
        manager = by_pk.get(member.manager_id)
        if status == CheckInStatus.VALIDATED and manager is None:
            status = CheckInStatus.SUBMITTED
        created = now - timedelta(days=rng.randrange(20, 200), hours=rng.randrange(0, 9))
        submitted = created + timedelta(days=rng.randrange(1, 8))
        validated = submitted + timedelta(days=rng.randrange(1, 12))
        if status == CheckInStatus.SUBMITTED:
            created = now - timedelta(days=rng.randrange(3, 20))
            submitted = created + timedelta(days=rng.randrange(0, 3), hours=2)
        check_in = CheckIn(
            organization=org, member=member, role_id=role_id, role_title=role_titles[role_id],
            status=status, submitted_at=submitted,
            validated_at=validated if status == CheckInStatus.VALIDATED else None,
            validated_by=manager if status == CheckInStatus.VALIDATED else None,
            manager_comment=(str(rng.choice(DEMO_COMMENTS))
                             if status == CheckInStatus.VALIDATED else ""),
        )
        levels = []
        forced_gaps = 2 if member is demo_employee else 0
        for req in requirements[role_id]:
            self_level = _clamp(req.min_level + rng.choice((-2, -1, -1, 0, 0, 0, 1)), top)
            manager_level = _clamp(self_level + rng.choice((-1, 0, 0, 0, 1)), top)
            if forced_gaps and req.importance == Importance.CORE and req.min_level > 1:
                self_level = manager_level = req.min_level - 1
                forced_gaps -= 1
            levels.append((req, self_level,
                           manager_level if status == CheckInStatus.VALIDATED else None))
        plans.append((check_in, created, submitted, validated, levels))

    saved = CheckIn.objects.bulk_create([p[0] for p in plans], batch_size=BATCH)
    for check_in, plan in zip(saved, plans, strict=True):
        check_in.created_at = plan[1]
    CheckIn.objects.bulk_update(saved, ["created_at"], batch_size=BATCH)

    items, item_plans = [], []
    for check_in, _created, submitted, validated, levels in plans:
        for req, self_level, manager_level in levels:
            items.append(CheckInItem(
                organization=org, check_in=check_in, skill=req.skill, skill_name=req.skill.name,
                required_level=req.min_level, importance=req.importance, self_level=self_level,
                manager_level=manager_level,
            ))
            item_plans.append((check_in, submitted, validated))
    items = CheckInItem.objects.bulk_create(items, batch_size=BATCH)

    history, ratings = [], []
    for item, (check_in, submitted, validated) in zip(items, item_plans, strict=True):
        history.append(RatingChange(organization=org, item=item, field=RatingChange.Field.SELF,
                                    changed_by=check_in.member, from_level=None,
                                    to_level=item.self_level, changed_at=submitted))
        if item.manager_level is not None:
            history.append(RatingChange(
                organization=org, item=item, field=RatingChange.Field.MANAGER,
                changed_by=check_in.validated_by, from_level=None, to_level=item.manager_level,
                changed_at=validated,
            ))
        ratings.append(SkillRating(organization=org, member=check_in.member, skill=item.skill,
                                   self_level=item.self_level,
                                   validated_level=item.manager_level))
    RatingChange.objects.bulk_create(history, batch_size=BATCH)
    SkillRating.objects.bulk_create(ratings, batch_size=BATCH, ignore_conflicts=True)
    return len(saved)


# What managers wrote when they validated a check-in (stored in the active language).
DEMO_COMMENTS = (
    _("Good, honest self-assessment. Let's pick one skill to focus on this quarter."),
    _("I moved two ratings after our conversation; we agreed on the examples together."),
    _("Strong progress since last time. The gaps are the right ones for your next step."),
    _("Agreed with almost everything. Let's look for a project that stretches the core gaps."),
)


def _notices(org, framework) -> int:
    """In-app notices of the example framework's emerging skills for the people they concern.

    Demo people have no inbox, so the notices count as emailed: no task sends them later.
    """
    created = 0
    for skill in Skill.objects.for_org(org).filter(framework=framework, is_emerging=True):
        new = notices.emerging_skill_notices_create(organization=org, skill=skill)
        if new:
            (EmergingSkillNotice.objects.for_org(org)
             .filter(skill=skill, member_id__in=new, emailed_at__isnull=True)
             .update(emailed_at=timezone.now()))
        created += len(new)
    return created
