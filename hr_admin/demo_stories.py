"""Success stories demo data: two published stories and one waiting for the demo employee.

Two colleagues' moves are told and published with their consent (each about a recorded move
when the moves demo left one, else about their path as a whole), so the home panel and the
stories page have something to show. A third story, about the demo employee's on-call redesign,
waits for their consent: they have an in-app notification and can read it, agree or decline.

Idempotent: nothing is added to an organisation that already has a story. People are chosen
with ``random.Random`` seeded per organisation, so every installation gets the same data.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conversations.models import NotificationKind
from conversations.services.notifications import notification_create
from organizations import tenancy
from organizations.models import Membership, Organization

from .models import Move, MoveKind, StoryStatus, SuccessStory
from .services.stories import consent_url

SEED = "trellis-stories-demo"

# (title, body): ``{name}`` is the subject's first name. Written in the active language
# (``seed_demo`` seeds each organisation under its default language).
PUBLISHED = (
    (_("From customer support to platform engineering"),
     _("{name} spent three years answering the hardest support tickets, and kept a list of the "
       "tools that would have made each one easier. A career conversation turned that list "
       "into a plan: a six-week gig with the platform team, two courses from the development "
       "plan, and a mentor who had made the same move.\n\n"
       "A year on, {name} builds the internal tools the support team uses every day. “The "
       "gig was the turning point: I found out I could do the work before anyone had to take a "
       "risk on me.”")),
    (_("A promotion built in the open"),
     _("When {name} told their manager they wanted to lead a team, they agreed the skills the "
       "next role asks for and checked them off, one quarter at a time: running the incident "
       "reviews, mentoring the two newest joiners, presenting the roadmap to the leadership "
       "team.\n\n"
       "By the time the role opened, the evidence was already written down. {name} now leads "
       "the team and holds the same career conversations with each of their reports.")),
)

AWAITING = (
    _("Redesigning on-call, and a path to senior"),
    _("{name} took on the on-call rotation redesign because the pages out of hours were "
      "wearing the team down. They talked to every team that carries a pager, wrote a proposal "
      "people could argue with, and got it agreed in three weeks; pages out of hours are down "
      "by a third.\n\n"
      "The project became the centre of {name}'s development plan, and the first step on a "
      "path to senior engineer agreed with their manager."),
)


def seed(sender=None, *, organization: Organization, **kwargs) -> None:
    """Receiver of ``organizations.signals.demo_organization_seeded``."""
    seed_organization_stories(organization)


def _demo(org: Organization, role: str) -> Membership | None:
    return (Membership.objects.for_org(org).select_related("user", "organization")
            .filter(user__email=f"{role}@{org.slug}.test", is_active=True).first())


def seed_organization_stories(organization: Organization) -> dict:
    org = organization
    made = {"stories": 0}
    with tenancy.organization_scope(org):
        if SuccessStory.objects.for_org(org).exists():
            return made
        employee, hr, leader = _demo(org, "employee"), _demo(org, "hr"), _demo(org, "leader")
        if employee is None or hr is None or leader is None:
            return made
        demo_ids = {employee.pk, hr.pk, leader.pk}
        moved = list(Move.objects.for_org(org)
                     .filter(kind__in=[MoveKind.PROMOTION, MoveKind.CROSS_FUNCTIONAL,
                                       MoveKind.LATERAL], member__is_active=True)
                     .exclude(member_id__in=demo_ids).select_related("member__user")
                     .order_by("-effective_on", "pk")[:20])
        others = list(Membership.objects.for_org(org).filter(is_active=True)
                      .exclude(pk__in=demo_ids).select_related("user").order_by("pk"))
        if len(others) < 2:
            return made
        rng = random.Random(f"{SEED}:{org.slug}")
        rng.shuffle(others)
        subjects: list[tuple[Membership, Move | None]] = []
        for move in moved:
            if move.member_id not in {s.pk for s, _m in subjects}:
                subjects.append((move.member, move))
            if len(subjects) == len(PUBLISHED):
                break
        for member in others:
            if len(subjects) == len(PUBLISHED):
                break
            if member.pk not in {s.pk for s, _m in subjects}:
                subjects.append((member, None))
        now = timezone.now()
        for (title, body), (subject, move), days_ago, author in zip(
                PUBLISHED, subjects, (12, 40), (leader, hr), strict=True):
            story = SuccessStory.objects.for_org(org).create(
                organization=org, subject=subject, move=move, author=author,
                title=str(title),
                body=str(body).format(name=subject.user.first_name or subject.display_name),
                status=StoryStatus.PUBLISHED,
                consent_requested_at=now - timedelta(days=days_ago + 4),
                consent_given_at=now - timedelta(days=days_ago + 2),
                published_at=now - timedelta(days=days_ago))
            SuccessStory.objects.for_org(org).filter(pk=story.pk).update(
                created_at=now - timedelta(days=days_ago + 6))
            made["stories"] += 1
        title, body = AWAITING
        story = SuccessStory.objects.for_org(org).create(
            organization=org, subject=employee, author=hr, title=str(title),
            body=str(body).format(name=employee.user.first_name or employee.display_name),
            status=StoryStatus.AWAITING_CONSENT, consent_requested_at=now - timedelta(days=1))
        SuccessStory.objects.for_org(org).filter(pk=story.pk).update(
            created_at=now - timedelta(days=3))
        made["stories"] += 1
        author_name = hr.display_name
        notification_create(
            organization=org, recipient=employee, kind=NotificationKind.STORY,
            title=lambda: _("%(name)s wrote a success story about you") % {"name": author_name},
            body=lambda: _("Read it and say whether it may be published. Nothing is published "
                           "without your consent."),
            url=consent_url(organization=org, story=story))
    return made
