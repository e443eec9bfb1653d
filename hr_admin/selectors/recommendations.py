"""HR's recommendations queue: the reads of ``conversations.selectors.recommendations`` (which
apply the privacy rule: HR and leaders read every recommendation except those about themselves;
nobody else reads the queue), with what HR weighs joined in: the member's current role profile
and grade, and their team.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from conversations.models import Recommendation, RecommendationKind, RecommendationStatus
from conversations.selectors import recommendations as base
from organizations.models import Membership, Organization

#: Statuses the queue can show, in the order its filter lists them.
STATUS_FILTERS = base.STATUS_FILTERS

reads_every_recommendation = base.reads_every_recommendation
status_counts = base.status_counts


def queue(*, organization: Organization, viewer: Membership, status: str | None = None,
          kind: str | None = None) -> QuerySet[Recommendation]:
    """The queue (pending: the longest-waiting first), with each member's current role."""
    rows = base.recommendation_queue(organization=organization, viewer=viewer,
                                     status=status or None)
    if kind in RecommendationKind.values:
        rows = rows.filter(kind=kind)
    return rows.select_related("member__role_link__role")


def queue_counts(*, organization: Organization, viewer: Membership,
                 kind: str | None = None) -> dict[str, int]:
    return status_counts(queue(organization=organization, viewer=viewer, kind=kind))


def access_queued_recommendation(*, membership: Membership, recommendation_id) -> Recommendation:
    """A recommendation in the caller's queue.

    Security invariant: only HR admins and leaders have a queue; within it, the lookup is
    filtered on the caller's organisation and never returns a recommendation about the caller
    (``recommendation_queue``). The manager who wrote it reads it on their own page, not here.
    For anyone else, and for an absent, foreign or malformed id: ``Http404``.
    """
    try:
        recommendation_id = int(recommendation_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not reads_every_recommendation(membership):
        raise Http404
    recommendation = (queue(organization=membership.organization_id, viewer=membership)
                      .filter(pk=recommendation_id).first())
    if recommendation is None:
        raise Http404
    return recommendation


def pending_count(*, organization: Organization, viewer: Membership) -> int:
    return queue(organization=organization, viewer=viewer,
                 status=RecommendationStatus.PENDING).count()
