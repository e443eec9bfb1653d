"""Reads of positive feedback, shared by the pages, the API and the career record.

Who reads a piece of feedback: the member it is about, its author, and the member's current line
manager. Nobody else, HR and leaders included: feedback is a conversation between people who
work together, not an HR file. Every list here returns rows with their people already joined, so
a page of feedback costs the same number of queries whatever its length.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from organizations.models import Membership, Organization

from ..models import (
    CareerPartner,
    Conversation,
    ConversationStatus,
    Feedback,
    FeedbackKind,
    PartnerKind,
)

#: Deeper than any real organisation; it only bounds the walk should the manager line ever loop.
MAX_LINE_DEPTH = 64

#: Partner kinds that give feedback besides the reporting line.
FEEDBACK_PARTNER_KINDS = (PartnerKind.MENTOR, PartnerKind.COACH)

PEOPLE_ORDER = ("user__last_name", "user__first_name", "pk")

#: Everyone below a manager, at any depth, within one organisation (``Membership``'s table).
REPORTING_LINE_SQL = (
    "WITH RECURSIVE line(id, depth) AS ("
    " SELECT id, 1 FROM organizations_membership WHERE organization_id = %s AND manager_id = %s"
    " UNION"
    " SELECT m.id, line.depth + 1 FROM organizations_membership m"
    " JOIN line ON m.manager_id = line.id"
    " WHERE m.organization_id = %s AND line.depth < %s"
    ") SELECT id FROM line"
)


# --- Who may give feedback to whom --------------------------------------------------------------


def _org_id(organization) -> int:
    return getattr(organization, "pk", organization)


def reporting_line_ids(*, organization: Organization, manager: Membership) -> RawSQL:
    """The ids of everyone below ``manager`` at any depth, as one subquery (``pk__in=``).

    One recursive query instead of one query per level; filtered on the organisation at every
    step, so a manager line can never lead into another organisation's rows.
    """
    org_id = _org_id(organization)
    # A constant query with bound parameters only: nothing from a request is spliced in.
    return RawSQL(REPORTING_LINE_SQL, (org_id, manager.pk, org_id, MAX_LINE_DEPTH))  # noqa: S611


def reporting_line(*, organization: Organization, manager: Membership) -> QuerySet[Membership]:
    """Active members below ``manager`` at any depth, by name."""
    return (Membership.objects.for_org(organization).filter(is_active=True)
            .filter(pk__in=reporting_line_ids(organization=organization, manager=manager))
            .select_related("user", "team").order_by(*PEOPLE_ORDER))


def _partnered_ids(organization, partner: Membership):
    return (CareerPartner.objects.for_org(organization)
            .filter(partner=partner, ended_at__isnull=True, kind__in=FEEDBACK_PARTNER_KINDS)
            .values("member_id"))


def is_feedback_partner(*, partner: Membership, member: Membership) -> bool:
    """True when ``partner`` is an active mentor or coach of ``member``."""
    return (CareerPartner.objects.for_org(member.organization_id)
            .filter(partner=partner, member=member, ended_at__isnull=True,
                    kind__in=FEEDBACK_PARTNER_KINDS).exists())


def feedback_recipients(*, organization: Organization,
                        author: Membership) -> QuerySet[Membership]:
    """Everyone ``author`` may give feedback to: the active members of their reporting line, at
    any depth, and the active members whose mentor or coach they are."""
    return (Membership.objects.for_org(organization).filter(is_active=True)
            .filter(Q(pk__in=reporting_line_ids(organization=organization, manager=author))
                    | Q(pk__in=_partnered_ids(organization, author)))
            .exclude(pk=author.pk)
            .select_related("user", "team").order_by(*PEOPLE_ORDER))


def feedback_recipient_shortlist(*, organization: Organization,
                                 author: Membership) -> QuerySet[Membership]:
    """Whom a form offers first: direct reports and the people ``author`` mentors or coaches.
    People further down the line are reached from their profile."""
    return (Membership.objects.for_org(organization).filter(is_active=True)
            .filter(Q(manager=author) | Q(pk__in=_partnered_ids(organization, author)))
            .exclude(pk=author.pk)
            .select_related("user", "team").order_by(*PEOPLE_ORDER))


def feedback_conversations(*, organization: Organization,
                           author: Membership) -> QuerySet[Conversation]:
    """Conversations ``author`` took part in, that a piece of feedback may refer to."""
    return (Conversation.objects.for_org(organization)
            .filter(Q(member=author) | Q(partner=author))
            .exclude(status=ConversationStatus.CANCELLED)
            .select_related("member__user", "partner__user")
            .order_by("-scheduled_at", "-pk"))


# --- Reading feedback ---------------------------------------------------------------------------


def _feedback(organization) -> QuerySet[Feedback]:
    return (Feedback.objects.for_org(organization)
            .select_related("author__user", "member__user", "conversation")
            .order_by("-created_at", "-pk"))


def feedback_received(*, organization: Organization, member: Membership) -> QuerySet[Feedback]:
    """Feedback ``member`` received, newest first."""
    return _feedback(organization).filter(member=member)


def feedback_given(*, organization: Organization, author: Membership) -> QuerySet[Feedback]:
    """Feedback ``author`` gave, newest first."""
    return _feedback(organization).filter(author=author)


def can_read_all_feedback_of(*, viewer: Membership, member: Membership) -> bool:
    """The member and their current line manager read everything the member received."""
    return viewer.organization_id == member.organization_id and (
        viewer.pk == member.pk or member.manager_id == viewer.pk)


def feedback_about(*, organization: Organization, member: Membership,
                   viewer: Membership) -> QuerySet[Feedback]:
    """What ``viewer`` may read of the feedback ``member`` received: all of it for the member
    and their line manager, what the viewer wrote for anyone else."""
    rows = feedback_received(organization=organization, member=member)
    if can_read_all_feedback_of(viewer=viewer, member=member):
        return rows
    return rows.filter(author=viewer)


def feedback_counts(rows: QuerySet[Feedback]) -> dict[str, int]:
    """How many of ``rows`` are strengths, attributes and achievements (one query), with
    ``total``."""
    found = {row["kind"]: row["n"] for row in rows.order_by().values("kind")
             .annotate(n=Count("pk"))}
    counts = {kind: found.get(kind, 0) for kind in FeedbackKind.values}
    counts["total"] = sum(counts.values())
    return counts


def can_read_feedback(*, viewer: Membership, feedback: Feedback) -> bool:
    if viewer.organization_id != feedback.organization_id:
        return False
    return viewer.pk in (feedback.member_id, feedback.author_id) or \
        feedback.member.manager_id == viewer.pk


def access_feedback_by_id(*, membership: Membership, feedback_id) -> Feedback:
    """A piece of feedback the caller may read.

    Security invariant: looked up within the caller's organisation; readable only by the member
    it is about, its author and the member's current line manager. For anyone else, and for an
    absent, foreign or malformed id, the same ``Http404``.
    """
    try:
        feedback_id = int(feedback_id)
    except (TypeError, ValueError):
        raise Http404 from None
    feedback = _feedback(membership.organization_id).filter(pk=feedback_id).first()
    if feedback is None or not can_read_feedback(viewer=membership, feedback=feedback):
        raise Http404
    return feedback


# --- The career record --------------------------------------------------------------------------


def _feedback_data(feedback: Feedback, *, role: str, person: Membership | None) -> dict:
    from organizations.personal_data import iso

    conversation = feedback.conversation
    return {
        "kind": feedback.kind,
        "kind_label": str(feedback.get_kind_display()),
        "text": feedback.text,
        role: person.display_name if person is not None else None,
        "conversation_on": iso(conversation.scheduled_at) if conversation else None,
        "created_at": iso(feedback.created_at),
    }


def feedback_record(*, organization: Organization, member: Membership) -> dict:
    """The member's feedback for their career record: what they received and what they gave."""
    return {
        "received": [_feedback_data(f, role="from", person=f.author)
                     for f in feedback_received(organization=organization, member=member)],
        "given": [_feedback_data(f, role="to", person=f.member)
                  for f in feedback_given(organization=organization, author=member)],
    }
