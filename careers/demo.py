"""Careers demo data: reflections, goals, options and development plans of the demo people.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (after the
skills demo, which gives people their role profiles). The demo employee (``employee@<slug>.test``)
gets a full story: two dated reflections, shared areas, goals, weighed options and a plan. About
half of everyone else has started a reflection, and most have a few plan actions, so HR's
participation page and the leaders' figures have something to show.

Idempotent: a member who already has a reflection, a goal or an action gets none of that kind
again. Choices come from ``random.Random`` seeded per organisation, so every installation gets
the same data.

The texts are what the people wrote, so they are stored in the active language (``seed_demo``
seeds each organisation under its default language).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization
from skills.models import LearningResource, RoleProfile

from .models import (
    ActionKind,
    ActionStatus,
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    GoalHorizon,
    GoalStatus,
    OptionCriterion,
    OptionDecision,
    OptionRating,
    Reflection,
    ReflectionAnswer,
    ReflectionArea,
    ReflectionPrompt,
    ReflectionShare,
)
from .services.templates import reflection_template_current

SEED = "trellis-careers-demo"

# The demo employee's own words, by area key and prompt key.
STORY_THEN = {
    "where-i-am": {
        "current-job": _("I like my team, but after a year on the same service I am doing the "
                         "same kind of work every sprint."),
        "career-situation": _("Comfortable, maybe too comfortable. I am not sure what my next "
                              "step is."),
    },
    "what-matters": {
        "skills-i-like": _("Designing systems and explaining them to other people."),
        "values": _("Doing work that matters to customers; honesty in reviews."),
    },
    "success": {
        "day-to-day": _("Shaping how a few services fit together, pairing with newer engineers."),
    },
}
STORY_NOW = {
    "where-i-am": {
        "current-job": _("Energised since I took over the on-call rotation redesign: I want more "
                         "of that kind of ownership."),
        "career-situation": _("I can see a path to senior engineer, and I would like to agree it "
                              "with Daniel."),
        "in-the-way": _("I do not always know which pieces of work are visible to the people who "
                        "decide on promotions."),
    },
    "what-matters": {
        "skills-i-like": _("System design, mentoring, and writing clear proposals."),
        "activities": _("Architecture discussions, incident reviews, helping someone get unstuck."),
        "values": _("Customer impact, a blameless culture, learning in the open."),
        "environment": _("A team that writes things down and gives honest feedback."),
        "people": _("Curious people who like to teach and to be taught."),
    },
    "success": {
        "day-to-day": _("Leading the design of a service end to end and reviewing others' "
                        "designs."),
        "responsibilities": _("Technical lead of a small group; owning reliability targets."),
        "working-with": _("Product and the data team, not only engineers."),
    },
    "skills-qualities": {
        "strengths": _("Calm in incidents, clear writing, patient when explaining."),
        "weaknesses": _("Stakeholder communication outside engineering; estimating large work."),
    },
}
SHARED_NOW = ("what-matters", "success")

ANSWER_POOL = (
    _("Mostly positive; I would like more variety in the work."),
    _("I want to learn how other teams work before choosing a direction."),
    _("Working with customers directly is what I enjoy most."),
    _("Recognition for the work I do behind the scenes."),
    _("A clear next step within two years."),
    _("More responsibility for planning, less firefighting."),
    _("Mentoring someone new to the team."),
    _("I would like to try a project with another department."),
    _("Talk to my manager about a stretch assignment."),
    _("Take a course and practise on a real project straight away."),
)


def seed_careers_demo(sender=None, *, organization: Organization, **kwargs) -> None:
    """Receiver of ``organizations.signals.demo_organization_seeded``."""
    seed_organization_careers(organization)


def seed_organization_careers(organization: Organization) -> dict:
    org = organization
    with tenancy.organization_scope(org):
        template = reflection_template_current(organization=org)
        areas = list(ReflectionArea.objects.for_org(org).filter(template=template)
                     .order_by("position"))
        prompts = list(ReflectionPrompt.objects.for_org(org).filter(area__template=template)
                       .select_related("area").order_by("area__position", "position"))
        members = list(Membership.objects.for_org(org).filter(is_active=True)
                       .select_related("user").order_by("pk"))
        star = next((m for m in members if m.user.email == f"employee@{org.slug}.test"), None)
        with_reflection = set(Reflection.objects.for_org(org).values_list("member_id", flat=True))
        with_actions = set(DevelopmentAction.objects.for_org(org)
                           .values_list("member_id", flat=True))
        with_goals = set(CareerGoal.objects.for_org(org).values_list("member_id", flat=True))
        reflections = actions = 0
        if star is not None and star.pk not in with_reflection:
            _star_reflections(org, star, template, areas, prompts)
            reflections += 2
        if star is not None and star.pk not in with_goals:
            _star_goals_and_options(org, star)
        if star is not None and star.pk not in with_actions:
            actions += _star_plan(org, star)
        others = [m for m in members if star is None or m.pk != star.pk]
        reflections += _others_reflections(org, others, with_reflection, template, areas,
                                           prompts)
        actions += _others_actions(org, others, with_actions)
    return {"reflections": reflections, "actions": actions}


def _rng_of(member: Membership, what: str) -> random.Random:
    """The same choices for one person on every run, whoever else exists: what makes a second
    run add nothing to a member who was passed over the first time."""
    return random.Random(f"{SEED}:{member.organization_id}:{member.user.email}:{what}")


def _backdate(model, pk, when, *, updated=True) -> None:
    fields = {"created_at": when}
    if updated:
        fields["updated_at"] = when
    model.objects_unscoped.filter(pk=pk).update(**fields)


def _star_reflections(org, member, template, areas, prompts) -> None:
    now = timezone.now()
    by_key = {(p.area.key, p.key): p for p in prompts}
    area_by_key = {a.key: a for a in areas}
    for title, story, days_ago, shared in (
        (_("After my first year"), STORY_THEN, 160, ()),
        (_("Before my mid-year career conversation"), STORY_NOW, 12, SHARED_NOW),
    ):
        reflection = Reflection.objects.for_org(org).create(
            organization=org, member=member, template=template, title=str(title))
        when = now - timedelta(days=days_ago)
        ReflectionAnswer.objects.for_org(org).bulk_create([
            ReflectionAnswer(organization=org, reflection=reflection,
                             prompt=by_key[(area_key, prompt_key)], text=str(text))
            for area_key, answers in story.items()
            for prompt_key, text in answers.items() if (area_key, prompt_key) in by_key
        ])
        ReflectionAnswer.objects.for_org(org).filter(reflection=reflection).update(
            updated_at=when + timedelta(days=1))
        ReflectionShare.objects.for_org(org).bulk_create([
            ReflectionShare(organization=org, reflection=reflection, area=area_by_key[key])
            for key in shared if key in area_by_key
        ])
        ReflectionShare.objects.for_org(org).filter(reflection=reflection).update(
            shared_at=when + timedelta(days=2))
        _backdate(Reflection, reflection.pk, when)


def _role(org, *titles) -> RoleProfile | None:
    return (RoleProfile.objects.for_org(org).filter(title__in=titles, is_active=True)
            .order_by("title").first())


def _star_goals_and_options(org, member) -> None:
    target = _role(org, "Senior Software Engineer")
    CareerGoal.objects.for_org(org).create(
        organization=org, member=member, target_role=target,
        title="" if target else str(_("Senior software engineer")),
        horizon=GoalHorizon.ONE_YEAR, status=GoalStatus.ACTIVE, shared_with_manager=True,
        motivation=str(_("I want to own the design of a service end to end and help others "
                         "grow.")))
    CareerGoal.objects.for_org(org).create(
        organization=org, member=member, title=str(_("Lead a cross-team project")),
        horizon=GoalHorizon.TWO_YEARS, status=GoalStatus.EXPLORING,
        motivation=str(_("Working with product and data would broaden how I see the "
                         "business.")))
    criteria = [
        OptionCriterion.objects.for_org(org).create(organization=org, member=member,
                                                    name=str(name), weight=weight, position=i)
        for i, (name, weight) in enumerate((
            (_("Fits my values"), 5), (_("Uses skills I enjoy"), 4), (_("Growth"), 4),
            (_("Work-life balance"), 3)))
    ]
    options = [
        CareerOption.objects.for_org(org).create(
            organization=org, member=member,
            title=str(_("Grow into a technical lead in Platform")),
            pros=str(_("Known team and systems; a clear path; Daniel supports it.")),
            cons=str(_("Less variety; the same domain for another two years.")),
            decision=OptionDecision.PURSUE, shared_with_manager=True,
            decision_note=str(_("The best fit for now: agree the steps in my next "
                                "conversation."))),
        CareerOption.objects.for_org(org).create(
            organization=org, member=member, title=str(_("Move to the Data team")),
            pros=str(_("New domain; work closer to product decisions.")),
            cons=str(_("Starting again on skills I barely have; the team is far away.")),
            decision=OptionDecision.LATER),
    ]
    scores = ((5, 5, 4, 4), (4, 3, 5, 3))
    OptionRating.objects.for_org(org).bulk_create([
        OptionRating(organization=org, option=option, criterion=criterion, score=score)
        for option, row in zip(options, scores, strict=True)
        for criterion, score in zip(criteria, row, strict=True)
    ])


def _resource_for(org, *words) -> LearningResource | None:
    for word in words:
        resource = (LearningResource.objects.for_org(org).filter(title__icontains=word)
                    .select_related("skill").order_by("pk").first())
        if resource is not None:
            return resource
    return None


def _star_plan(org, member) -> int:
    now = timezone.now()
    today = timezone.localdate()
    design = _resource_for(org, "design", "architecture")
    rows = [
        (_("System design course"), ActionKind.TRAINING, ActionStatus.DONE, Decimal("12"),
         today - timedelta(days=40), now - timedelta(days=38), design, True,
         _("Certificate of completion; applied it to the on-call redesign.")),
        (_("Shadow Aisha in architecture reviews"), ActionKind.SHADOWING,
         ActionStatus.IN_PROGRESS, Decimal("6"), today + timedelta(days=20), None, None, True, ""),
        (_("Lead the on-call rotation redesign"), ActionKind.STRETCH, ActionStatus.IN_PROGRESS,
         None, today + timedelta(days=45), None, None, True, ""),
        (_("Present at the engineering all-hands"), ActionKind.ON_THE_JOB, ActionStatus.PLANNED,
         Decimal("3"), today - timedelta(days=3), None, None, False, ""),
        (_("Read “Staff Engineer” by Will Larson"), ActionKind.READING, ActionStatus.DONE,
         Decimal("8"), today - timedelta(days=90), now - timedelta(days=85), None, False,
         _("Notes in my journal; discussed chapter 3 with Daniel.")),
    ]
    for title, kind, status, hours, due, completed, resource, shared, evidence in rows:
        DevelopmentAction.objects.for_org(org).create(
            organization=org, member=member, title=str(title), kind=kind, status=status,
            hours=hours, due_date=due, completed_at=completed, resource=resource,
            skill=resource.skill if resource else None, shared_with_manager=shared,
            evidence=str(evidence))
    return len(rows)


def _others_reflections(org, members, skip, template, areas, prompts) -> int:
    """About half of the others have started a reflection, some far, some barely."""
    now = timezone.now()
    new = []
    for member in members:
        mine = _rng_of(member, "reflection")
        if member.pk in skip or mine.random() > 0.55:
            continue
        new.append((member, mine.randint(1, len(prompts)), mine.randint(1, 200)))
    created = Reflection.objects.for_org(org).bulk_create([
        Reflection(organization=org, member=member, template=template) for member, _, _ in new
    ])
    answers, shares = [], []
    for reflection, (member, answered, _days) in zip(created, new, strict=True):
        rng = _rng_of(member, "answers")
        for prompt in prompts[:answered]:
            answers.append(ReflectionAnswer(organization=org, reflection=reflection,
                                            prompt=prompt, text=str(rng.choice(ANSWER_POOL))))
        answered_areas = {p.area_id for p in prompts[:answered]}
        for area in areas:
            if area.pk in answered_areas and rng.random() < 0.3:
                shares.append(ReflectionShare(organization=org, reflection=reflection, area=area))
    ReflectionAnswer.objects.for_org(org).bulk_create(answers, batch_size=1000)
    ReflectionShare.objects.for_org(org).bulk_create(shares, batch_size=1000)
    for reflection, (_member, _answered, days) in zip(created, new, strict=True):
        _backdate(Reflection, reflection.pk, now - timedelta(days=days))
    return len(created)


def _others_actions(org, members, skip) -> int:
    """Most people have a few plan actions; done ones carry hours for the training figures."""
    now = timezone.now()
    today = timezone.localdate()
    resources = list(LearningResource.objects.for_org(org).select_related("skill")
                     .order_by("pk")[:200])
    kinds = list(ActionKind.values)
    rows = []
    for member in members:
        rng = _rng_of(member, "plan")
        if member.pk in skip or rng.random() > 0.7:
            continue
        for _action in range(rng.randint(1, 4)):
            resource = rng.choice(resources) if resources and rng.random() < 0.6 else None
            status = rng.choices(list(ActionStatus.values), weights=(3, 3, 4, 1))[0]
            done = status == ActionStatus.DONE
            rows.append(DevelopmentAction(
                organization=org, member=member,
                title=resource.title if resource else str(rng.choice((
                    _("Mentoring sessions with a senior colleague"), _("Cross-team project"),
                    _("Conference talk preparation"), _("Shadow a customer call"),
                    _("Stretch assignment: lead the quarterly planning")))),
                kind=rng.choice(kinds), resource=resource,
                skill=resource.skill if resource else None,
                status=status, hours=Decimal(rng.choice((2, 4, 6, 8, 12, 16, 24))),
                due_date=today + timedelta(days=rng.randint(-60, 120)),
                completed_at=now - timedelta(days=rng.randint(5, 300)) if done else None,
                shared_with_manager=rng.random() < 0.7,
            ))
    DevelopmentAction.objects.for_org(org).bulk_create(rows, batch_size=1000)
    return len(rows)
