"""Turning an id from a request into a conversations object the caller may see.

Every lookup is filtered on the caller's organisation first; an id of another organisation, an
absent id and a malformed id are the same ``Http404``. A conversation is its two participants'
business: for anyone else it does not exist (404), whatever their role. HR learns that
conversations happen, and when, through selectors that never read their content.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from organizations.models import Membership

from .models import Conversation


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def is_participant(conversation: Conversation, membership: Membership) -> bool:
    return membership.pk in (conversation.member_id, conversation.partner_id)


def access_conversation_by_id(*, membership: Membership, conversation_id) -> Conversation:
    """A conversation the caller takes part in (as the employee or as the partner).

    Security invariant: filtered on the organisation and on the caller being one of the two
    participants, in the query itself; anyone else, HR and leaders included, gets ``Http404``.
    """
    conversation = (
        Conversation.objects.for_org(membership.organization_id)
        .select_related("member__user", "partner__user", "member__manager")
        .filter(Q(member=membership) | Q(partner=membership), pk=_as_id(conversation_id))
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation
