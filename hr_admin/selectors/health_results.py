"""Reading a survey's results: only the stored, already suppressed SurveyScore rows.

Nothing here reads answers: every figure comes from ``SurveyScore`` (written by
``services.health_scoring``), so a page or an endpoint cannot show more than the suppression
rules let through. Comments are shown only once the survey is closed, for the whole group, and
only when it holds at least ``comment_min_group_size`` respondents (comments live apart from
responses; between two looks at an open survey the new ones would belong to the latest few).

A fixed number of queries whatever the number of teams or questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from organizations.models import Membership, Team

from .. import health_content
from .. import health_suppression as rules
from ..models import (
    HealthQuestionKind,
    ScoreSlice,
    Survey,
    SurveyComment,
    SurveyMode,
    SurveyQuestion,
    SurveyScore,
    SurveyStatus,
    TenureBand,
)
from ..services.health_scoring import ENPS, INDEX, NO_TEAM, RESPONSE_RATE

REASON_TEXT = {
    rules.SMALL: _("Hidden: fewer people answered than the smallest group shown."),
    rules.COMPLEMENT: _("Hidden so that a smaller hidden group cannot be worked out by "
                        "subtracting the groups shown from the whole."),
}
REASON_SHORT = {rules.SMALL: _("Too few answers"), rules.COMPLEMENT: _("Hidden to protect "
                                                                       "another group")}
TREND_SURVEYS = 8
COMMENTS_PER_PAGE = 50


def reads_results(membership: Membership) -> bool:
    """HR admins and leaders read results; for anyone else they do not exist."""
    return bool(membership.is_hr_admin or membership.is_leader)


def survey_for_results(membership: Membership, survey_id) -> Survey:
    """The survey whose results the member may read, or 404 (absent, another organisation's,
    a draft, or a reader who is neither HR nor a leader)."""
    if not reads_results(membership):
        raise Http404
    try:
        survey_id = int(survey_id)
    except (TypeError, ValueError):
        raise Http404 from None
    survey = (Survey.objects.for_org(membership.organization_id)
              .filter(pk=survey_id, mode=SurveyMode.SURVEY)
              .exclude(status=SurveyStatus.DRAFT).first())
    if survey is None:
        raise Http404
    return survey


@dataclass
class Figure:
    value: float | None = None
    favourable: float | None = None
    mean: float | None = None
    respondents: int | None = None
    suppressed: str = ""

    @property
    def reason(self):
        return REASON_TEXT.get(self.suppressed, "")

    @property
    def reason_short(self):
        return REASON_SHORT.get(self.suppressed, "")

    @property
    def band(self) -> int:
        """Colour step of the heatmap (1 low … 5 high); 0 when hidden."""
        if not self.shown or self.value is None:
            return 0
        return 1 + sum(self.value >= edge for edge in (40, 55, 70, 85))

    @property
    def shown(self) -> bool:
        return not self.suppressed and (self.value is not None or self.mean is not None)


MISSING = Figure(suppressed=rules.SMALL)


class Score(NamedTuple):
    """What a page reads of a ``SurveyScore`` row (thousands of them for a large organisation:
    tuples, not model instances)."""
    slice_kind: str
    slice_key: str
    measure: str
    respondents: int | None
    favourable: float | None
    mean: float | None
    value: float | None
    suppressed: str
    is_final: bool


def _scores(queryset) -> list[Score]:
    return [Score(*row) for row in queryset.values_list(*Score._fields)]


def _figure(row: Score | SurveyScore) -> Figure:
    return Figure(value=row.value, favourable=row.favourable, mean=row.mean,
                  respondents=row.respondents, suppressed=row.suppressed)


TEAMS_PER_PAGE = 12
BY_NAME, LOWEST_FIRST = "name", "lowest"


@dataclass
class TeamPage:
    """Which teams of the heatmap to show: a page of them, by name or lowest index first,
    optionally those whose name contains ``query``."""
    number: int = 1
    order: str = BY_NAME
    query: str = ""
    per_page: int = TEAMS_PER_PAGE

    @classmethod
    def from_query(cls, params) -> TeamPage:
        try:
            number = max(1, int(params.get("teams_page") or 1))
        except (TypeError, ValueError):
            number = 1
        order = params.get("teams_order") or BY_NAME
        return cls(number=number, order=order if order in (BY_NAME, LOWEST_FIRST) else BY_NAME,
                   query=(params.get("teams_q") or "").strip()[:100])


@dataclass
class Results:
    survey: Survey
    is_final: bool
    scored: bool
    response_rate: Figure
    index: Figure
    enps: Figure
    dimensions: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    teams: list = field(default_factory=list)
    heatmap: list = field(default_factory=list)
    tenure: list = field(default_factory=list)
    strongest: list = field(default_factory=list)
    weakest: list = field(default_factory=list)
    weak: list = field(default_factory=list)
    previous: Survey | None = None
    index_change: float | None = None
    enps_change: float | None = None
    trend: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    comments_page: object = None
    comments_hidden_reason: str = ""
    reasons_used: list = field(default_factory=list)
    # The page of teams in the heatmap (``TeamPage``): how many answered, how many match the
    # search, which of them are shown.
    teams_answered: int = 0
    teams_found: int = 0
    teams_page: int = 1
    teams_pages: int = 1
    teams_first: int = 0
    teams_last: int = 0
    teams_per_page: int = TEAMS_PER_PAGE
    teams_order: str = BY_NAME
    teams_query: str = ""


def _dimension_title(key: str):
    found = health_content.dimension(key)
    return found.title if found else key


def _earlier_surveys(survey: Survey) -> list[Survey]:
    return list(Survey.objects.for_org(survey.organization_id)
                .filter(mode=SurveyMode.SURVEY, status=SurveyStatus.CLOSED,
                        created_at__lt=survey.created_at)
                .exclude(pk=survey.pk).order_by("-created_at")[:TREND_SURVEYS])


def survey_results(survey: Survey, *, teams: TeamPage | None = None,
                   comments_page=1) -> Results:
    """Every figure of the results page; of the teams, the page ``teams`` asks for (the first
    ``TEAMS_PER_PAGE`` by name unless it says otherwise); of the comments, page
    ``comments_page`` of ``COMMENTS_PER_PAGE``."""
    org_id = survey.organization_id
    teams = teams or TeamPage()
    scores = SurveyScore.objects.for_org(org_id).filter(survey=survey)
    # The whole organisation and its tenure bands in full, and each team's index (to count,
    # find and order the teams); a team's dimensions only for the teams on the page.
    rows = _scores(scores.filter(slice_kind__in=[ScoreSlice.OVERALL, ScoreSlice.TENURE])
                   | scores.filter(slice_kind=ScoreSlice.TEAM, measure=INDEX))
    by = {(r.slice_kind, r.slice_key, r.measure): r for r in rows}
    is_final = any(r.is_final for r in rows)

    def get(measure, kind=ScoreSlice.OVERALL, key=""):
        row = by.get((kind, key, measure))
        return _figure(row) if row else None

    results = Results(survey=survey, is_final=is_final, scored=bool(rows),
                      response_rate=get(RESPONSE_RATE) or Figure(),
                      index=get(INDEX) or MISSING, enps=get(ENPS) or MISSING)
    if not rows and survey.invited_count:
        results.response_rate = Figure(value=100 * survey.response_count / survey.invited_count,
                                       respondents=survey.response_count)

    questions = list(SurveyQuestion.objects.for_org(org_id).filter(survey=survey)
                     .order_by("position", "pk"))
    dimension_keys = [d for d in health_content.DIMENSION_KEYS
                      if any(q.dimension == d for q in questions)]
    dimension_keys += sorted({q.dimension for q in questions if q.dimension} - set(dimension_keys))
    for key in dimension_keys:
        results.dimensions.append({"key": key, "title": _dimension_title(key),
                                   "figure": get(f"dimension:{key}") or MISSING})
    for question in questions:
        if question.kind == HealthQuestionKind.COMMENT:
            continue
        results.questions.append({
            "question": question,
            "text": health_content.shipped_question_text(question.text),
            "dimension": _dimension_title(question.dimension) if question.dimension else "",
            "figure": (get(ENPS) if question.kind == HealthQuestionKind.ENPS
                       else get(f"question:{question.pk}")) or MISSING})

    shown = [d for d in results.dimensions if d["figure"].shown]
    ranked = sorted(shown, key=lambda d: (d["figure"].value, dimension_keys.index(d["key"])))
    results.weakest = ranked[:health_content.HIGHLIGHTED]
    results.strongest = list(reversed(ranked[-health_content.HIGHLIGHTED:]))
    results.weak = [dict(d, strategies=health_content.STRATEGIES_BY_DIMENSION.get(d["key"], []))
                    for d in ranked if d["figure"].value < health_content.WEAK_BELOW]

    page_rows = _teams(results, rows, scores, teams, org_id)
    by.update({(r.slice_kind, r.slice_key, r.measure): r for r in page_rows})
    for t in results.teams:
        t["index"] = get(INDEX, ScoreSlice.TEAM, t["key"]) or MISSING
    for dimension in results.dimensions:
        results.heatmap.append({
            "dimension": dimension,
            "cells": [{"team": t, "figure": get(f"dimension:{dimension['key']}",
                                                ScoreSlice.TEAM, t["key"]) or MISSING}
                      for t in results.teams]})
    band_labels = dict(TenureBand.choices)
    for band in TenureBand.values:
        figure = get(INDEX, ScoreSlice.TENURE, band)
        if figure:
            results.tenure.append({"key": band, "name": band_labels[band], "index": figure})
    results.reasons_used = [
        {"code": code, "short": REASON_SHORT[code], "text": REASON_TEXT[code]}
        for code in rules.REASONS if any(r.suppressed == code for r in [*rows, *page_rows])]

    _trend(results, survey)
    _comments(results, survey, questions, comments_page)
    return results


def _teams(results: Results, rows, scores, page: TeamPage, org_id) -> list:
    """Fill ``results.teams`` with the page of teams asked for; return their dimension rows.

    Team names come in one query (a team deleted since shows as such; "no team" last); the page
    is cut in Python from the teams that answered, at most one per team of the organisation."""
    indexes = {r.slice_key: r for r in rows if r.slice_kind == ScoreSlice.TEAM}
    ids = [int(k) for k in indexes if k != NO_TEAM]
    names = (dict(Team.objects.for_org(org_id).values_list("pk", "name").order_by())
             if ids else {})
    teams = [(str(names.get(int(k), _("A team since removed"))) if k != NO_TEAM else None, k)
             for k in indexes]
    results.teams_answered = len(teams)
    if page.query:
        needle = page.query.casefold()
        teams = [t for t in teams if t[0] is not None and needle in t[0].casefold()]
    if page.order == LOWEST_FIRST:
        def lowest(team):
            figure = _figure(indexes[team[1]])
            return (not figure.shown, figure.value if figure.shown else 0, str(team[0] or ""))
        teams.sort(key=lowest)
    else:
        teams.sort(key=lambda t: (t[0] is None, (t[0] or "").casefold()))
    results.teams_found = len(teams)
    results.teams_pages = max(1, -(-len(teams) // page.per_page))
    results.teams_page = min(page.number, results.teams_pages)
    results.teams_order, results.teams_query = page.order, page.query
    results.teams_per_page = page.per_page
    start = (results.teams_page - 1) * page.per_page
    shown = teams[start:start + page.per_page]
    results.teams_first = start + 1 if shown else 0
    results.teams_last = start + len(shown)
    results.teams = [{"key": key, "name": name or _("No team")} for name, key in shown]
    if not shown:
        return []
    return _scores(scores.filter(slice_kind=ScoreSlice.TEAM, slice_key__in=[k for _n, k in shown],
                                 measure__startswith="dimension:"))


def _trend(results: Results, survey: Survey) -> None:
    earlier = _earlier_surveys(survey)
    previous = survey.previous if survey.previous_id else (earlier[0] if earlier else None)
    if previous and all(s.pk != previous.pk for s in earlier):
        earlier = [previous, *earlier]
    if not earlier:
        return
    past = {}
    for row in (SurveyScore.objects.for_org(survey.organization_id)
                .filter(survey__in=[s.pk for s in earlier], slice_kind=ScoreSlice.OVERALL,
                        is_final=True, suppressed="")
                .filter(measure__in=[INDEX, ENPS] + [f"dimension:{d['key']}"
                                                     for d in results.dimensions])):
        past[(row.survey_id, row.measure)] = row.value
    results.previous = previous
    if previous:
        results.index_change = _change(results.index, past.get((previous.pk, INDEX)))
        results.enps_change = _change(results.enps, past.get((previous.pk, ENPS)))
        for dimension in results.dimensions:
            dimension["change"] = _change(dimension["figure"],
                                          past.get((previous.pk, f"dimension:{dimension['key']}")))
    points = [{"survey": s, "index": past.get((s.pk, INDEX))} for s in reversed(earlier)
              if past.get((s.pk, INDEX)) is not None]
    if points:
        points.append({"survey": survey, "index": results.index.value if results.index.shown
                       else None, "current": True})
    results.trend = [p for p in points if p["index"] is not None]


def _change(figure: Figure, before: float | None) -> float | None:
    if before is None or not figure.shown or figure.value is None:
        return None
    return figure.value - before


def _comments(results: Results, survey: Survey, questions, comments_page) -> None:
    if not results.is_final:
        results.comments_hidden_reason = _("Comments are shown once the survey has closed.")
        return
    count = results.index.respondents or 0
    if not rules.comments_visible(count, results.index.suppressed, survey.comment_min_group_size):
        results.comments_hidden_reason = _(
            "Comments are shown only when at least %(n)s people answered.") % {
            "n": survey.comment_min_group_size}
        return
    texts = {q.pk: health_content.shipped_question_text(q.text) for q in questions}
    # Random UUID order: the order comments were written in says nothing.
    comments = (SurveyComment.objects.for_org(survey.organization_id)
                .filter(survey=survey).order_by("id").values("question_id", "text"))
    results.comments_page = Paginator(comments, COMMENTS_PER_PAGE).get_page(comments_page)
    results.comments = [{"question": texts.get(comment["question_id"], ""),
                         "text": comment["text"]} for comment in results.comments_page]
