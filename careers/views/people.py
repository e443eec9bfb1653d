"""What a member shares with their manager, seen by that manager.

A member shares chosen reflection areas, goals, options and plan actions with their own line
manager. The manager's pages show exactly that and nothing else; every time they open a report's
shared work it is audit-logged.
"""

from __future__ import annotations

from django.shortcuts import render

from organizations import access as org_access
from organizations.services import audit

from .. import access
from ..selectors import plan as plan_selectors
from ..selectors import reflections as selectors


def shared(request, org_slug):
    """My direct reports and how much of their career work each shares with me."""
    org, membership = request.organization, request.membership
    org_access.require_manager(membership)
    return render(request, "careers/people/shared.html", {
        "reports": selectors.reports_sharing(organization=org, manager=membership),
    })


def shared_member(request, org_slug, member_id):
    """One report's shared reflection areas, goals, options and plan actions."""
    org, membership = request.organization, request.membership
    member = access.access_report_sharing(membership=membership, member_id=member_id)
    areas = selectors.shared_reflection_areas(organization=org, member=member)
    plan = plan_selectors.plan_shared_with_manager(organization=org, member=member)
    audit(organization=org, actor=membership, action="careers.shared_viewed", subject=member,
          areas=len(areas), goals=len(plan["goals"]), options=len(plan["options"]),
          actions=len(plan["actions"]))
    return render(request, "careers/people/shared_member.html", {
        "member": member,
        "areas": areas,
        "plan": plan,
    })
