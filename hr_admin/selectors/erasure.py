"""Reading who has left and whose data was erased."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet

from organizations.erasure import ERASED_ACTION, ERASED_EMAIL_DOMAIN, ERASED_EMAIL_PREFIX
from organizations.models import AuditEvent, Membership, Organization

from ..models import Move, MoveKind

ERASED = Q(user__email__startswith=ERASED_EMAIL_PREFIX,
           user__email__endswith="@" + ERASED_EMAIL_DOMAIN)


def leaver_list(*, organization: Organization, erased: bool = False) -> QuerySet:
    """Former members still holding personal data (or, with ``erased``, those erased), with
    the day they left (their latest exit move) and their team joined; latest first."""
    rows = (Membership.objects.for_org(organization).filter(is_active=False)
            .select_related("user", "team"))
    rows = rows.filter(ERASED) if erased else rows.exclude(ERASED)
    left_on = (Move.objects.for_org(organization)
               .filter(member=OuterRef("pk"), kind=MoveKind.EXIT)
               .order_by("-effective_on").values("effective_on")[:1])
    rows = rows.annotate(left_on=left_on)
    if erased:
        erased_at = (AuditEvent.objects.for_org(organization)
                     .filter(subject=OuterRef("pk"), action=ERASED_ACTION)
                     .order_by("-created_at").values("created_at")[:1])
        return rows.annotate(erased_at=erased_at).order_by("-erased_at", "-pk")
    return rows.order_by(F("left_on").desc(nulls_last=True), "-pk")


def leaver_counts(*, organization: Organization) -> dict[str, int]:
    """How many former members still hold personal data, and how many were erased."""
    counts = (Membership.objects.for_org(organization).filter(is_active=False)
              .aggregate(total=Count("pk"), erased=Count("pk", filter=ERASED)))
    return {"waiting": counts["total"] - counts["erased"], "erased": counts["erased"]}
