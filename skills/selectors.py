"""Reads of the skills app shared by pages and the API.

Every function takes the organisation explicitly and filters on it. Functions that return one
figure per member or per role (gap analysis, the roles a member is closest to, the pathway, the
team matrix) run a fixed number of queries whatever the number of rows and compute the rest in
Python.

Levels are integer ranks of a framework's scale. A member's *effective* level in a skill is their
validated level, else their self-assessed level, else 0 (not rated yet).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organizations.models import Membership, Organization

from .models import (
    CareerPath,
    CheckIn,
    CheckInItem,
    CheckInStatus,
    Framework,
    Importance,
    LearningResource,
    Level,
    MemberRole,
    RatingChange,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillLevelDescriptor,
    SkillRating,
)
from .translations import shown_value

#: How much a requirement weighs in readiness.
IMPORTANCE_WEIGHTS: dict[str, int] = {Importance.CORE: 2, Importance.DESIRABLE: 1}

#: Colour steps of the team matrix (1..MATRIX_TONES; 0 is "not rated").
MATRIX_TONES = 7


# --- Small helpers ------------------------------------------------------------------------------


def _count(queryset: QuerySet, field_name: str) -> Coalesce:
    """A correlated ``COUNT(*)`` of ``queryset`` rows whose ``field_name`` is the outer row.

    A subquery rather than ``Count`` over joins, so two counts on one row do not multiply.
    """
    counted = (queryset.filter(**{field_name: OuterRef("pk")}).order_by().values(field_name)
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def effective_level(rating: SkillRating | None) -> int:
    """Validated level, else self-assessed level, else 0."""
    if rating is None:
        return 0
    level = rating.level
    return level if level is not None else 0


def readiness_percent(parts: Iterable[tuple[int, str, int]]) -> int | None:
    """Readiness for a role, 0 to 100, from ``(required, importance, effective)`` level triples.

    Each required skill contributes ``min(effective, required) / required`` (being above the
    required level earns nothing extra; half-way to it earns half), weighted 2 for a core skill
    and 1 for a desirable one::

        readiness = 100 * sum(weight * min(effective, required) / required) / sum(weight)

    rounded half up to a whole number. A role that requires nothing has no readiness (None).
    """
    earned, total = Fraction(0), 0
    for required, importance, effective in parts:
        if not required or required <= 0:
            continue
        weight = IMPORTANCE_WEIGHTS.get(importance, 1)
        earned += Fraction(weight * min(max(effective, 0), required), required)
        total += weight
    if not total:
        return None
    return math.floor(earned * 100 / total + Fraction(1, 2))


# --- Frameworks, skills, levels -----------------------------------------------------------------


def framework_list(*, organization: Organization) -> QuerySet[Framework]:
    """Frameworks with ``level_count``, ``skill_count`` (not retired) and ``role_count``."""
    return (
        Framework.objects.for_org(organization)
        .annotate(
            level_count=_count(Level.objects.for_org(organization), "framework"),
            skill_count=_count(Skill.objects.for_org(organization).filter(is_retired=False),
                               "framework"),
            role_count=_count(RoleProfile.objects.for_org(organization), "framework"),
        )
        .order_by("name", "pk")
    )


def framework_get(*, organization: Organization, framework_id: int) -> Framework | None:
    return framework_list(organization=organization).filter(pk=framework_id).first()


def level_list(*, organization: Organization, framework: Framework | int) -> QuerySet[Level]:
    return (Level.objects.for_org(organization)
            .filter(framework=getattr(framework, "pk", framework)).order_by("rank"))


def levels_by_framework(*, organization: Organization,
                        framework_ids: Iterable[int]) -> dict[int, list[Level]]:
    """Each framework's scale, lowest rank first, in one query."""
    ids = {fid for fid in framework_ids if fid is not None}
    scales: dict[int, list[Level]] = {fid: [] for fid in ids}
    if ids:
        for level in (Level.objects.for_org(organization).filter(framework_id__in=ids)
                      .order_by("framework_id", "rank")):
            scales[level.framework_id].append(level)
    return scales


