"""The results page of a health-check survey: HR admins and leaders; anyone else gets 404.

Thin: access (``selectors.health_results.survey_for_results``) → selector → render. Every figure
comes from the stored, suppressed scores.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from .. import health_content
from ..selectors import health_results as selectors


def _action_url(request, survey, dimension: str, strategy: str) -> str | None:
    try:
        base = reverse("hr_admin:health_action_create",
                       kwargs={"org_slug": request.organization.slug})
    except NoReverseMatch:
        return None
    return f"{base}?survey={survey.pk}&dimension={dimension}&strategy={strategy}"


def results(request, org_slug, survey_id):
    survey = selectors.survey_for_results(request.membership, survey_id)
    data = selectors.survey_results(survey, teams=selectors.TeamPage.from_query(request.GET),
                                    comments_page=request.GET.get("page") or 1)
    for weak in data.weak:
        weak["strategies"] = [{"strategy": s, "action_url": _action_url(request, survey,
                                                                         weak["key"], s.key)}
                              for s in weak["strategies"]]
    trend_max = max([abs(p["index"]) for p in data.trend] or [100])
    return render(request, "hr_admin/health/results/results.html", {
        "survey": survey,
        "results": data,
        "weak_below": health_content.WEAK_BELOW,
        "trend_max": trend_max,
        "comments_page": data.comments_page,
    })
