"""Reads of succession plans, shared by the pages and the API.

Every function takes the organisation and the viewer explicitly, and applies the privacy rule of
``access_succession`` in the query itself: planners (HR, leaders) read every nomination but those
about themselves, a manager reads only what they wrote. Lists run a fixed number of queries
whatever the number of positions and nominations (counts are correlated subqueries, people and
roles are joined).

Bench strength, per position, from the nominations the viewer may read:

* **Strong**: at least ``STRONG_READY_NOW`` successor ready now and ``STRONG_TOTAL`` or more in
  all;
* **Thin**: someone is nominated, but not both of those;
* **No successor**: nobody is nominated.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from conversations.selectors.feedback import PEOPLE_ORDER, reporting_line
from organizations.models import Membership, Organization
from skills.models import RoleRequirement, SkillRating
from skills.selectors import effective_level, readiness_percent

from ..access_succession import plans_succession
from ..models import Criticality, KeyPosition, Readiness, SuccessorNomination

STRONG_READY_NOW = 1
STRONG_TOTAL = 2

NONE, THIN, STRONG = "none", "thin", "strong"
STRENGTH_LABELS = {
    NONE: _("No successor"),
    THIN: _("Thin"),
    STRONG: _("Strong"),
}
STRENGTH_RULES = {
    NONE: _("Nobody is nominated."),
    THIN: _("Someone is nominated, but fewer than two in all or nobody ready now."),
    STRONG: _("At least one successor ready now, and two or more in all."),
}
#: Readiness values in the order a bench shows them, with the annotation holding each count.
READINESS_ORDER = (
    (Readiness.READY_NOW, "n_ready_now"),
    (Readiness.ONE_TWO_YEARS, "n_one_two_years"),
    (Readiness.THREE_PLUS, "n_three_plus"),
)
CRITICALITY_RANK = {Criticality.CRITICAL: 0, Criticality.HIGH: 1, Criticality.MEDIUM: 2}


def bench_strength(*, ready_now: int, total: int) -> str:
    """``strong``, ``thin`` or ``none`` (see the module docstring)."""
    if total <= 0:
        return NONE
    if ready_now >= STRONG_READY_NOW and total >= STRONG_TOTAL:
        return STRONG
    return THIN


@dataclass(frozen=True)
class Bench:
    """How many successors a position has, by readiness, and what that makes its bench."""

    ready_now: int = 0
    one_two_years: int = 0
    three_plus: int = 0

    @property
    def total(self) -> int:
        return self.ready_now + self.one_two_years + self.three_plus

    @property
    def strength(self) -> str:
        return bench_strength(ready_now=self.ready_now, total=self.total)

    @property
    def label(self) -> str:
        return str(STRENGTH_LABELS[self.strength])

    @property
    def rule(self) -> str:
        return str(STRENGTH_RULES[self.strength])

    @property
    def is_weak(self) -> bool:
        return self.strength != STRONG

    def segments(self) -> list[dict]:
        """The bench as bar segments: readiness, label, count and share of the bar (%)."""
        scale = max(self.total, STRONG_TOTAL + 1)
        counts = (self.ready_now, self.one_two_years, self.three_plus)
        return [{"readiness": value, "label": Readiness(value).label, "count": count,
                 "share": round(100 * count / scale)}
                for (value, _name), count in zip(READINESS_ORDER, counts, strict=True) if count]

    @classmethod
    def of(cls, position) -> Bench:
        """From a position annotated by ``position_list``."""
        return cls(ready_now=position.n_ready_now, one_two_years=position.n_one_two_years,
                   three_plus=position.n_three_plus)


# --- Nominations --------------------------------------------------------------------------------


def _nominations(organization) -> QuerySet[SuccessorNomination]:
    return (SuccessorNomination.objects.for_org(organization)
            .select_related("position__role", "position__team", "candidate__user",
                            "candidate__team", "candidate__role_link__role",
                            "nominated_by__user"))


def visible_nominations(*, organization: Organization,
                        viewer: Membership) -> QuerySet[SuccessorNomination]:
    """Every nomination ``viewer`` may read: all of them for planners, the ones they wrote for
    anyone else. Never one about the viewer."""
    rows = _nominations(organization).exclude(candidate=viewer)
    if plans_succession(viewer):
        return rows
    return rows.filter(nominated_by=viewer)


def nominations_made(*, organization: Organization,
                     nominator: Membership) -> QuerySet[SuccessorNomination]:
    """What ``nominator`` wrote, newest first."""
    return (_nominations(organization).filter(nominated_by=nominator).exclude(candidate=nominator)
            .order_by("-created_at", "-pk"))


def position_bench(*, organization: Organization, position: KeyPosition,
                   viewer: Membership) -> QuerySet[SuccessorNomination]:
    """The successors of ``position`` the viewer may read: ready now first, then the longest
    nominated."""
    readiness_rank = Case(*(When(readiness=value, then=Value(i))
                            for i, (value, _n) in enumerate(READINESS_ORDER)),
                          output_field=IntegerField())
    return (visible_nominations(organization=organization, viewer=viewer)
            .filter(position=position)
            .order_by(readiness_rank, "created_at", "pk"))


def nomination_candidates(*, organization: Organization,
                          nominator: Membership) -> QuerySet[Membership]:
    """Whom ``nominator`` may nominate: any active member for a planner, the active members of
    their reporting line for a manager."""
    if plans_succession(nominator):
        return (Membership.objects.for_org(organization).filter(is_active=True)
                .exclude(pk=nominator.pk).select_related("user", "team").order_by(*PEOPLE_ORDER))
    return reporting_line(organization=organization, manager=nominator)


def candidate_readiness(*, organization: Organization, role,
                        member_ids) -> dict[int, int | None]:
    """Each member's readiness (0 to 100) for ``role`` from their ratings (validated, else self
    assessed), as ``skills.selectors.readiness_percent`` computes it. Two queries."""
    member_ids = list(member_ids)
    if role is None or not member_ids:
        return {}
    requirements = list(RoleRequirement.objects.for_org(organization)
                        .filter(role=role, skill__is_retired=False)
                        .values_list("skill_id", "min_level", "importance"))
    if not requirements:
        return dict.fromkeys(member_ids)
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for rating in SkillRating.objects.for_org(organization).filter(
            member_id__in=member_ids, skill_id__in=[r[0] for r in requirements]):
        levels[rating.member_id][rating.skill_id] = effective_level(rating)
    return {
        member_id: readiness_percent(
            (required, importance, levels[member_id].get(skill_id, 0))
            for skill_id, required, importance in requirements)
        for member_id in member_ids
    }


# --- Positions ----------------------------------------------------------------------------------


def _count(queryset: QuerySet, field_name: str) -> Coalesce:
    counted = (queryset.filter(**{field_name: OuterRef("pk")}).order_by().values(field_name)
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _with_bench(rows: QuerySet[KeyPosition], *, organization,
                viewer: Membership) -> QuerySet[KeyPosition]:
    visible = SuccessorNomination.objects.for_org(organization).exclude(candidate=viewer)
    annotations = {name: _count(visible.filter(readiness=value), "position")
                   for value, name in READINESS_ORDER}
    return rows.annotate(**annotations).annotate(
        n_total=F("n_ready_now") + F("n_one_two_years") + F("n_three_plus"))


def _criticality_rank() -> Case:
    return Case(*(When(criticality=value, then=Value(rank))
                  for value, rank in CRITICALITY_RANK.items()), default=Value(9),
                output_field=IntegerField())


def position_list(*, organization: Organization, viewer: Membership,
                  criticality: str | None = None, weak_only: bool = False,
                  include_retired: bool = False) -> QuerySet[KeyPosition]:
    """Key positions with their role, team and incumbent, and their bench counts as the viewer
    may read them (``n_ready_now``, ``n_one_two_years``, ``n_three_plus``, ``n_total``).

    Most critical first, then the weakest bench, then by name. ``weak_only`` keeps the
    positions whose bench is not strong. Empty for anyone but a planner.
    """
    if not plans_succession(viewer):
        return KeyPosition.objects.for_org(organization).none()
    rows = (KeyPosition.objects.for_org(organization)
            .select_related("role", "team", "incumbent__user", "incumbent__team"))
    if not include_retired:
        rows = rows.filter(is_active=True)
    if criticality:
        rows = rows.filter(criticality=criticality)
    rows = _with_bench(rows, organization=organization, viewer=viewer)
    if weak_only:
        rows = rows.filter(Q(n_ready_now__lt=STRONG_READY_NOW) | Q(n_total__lt=STRONG_TOTAL))
    return rows.order_by(_criticality_rank(), "n_ready_now", "n_total", "title", "role__title",
                         "pk")


def position_get(*, organization: Organization, viewer: Membership,
                 position_id: int) -> KeyPosition | None:
    """One position with its bench counts (as ``position_list``), retired or not."""
    return position_list(organization=organization, viewer=viewer,
                         include_retired=True).filter(pk=position_id).first()


def position_choices(*, organization: Organization) -> QuerySet[KeyPosition]:
    """Active positions a nomination can name: by name, with role and team joined."""
    return (KeyPosition.objects.for_org(organization).filter(is_active=True)
            .select_related("role", "team").order_by("title", "role__title", "pk"))


def bench_summary(*, organization: Organization, viewer: Membership) -> dict:
    """Counts over every active position: ``positions``, by strength (``none``, ``thin``,
    ``strong``), ``critical_weak`` (critical positions whose bench is not strong),
    ``ready_now`` (successors ready now) and ``retired``. Two queries."""
    summary = {"positions": 0, NONE: 0, THIN: 0, STRONG: 0, "critical_weak": 0, "ready_now": 0}
    if not plans_succession(viewer):
        summary["retired"] = 0
        return summary
    rows = position_list(organization=organization, viewer=viewer).values_list(
        "criticality", "n_ready_now", "n_total")
    for criticality, ready_now, total in rows:
        strength = bench_strength(ready_now=ready_now, total=total)
        summary["positions"] += 1
        summary[strength] += 1
        summary["ready_now"] += ready_now
        if criticality == Criticality.CRITICAL and strength != STRONG:
            summary["critical_weak"] += 1
    summary["retired"] = (KeyPosition.objects.for_org(organization).filter(is_active=False)
                          .count())
    return summary


def positions_held(*, organization: Organization, member: Membership) -> QuerySet[KeyPosition]:
    return KeyPosition.objects.for_org(organization).filter(incumbent=member, is_active=True)
