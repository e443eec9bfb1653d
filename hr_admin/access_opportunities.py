"""Turning an id from a request into an opportunity, or an expression of interest, that the
caller may see.

Every lookup is filtered on the caller's organisation first, so another organisation's id, an
absent id and a malformed id are the same ``Http404``. What exists but is not the caller's to
see is ``Http404`` too: a draft for anyone but its poster and HR, an interest for anyone but the
member, the poster, HR and (for projects and gigs) the member's line manager. Only what the
caller may see but not change is ``PermissionDenied``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organizations.models import Membership

from .models import Opportunity, OpportunityInterest
from .selectors.opportunities import (
    can_decide_approval,
    can_manage,
    needs_manager_approval,
    opportunities_visible_to,
)


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_opportunity_by_id(*, membership: Membership, opportunity_id) -> Opportunity:
    """An opportunity the caller may open.

    Security invariant: looked up among ``opportunities_visible_to`` the caller in their own
    organisation (open ones; those they posted, saved or expressed interest in; all for HR);
    anything else is ``Http404``.
    """
    opportunity = (
        opportunities_visible_to(organization=membership.organization, viewer=membership)
        .select_related("role", "team", "posted_by__user", "filled_by__user")
        .filter(pk=_as_id(opportunity_id)).first()
    )
    if opportunity is None:
        raise Http404
    return opportunity


def access_managed_opportunity_by_id(*, membership: Membership, opportunity_id) -> Opportunity:
    """An opportunity the caller manages: HR, or the member who posted it.

    Security invariant: the visibility lookup comes first (``Http404`` for what the caller may
    not see at all); an open opportunity someone else posted is ``PermissionDenied``.
    """
    opportunity = access_opportunity_by_id(membership=membership, opportunity_id=opportunity_id)
    if not can_manage(membership, opportunity):
        raise PermissionDenied
    return opportunity


def can_see_interest(viewer: Membership, interest: OpportunityInterest) -> bool:
    """The member, the opportunity's poster, HR, and for a project or gig the member's line
    manager (who approves the time). Never another member."""
    if viewer.organization_id != interest.organization_id:
        return False
    if viewer.pk == interest.member_id or viewer.is_hr_admin:
        return True
    opportunity = interest.opportunity
    if opportunity.posted_by_id is not None and opportunity.posted_by_id == viewer.pk:
        return True
    return needs_manager_approval(opportunity.kind) and interest.member.manager_id == viewer.pk


def access_interest_by_id(*, membership: Membership, interest_id) -> OpportunityInterest:
    """An expression of interest the caller may read.

    Security invariant: looked up in the caller's organisation, then ``can_see_interest``;
    any other member gets ``Http404``, so an interest's existence is never confirmed to them.
    """
    interest = (
        OpportunityInterest.objects.for_org(membership.organization_id)
        .select_related("member__user", "member__manager__user", "member__team",
                        "opportunity__posted_by__user", "opportunity__role",
                        "opportunity__team", "approval_by__user")
        .filter(pk=_as_id(interest_id)).first()
    )
    if interest is None or not can_see_interest(membership, interest):
        raise Http404
    return interest


def access_interest_to_decide(*, membership: Membership, interest_id) -> OpportunityInterest:
    """An interest whose time the caller approves or declines (the member's line manager, or
    HR for a member without one).

    Security invariant: the read rule of ``access_interest_by_id`` first (``Http404``); a
    reader who does not decide it (the poster, HR when there is a line manager) is
    ``PermissionDenied``.
    """
    interest = access_interest_by_id(membership=membership, interest_id=interest_id)
    if not can_decide_approval(membership, interest):
        raise PermissionDenied
    return interest


def access_interest_to_manage(*, membership: Membership, interest_id) -> OpportunityInterest:
    """An interest in an opening the caller manages (its poster, or HR).

    Security invariant: the read rule of ``access_interest_by_id`` first (``Http404``); a
    reader who does not manage the opening (the member, their manager) is
    ``PermissionDenied``.
    """
    interest = access_interest_by_id(membership=membership, interest_id=interest_id)
    if not can_manage(membership, interest.opportunity):
        raise PermissionDenied
    return interest
