"""Demo data for hr_admin: an audit trail of the past month.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (inside its
transaction and ``cross_organization``). HR admins looked at profiles, career histories and
check-ins and changed a few memberships; managers looked at what their reports shared and at
their check-ins. Enough for the audit log's filters to have something to find.

Idempotent: an organisation whose log already holds a profile view (this demo's, or a real one)
gets none. Choices come
from ``random.Random`` seeded per organisation, so every installation gets the same trail
(dated relative to the day it is seeded).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from organizations.models import AuditEvent, Membership, Organization

SEED = "trellis-audit-demo"
DAYS = 30

# (action, done by: "hr" or "manager", how many over the month)
TRAIL = [
    ("member.profile_viewed", "hr", 24),
    ("hr.moves_viewed", "hr", 10),
    ("skills.check_in_viewed", "hr", 8),
    ("membership.updated", "hr", 6),
    ("careers.shared_viewed", "manager", 18),
    ("skills.check_in_viewed", "manager", 12),
    ("conversations.feedback_viewed", "manager", 6),
]


def seed(sender, organization: Organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    if AuditEvent.objects_unscoped.filter(organization=organization,
                                          action="member.profile_viewed").exists():
        return
    members = list(Membership.objects_unscoped.filter(organization=organization, is_active=True)
                   .select_related("user").order_by("pk"))
    hr = [m for m in members if m.is_hr_admin]
    reports: dict[int, list[Membership]] = {}
    for m in members:
        if m.manager_id:
            reports.setdefault(m.manager_id, []).append(m)
    managers = [m for m in members if m.pk in reports]
    if not hr or not managers:
        return
    rng = random.Random(f"{SEED}:{organization.slug}")
    now = timezone.now()
    rows = []
    for action, by, count in TRAIL:
        for _ in range(count):
            if by == "hr":
                actor = rng.choice(hr)
                subject = rng.choice([m for m in members if m.pk != actor.pk])
            else:
                actor = rng.choice(managers)
                subject = rng.choice(reports[actor.pk])
            detail = {}
            if action == "membership.updated":
                detail["fields"] = [rng.choice(["job_title", "team", "manager"])]
            rows.append(AuditEvent(
                organization=organization, actor=actor, subject=subject, action=action,
                detail=detail,
                created_at=now - timedelta(days=rng.uniform(0, DAYS))))
    AuditEvent.objects_unscoped.bulk_create(rows)
