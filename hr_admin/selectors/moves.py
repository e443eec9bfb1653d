"""Reads of career moves, shared by the pages, the profile panel, the API and the career record.

Who may read a member's moves: the member, the managers above them in the reporting line, HR
admins and leaders (``can_read_moves_of``). The organisation-wide list is for HR and leaders.
Every function filters on the organisation and joins what a row shows, so a page of moves costs
the same queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from organizations.access import is_in_reporting_line
from organizations.models import Membership, Organization, Team

from ..models import Move, MoveKind

#: The list's default period: the last twelve months.
DEFAULT_PERIOD_DAYS = 365

#: Kinds in the order a chart and a filter show them.
KIND_ORDER = (MoveKind.HIRE, MoveKind.PROMOTION, MoveKind.LATERAL, MoveKind.CROSS_FUNCTIONAL,
              MoveKind.ASSIGNMENT, MoveKind.EXIT)


def reads_every_move(membership: Membership) -> bool:
    return bool(membership.is_hr_admin or membership.is_leader)


def can_read_moves_of(*, viewer: Membership, member: Membership) -> bool:
    """The member, HR admins, leaders, and the managers above the member in their line."""
    if viewer.organization_id != member.organization_id:
        return False
    if viewer.pk == member.pk or reads_every_move(viewer):
        return True
    return is_in_reporting_line(manager=viewer, member=member)


def _moves(organization) -> QuerySet[Move]:
    return (Move.objects.for_org(organization)
            .select_related("member__user", "member__team", "from_role", "to_role", "from_team",
                            "to_team", "opportunity", "recorded_by__user"))


@dataclass(frozen=True)
class MoveFilters:
    kind: str | None = None
    team: Team | None = None
    member: Membership | None = None
    query: str = ""
    start: date | None = None
    end: date | None = None


def default_start(today: date | None = None) -> date:
    return (today or timezone.localdate()) - timedelta(days=DEFAULT_PERIOD_DAYS)


def _filtered(organization, filters: MoveFilters, *, with_kind: bool) -> QuerySet[Move]:
    rows = _moves(organization)
    if with_kind and filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.team is not None:
        rows = rows.filter(Q(to_team=filters.team) | Q(from_team=filters.team))
    if filters.member is not None:
        rows = rows.filter(member=filters.member)
    for word in filters.query.split()[:5]:
        rows = rows.filter(Q(member__user__first_name__icontains=word)
                           | Q(member__user__last_name__icontains=word)
                           | Q(member__user__email__icontains=word))
    if filters.start:
        rows = rows.filter(effective_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(effective_on__lte=filters.end)
    return rows


def move_list(*, organization: Organization, filters: MoveFilters | None = None) -> QuerySet[Move]:
    """Moves, newest first, with the member, roles, teams and opportunity joined."""
    filters = filters or MoveFilters()
    return _filtered(organization, filters, with_kind=True).order_by("-effective_on",
                                                                     "-created_at", "-pk")


def move_kind_counts(*, organization: Organization,
                     filters: MoveFilters | None = None) -> list[dict]:
    """How many moves of each kind match ``filters`` but for the kind (one query): the kind,
    its label, the count and its share of the largest count (for bars)."""
    filters = filters or MoveFilters()
    found = dict(_filtered(organization, filters, with_kind=False).order_by()
                 .values_list("kind").annotate(n=Count("pk")))
    largest = max(found.values(), default=0)
    return [{"kind": kind, "label": MoveKind(kind).label, "count": found.get(kind, 0),
             "share": round(100 * found.get(kind, 0) / largest) if largest else 0,
             "selected": kind == filters.kind}
            for kind in KIND_ORDER]


def member_moves(*, organization: Organization, member: Membership) -> QuerySet[Move]:
    """A member's career history, newest first."""
    return (_moves(organization).filter(member=member)
            .order_by("-effective_on", "-created_at", "-pk"))


def move_get(*, organization: Organization, move_id) -> Move | None:
    try:
        move_id = int(move_id)
    except (TypeError, ValueError):
        return None
    return _moves(organization).filter(pk=move_id).first()


def moves_record(*, organization: Organization, member: Membership) -> list[dict]:
    """The member's moves for their career record (JSON)."""
    def role(value):
        return value.title if value is not None else None

    def team(value):
        return value.name if value is not None else None

    return [
        {"date": move.effective_on.isoformat(), "kind": move.kind,
         "kind_label": str(move.get_kind_display()),
         "from_role": role(move.from_role), "from_grade": move.from_grade,
         "from_team": team(move.from_team),
         "to_role": role(move.to_role), "to_grade": move.to_grade, "to_team": team(move.to_team),
         "opportunity": move.opportunity.title if move.opportunity else None,
         "filled_internally": move.is_internal_fill,
         "source": str(move.get_source_display()),
         "recorded_by": move.recorded_by.display_name if move.recorded_by else None,
         "recorded_at": move.created_at.isoformat()}
        for move in member_moves(organization=organization, member=member)
    ]


def access_move_by_id(*, membership: Membership, move_id) -> Move:
    """A move the caller may read.

    Security invariant: looked up within the caller's organisation; readable by the member it is
    about, the managers above them, HR admins and leaders. For anyone else, and for an absent,
    foreign or malformed id, the same ``Http404``.
    """
    from django.http import Http404

    move = move_get(organization=membership.organization_id, move_id=move_id)
    if move is None or not can_read_moves_of(viewer=membership, member=move.member):
        raise Http404
    return move
