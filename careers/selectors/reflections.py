"""Reads of reflections shared by pages and the API.

Every function takes the organisation and filters on it, and runs a fixed number of queries
whatever the number of areas, prompts or answers. Functions that serve someone other than the
owner (``shared_reflection_areas``) load only the answers of shared areas: an unshared answer is
never read from the database for them, so it cannot leak through a template or a serializer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organizations.models import Membership, Organization

from ..models import (
    Reflection,
    ReflectionAnswer,
    ReflectionArea,
    ReflectionPrompt,
    ReflectionShare,
)


def _count(queryset: QuerySet, field_name: str) -> Coalesce:
    counted = (queryset.filter(**{field_name: OuterRef("pk")}).order_by().values(field_name)
               .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- Lists --------------------------------------------------------------------------------------


def reflection_list(*, organization: Organization, member: Membership) -> QuerySet[Reflection]:
    """The member's reflections, newest first, with ``answered_count``, ``prompt_count`` and
    ``shared_count``. One query."""
    prompts = (ReflectionPrompt.objects.for_org(organization)
               .filter(area__template=OuterRef("template")).order_by().values("area__template")
               .annotate(n=Count("pk")).values("n"))
    return (
        Reflection.objects.for_org(organization)
        .filter(member=member)
        .select_related("template")
        .annotate(
            answered_count=_count(ReflectionAnswer.objects.for_org(organization), "reflection"),
            shared_count=_count(ReflectionShare.objects.for_org(organization), "reflection"),
            prompt_count=Coalesce(Subquery(prompts, output_field=IntegerField()), 0),
        )
        .order_by("-created_at", "-pk")
    )


def reflection_latest(*, organization: Organization, member: Membership) -> Reflection | None:
    return reflection_list(organization=organization, member=member).first()


def reflection_previous(*, organization: Organization,
                        reflection: Reflection) -> Reflection | None:
    """The same member's reflection started just before this one."""
    return (Reflection.objects.for_org(organization)
            .filter(member_id=reflection.member_id)
            .filter(Q(created_at__lt=reflection.created_at)
                    | Q(created_at=reflection.created_at, pk__lt=reflection.pk))
            .order_by("-created_at", "-pk").first())


# --- One reflection, area by area ---------------------------------------------------------------


@dataclass
class PromptView:
    prompt: ReflectionPrompt
    text: str = ""
    updated_at: datetime | None = None

    @property
    def answered(self) -> bool:
        return bool(self.text.strip())


@dataclass
class AreaView:
    area: ReflectionArea
    prompts: list[PromptView] = field(default_factory=list)
    shared_at: datetime | None = None

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def answered_count(self) -> int:
        return sum(1 for p in self.prompts if p.answered)

    @property
    def prompt_count(self) -> int:
        return len(self.prompts)

    @property
    def is_complete(self) -> bool:
        return bool(self.prompts) and self.answered_count == self.prompt_count

    @property
    def is_started(self) -> bool:
        return self.answered_count > 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered_count / self.prompt_count) if self.prompts else 0

    @property
    def last_updated(self) -> datetime | None:
        return max((p.updated_at for p in self.prompts if p.updated_at), default=None)


@dataclass
class ReflectionView:
    reflection: Reflection
    areas: list[AreaView]

    @property
    def answered_count(self) -> int:
        return sum(a.answered_count for a in self.areas)

    @property
    def prompt_count(self) -> int:
        return sum(a.prompt_count for a in self.areas)

    @property
    def areas_complete(self) -> int:
        return sum(1 for a in self.areas if a.is_complete)

    @property
    def areas_started(self) -> int:
        return sum(1 for a in self.areas if a.is_started)

    @property
    def shared_areas(self) -> list[AreaView]:
        return [a for a in self.areas if a.is_shared]

    @property
    def percent(self) -> int:
        total = self.prompt_count
        return round(100 * self.answered_count / total) if total else 0

    def area(self, area_id: int) -> AreaView | None:
        return next((a for a in self.areas if a.area.pk == area_id), None)

    def neighbours(self, area_id: int) -> tuple[AreaView | None, AreaView | None]:
        ids = [a.area.pk for a in self.areas]
        if area_id not in ids:
            return None, None
        i = ids.index(area_id)
        return (self.areas[i - 1] if i > 0 else None,
                self.areas[i + 1] if i + 1 < len(self.areas) else None)


