"""Reads of success stories, shared by pages, the API, the home panel and (later) the leaders'
dashboard.

Who reads what: a published story, every member; a story not (or no longer) published, HR and
leaders, and the member it is about once they have been asked for consent. Every function takes
the organisation explicitly; list reads cost a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Organization

from ..models import Move, StoryStatus, SuccessStory

#: How many of a member's moves a story form offers.
MOVES_SHOWN = 20
#: The tabs of HR's and leaders' stories in progress, in order.
IN_PROGRESS = (StoryStatus.DRAFT, StoryStatus.AWAITING_CONSENT, StoryStatus.DECLINED,
               StoryStatus.WITHDRAWN)


@dataclass(frozen=True)
class State:
    key: str
    label: str
    tone: str


def state_of(story: SuccessStory) -> State:
    """What a reader should understand of a story's status and consent."""
    if story.status == StoryStatus.PUBLISHED:
        return State("published", _("Published"), "success")
    if story.status == StoryStatus.DRAFT and story.consent_given_at is not None:
        return State("ready", _("Consent given · ready to publish"), "info")
    if story.status == StoryStatus.AWAITING_CONSENT:
        return State("awaiting", _("Waiting for consent"), "warning")
    if story.status == StoryStatus.DECLINED:
        return State("declined", _("Consent declined"), "danger")
    if story.status == StoryStatus.WITHDRAWN:
        return State("withdrawn", _("Consent withdrawn"), "danger")
    return State("draft", _("Draft"), "neutral")


def story_rows(organization) -> QuerySet[SuccessStory]:
    """Stories of ``organization`` with what every page shows joined in."""
    return (SuccessStory.objects.for_org(organization)
            .select_related("subject__user", "subject__team", "author__user",
                            "move__from_role", "move__to_role", "move__from_team",
                            "move__to_team"))


def stories_published(*, organization: Organization,
                      limit: int | None = None) -> QuerySet[SuccessStory]:
    """Published stories, newest first (the stories page, the home panel, leaders' dashboard)."""
    rows = (story_rows(organization).filter(status=StoryStatus.PUBLISHED)
            .order_by("-published_at", "-pk"))
    return rows[:limit] if limit else rows


def stories_in_progress(*, organization: Organization,
                        status: str | None = None) -> QuerySet[SuccessStory]:
    """Stories not published (HR and leaders): drafts, waiting for consent, declined,
    withdrawn. Most recently changed first."""
    rows = story_rows(organization).exclude(status=StoryStatus.PUBLISHED)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-updated_at", "-pk")


def stories_about(*, organization: Organization, member: Membership) -> QuerySet[SuccessStory]:
    """The stories the member has been asked about (or that are published), newest first."""
    return (story_rows(organization).filter(subject=member)
            .filter(Q(consent_requested_at__isnull=False) | Q(status=StoryStatus.PUBLISHED))
            .order_by("-updated_at", "-pk"))


def story_counts(*, organization: Organization) -> dict[str, int]:
    """Stories by status, in one query."""
    row = SuccessStory.objects.for_org(organization).aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in StoryStatus.values})
    counts = {s: row[s] or 0 for s in StoryStatus.values}
    counts["in_progress"] = sum(counts[s] for s in IN_PROGRESS)
    return counts


def moves_of(*, organization: Organization, member: Membership) -> QuerySet[Move]:
    """A member's recorded moves, latest first: what a story can tell of."""
    return (Move.objects.for_org(organization).filter(member=member)
            .select_related("from_role", "to_role", "from_team", "to_team")
            .order_by("-effective_on", "-created_at", "-pk"))


def story_subjects(*, organization: Organization, author: Membership) -> QuerySet[Membership]:
    """Whom ``author`` may write about: active members but themselves."""
    return (Membership.objects.for_org(organization).filter(is_active=True)
            .exclude(pk=author.pk).select_related("user", "team"))


def org_moves(*, organization: Organization) -> QuerySet[Move]:
    """Every move of the organisation (for validating an id; the service checks the member)."""
    return Move.objects.for_org(organization).select_related("member")


def describe_move(move: Move | None) -> str:
    """"Promotion · Support Engineer → Software Engineer · March 2025", for a story's heading."""
    if move is None:
        return ""
    parts = [str(move.get_kind_display())]
    before = move.from_role.title if move.from_role else (
        move.from_team.name if move.from_team else "")
    after = move.to_role.title if move.to_role else (move.to_team.name if move.to_team else "")
    if before and after and before != after:
        parts.append(f"{before} → {after}")
    elif after:
        parts.append(after)
    parts.append(date_format(move.effective_on, "YEAR_MONTH_FORMAT"))
    return " · ".join(parts)