def skill_list(*, organization: Organization, framework: Framework | int | None = None,
               query: str = "", include_retired: bool = False) -> QuerySet[Skill]:
    """Skills searchable by name and description; retired ones only on request."""
    qs = Skill.objects.for_org(organization).select_related("framework", "category")
    if framework is not None:
        qs = qs.filter(framework=getattr(framework, "pk", framework))
    if not include_retired:
        qs = qs.filter(is_retired=False)
    for word in query.split()[:5]:
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs.order_by("name", "pk")


def skill_get(*, organization: Organization, skill_id: int) -> Skill | None:
    return (Skill.objects.for_org(organization).select_related("framework", "category")
            .filter(pk=skill_id).first())


def descriptors_by_skill_and_rank(*, organization: Organization,
                                  skill_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """``(skill id, rank) → what that level means for that skill``, in one query."""
    ids = {sid for sid in skill_ids if sid is not None}
    if not ids:
        return {}
    rows = (SkillLevelDescriptor.objects.for_org(organization).filter(skill_id__in=ids)
            .values_list("skill_id", "level__rank", "description", "translations"))
    return {(skill_id, rank): shown_value(text, translations, "description")
            for skill_id, rank, text, translations in rows}


# --- Role profiles and career paths -------------------------------------------------------------


def role_list(*, organization: Organization, active_only: bool = False,
              query: str = "") -> QuerySet[RoleProfile]:
    """Role profiles with ``requirement_count`` and ``holder_count`` (members in the role)."""
    qs = (
        RoleProfile.objects.for_org(organization)
        .select_related("framework")
        .annotate(
            requirement_count=_count(RoleRequirement.objects.for_org(organization), "role"),
            holder_count=_count(
                MemberRole.objects.for_org(organization).filter(member__is_active=True), "role"
            ),
        )
    )
    if active_only:
        qs = qs.filter(is_active=True)
    for word in query.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(family__icontains=word))
    return qs.order_by("family", "grade", "title", "pk")


def role_choices(*, organization: Organization) -> QuerySet[RoleProfile]:
    """Active role profiles for a drop-down, by title."""
    return (RoleProfile.objects.for_org(organization).filter(is_active=True)
            .select_related("framework").order_by("title", "pk"))


def role_get(*, organization: Organization, role_id: int) -> RoleProfile | None:
    """One role profile with its framework and its requirements (``requirement_list``)."""
    requirements = (RoleRequirement.objects.for_org(organization).select_related("skill")
                    .order_by("skill__name", "pk"))
    return (
        RoleProfile.objects.for_org(organization)
        .select_related("framework")
        .prefetch_related(Prefetch("requirements", queryset=requirements,
                                   to_attr="requirement_list"))
        .filter(pk=role_id)
        .first()
    )


def path_list(*, organization: Organization,
              role: RoleProfile | int | None = None) -> QuerySet[CareerPath]:
    """Career paths, optionally only those leading out of ``role``."""
    qs = CareerPath.objects.for_org(organization).select_related("from_role", "to_role")
    if role is not None:
        qs = qs.filter(from_role=getattr(role, "pk", role))
    return qs.order_by("from_role__title", "to_role__title", "pk")


def resource_list_for_skills(*, organization: Organization, skill_ids: Iterable[int],
                             per_skill: int | None = None) -> dict[int, list[LearningResource]]:
    """Learning resources of several skills in one query, as ``skill id → resources``.

    ``per_skill`` keeps the first few of each skill (by title).
    """
    ids = {sid for sid in skill_ids if sid is not None}
    grouped: dict[int, list[LearningResource]] = defaultdict(list)
    if not ids:
        return {}
    for resource in (LearningResource.objects.for_org(organization).filter(skill_id__in=ids)
                     .order_by("skill_id", "title", "pk")):
        bucket = grouped[resource.skill_id]
        if per_skill is None or len(bucket) < per_skill:
            bucket.append(resource)
    return dict(grouped)


# --- A member's role and ratings ----------------------------------------------------------------