def _areas_of(organization: Organization, template_ids) -> dict[int, list[AreaView]]:
    areas = list(ReflectionArea.objects.for_org(organization)
                 .filter(template_id__in=template_ids).order_by("template_id", "position", "pk"))
    prompts = (ReflectionPrompt.objects.for_org(organization)
               .filter(area__template_id__in=template_ids).order_by("position", "pk"))
    by_area: dict[int, AreaView] = {a.pk: AreaView(area=a) for a in areas}
    for prompt in prompts:
        view = by_area.get(prompt.area_id)
        if view is not None:
            view.prompts.append(PromptView(prompt=prompt))
    by_template: dict[int, list[AreaView]] = {}
    for a in areas:
        by_template.setdefault(a.template_id, []).append(by_area[a.pk])
    return by_template


def reflection_detail(*, organization: Organization, reflection: Reflection) -> ReflectionView:
    """Every area of the reflection's own template version with its prompts, the member's
    answers and whether the area is shared. For the owner only. Four queries."""
    return reflection_details(organization=organization, reflections=[reflection])[0]


def reflection_details(*, organization: Organization,
                       reflections: list[Reflection]) -> list[ReflectionView]:
    """``reflection_detail`` of several reflections (the career record) in the same four
    queries, however many there are."""
    if not reflections:
        return []
    templates = _areas_of(organization, {r.template_id for r in reflections})
    views = {}
    for reflection in reflections:
        # Each reflection gets its own copies: two reflections of one version share no state.
        areas = [AreaView(area=a.area, prompts=[PromptView(prompt=p.prompt) for p in a.prompts])
                 for a in templates.get(reflection.template_id, [])]
        views[reflection.pk] = ReflectionView(reflection=reflection, areas=areas)
    prompt_views = {(r_id, p.prompt.pk): p for r_id, view in views.items()
                    for a in view.areas for p in a.prompts}
    for answer in ReflectionAnswer.objects.for_org(organization).filter(reflection__in=views):
        view = prompt_views.get((answer.reflection_id, answer.prompt_id))
        if view is not None:
            view.text, view.updated_at = answer.text, answer.updated_at
    shares = {(r, a): when for r, a, when in ReflectionShare.objects.for_org(organization)
              .filter(reflection__in=views).values_list("reflection_id", "area_id", "shared_at")}
    for r_id, view in views.items():
        for a in view.areas:
            a.shared_at = shares.get((r_id, a.area.pk))
    return [views[r.pk] for r in reflections]


# --- Comparing two reflections ------------------------------------------------------------------


@dataclass
class CompareRow:
    key: str
    text: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before.strip() != self.after.strip()


@dataclass
class CompareArea:
    key: str
    title: str
    rows: list[CompareRow]

    @property
    def changed_count(self) -> int:
        return sum(1 for r in self.rows if r.changed)


def _prompts_by_key(area: AreaView | None) -> dict[str, PromptView]:
    if area is None:
        return {}
    return {p.prompt.key or str(p.prompt.pk): p for p in area.prompts}


def reflection_compare(*, before: ReflectionView, after: ReflectionView) -> list[CompareArea]:
    """Area by area, question by question: what the member wrote then and now.

    Areas and prompts are matched by ``key``, which survives HR's rewording, so reflections of
    different template versions line up; the newer reflection's wording is shown, and questions
    found on one side only are listed too.
    """
    def keyed(view: ReflectionView):
        return {a.area.key: a for a in view.areas}

    old, new = keyed(before), keyed(after)
    order = [a.area.key for a in after.areas] + [a.area.key for a in before.areas
                                                  if a.area.key not in new]
    result = []
    for key in order:
        a_new, a_old = new.get(key), old.get(key)
        ref = a_new or a_old
        old_prompts = _prompts_by_key(a_old)
        new_prompts = _prompts_by_key(a_new)
        keys = list(new_prompts) + [k for k in old_prompts if k not in new_prompts]
        rows = []
        for k in keys:
            p_new, p_old = new_prompts.get(k), old_prompts.get(k)
            rows.append(CompareRow(key=k, text=(p_new or p_old).prompt.shown_text,
                                   before=p_old.text if p_old else "",
                                   after=p_new.text if p_new else ""))
        result.append(CompareArea(key=key, title=ref.area.shown_title, rows=rows))
    return result


