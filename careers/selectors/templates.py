"""Reads of the organisation's reflection template and its versions, for HR's editor and the API.

Each function takes the organisation and filters on it, and runs a fixed number of queries
whatever the number of areas, prompts, versions or reflections.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from organizations.models import Organization

from ..models import Reflection, ReflectionArea, ReflectionPrompt, ReflectionTemplate


def _count(queryset: QuerySet, link: str) -> Coalesce:
    """A correlated COUNT of ``queryset`` rows pointing at the outer template through ``link``."""
    rows = (queryset.filter(**{link: OuterRef("pk")}).order_by().values(link)
            .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _areas(organization: Organization) -> Prefetch:
    prompts = ReflectionPrompt.objects.for_org(organization).order_by("position", "pk")
    areas = (ReflectionArea.objects.for_org(organization).order_by("position", "pk")
             .prefetch_related(Prefetch("prompts", queryset=prompts, to_attr="prompt_list")))
    return Prefetch("areas", queryset=areas, to_attr="area_list")


def template_detail(*, organization: Organization,
                    template: ReflectionTemplate) -> ReflectionTemplate:
    """``template`` with ``area_list`` (by position), each with ``prompt_list`` (by position),
    and ``reflection_count``. Three queries."""
    template = (
        ReflectionTemplate.objects.for_org(organization)
        .select_related("created_by__user")
        .annotate(reflection_count=_count(Reflection.objects.for_org(organization), "template"))
        .prefetch_related(_areas(organization))
        .get(pk=template.pk)
    )
    return template


def template_versions(*, organization: Organization) -> QuerySet[ReflectionTemplate]:
    """Every version, newest first, with ``reflection_count`` (reflections written against it),
    ``area_count`` and ``prompt_count``. One query."""
    org = organization
    return (
        ReflectionTemplate.objects.for_org(org)
        .select_related("created_by__user")
        .annotate(
            reflection_count=_count(Reflection.objects.for_org(org), "template"),
            area_count=_count(ReflectionArea.objects.for_org(org), "template"),
            prompt_count=_count(ReflectionPrompt.objects.for_org(org), "area__template"),
        )
        .order_by("-version")
    )


def template_version_get(*, organization: Organization,
                         version) -> ReflectionTemplate | None:
    """One version by its number, or None (also for a malformed number)."""
    try:
        version = int(version)
    except (TypeError, ValueError):
        return None
    return ReflectionTemplate.objects.for_org(organization).filter(version=version).first()


def template_area_get(*, organization: Organization, area_id) -> ReflectionArea | None:
    """An area of any version of the organisation's template, or None (also for a malformed
    id), so that callers answer the same 404 for absent and foreign ids."""
    try:
        area_id = int(area_id)
    except (TypeError, ValueError):
        return None
    return (ReflectionArea.objects.for_org(organization).select_related("template")
            .filter(pk=area_id).first())


def template_prompt_get(*, organization: Organization, prompt_id) -> ReflectionPrompt | None:
    """A prompt of any version of the organisation's template, or None."""
    try:
        prompt_id = int(prompt_id)
    except (TypeError, ValueError):
        return None
    return (ReflectionPrompt.objects.for_org(organization).select_related("area__template")
            .filter(pk=prompt_id).first())