def current_role(*, organization: Organization, member: Membership) -> RoleProfile | None:
    link = (MemberRole.objects.for_org(organization).filter(member=member)
            .select_related("role__framework").first())
    return link.role if link else None


def ratings_by_skill(*, organization: Organization, member: Membership,
                     skill_ids: Iterable[int] | None = None) -> dict[int, SkillRating]:
    qs = SkillRating.objects.for_org(organization).filter(member=member)
    if skill_ids is not None:
        qs = qs.filter(skill_id__in=set(skill_ids))
    return {rating.skill_id: rating for rating in qs}


def rating_list(*, organization: Organization, member: Membership) -> list[SkillRating]:
    """A member's ratings with their skill, by skill name, each with ``level_name``."""
    ratings = list(
        SkillRating.objects.for_org(organization).filter(member=member)
        .filter(Q(self_level__isnull=False) | Q(validated_level__isnull=False))
        .select_related("skill__framework", "skill__category")
        .order_by("skill__name", "pk")
    )
    scales = levels_by_framework(organization=organization,
                                 framework_ids={r.skill.framework_id for r in ratings})
    for rating in ratings:
        names = {lv.rank: lv.shown_name for lv in scales.get(rating.skill.framework_id, [])}
        rating.self_level_name = names.get(rating.self_level, "")
        rating.validated_level_name = names.get(rating.validated_level, "")
    return ratings


def _requirements_by_role(*, organization: Organization,
                          role_ids: Iterable[int]) -> dict[int, list[tuple[int, int, str]]]:
    """``role id → [(skill id, required level, importance)]`` of live skills, in one query."""
    ids = set(role_ids)
    by_role: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if not ids:
        return by_role
    rows = (RoleRequirement.objects.for_org(organization)
            .filter(role_id__in=ids, skill__is_retired=False)
            .values_list("role_id", "skill_id", "min_level", "importance"))
    for role_id, skill_id, min_level, importance in rows:
        by_role[role_id].append((skill_id, min_level, importance))
    return by_role


def _effective_by_skill(ratings: dict[int, SkillRating]) -> dict[int, int]:
    return {skill_id: effective_level(rating) for skill_id, rating in ratings.items()}


# --- Gap analysis -------------------------------------------------------------------------------


@dataclass
class GapItem:
    requirement: RoleRequirement
    skill: Skill
    required_level: int
    importance: str
    self_level: int | None
    validated_level: int | None
    effective_level: int
    gap: int
    scale_max: int
    required_level_name: str = ""
    effective_level_name: str = ""
    resources: list[LearningResource] = field(default_factory=list)

    @property
    def is_core(self) -> bool:
        return self.importance == Importance.CORE

    @property
    def is_met(self) -> bool:
        return self.gap == 0

    @property
    def weight(self) -> int:
        return IMPORTANCE_WEIGHTS.get(self.importance, 1)

    @property
    def source(self) -> str:
        """Where the effective level comes from: "validated", "self" or "" (not rated)."""
        if self.validated_level is not None:
            return "validated"
        if self.self_level is not None:
            return "self"
        return ""

    @property
    def required_percent(self) -> int:
        return _percent(self.required_level, self.scale_max)

    @property
    def effective_percent(self) -> int:
        return _percent(self.effective_level, self.scale_max)


def _percent(value: int, scale_max: int) -> int:
    if scale_max <= 0:
        return 0
    return max(0, min(100, round(100 * value / scale_max)))


@dataclass
class GapReport:
    member: Membership
    role: RoleProfile
    items: list[GapItem]
    readiness: int | None
    levels: list[Level]

    @property
    def scale_max(self) -> int:
        return max((lv.rank for lv in self.levels), default=0)

    @property
    def gaps(self) -> list[GapItem]:
        return [item for item in self.items if item.gap]

    @property
    def core_gap_count(self) -> int:
        return sum(1 for item in self.items if item.gap and item.is_core)

    @property
    def met_count(self) -> int:
        return sum(1 for item in self.items if not item.gap)

    @property
    def total_gap(self) -> int:
        return sum(item.gap for item in self.items)

    @property
    def member_has_ratings(self) -> bool:
        return any(item.source for item in self.items)