# --- What a member shares with their manager ----------------------------------------------------


@dataclass
class SharedArea:
    reflection: Reflection
    area: AreaView


def shared_reflection_areas(*, organization: Organization,
                            member: Membership) -> list[SharedArea]:
    """The areas ``member`` shares with their manager, newest reflection first.

    Privacy invariant: only answers to prompts of shared areas are read; the text of an area the
    member has not shared (or has withdrawn) never leaves the database here. Four queries.
    """
    shares = list(ReflectionShare.objects.for_org(organization)
                  .filter(reflection__member=member)
                  .select_related("reflection")
                  .order_by("-reflection__created_at", "-reflection__pk"))
    if not shares:
        return []
    template_ids = {s.reflection.template_id for s in shares}
    areas = {a.area.pk: a for views in _areas_of(organization, template_ids).values()
             for a in views}
    shared_pairs = {(s.reflection_id, s.area_id) for s in shares}
    answers = (ReflectionAnswer.objects.for_org(organization)
               .filter(reflection_id__in={s.reflection_id for s in shares},
                       prompt__area_id__in={s.area_id for s in shares})
               .select_related("prompt"))
    texts = {}
    for answer in answers:
        if (answer.reflection_id, answer.prompt.area_id) in shared_pairs:
            texts[(answer.reflection_id, answer.prompt_id)] = (answer.text, answer.updated_at)
    result = []
    for share in sorted(shares, key=lambda s: (-s.reflection.created_at.timestamp(),
                                                areas[s.area_id].area.position)):
        base = areas[share.area_id]
        view = AreaView(area=base.area, shared_at=share.shared_at, prompts=[
            PromptView(prompt=p.prompt, text=texts.get((share.reflection_id, p.prompt.pk),
                                                        ("", None))[0],
                       updated_at=texts.get((share.reflection_id, p.prompt.pk), ("", None))[1])
            for p in base.prompts])
        result.append(SharedArea(reflection=share.reflection, area=view))
    return result


@dataclass
class ReportSharing:
    member: Membership
    shared_areas: int
    last_shared_at: datetime | None


def reports_sharing(*, organization: Organization,
                    manager: Membership) -> list[ReportSharing]:
    """The manager's direct reports with how many reflection areas each shares. Two queries."""
    reports = list(Membership.objects.for_org(organization)
                   .filter(manager=manager, is_active=True)
                   .select_related("user", "team")
                   .order_by("user__first_name", "user__last_name", "pk"))
    counts = {row["reflection__member_id"]: row for row in
              ReflectionShare.objects.for_org(organization)
              .filter(reflection__member__in=reports)
              .values("reflection__member_id")
              .annotate(n=Count("pk"), last=Max("shared_at"))}
    return [ReportSharing(member=m, shared_areas=counts.get(m.pk, {}).get("n", 0),
                          last_shared_at=counts.get(m.pk, {}).get("last")) for m in reports]


# --- The member's home --------------------------------------------------------------------------


@dataclass
class ReflectionSummary:
    latest: ReflectionView | None
    count: int

    @property
    def percent(self) -> int:
        return self.latest.percent if self.latest else 0


def reflection_summary(*, organization: Organization, member: Membership) -> ReflectionSummary:
    """The member's latest reflection, area by area, and how many they have. Six queries."""
    reflections = list(reflection_list(organization=organization, member=member)[:1])
    count = Reflection.objects.for_org(organization).filter(member=member).count()
    latest = (reflection_detail(organization=organization, reflection=reflections[0])
              if reflections else None)
    return ReflectionSummary(latest=latest, count=count)


def template_areas(*, organization: Organization, template) -> list[AreaView]:
    """The areas and questions of a template version, with no answers (the list page's preview
    before a first reflection). Two queries."""
    return _areas_of(organization, [template.pk]).get(template.pk, [])
