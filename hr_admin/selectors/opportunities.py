"""Reads of internal opportunities shared by the pages, the API and the panels.

A member's *match* for an opportunity is their readiness for its required skills, computed by
``skills.selectors.readiness_percent`` from **validated** levels only (a self-assessment does not
count until a manager has validated it): an essential skill weighs as a role's core skill, a
desirable one as a desirable skill, and a skill never validated counts as level 0. Retired
skills are left out of the match.

Every list here runs a fixed number of queries whatever the number of opportunities, skills or
candidates: requirements and ratings are read in one query each and matched in Python.

Privacy: interests (and their messages) are read by the member, the opportunity's poster, HR,
and, for opportunities that take time from the day job (projects and gigs), the member's line
manager, who approves that time. The selectors that return interests take the viewer and apply
that rule in the query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.models import Membership, Organization, Team
from skills.models import Importance, LearningResource, Skill, SkillRating
from skills.selectors import readiness_percent
from skills.translations import shown_value

from ..models import (
    InterestStatus,
    ManagerApproval,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)

#: Kinds that take a share of the member's time away from their day job: their line manager
#: approves that time before they can be chosen.
KINDS_NEEDING_APPROVAL = frozenset({OpportunityKind.PROJECT, OpportunityKind.GIG})

#: Kinds that carry a share of time and a duration.
KINDS_WITH_TIME_SHARE = KINDS_NEEDING_APPROVAL

#: Interests still in the running.
ACTIVE_INTEREST = (InterestStatus.INTERESTED, InterestStatus.SELECTED)

SORTS = ("match", "newest", "closing")


def needs_manager_approval(kind: str) -> bool:
    return kind in KINDS_NEEDING_APPROVAL


def importance_of(is_core: bool) -> str:
    return Importance.CORE if is_core else Importance.DESIRABLE


# --- Matching -----------------------------------------------------------------------------------


@dataclass
class SkillMatch:
    """One required skill against a member's validated level."""

    skill_id: int
    skill_name: str
    min_level: int
    is_core: bool
    validated_level: int | None = None
    resources: list[LearningResource] = field(default_factory=list)

    @property
    def effective(self) -> int:
        return self.validated_level or 0

    @property
    def is_met(self) -> bool:
        return self.effective >= self.min_level

    @property
    def gap(self) -> int:
        return max(0, self.min_level - self.effective)


@dataclass
class Match:
    """A member's match for one opportunity: the score (0 to 100, or None when the opportunity
    lists no skills) and the skills they have and lack."""

    score: int | None
    items: list[SkillMatch]

    @property
    def has(self) -> list[SkillMatch]:
        return [item for item in self.items if item.is_met]

    @property
    def lacks(self) -> list[SkillMatch]:
        return [item for item in self.items if not item.is_met]

    @property
    def tone(self) -> str:
        if self.score is None:
            return "none"
        if self.score >= 80:
            return "high"
        if self.score >= 50:
            return "mid"
        return "low"


def match_of(requirements: Iterable[tuple[int, str, int, bool]],
             validated: dict[int, int]) -> Match:
    """The match of ``(skill id, skill name, min level, essential)`` requirements against
    ``skill id → validated level``. Essential skills first, then by name."""
    items = [SkillMatch(skill_id=skill_id, skill_name=name, min_level=min_level,
                        is_core=is_core, validated_level=validated.get(skill_id))
             for skill_id, name, min_level, is_core in requirements]
    items.sort(key=lambda i: (not i.is_core, i.skill_name.lower(), i.skill_id))
    score = readiness_percent((i.min_level, importance_of(i.is_core), i.effective)
                              for i in items)
    return Match(score=score, items=items)