def gap_analysis(*, organization: Organization, member: Membership, role: RoleProfile,
                 resources_per_skill: int = 3) -> GapReport:
    """How far ``member`` is from ``role``, skill by skill.

    For each requirement of the role (retired skills aside): the required level and importance,
    the member's self-assessed and validated levels, the effective level (validated, else self,
    else 0), the gap ``max(0, required - effective)`` and, for a gap, up to
    ``resources_per_skill`` learning resources of that skill. ``readiness`` follows
    ``readiness_percent``: core skills weigh 2, desirable 1, each contributing
    ``min(effective, required) / required``.

    Items come core first, then the largest gaps, then by skill name. Five queries.
    """
    requirements = list(
        RoleRequirement.objects.for_org(organization)
        .filter(role=role, skill__is_retired=False)
        .select_related("skill")
        .order_by("skill__name", "pk")
    )
    ratings = ratings_by_skill(organization=organization, member=member,
                               skill_ids=[r.skill_id for r in requirements])
    levels = levels_by_framework(organization=organization,
                                 framework_ids=[role.framework_id])[role.framework_id]
    names = {lv.rank: lv.shown_name for lv in levels}
    scale_max = max([lv.rank for lv in levels] + [r.min_level for r in requirements] + [0])
    items = []
    for requirement in requirements:
        rating = ratings.get(requirement.skill_id)
        effective = effective_level(rating)
        items.append(GapItem(
            requirement=requirement,
            skill=requirement.skill,
            required_level=requirement.min_level,
            importance=requirement.importance,
            self_level=rating.self_level if rating else None,
            validated_level=rating.validated_level if rating else None,
            effective_level=effective,
            gap=max(0, requirement.min_level - effective),
            scale_max=scale_max,
            required_level_name=names.get(requirement.min_level, ""),
            effective_level_name=names.get(effective, ""),
        ))
    gap_skill_ids = [item.skill.pk for item in items if item.gap]
    resources = resource_list_for_skills(organization=organization, skill_ids=gap_skill_ids,
                                         per_skill=resources_per_skill)
    for item in items:
        if item.gap:
            item.resources = resources.get(item.skill.pk, [])
    items.sort(key=lambda i: (not i.is_core, -i.gap, i.skill.shown_name.lower(), i.skill.pk))
    readiness = readiness_percent(
        (item.required_level, item.importance, item.effective_level) for item in items
    )
    return GapReport(member=member, role=role, items=items, readiness=readiness, levels=levels)


# --- Roles a member is closest to ---------------------------------------------------------------


@dataclass
class RoleReadiness:
    role: RoleProfile
    readiness: int | None
    requirement_count: int
    met_count: int
    core_gap_count: int
    total_gap: int
    is_current: bool = False

    @property
    def gap_count(self) -> int:
        return self.requirement_count - self.met_count


def _role_readiness(role: RoleProfile, requirements: list[tuple[int, int, str]],
                    effective: dict[int, int], *, is_current: bool = False) -> RoleReadiness:
    met = core_gaps = total_gap = 0
    for skill_id, required, importance in requirements:
        gap = max(0, required - effective.get(skill_id, 0))
        total_gap += gap
        if gap == 0:
            met += 1
        elif importance == Importance.CORE:
            core_gaps += 1
    readiness = readiness_percent(
        (required, importance, effective.get(skill_id, 0))
        for skill_id, required, importance in requirements
    )
    return RoleReadiness(role=role, readiness=readiness, requirement_count=len(requirements),
                         met_count=met, core_gap_count=core_gaps, total_gap=total_gap,
                         is_current=is_current)


def _readiness_sort_key(item: RoleReadiness):
    return (item.readiness is None, -(item.readiness or 0), item.core_gap_count, item.total_gap,
            item.role.shown_title.lower(), item.role.pk)


