"""Turning ids from a request into the objects around a conversation that the caller may see:
a topic of a conversation, an attached reflection area, a career partnership, a direct report,
a member whose partners HR manages.

Every lookup is filtered on the caller's organisation (and on the parent object already looked
up) first, so another organisation's id, an absent id and a malformed id are the same
``Http404``. Role checks come after the lookup (``PermissionDenied``), and only for rows the
caller could otherwise know exist. Conversations themselves are looked up by
``conversations.access.access_conversation_by_id`` (participants only).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from organizations.access import require_hr
from organizations.models import Membership

from .models import AgendaTopic, CareerPartner, Conversation, ConversationArea


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_topic_of(*, conversation: Conversation, topic_id) -> AgendaTopic:
    """A topic on this conversation's agenda, else ``Http404``.

    Security invariant: filtered on the conversation, which the caller already takes part in.
    """
    topic = (AgendaTopic.objects.for_org(conversation.organization_id)
             .filter(pk=_as_id(topic_id), conversation=conversation).first())
    if topic is None:
        raise Http404
    topic.conversation = conversation
    return topic


def access_attached_area_of(*, conversation: Conversation, reflection_id,
                            area_id) -> ConversationArea:
    """An area attached to this conversation (by its reflection and area ids), else
    ``Http404``."""
    attached = (ConversationArea.objects.for_org(conversation.organization_id)
                .select_related("reflection", "area")
                .filter(conversation=conversation, reflection_id=_as_id(reflection_id),
                        area_id=_as_id(area_id)).first())
    if attached is None:
        raise Http404
    return attached


def access_partnership_by_id(*, membership: Membership, partner_id) -> CareerPartner:
    """A mentoring or coaching partnership the caller may see.

    Security invariant: looked up in the caller's organisation; the member and the mentor or
    coach see their own partnership, HR sees every one; anyone else, and any other
    organisation's id, gets ``Http404``.
    """
    rows = (CareerPartner.objects.for_org(membership.organization_id)
            .select_related("member__user", "partner__user")
            .filter(pk=_as_id(partner_id)))
    if not membership.is_hr_admin:
        rows = rows.filter(Q(member=membership) | Q(partner=membership))
    partnership = rows.first()
    if partnership is None:
        raise Http404
    return partnership


def access_report_by_id(*, membership: Membership, member_id) -> Membership:
    """An active direct report of the caller: whom they schedule conversations with and whose
    cadence they set.

    Security invariant: the member is looked up in the caller's organisation and must have the
    caller as line manager; a skip-level manager, HR, a leader and a colleague all get
    ``Http404``.
    """
    member = (Membership.objects.for_org(membership.organization_id)
              .select_related("user", "manager")
              .filter(pk=_as_id(member_id), manager=membership, is_active=True).first())
    if member is None:
        raise Http404
    return member


def access_member_for_hr(*, membership: Membership, member_id) -> Membership:
    """An active member of the caller's organisation, for HR to manage their mentors and
    coaches.

    Security invariant: the lookup is filtered on the caller's organisation before the role
    check, so another organisation's id is ``Http404`` for everyone; a non-HR caller gets
    ``PermissionDenied`` for a member of their own organisation.
    """
    member = (Membership.objects.for_org(membership.organization_id)
              .select_related("user", "manager__user")
              .filter(pk=_as_id(member_id), is_active=True).first())
    if member is None:
        raise Http404
    require_hr(membership)
    return member