def requirements_by_opportunity(
        *, organization: Organization,
        opportunity_ids: Iterable[int]) -> dict[int, list[tuple[int, str, int, bool]]]:
    """``opportunity id → [(skill id, skill name, min level, essential)]`` of live skills, in
    one query."""
    ids = set(opportunity_ids)
    by_opportunity: dict[int, list[tuple[int, str, int, bool]]] = defaultdict(list)
    if not ids:
        return by_opportunity
    rows = (OpportunitySkill.objects.for_org(organization)
            .filter(opportunity_id__in=ids, skill__is_retired=False)
            .values_list("opportunity_id", "skill_id", "skill__name", "skill__translations",
                         "min_level", "is_core"))
    for opportunity_id, skill_id, name, translations, min_level, is_core in rows:
        # The skill's name as the reader reads it (organisations may translate their skills).
        by_opportunity[opportunity_id].append(
            (skill_id, shown_value(name, translations, "name"), min_level, is_core))
    return by_opportunity


def validated_levels(*, organization: Organization, member: Membership,
                     skill_ids: Iterable[int] | None = None) -> dict[int, int]:
    """``skill id → validated level`` of one member, in one query."""
    rows = SkillRating.objects.for_org(organization).filter(member=member,
                                                             validated_level__isnull=False)
    if skill_ids is not None:
        ids = set(skill_ids)
        if not ids:
            return {}
        rows = rows.filter(skill_id__in=ids)
    return dict(rows.values_list("skill_id", "validated_level"))