def closest_roles(*, organization: Organization, member: Membership,
                  ratings: dict[int, SkillRating] | None = None,
                  exclude_current: bool = False) -> list[RoleReadiness]:
    """Every active role profile ranked by the member's readiness for it.

    Highest readiness first; ties go to the role with fewer core gaps, then the smaller total
    gap, then the title. Roles that require nothing yet come last (no readiness). The member's
    current role is flagged ``is_current`` (or left out with ``exclude_current``).

    Four queries (three when ``ratings`` is given), whatever the number of roles.
    """
    current = MemberRole.objects.for_org(organization).filter(member=member) \
        .values_list("role_id", flat=True).first()
    roles = list(RoleProfile.objects.for_org(organization).filter(is_active=True)
                 .select_related("framework"))
    if exclude_current:
        roles = [role for role in roles if role.pk != current]
    requirements = _requirements_by_role(organization=organization,
                                         role_ids=[role.pk for role in roles])
    if ratings is None:
        ratings = ratings_by_skill(organization=organization, member=member)
    effective = _effective_by_skill(ratings)
    ranked = [_role_readiness(role, requirements.get(role.pk, []), effective,
                              is_current=role.pk == current) for role in roles]
    ranked.sort(key=_readiness_sort_key)
    return ranked


# --- Pathway ------------------------------------------------------------------------------------


@dataclass
class PathwayVia:
    """One way into a role two moves away: through ``role``, by ``path``."""

    role: RoleProfile
    first: CareerPath
    path: CareerPath

    @property
    def total_months(self) -> int | None:
        if self.first.typical_months is None or self.path.typical_months is None:
            return None
        return self.first.typical_months + self.path.typical_months


@dataclass
class PathwayStep:
    role: RoleProfile
    readiness: RoleReadiness
    path: CareerPath | None = None  # the move from the current role (one move away)
    via: list[PathwayVia] = field(default_factory=list)  # the ways in (two moves away)

    @property
    def kind(self) -> str:
        return self.path.kind if self.path else ""

    @property
    def typical_months(self) -> int | None:
        if self.path is not None:
            return self.path.typical_months
        totals = [v.total_months for v in self.via if v.total_months is not None]
        return min(totals) if totals else None


@dataclass
class Pathway:
    current: RoleProfile | None
    current_readiness: RoleReadiness | None
    one_move: list[PathwayStep]
    two_moves: list[PathwayStep]

    @property
    def is_empty(self) -> bool:
        return not self.one_move and not self.two_moves


_KIND_ORDER = {"promotion": 0, "lateral": 1, "cross_functional": 2}


def pathway(*, organization: Organization, member: Membership,
            ratings: dict[int, SkillRating] | None = None) -> Pathway:
    """Where the member can go from their current role: one move away and two moves away.

    One move: every career path out of the current role to an active role, with its kind and
    typical months. Two moves: active roles reachable through one of those and not already one
    move away (nor the current role), each with the ways in (``via``) and the shortest known
    total time. Every role carries the member's readiness for it.

    Six queries at most (five when ``ratings`` is given), whatever the number of paths.
    """
    role = current_role(organization=organization, member=member)
    if role is None:
        return Pathway(current=None, current_readiness=None, one_move=[], two_moves=[])
    first_paths = list(
        CareerPath.objects.for_org(organization)
        .filter(from_role=role, to_role__is_active=True)
        .select_related("to_role__framework")
    )
    first_ids = {p.to_role_id for p in first_paths}
    second_paths = []
    if first_ids:
        second_paths = list(
            CareerPath.objects.for_org(organization)
            .filter(from_role_id__in=first_ids, to_role__is_active=True)
            .exclude(to_role_id__in=first_ids | {role.pk})
            .select_related("to_role__framework")
        )
    role_ids = {role.pk} | first_ids | {p.to_role_id for p in second_paths}
    requirements = _requirements_by_role(organization=organization, role_ids=role_ids)
    if ratings is None:
        ratings = ratings_by_skill(organization=organization, member=member)
    effective = _effective_by_skill(ratings)

    def readiness_of(r: RoleProfile, *, is_current: bool = False) -> RoleReadiness:
        return _role_readiness(r, requirements.get(r.pk, []), effective, is_current=is_current)

    one_move = [PathwayStep(role=p.to_role, readiness=readiness_of(p.to_role), path=p)
                for p in first_paths]
    one_move.sort(key=lambda s: (_KIND_ORDER.get(s.kind, 9), -(s.readiness.readiness or 0),
                                 s.role.shown_title.lower(), s.role.pk))
    first_by_role = {step.role.pk: step for step in one_move}
    two: dict[int, PathwayStep] = {}
    for p in second_paths:
        step = two.get(p.to_role_id)
        if step is None:
            step = two[p.to_role_id] = PathwayStep(role=p.to_role,
                                                   readiness=readiness_of(p.to_role))
        through = first_by_role[p.from_role_id]
        step.via.append(PathwayVia(role=through.role, first=through.path, path=p))
    order = {step.role.pk: index for index, step in enumerate(one_move)}
    for step in two.values():
        step.via.sort(key=lambda v: order[v.role.pk])
    # Roles entered through higher cards come first, which keeps the connectors from crossing.
    two_moves = sorted(
        two.values(),
        key=lambda s: (sum(order[v.role.pk] for v in s.via) / len(s.via),
                       -(s.readiness.readiness or 0), s.role.shown_title.lower(), s.role.pk),
    )
    return Pathway(current=role, current_readiness=readiness_of(role, is_current=True),
                   one_move=one_move, two_moves=two_moves)


