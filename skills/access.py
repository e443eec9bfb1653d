"""Turning an id from a request into a skills object the caller may see.

Security invariant shared by every function here: the lookup is filtered on the caller's own
organisation and happens before any role check, so an id of another organisation, an absent id
and a malformed id are all the same ``Http404``; only an object of the caller's own organisation
can be ``PermissionDenied`` (403), when the caller's role does not allow it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404

from organizations.access import is_in_reporting_line
from organizations.models import Membership

from . import selectors
from .models import (
    CareerPath,
    CheckIn,
    Framework,
    LearningResource,
    Level,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
)


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _scoped(model: type[Model], *, membership: Membership, pk, related: tuple = ()):
    obj = (model.objects.for_org(membership.organization_id).select_related(*related)
           .filter(pk=_as_id(pk)).first())
    if obj is None:
        raise Http404
    return obj


def access_framework_by_id(*, membership: Membership, framework_id) -> Framework:
    return _scoped(Framework, membership=membership, pk=framework_id)


def access_level_by_id(*, membership: Membership, level_id) -> Level:
    return _scoped(Level, membership=membership, pk=level_id, related=("framework",))


def access_category_by_id(*, membership: Membership, category_id) -> SkillCategory:
    return _scoped(SkillCategory, membership=membership, pk=category_id,
                   related=("framework", "parent"))


def access_skill_by_id(*, membership: Membership, skill_id) -> Skill:
    return _scoped(Skill, membership=membership, pk=skill_id, related=("framework", "category"))


def access_requirement_by_id(*, membership: Membership, requirement_id) -> RoleRequirement:
    return _scoped(RoleRequirement, membership=membership, pk=requirement_id,
                   related=("role", "skill"))


def access_path_by_id(*, membership: Membership, path_id) -> CareerPath:
    return _scoped(CareerPath, membership=membership, pk=path_id,
                   related=("from_role", "to_role"))


def access_resource_by_id(*, membership: Membership, resource_id) -> LearningResource:
    return _scoped(LearningResource, membership=membership, pk=resource_id, related=("skill",))


def access_role_by_id(*, membership: Membership, role_id,
                      include_inactive: bool | None = None) -> RoleProfile:
    """A role profile of the caller's organisation.

    Inactive (withdrawn) roles are visible to HR admins only, unless ``include_inactive`` says
    otherwise; for anyone else they are ``Http404`` like an absent one.
    """
    role = _scoped(RoleProfile, membership=membership, pk=role_id, related=("framework",))
    if include_inactive is None:
        include_inactive = membership.is_hr_admin
    if not role.is_active and not include_inactive:
        raise Http404
    return role


def can_manage_check_ins_of(*, viewer: Membership, member: Membership) -> bool:
    """True when ``viewer`` is a manager in ``member``'s reporting line (never the member)."""
    if viewer.pk == member.pk or viewer.organization_id != member.organization_id:
        return False
    return is_in_reporting_line(manager=viewer, member=member)


def access_check_in_by_id(*, membership: Membership, check_in_id) -> CheckIn:
    """A check-in the caller may read.

    Security invariant: the scoped lookup comes first (``Http404`` for another organisation's or
    an absent id). Then the member themself, a manager in their reporting line and HR admins may
    read it; anyone else of the organisation (a colleague, a leader: skills are aggregates only
    for leaders) is ``PermissionDenied``. What each reader may *change* is the services' rule.
    """
    check_in = selectors.check_in_get(organization=membership.organization_id,
                                      check_in_id=_as_id(check_in_id))
    if check_in is None:
        raise Http404
    if check_in.member_id == membership.pk or membership.is_hr_admin:
        return check_in
    if can_manage_check_ins_of(viewer=membership, member=check_in.member):
        return check_in
    raise PermissionDenied


def require_manager_or_hr(membership: Membership) -> None:
    """Team pages: members with active reports, and HR admins."""
    if not (getattr(membership, "is_manager", False) or membership.is_hr_admin):
        raise PermissionDenied