def validated_levels_of(*, organization: Organization, member_ids: Iterable[int],
                        skill_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """``member id → {skill id → validated level}`` of several members, in one query."""
    members, skills = set(member_ids), set(skill_ids)
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    if not members or not skills:
        return levels
    rows = (SkillRating.objects.for_org(organization)
            .filter(member_id__in=members, skill_id__in=skills, validated_level__isnull=False)
            .values_list("member_id", "skill_id", "validated_level"))
    for member_id, skill_id, level in rows:
        levels[member_id][skill_id] = level
    return levels


def match_for(*, organization: Organization, member: Membership, opportunity: Opportunity,
              resources_per_skill: int = 0) -> Match:
    """One member's match for one opportunity (two queries; a third for learning resources of
    the skills they lack when ``resources_per_skill``)."""
    requirements = requirements_by_opportunity(organization=organization,
                                               opportunity_ids=[opportunity.pk])[opportunity.pk]
    validated = validated_levels(organization=organization, member=member,
                                 skill_ids=[r[0] for r in requirements])
    match = match_of(requirements, validated)
    if resources_per_skill and match.lacks:
        from skills.selectors import resource_list_for_skills

        found = resource_list_for_skills(organization=organization,
                                         skill_ids=[i.skill_id for i in match.lacks],
                                         per_skill=resources_per_skill)
        for item in match.lacks:
            item.resources = found.get(item.skill_id, [])
    return match


# --- What a member may see ----------------------------------------------------------------------


def is_open_for_interest(opportunity: Opportunity, today: date | None = None) -> bool:
    """Open, and its closing date (if any) not passed."""
    today = today or timezone.localdate()
    return opportunity.status == OpportunityStatus.OPEN and (
        opportunity.closes_on is None or opportunity.closes_on >= today)


#: An open opening closing within this many days is flagged.
CLOSING_SOON_DAYS = 7


def closing_soon(opportunity: Opportunity, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (opportunity.status == OpportunityStatus.OPEN and opportunity.closes_on is not None
            and 0 <= (opportunity.closes_on - today).days <= CLOSING_SOON_DAYS)


def _bookmarked_by(organization: Organization, member: Membership) -> Exists:
    return Exists(OpportunityBookmark.objects.for_org(organization)
                  .filter(opportunity=OuterRef("pk"), member=member))


def _interest_of(organization: Organization, member: Membership, column: str) -> Subquery:
    return Subquery(OpportunityInterest.objects.for_org(organization)
                    .filter(opportunity=OuterRef("pk"), member=member)
                    .values(column)[:1])


def opportunities_visible_to(*, organization: Organization,
                             viewer: Membership) -> QuerySet[Opportunity]:
    """The opportunities ``viewer`` may open: every open one; those they posted; those they
    saved or expressed interest in (to follow what happened); all of them for HR."""
    rows = Opportunity.objects.for_org(organization)
    if viewer.is_hr_admin:
        return rows
    involved = (Exists(OpportunityInterest.objects.for_org(organization)
                       .filter(opportunity=OuterRef("pk"), member=viewer))
                | _bookmarked_by(organization, viewer))
    return rows.filter(Q(status=OpportunityStatus.OPEN) | Q(posted_by=viewer) | involved)


def with_member_state(rows: QuerySet[Opportunity], *, organization: Organization,
                      member: Membership) -> QuerySet[Opportunity]:
    """Annotate ``is_saved``, ``my_interest_id``, ``my_interest_status`` and
    ``my_interest_approval`` for ``member``."""
    return rows.annotate(
        is_saved=_bookmarked_by(organization, member),
        my_interest_id=_interest_of(organization, member, "pk"),
        my_interest_status=_interest_of(organization, member, "status"),
        my_interest_approval=_interest_of(organization, member, "approval"),
    )


def team_subtree_ids(*, organization: Organization, team_id: int) -> set[int]:
    """``team_id`` and every team below it, in one query."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Team.objects.for_org(organization).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, todo = set(), [team_id]
    while todo:
        node = todo.pop()
        if node in found:
            continue
        found.add(node)
        todo.extend(children.get(node, []))
    return found


@dataclass
class BrowseRow:
    """One opportunity of a member's browse list: its id and the member's match."""

    pk: int
    match: Match
    created_at: object
    closes_on: date | None


def opportunity_browse(*, organization: Organization, member: Membership, kind: str = "",
                       team_id: int | None = None, query: str = "", min_match: int | None = None,
                       saved_only: bool = False, sort: str = "match") -> list[BrowseRow]:
    """Open opportunities (closing date not passed) a member can express interest in, with
    their match, filtered and sorted; ``opportunity_cards`` loads a page of them.

    ``team_id`` includes the teams below it; ``query`` matches words in the title, the
    description, the role profile's title and the required skills' names; ``min_match`` keeps
    opportunities the member matches at least that much (those that list no skill are left
    out). Sorted by match (best first, newest first among equals), newest, or closing soonest.

    Three queries (four with ``team_id``), whatever the number of opportunities and skills.
    """
    today = timezone.localdate()
    rows = (Opportunity.objects.for_org(organization)
            .filter(status=OpportunityStatus.OPEN)
            .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today)))
    if kind in OpportunityKind.values:
        rows = rows.filter(kind=kind)
    if team_id:
        rows = rows.filter(team_id__in=team_subtree_ids(organization=organization,
                                                        team_id=team_id))
    for word in query.split()[:5]:
        skill_named = Exists(OpportunitySkill.objects.for_org(organization).filter(
            opportunity=OuterRef("pk"), skill__name__icontains=word))
        rows = rows.filter(Q(title__icontains=word) | Q(description__icontains=word)
                           | Q(role__title__icontains=word) | skill_named)
    if saved_only:
        rows = rows.filter(_bookmarked_by(organization, member))
    found = list(rows.values_list("pk", "created_at", "closes_on"))
    requirements = requirements_by_opportunity(organization=organization,
                                               opportunity_ids=[pk for pk, _c, _d in found])
    validated = validated_levels(organization=organization, member=member,
                                 skill_ids={r[0] for reqs in requirements.values()
                                            for r in reqs})
    out = [BrowseRow(pk=pk, match=match_of(requirements.get(pk, []), validated),
                     created_at=created_at, closes_on=closes_on)
           for pk, created_at, closes_on in found]
    if min_match:
        out = [row for row in out if row.match.score is not None and
               row.match.score >= min_match]
    out.sort(key=lambda row: (-row.created_at.timestamp(), -row.pk))
    if sort == "closing":
        out.sort(key=lambda row: (row.closes_on is None, row.closes_on or today))
    elif sort != "newest":
        out.sort(key=lambda row: -(row.match.score if row.match.score is not None else -1))
    return out


def opportunity_cards(*, organization: Organization, member: Membership,
                      rows: Iterable[BrowseRow]) -> list[Opportunity]:
    """The opportunities of ``rows`` (a page of ``opportunity_browse``), in that order, each
    with ``match`` and the member's state (``with_member_state``). One query."""
    rows = list(rows)
    if not rows:
        return []
    loaded = with_member_state(
        Opportunity.objects.for_org(organization)
        .select_related("team", "role", "posted_by__user")
        .filter(pk__in=[row.pk for row in rows]), organization=organization, member=member)
    by_pk = {opportunity.pk: opportunity for opportunity in loaded}
    cards = []
    for row in rows:
        opportunity = by_pk.get(row.pk)
        if opportunity is not None:
            opportunity.match = row.match
            opportunity.closing_soon = closing_soon(opportunity)
            cards.append(opportunity)
    return cards


def best_matches(*, organization: Organization, member: Membership,
                 limit: int = 3) -> list[Opportunity]:
    """The open opportunities ``member`` matches best (some match, not posted by them, no
    interest expressed yet), for the home panel. Four queries."""
    rows = [row for row in opportunity_browse(organization=organization, member=member)
            if row.match.score]
    cards = opportunity_cards(organization=organization, member=member, rows=rows[:limit * 3])
    picked = [c for c in cards if c.posted_by_id != member.pk and not c.my_interest_status]
    return picked[:limit]


def open_count(*, organization: Organization) -> int:
    today = timezone.localdate()
    return (Opportunity.objects.for_org(organization).filter(status=OpportunityStatus.OPEN)
            .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today)).count())