# --- Team matrix --------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    level: int | None
    validated: bool
    required: int | None
    tone: int
    level_name: str = ""

    @property
    def below(self) -> bool:
        return self.required is not None and (self.level or 0) < self.required


@dataclass
class MatrixRow:
    member: Membership
    role: RoleProfile | None
    cells: list[MatrixCell]
    readiness: int | None


@dataclass
class TeamMatrix:
    skills: list[Skill]
    rows: list[MatrixRow]
    role: RoleProfile | None
    scales: dict[int, list[Level]]

    @property
    def legend(self) -> list[tuple[Framework | None, list[tuple[Level, int]]]]:
        """Per framework in use: each level with its colour step."""
        frameworks = {s.framework_id: s.framework for s in self.skills}
        out = []
        for framework_id, levels in sorted(self.scales.items()):
            scale_max = max((lv.rank for lv in levels), default=0)
            out.append((frameworks.get(framework_id),
                        [(lv, tone_for(lv.rank, scale_max)) for lv in levels]))
        return out


def tone_for(level: int | None, scale_max: int) -> int:
    """Colour step 1..MATRIX_TONES of a level on a scale of ``scale_max`` ranks; 0 if none."""
    if not level or scale_max <= 0:
        return 0
    return max(1, min(MATRIX_TONES, math.ceil(level * MATRIX_TONES / scale_max)))


