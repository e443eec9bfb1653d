"""Reads of recommendations, shared by the pages and the API.

Privacy, following DESIGN.md: a recommendation (for a promotion, a role or an opportunity) is
read by the manager who wrote it, by HR admins (who decide it) and by leaders (read only). The
member it is about never reads it, whatever their own role, and neither does any other manager.
Every function here applies that rule in the query itself.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from organizations.models import Membership, Organization

from ..models import Recommendation, RecommendationStatus
from .feedback import PEOPLE_ORDER, reporting_line

#: Statuses a list can be filtered on, in the order the filter shows them.
STATUS_FILTERS = (RecommendationStatus.PENDING, RecommendationStatus.ACCEPTED,
                  RecommendationStatus.DECLINED, RecommendationStatus.WITHDRAWN)


def reads_every_recommendation(membership: Membership) -> bool:
    """HR admins and leaders read every recommendation, except those about themselves."""
    return bool(membership.is_hr_admin or membership.is_leader)


def _recommendations(organization) -> QuerySet[Recommendation]:
    return (Recommendation.objects.for_org(organization)
            .select_related("author__user", "member__user", "member__team", "role",
                            "decided_by__user"))


def visible_recommendations(*, organization: Organization,
                            viewer: Membership) -> QuerySet[Recommendation]:
    """Every recommendation ``viewer`` may read: those they wrote and, for HR and leaders, all
    the others. Never one about the viewer."""
    rows = _recommendations(organization).exclude(member=viewer)
    if reads_every_recommendation(viewer):
        return rows
    return rows.filter(author=viewer)


def _ordered(rows: QuerySet[Recommendation], status: str | None) -> QuerySet[Recommendation]:
    if status == RecommendationStatus.PENDING:
        # A queue: the longest-waiting first.
        return rows.order_by("created_at", "pk")
    if status in (RecommendationStatus.ACCEPTED, RecommendationStatus.DECLINED):
        return rows.order_by("-decided_at", "-pk")
    return rows.order_by("-created_at", "-pk")


def recommendations_written(*, organization: Organization, author: Membership,
                            status: str | None = None) -> QuerySet[Recommendation]:
    """What ``author`` recommended, newest first (or filtered on ``status``)."""
    rows = _recommendations(organization).filter(author=author).exclude(member=author)
    if status:
        rows = rows.filter(status=status)
    return _ordered(rows, status)


def recommendation_queue(*, organization: Organization, viewer: Membership,
                         status: str | None = None) -> QuerySet[Recommendation]:
    """HR's and leaders' list: every recommendation but those about the viewer, filtered on
    ``status`` when given (pending: the longest-waiting first). Empty for anyone else."""
    if not reads_every_recommendation(viewer):
        return Recommendation.objects.for_org(organization).none()
    rows = _recommendations(organization).exclude(member=viewer)
    if status:
        rows = rows.filter(status=status)
    return _ordered(rows, status)


def status_counts(rows: QuerySet[Recommendation]) -> dict[str, int]:
    """How many of ``rows`` have each status, with ``total`` (one query)."""
    found = {row["status"]: row["n"] for row in rows.order_by().values("status")
             .annotate(n=Count("pk"))}
    counts = {status: found.get(status, 0) for status in RecommendationStatus.values}
    counts["total"] = sum(counts.values())
    return counts


def recommendations_about(*, organization: Organization, member: Membership,
                          viewer: Membership) -> QuerySet[Recommendation]:
    """What ``viewer`` may read of the recommendations about ``member``, newest first."""
    if viewer.pk == member.pk:
        return Recommendation.objects.for_org(organization).none()
    return (visible_recommendations(organization=organization, viewer=viewer)
            .filter(member=member).order_by("-created_at", "-pk"))


def can_read_recommendation(*, viewer: Membership, recommendation: Recommendation) -> bool:
    if viewer.organization_id != recommendation.organization_id:
        return False
    if viewer.pk == recommendation.member_id:
        return False
    return viewer.pk == recommendation.author_id or reads_every_recommendation(viewer)


def access_recommendation_by_id(*, membership: Membership,
                                recommendation_id) -> Recommendation:
    """A recommendation the caller may read.

    Security invariant: looked up within the caller's organisation; readable by its author, HR
    admins and leaders, and never by the member it is about (whatever their role). For anyone
    else, and for an absent, foreign or malformed id, the same ``Http404``: the member concerned
    cannot even learn that a recommendation about them exists.
    """
    try:
        recommendation_id = int(recommendation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    recommendation = (_recommendations(membership.organization_id)
                      .filter(pk=recommendation_id).first())
    if recommendation is None or not can_read_recommendation(viewer=membership,
                                                             recommendation=recommendation):
        raise Http404
    return recommendation


def recommendation_candidates(*, organization: Organization,
                              author: Membership) -> QuerySet[Membership]:
    """Whom ``author`` may recommend: the active members of their reporting line."""
    return reporting_line(organization=organization, manager=author)


def recommendation_candidate_shortlist(*, organization: Organization,
                                       author: Membership) -> QuerySet[Membership]:
    """Whom a form offers first: ``author``'s direct reports. People further down the line are
    reached from their profile."""
    return (Membership.objects.for_org(organization).filter(is_active=True, manager=author)
            .select_related("user", "team").order_by(*PEOPLE_ORDER))


def has_written_recommendations(*, organization: Organization, author: Membership) -> bool:
    return Recommendation.objects.for_org(organization).filter(author=author).exists()