def opportunity_detail(*, organization: Organization, opportunity: Opportunity,
                       member: Membership) -> Opportunity:
    """``opportunity`` again with the member's state and its required skills (``skill_list``,
    essential first). Two queries."""
    skills = (OpportunitySkill.objects.for_org(organization).select_related("skill")
              .order_by("-is_core", "skill__name", "pk"))
    detail = (with_member_state(Opportunity.objects.for_org(organization),
                                organization=organization, member=member)
              .select_related("team", "role", "posted_by__user", "filled_by__user")
              .prefetch_related(Prefetch("skills", queryset=skills, to_attr="skill_list"))
              .get(pk=opportunity.pk))
    detail.closing_soon = closing_soon(detail)
    return detail


def skill_rows(*, organization: Organization, opportunity: Opportunity) -> list[OpportunitySkill]:
    return list(OpportunitySkill.objects.for_org(organization).filter(opportunity=opportunity)
                .select_related("skill").order_by("-is_core", "skill__name", "pk"))


def skill_choices(*, organization: Organization) -> QuerySet[Skill]:
    """Skills an opening can require: not retired, by category and name."""
    return (Skill.objects.for_org(organization).filter(is_retired=False)
            .select_related("framework", "category").order_by("category__name", "name", "pk"))


# --- What the member did ------------------------------------------------------------------------


def interests_of(*, organization: Organization, member: Membership) -> QuerySet:
    """The member's own expressions of interest, newest first, with their opportunity."""
    return (OpportunityInterest.objects.for_org(organization).filter(member=member)
            .select_related("opportunity__team", "opportunity__role", "member__user",
                            "approval_by__user")
            .order_by("-created_at", "-pk"))


def interest_of(*, organization: Organization, opportunity: Opportunity,
                member: Membership) -> OpportunityInterest | None:
    """The member's own interest in one opportunity, if any."""
    return (OpportunityInterest.objects.for_org(organization)
            .filter(opportunity=opportunity, member=member)
            .select_related("approval_by__user").first())


def bookmarks_of(*, organization: Organization, member: Membership) -> QuerySet:
    return (OpportunityBookmark.objects.for_org(organization).filter(member=member)
            .select_related("opportunity__team").order_by("-created_at", "-pk"))


def member_counts(*, organization: Organization, member: Membership) -> dict[str, int]:
    """How many opportunities the member saved (still open) and is interested in. One query."""
    today = timezone.localdate()
    open_now = (Q(opportunity__status=OpportunityStatus.OPEN)
                & (Q(opportunity__closes_on__isnull=True) | Q(opportunity__closes_on__gte=today)))
    saved = (OpportunityBookmark.objects.for_org(organization).filter(open_now, member=member)
             .values("member").annotate(n=Count("pk")).values("n"))
    interests = (OpportunityInterest.objects.for_org(organization)
                 .filter(member=member).exclude(status=InterestStatus.WITHDRAWN)
                 .values("member").annotate(n=Count("pk")).values("n"))
    row = (Membership.objects.for_org(organization).filter(pk=member.pk)
           .annotate(saved=Coalesce(Subquery(saved, output_field=IntegerField()), 0),
                     interests=Coalesce(Subquery(interests, output_field=IntegerField()), 0))
           .values("saved", "interests").first()) or {"saved": 0, "interests": 0}
    return row