def team_matrix(*, organization: Organization, members: Iterable[Membership],
                role: RoleProfile | None = None) -> TeamMatrix:
    """Members by skills, with each member's level, for managers and HR.

    Columns are the skills required by ``role`` when given, else by any of the members' own
    roles. Each cell holds the member's effective level (validated, else self-assessed), whether
    it is validated, the level the row's role requires (``role``, or the member's own role) and a
    colour step. Each row carries the member's readiness for that role.

    Four queries, whatever the number of members and skills.
    """
    members = list(members)
    member_ids = [m.pk for m in members]
    links = {
        link.member_id: link.role
        for link in MemberRole.objects.for_org(organization)
        .filter(member_id__in=member_ids).select_related("role")
    } if member_ids else {}
    role_ids = {role.pk} if role is not None else {r.pk for r in links.values()}
    requirements = list(
        RoleRequirement.objects.for_org(organization)
        .filter(role_id__in=role_ids, skill__is_retired=False)
        .select_related("skill__framework")
    ) if role_ids else []
    required: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    skills: dict[int, Skill] = {}
    for req in requirements:
        required[req.role_id][req.skill_id] = (req.min_level, req.importance)
        skills[req.skill_id] = req.skill
    columns = sorted(skills.values(), key=lambda s: (s.shown_name.lower(), s.pk))
    ratings: dict[tuple[int, int], SkillRating] = {}
    if member_ids and skills:
        for rating in SkillRating.objects.for_org(organization).filter(
                member_id__in=member_ids, skill_id__in=list(skills)):
            ratings[(rating.member_id, rating.skill_id)] = rating
    scales = levels_by_framework(organization=organization,
                                 framework_ids={s.framework_id for s in columns})
    scale_max = {fid: max((lv.rank for lv in levels), default=0) for fid, levels in scales.items()}
    names = {(fid, lv.rank): lv.shown_name for fid, levels in scales.items() for lv in levels}
    rows = []
    for member in members:
        row_role = role if role is not None else links.get(member.pk)
        row_required = required.get(row_role.pk, {}) if row_role is not None else {}
        cells = []
        for skill in columns:
            rating = ratings.get((member.pk, skill.pk))
            level = rating.level if rating else None
            need = row_required.get(skill.pk)
            cells.append(MatrixCell(
                level=level,
                validated=bool(rating and rating.validated_level is not None),
                required=need[0] if need else None,
                tone=tone_for(level, scale_max.get(skill.framework_id, 0)),
                level_name=names.get((skill.framework_id, level), "") if level else "",
            ))
        readiness = readiness_percent(
            (min_level, importance, effective_level(ratings.get((member.pk, skill_id))))
            for skill_id, (min_level, importance) in row_required.items()
        )
        rows.append(MatrixRow(member=member, role=links.get(member.pk), cells=cells,
                              readiness=readiness))
    return TeamMatrix(skills=columns, rows=rows, role=role, scales=scales)


# --- Check-ins ----------------------------------------------------------------------------------


def check_in_list(*, organization: Organization, member: Membership | None = None,
                  status: str | None = None) -> QuerySet[CheckIn]:
    """Check-ins, newest first, with ``item_count`` and ``rated_count`` (self-rated items)."""
    qs = (
        CheckIn.objects.for_org(organization)
        .select_related("member__user", "role", "validated_by__user")
        .annotate(
            item_count=_count(CheckInItem.objects.for_org(organization), "check_in"),
            rated_count=_count(
                CheckInItem.objects.for_org(organization).filter(self_level__isnull=False),
                "check_in",
            ),
        )
    )
    if member is not None:
        qs = qs.filter(member=member)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def check_in_get(*, organization: Organization, check_in_id: int) -> CheckIn | None:
    """One check-in with its member, role and items (``item_list``, by skill name)."""
    items = (CheckInItem.objects.for_org(organization).select_related("skill")
             .order_by("skill_name", "pk"))
    return (
        CheckIn.objects.for_org(organization)
        .select_related("member__user", "role__framework", "validated_by__user")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="item_list"))
        .filter(pk=check_in_id)
        .first()
    )


def check_in_open_for(*, organization: Organization, member: Membership,
                      role: RoleProfile) -> CheckIn | None:
    """The member's check-in against ``role`` that is not validated yet, if any."""
    return (CheckIn.objects.for_org(organization)
            .filter(member=member, role=role)
            .exclude(status=CheckInStatus.VALIDATED)
            .order_by("-created_at").first())


def check_in_history(*, organization: Organization, check_in: CheckIn) -> list[RatingChange]:
    """Every rating change of a check-in, oldest first, with who made it."""
    return list(
        RatingChange.objects.for_org(organization)
        .filter(item__check_in=check_in)
        .select_related("item__skill", "changed_by__user")
        .order_by("changed_at", "pk")
    )


def validation_queue(*, organization: Organization, manager: Membership) -> QuerySet[CheckIn]:
    """Submitted check-ins of the manager's active direct reports, oldest submission first."""
    return (
        check_in_list(organization=organization, status=CheckInStatus.SUBMITTED)
        .filter(member__manager=manager, member__is_active=True)
        .order_by("submitted_at", "pk")
    )
