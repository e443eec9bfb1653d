"""Feedback and recommendations demo data: the demo manager spotlights two things the demo
employee did well and recommends them for a promotion, which waits for HR.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (after the
skills demo, so role profiles exist). Idempotent: nothing is added when the demo manager has
already given the demo employee feedback, or already recommended them. The feedback and the
rationale are what the manager wrote: stored in the active language (``seed_demo`` seeds each
organisation under its default language).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization
from skills.models import RoleProfile

from .models import (
    Feedback,
    FeedbackKind,
    NotificationKind,
    Recommendation,
    RecommendationKind,
)
from .services.notifications import notification_create

FEEDBACK = (
    (FeedbackKind.ACHIEVEMENT, 26,
     _("The on-call rotation redesign: you talked to every team that carries a pager, wrote a "
       "proposal people could argue with, and got it agreed in three weeks. Pages out of hours "
       "are down by a third since it went live.")),
    (FeedbackKind.STRENGTH, 5,
     _("The way you explain a system. Your walkthrough of the payments flow for the two new "
       "joiners was clear, patient and drawn on the whiteboard as you went; both said it was "
       "the most useful hour of their first week.")),
)

RATIONALE = _(
    "{name} has worked at senior level for the last two quarters: led the on-call rotation "
    "redesign end to end, reviews most of the team's design documents and mentors both new "
    "joiners. The goal we agreed is a senior engineer role, and the skills check-in is "
    "validated against it. I would like {name} considered in the next promotion round."
)


def seed_feedback_demo(sender=None, *, organization: Organization, **kwargs) -> None:
    """Receiver of ``organizations.signals.demo_organization_seeded``."""
    seed_organization_feedback(organization)


def _demo(org: Organization, role: str) -> Membership | None:
    return (Membership.objects.for_org(org).select_related("user", "organization")
            .filter(user__email=f"{role}@{org.slug}.test", is_active=True).first())


def seed_organization_feedback(organization: Organization) -> dict:
    org = organization
    made = {"feedback": 0, "recommendations": 0}
    with tenancy.organization_scope(org):
        manager, employee = _demo(org, "manager"), _demo(org, "employee")
        if manager is None or employee is None or employee.manager_id != manager.pk:
            return made
        now = timezone.now()
        if not Feedback.objects.for_org(org).filter(author=manager, member=employee).exists():
            for kind, days_ago, text in FEEDBACK:
                feedback = Feedback.objects.for_org(org).create(
                    organization=org, author=manager, member=employee, kind=kind,
                    text=str(text))
                Feedback.objects.for_org(org).filter(pk=feedback.pk).update(
                    created_at=now - timedelta(days=days_ago))
                made["feedback"] += 1
            notification_create(
                organization=org, recipient=employee, kind=NotificationKind.FEEDBACK,
                title=lambda: _("%(name)s spotlighted one of your strengths")
                % {"name": manager.display_name},
                body=str(FEEDBACK[-1][2])[:280],
                url=reverse("conversations:feedback", kwargs={"org_slug": org.slug})
                + f"#feedback-{feedback.pk}")
        if not Recommendation.objects.for_org(org).filter(author=manager,
                                                          member=employee).exists():
            role = (RoleProfile.objects.for_org(org)
                    .filter(title="Senior Software Engineer", is_active=True).first())
            recommendation = Recommendation.objects.for_org(org).create(
                organization=org, author=manager, member=employee,
                kind=RecommendationKind.PROMOTION, role=role,
                rationale=str(RATIONALE).format(
                    name=employee.user.first_name or employee.display_name))
            Recommendation.objects.for_org(org).filter(pk=recommendation.pk).update(
                created_at=now - timedelta(days=3))
            made["recommendations"] += 1
    return made