# --- Managing openings --------------------------------------------------------------------------


def can_post(member: Membership) -> bool:
    """HR admins and managers (members with active reports) post openings."""
    if member.is_hr_admin:
        return True
    flag = getattr(member, "is_manager", None)
    if flag is not None:
        return bool(flag)
    return Membership.objects.for_org(member.organization_id).filter(
        manager=member, is_active=True).exists()


def can_manage(viewer: Membership, opportunity: Opportunity) -> bool:
    """HR manages every opening; anyone else only the ones they posted."""
    return viewer.is_hr_admin or (opportunity.posted_by_id is not None
                                  and opportunity.posted_by_id == viewer.pk)


def _count(queryset: QuerySet) -> Coalesce:
    counted = (queryset.filter(opportunity=OuterRef("pk")).order_by().values("opportunity")
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def opportunities_managed(*, organization: Organization, manager: Membership,
                          status: str = "", mine_only: bool = False) -> QuerySet[Opportunity]:
    """The openings ``manager`` manages (HR: all; ``mine_only``: those they posted), newest
    first, with ``candidate_count`` (interests still in the running), ``pending_count``
    (waiting for a manager's approval) and ``approved_count``."""
    interests = OpportunityInterest.objects.for_org(organization).filter(
        status__in=ACTIVE_INTEREST)
    rows = (Opportunity.objects.for_org(organization)
            .select_related("team", "role", "posted_by__user", "filled_by__user")
            .annotate(candidate_count=_count(interests),
                      pending_count=_count(interests.filter(approval=ManagerApproval.PENDING)),
                      approved_count=_count(interests.filter(approval=ManagerApproval.APPROVED))))
    if mine_only or not manager.is_hr_admin:
        rows = rows.filter(posted_by=manager)
    if status in OpportunityStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


def managed_status_counts(*, organization: Organization, manager: Membership,
                          mine_only: bool = False) -> dict[str, int]:
    rows = Opportunity.objects.for_org(organization)
    if mine_only or not manager.is_hr_admin:
        rows = rows.filter(posted_by=manager)
    counts = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    counts["total"] = sum(counts.values())
    return counts


@dataclass
class Candidate:
    interest: OpportunityInterest
    match: Match

    @property
    def member(self) -> Membership:
        return self.interest.member


_STATUS_ORDER = {InterestStatus.SELECTED: 0, InterestStatus.INTERESTED: 1,
                 InterestStatus.NOT_SELECTED: 2, InterestStatus.WITHDRAWN: 3}


def candidate_list(*, organization: Organization, opportunity: Opportunity,
                   include_withdrawn: bool = True) -> list[Candidate]:
    """Everyone who expressed interest in ``opportunity``, ranked: still in the running first,
    then by their *current* match (from their validated skills today; the score when they
    expressed interest stays on ``interest.match_score``), then earliest first.

    For the poster and HR only (the callers check). Three queries, whatever the number of
    candidates and skills.
    """
    interests = (OpportunityInterest.objects.for_org(organization)
                 .filter(opportunity=opportunity)
                 .select_related("member__user", "member__team", "member__manager__user",
                                 "approval_by__user"))
    if not include_withdrawn:
        interests = interests.exclude(status=InterestStatus.WITHDRAWN)
    interests = list(interests)
    for interest in interests:
        # Every row is an interest in ``opportunity``: callers read it without a query each.
        interest.opportunity = opportunity
    requirements = requirements_by_opportunity(organization=organization,
                                               opportunity_ids=[opportunity.pk])[opportunity.pk]
    levels = validated_levels_of(organization=organization,
                                 member_ids=[i.member_id for i in interests],
                                 skill_ids=[r[0] for r in requirements])
    ranked = [Candidate(interest=i, match=match_of(requirements, levels.get(i.member_id, {})))
              for i in interests]
    ranked.sort(key=lambda c: (_STATUS_ORDER.get(c.interest.status, 9),
                               -(c.match.score if c.match.score is not None else -1),
                               c.interest.created_at, c.interest.pk))
    return ranked


def fill_choices(candidates: Iterable[Candidate], opportunity: Opportunity) -> list[Candidate]:
    """Who the opening can be filled with: candidates still interested and, where the kind
    needs it, approved by their manager."""
    needs = needs_manager_approval(opportunity.kind)
    return [c for c in candidates if c.interest.status == InterestStatus.INTERESTED
            and (not needs or c.interest.approval == ManagerApproval.APPROVED)]


# --- Manager approvals --------------------------------------------------------------------------


def has_active_manager(member: Membership) -> bool:
    manager = member.manager if member.manager_id else None
    return manager is not None and manager.is_active


def can_decide_approval(actor: Membership, interest: OpportunityInterest) -> bool:
    """The member's active line manager decides; a member without one is decided by HR (any
    HR admin but the member themself)."""
    member = interest.member
    if actor.pk == member.pk or not actor.is_active:
        return False
    if has_active_manager(member):
        return member.manager_id == actor.pk
    return actor.is_hr_admin


def _approver_filter(approver: Membership) -> Q:
    lines = Q(member__manager=approver)
    if approver.is_hr_admin:
        lines |= (Q(member__manager__isnull=True) | Q(member__manager__is_active=False)) \
            & ~Q(member=approver)
    return lines


def approvals_pending(*, organization: Organization,
                      approver: Membership) -> QuerySet[OpportunityInterest]:
    """Interests waiting for ``approver``'s approval, oldest first: those of their direct
    reports and, for HR, of members with no active line manager."""
    return (OpportunityInterest.objects.for_org(organization)
            .filter(_approver_filter(approver), approval=ManagerApproval.PENDING,
                    status=InterestStatus.INTERESTED, member__is_active=True,
                    opportunity__status=OpportunityStatus.OPEN)
            .select_related("member__user", "member__team", "member__manager",
                            "opportunity__team", "opportunity__posted_by__user")
            .order_by("created_at", "pk"))


def approvals_decided(*, organization: Organization, approver: Membership,
                      limit: int = 20) -> list[OpportunityInterest]:
    """The approvals ``approver`` decided lately, newest first."""
    return list(OpportunityInterest.objects.for_org(organization)
                .filter(approval_by=approver,
                        approval__in=(ManagerApproval.APPROVED, ManagerApproval.DECLINED))
                .select_related("member__user", "opportunity")
                .order_by("-approval_at", "-pk")[:limit])


def approvals_pending_count(*, organization: Organization, approver: Membership) -> int:
    return approvals_pending(organization=organization, approver=approver).count()


# --- The career record --------------------------------------------------------------------------


def opportunity_record(*, organization: Organization, member: Membership) -> dict:
    """The member's saved opportunities and expressions of interest, for their export."""
    def iso(value):
        return value.isoformat() if value is not None else None

    return {
        "saved": [{"title": b.opportunity.title, "kind": b.opportunity.kind,
                   "kind_label": str(b.opportunity.get_kind_display()),
                   "saved_at": iso(b.created_at)}
                  for b in bookmarks_of(organization=organization, member=member)],
        "interests": [{"title": i.opportunity.title, "kind": i.opportunity.kind,
                       "kind_label": str(i.opportunity.get_kind_display()),
                       "status": i.status, "status_label": str(i.get_status_display()),
                       "message": i.message, "match_score": i.match_score,
                       "approval": i.approval, "approval_label": str(i.get_approval_display()),
                       "approval_note": i.approval_note,
                       "approval_by": i.approval_by.display_name if i.approval_by else None,
                       "approval_at": iso(i.approval_at), "expressed_at": iso(i.created_at),
                       "updated_at": iso(i.updated_at)}
                      for i in interests_of(organization=organization, member=member)],
    }
