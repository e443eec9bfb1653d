"""Turning an id from a request into an Office Career Champions object the caller may see.

Every lookup is filtered on the caller's organisation first; an id of another organisation, an
absent id and a malformed id are the same ``Http404``. What a nominator wrote is HR's and its
author's business: for the nominee (until confirmed, and after that only as anonymous
citations) and for everyone else a nomination does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from organizations.models import Membership

from .models import Champion, ChampionNomination
from .selectors.champions import reads_nominations


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_nominee_for_hr(*, membership: Membership, member_id) -> Membership:
    """A member whose nominations HR reads.

    Security invariant: the member is looked up in the caller's organisation first (another
    organisation's id is ``Http404`` for everyone); then a non-HR caller is
    ``PermissionDenied``, and an HR admin asking about themselves is ``Http404``: nominations
    about oneself are never readable, so their existence is not confirmed either.
    """
    member = (Membership.objects.for_org(membership.organization_id)
              .select_related("user", "team", "manager__user")
              .filter(pk=_as_id(member_id)).first())
    if member is None:
        raise Http404
    if not reads_nominations(membership):
        raise PermissionDenied
    if member.pk == membership.pk:
        raise Http404
    return member


def access_champion_nomination_by_id(*, membership: Membership,
                                     champion_nomination_id) -> ChampionNomination:
    """A nomination the caller may read: one they wrote, or (HR) one about someone else.

    Security invariant: filtered on the caller's organisation and on that rule in the query;
    the nominee (until confirmed they do not know of it, after that they read anonymous
    citations only) and everyone else get ``Http404``.
    """
    rule = Q(nominated_by=membership)
    if reads_nominations(membership):
        rule |= ~Q(nominee=membership)
    nomination = (ChampionNomination.objects.for_org(membership.organization_id)
                  .select_related("nominee__user", "nominee__team", "nominated_by__user",
                                  "decided_by__user")
                  .filter(rule, pk=_as_id(champion_nomination_id)).first())
    if nomination is None:
        raise Http404
    return nomination


def access_champion_by_id(*, membership: Membership, champion_id) -> Champion:
    """A champion's page: every member for a current champion who is still a member; HR and the
    champion themselves for an ended term.

    Security invariant: filtered on the caller's organisation and that rule in the query; any
    other id is ``Http404``.
    """
    rows = (Champion.objects.for_org(membership.organization_id)
            .select_related("member__user", "member__team", "confirmed_by__user")
            .filter(pk=_as_id(champion_id)))
    if not membership.is_hr_admin:
        rows = rows.filter(Q(member=membership) | Q(ended_at__isnull=True,
                                                    member__is_active=True))
    champion = rows.first()
    if champion is None:
        raise Http404
    return champion
