"""Turning what a request names into objects the caller may see.

Every function here answers "not found" in the same way for what does not exist and for what the
caller may not see, so that no response confirms that another organisation or its rows exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from . import tenancy
from .models import Invitation, Membership, Organization, Team


def enter_organization(request, slug: str, *, require_membership: bool = True):
    """Resolve ``slug`` and the caller's active membership; scope the request to it.

    Security invariant: on return the request's ORM scope and database context are the
    organisation named in the URL, and ``request.membership`` is the caller's own active
    membership in it (or None for a ``tenant_public`` view). A missing organisation, an inactive
    one, and one the caller is not an active member of all raise the same ``Http404``.
    """
    org = Organization.objects.filter(slug=slug, is_active=True).first()
    if org is None:
        raise Http404
    tenancy.activate_request_scope(org.pk)
    tenancy.db_set_org(org.pk)
    membership = None
    user = request.user
    if user.is_authenticated:
        membership = (
            Membership.objects.select_related("user", "team", "manager__user")
            .annotate(
                is_manager=Exists(Membership.objects.filter(manager=OuterRef("pk"), is_active=True))
            )
            .filter(user=user, is_active=True)
            .first()
        )
    if membership is None and require_membership:
        raise Http404
    request.organization = org
    request.membership = membership
    return membership


def access_member_by_id(*, membership: Membership, member_id) -> Membership:
    """A member of the caller's organisation whom the caller may look at.

    Security invariant: the lookup is filtered on the caller's organisation; a member of another
    organisation, a malformed id and an absent id are all ``Http404``. HR admins and leaders see
    everyone, managers see anyone in their reporting line, everyone sees themselves and their own
    manager; any other member is ``Http404`` too (a directory is for HR and leaders).
    """
    try:
        member_id = int(member_id)
    except (TypeError, ValueError):
        raise Http404 from None
    target = (
        Membership.objects.for_org(membership.organization_id)
        .select_related("user", "team", "manager__user")
        .filter(pk=member_id)
        .first()
    )
    if target is None or not can_view_member(membership, target):
        raise Http404
    return target


def can_view_member(viewer: Membership, target: Membership) -> bool:
    if viewer.organization_id != target.organization_id:
        return False
    if viewer.pk == target.pk or viewer.is_hr_admin:
        return True
    if not target.is_active:
        # Former members are HR's business only.
        return False
    if viewer.is_leader:
        return True
    if target.pk == viewer.manager_id:
        return True
    return is_in_reporting_line(manager=viewer, member=target)


def is_in_reporting_line(*, manager: Membership, member: Membership) -> bool:
    """True when ``manager`` is ``member``'s manager, or their manager's manager, and so on."""
    node_id, hops = member.manager_id, 0
    while node_id is not None and hops < 64:
        if node_id == manager.pk:
            return True
        node_id = (
            Membership.objects.for_org(manager.organization_id)
            .filter(pk=node_id)
            .values_list("manager_id", flat=True)
            .first()
        )
        hops += 1
    return False


def access_team_by_id(*, membership: Membership, team_id) -> Team:
    """A team of the caller's organisation. Same ``Http404`` for absent and foreign."""
    try:
        team_id = int(team_id)
    except (TypeError, ValueError):
        raise Http404 from None
    team = Team.objects.for_org(membership.organization_id).filter(pk=team_id).first()
    if team is None:
        raise Http404
    return team


def access_invitation_by_id(*, membership: Membership, invitation_id) -> Invitation:
    """An invitation of the caller's organisation; HR admins only.

    Security invariant: the lookup is filtered on the caller's organisation and comes before the
    role check, so an id of another organisation is ``Http404`` for every caller; only an
    invitation of the caller's own organisation can be ``PermissionDenied``, for a non-HR member.
    """
    try:
        invitation_id = int(invitation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    invitation = (
        Invitation.objects.for_org(membership.organization_id)
        .select_related("team", "manager__user", "invited_by__user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    require_hr(membership)
    return invitation


def require_hr(membership: Membership) -> None:
    if not membership.is_hr_admin:
        raise PermissionDenied


def require_hr_or_leader(membership: Membership) -> None:
    if not (membership.is_hr_admin or membership.is_leader):
        raise PermissionDenied


def require_manager(membership: Membership) -> None:
    """Managers are members with at least one active report (``is_manager``, set on entry)."""
    if not getattr(membership, "is_manager", False):
        raise PermissionDenied
