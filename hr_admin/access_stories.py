"""Turning an id from a request into a success story the caller may see.

Every lookup is filtered on the caller's organisation first; an id of another organisation, an
absent id and a malformed id are the same ``Http404``. A story that is not published is HR's and
leaders' business, and its member's once they have been asked for consent: for anyone else it
does not exist (404), so a colleague cannot learn that a draft about someone is being written.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from organizations.models import Membership

from .models import StoryStatus, SuccessStory
from .selectors.stories import story_rows
from .services.stories import can_write_stories


def _as_id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def access_story_by_id(*, membership: Membership, story_id) -> SuccessStory:
    """A story the caller may read.

    Security invariant: filtered on the caller's organisation and, for anyone who is not HR or
    a leader, on the story being published or being about the caller and sent to them for
    consent, in the query itself; everything else is ``Http404``.
    """
    rows = story_rows(membership.organization_id).filter(pk=_as_id(story_id))
    if not can_write_stories(membership):
        rows = rows.filter(Q(status=StoryStatus.PUBLISHED)
                           | Q(subject=membership, consent_requested_at__isnull=False))
    story = rows.first()
    if story is None:
        raise Http404
    return story
