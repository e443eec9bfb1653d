"""Leadership metrics pages: the leaders' dashboard and its drill-down by team and metric,
goals, CSV exports, HR's operations dashboard and a manager's team figures.

Thin views: look ids up first (``access_metrics``: another organisation's id is 404 for every
role), then check the role, call a selector or service, render. Dashboards read stored nightly
figures; only a manager's page counts live, over their reports.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations import access as org_access
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.services import audit

from .. import metric_definitions as defs
from ..access_metrics import access_goal, access_metric, access_team
from ..charts import line_chart, monthly
from ..forms_metrics import GoalForm
from ..models import MetricGoal
from ..selectors import metrics as selectors
from ..selectors.stories import stories_published
from ..services import metric_goals as goal_services
from ..services.metrics import organization_today

DEFAULT_COMPARE = "conversation_coverage"
GOALS_PAGE_SIZE = 50


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _goal_target(card: selectors.Card) -> float | None:
    return card.open_goal.goal.target if card.open_goal else None


def _sparkline(card: selectors.Card):
    return line_chart(card.metric, card.trend, width=160, height=44, goal=_goal_target(card),
                      pad=4)


def _decorate(data: selectors.Dashboard) -> None:
    for card in data.cards:
        card.chart = _sparkline(card)
        card.table = monthly(card.metric, card.trend)
        card.current_goal = next((g for g in card.goals
                                  if g.status not in ("upcoming", "achieved", "missed")),
                                 card.goals[0] if card.goals else None)


def _compare(request, data: selectors.Dashboard, parent=None) -> dict:
    metric = defs.BY_KEY.get(request.GET.get("compare", ""), defs.BY_KEY[DEFAULT_COMPARE])
    rows = selectors.team_comparison(organization=request.organization, day=data.day,
                                     metric=metric, parent=parent)
    return {"compare_metric": metric, "compare_rows": rows,
            "compare_choices": defs.METRICS}


def _groups(cards: list[selectors.Card]) -> list[tuple[str, list[selectors.Card]]]:
    by_key = {card.metric.key: card for card in cards}
    return [(str(title), [by_key[k] for k in keys if k in by_key]) for title, keys in GROUPS]


GROUPS = (
    (_("Career conversations"), ("conversation_coverage", "overdue_conversations",
                                 "conversation_quality")),
    (_("Development"), ("reflection_participation", "plan_coverage", "training_hours",
                        "skills_validated")),
    (_("Mobility and succession"), ("internal_fill_rate", "internal_promotion_rate",
                                    "internal_mobility", "bench_strength",
                                    "regretted_leavers")),
    (_("Culture"), ("health_index", "career_enps", "champions")),
)


# --- Dashboards ---------------------------------------------------------------------------------


def dashboard(request, org_slug):
    """The organisation's figures against its goals, a comparison of teams, and success
    stories."""
    goal_services.require_viewer(request.membership)
    org, me = request.organization, request.membership
    data = selectors.dashboard(organization=org)
    _decorate(data)
    return render(request, "hr_admin/metrics/dashboard.html", {
        "data": data, "groups": _groups(data.cards), "team": None, "path": [],
        "can_set_goals": goal_services.can_set_goals(me),
        "stories": list(stories_published(organization=org, limit=3)),
        **_compare(request, data),
    })


def team_dashboard(request, org_slug, team_id):
    """One team (and everything under it): its figures, its goals, its teams."""
    team = access_team(membership=request.membership, team_id=team_id)
    goal_services.require_viewer(request.membership)
    org = request.organization
    data = selectors.dashboard(organization=org, team=team)
    _decorate(data)
    return render(request, "hr_admin/metrics/dashboard.html", {
        "data": data, "groups": _groups(data.cards), "team": team,
        "path": selectors.team_path(team),
        "can_set_goals": goal_services.can_set_goals(request.membership),
        "stories": [], **_compare(request, data, parent=team),
    })


def _scope_team(request):
    value = request.GET.get("team")
    return access_team(membership=request.membership, team_id=value) if value else None


def metric_detail(request, org_slug, metric):
    """One metric: a year's trend against its goals, as a chart and a table; its teams."""
    definition = access_metric(metric)
    team = _scope_team(request)
    goal_services.require_viewer(request.membership)
    org = request.organization
    data = selectors.dashboard(organization=org, team=team)
    card = data.by_key[definition.key]
    chart = line_chart(definition, card.trend, goal=_goal_target(card), ticks=True)
    rows = selectors.team_comparison(organization=org, day=data.day, metric=definition,
                                     parent=team)
    return render(request, "hr_admin/metrics/metric.html", {
        "data": data, "card": card, "metric": definition, "team": team, "chart": chart,
        "table": list(reversed(monthly(definition, card.trend))), "compare_rows": rows,
        "path": selectors.team_path(team) if team else [],
        "can_set_goals": goal_services.can_set_goals(request.membership),
    })


def refresh(request, org_slug):
    """Queue today's figures to be computed again (the nightly task, now)."""
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    goal_services.require_viewer(request.membership)
    from ..tasks_metrics import metrics_snapshot

    org = request.organization
    day = organization_today(org).isoformat()
    audit(organization=org, actor=request.membership, action="metrics.refreshed", day=day)
    transaction.on_commit(lambda: metrics_snapshot.delay(org.pk, day))
    messages.success(request, _("Today's figures are being computed. They appear here in a "
                                "minute or two."))
    return redirect(_url(request, "metrics"))


# --- Exports ------------------------------------------------------------------------------------


def _csv_response(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    return response, csv.writer(response)


def _number(value) -> str:
    return "" if value is None else f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"


def export_csv(request, org_slug):
    """Every figure of the latest snapshot, the organisation's and each team's, with goals."""
    goal_services.require_viewer(request.membership)
    org = request.organization
    stamp = selectors.latest(org)
    day = stamp[0] if stamp else None
    current = selectors.goals_with_figures(org).filter(starts_on__lte=day, ends_on__gte=day) \
        if day else []
    goals = {(g.goal.metric, g.goal.team_id): g for g in selectors.goal_views(org, current)}
    response, out = _csv_response(f"trellis-metrics-{org.slug}-{day or 'none'}.csv")
    out.writerow([_("Day"), _("Scope"), _("Metric key"), _("Metric"), _("Value"),
                  _("Shown as"), _("Counted"), _("Out of"), _("Goal"), _("Goal status"),
                  _("Definition")])
    for item in selectors.export_rows(organization=org, day=day):
        row, metric, hidden = item["row"], item["metric"], item["hidden"]
        goal = goals.get((metric.key, row.team_id))
        scope = row.team.name if row.team_id else _("Whole organisation")
        value = None if hidden else row.value
        out.writerow([
            row.day.isoformat(), scope, metric.key, str(metric.title), _number(value),
            _("hidden: team too small") if hidden else defs.format_value(metric, value),
            "" if hidden else _number(row.numerator), "" if hidden else _number(row.denominator),
            f"{goal.comparison_symbol} {goal.target_display}" if goal else "",
            goal.status_label if goal else "", str(metric.definition),
        ])
    audit(organization=org, actor=request.membership, action="metrics.exported",
          day=day.isoformat() if day else "")
    return response


def trend_csv(request, org_slug, metric):
    """A metric's year of daily figures for the organisation or one team."""
    definition = access_metric(metric)
    team = _scope_team(request)
    goal_services.require_viewer(request.membership)
    org = request.organization
    data = selectors.dashboard(organization=org, team=team)
    card = data.by_key[definition.key]
    scope = team.name if team else _("Whole organisation")
    response, out = _csv_response(f"trellis-{definition.key}-{org.slug}.csv")
    out.writerow([_("Day"), _("Scope"), _("Metric"), _("Value")])
    if card.hidden:
        out.writerow(["", scope, str(definition.title), _("hidden: team too small")])
    for day, value in card.trend:
        out.writerow([day.isoformat(), scope, str(definition.title), _number(value)])
    audit(organization=org, actor=request.membership, action="metrics.exported",
          metric=definition.key, team=team.pk if team else None)
    return response


# --- Goals --------------------------------------------------------------------------------------


def goals(request, org_slug):
    """Every goal, current and past, with its figure and status."""
    goal_services.require_viewer(request.membership)
    org = request.organization
    page = Paginator(selectors.goals_with_figures(org), GOALS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "hr_admin/metrics/goals.html", {
        "page": page, "goals": selectors.goal_views(org, page.object_list),
        "can_set_goals": goal_services.can_set_goals(request.membership),
    })


def _goal_form(request, *, goal: MetricGoal | None):
    org, me = request.organization, request.membership
    goal_services.require_goal_setter(me)
    today = organization_today(org)
    if goal is not None:
        initial = {"metric": goal.metric, "team": goal.team, "comparison": goal.comparison,
                   "target": goal.target, "starts_on": goal.starts_on, "ends_on": goal.ends_on,
                   "note": goal.note}
    else:
        initial = {"metric": request.GET.get("metric", "")}
        if request.GET.get("team"):
            initial["team"] = _scope_team(request)
    form = GoalForm(request.POST or None, initial=initial, organization=org, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            if goal is None:
                goal = goal_services.goal_create(organization=org, actor=me,
                                                 **form.service_values())
                messages.success(request, _("Goal set: %(metric)s.")
                                 % {"metric": defs.BY_KEY[goal.metric].title})
            else:
                goal = goal_services.goal_update(organization=org, actor=me, goal=goal,
                                                 **form.service_values())
                messages.success(request, _("Goal saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            target = (_url(request, "metrics_team", team_id=goal.team_id) if goal.team_id
                      else _url(request, "metrics"))
            return redirect(f"{target}#metric-{goal.metric}")
    return render(request, "hr_admin/metrics/goal_form.html", {
        "form": form, "goal": goal, "definitions": defs.METRICS,
    }, status=400 if request.method == "POST" else 200)


def goal_create(request, org_slug):
    goal_services.require_viewer(request.membership)
    return _goal_form(request, goal=None)


def goal_edit(request, org_slug, metric_goal_id):
    goal = access_goal(membership=request.membership, goal_id=metric_goal_id)
    goal_services.require_viewer(request.membership)
    return _goal_form(request, goal=goal)


def goal_delete(request, org_slug, metric_goal_id):
    goal = access_goal(membership=request.membership, goal_id=metric_goal_id)
    goal_services.require_viewer(request.membership)
    goal_services.require_goal_setter(request.membership)
    metric = defs.BY_KEY.get(goal.metric)
    if request.method == "POST":
        goal_services.goal_delete(organization=request.organization,
                                  actor=request.membership, goal=goal)
        messages.success(request, _("Goal deleted."))
        return redirect(_url(request, "metrics_goals"))
    return render(request, "hr_admin/metrics/goal_delete.html", {"goal": goal, "metric": metric})


# --- HR's operations and a manager's team -------------------------------------------------------


def operations(request, org_slug):
    """What needs HR's attention today: overdue conversations, the validation queue, imports,
    and when the figures were last computed."""
    org_access.require_hr(request.membership)
    org = request.organization
    overdue_total, overdue = selectors.overdue_members(organization=org)
    queue_total, queue = selectors.validation_queue(organization=org)
    return render(request, "hr_admin/metrics/operations.html", {
        "overdue_total": overdue_total, "overdue": overdue,
        "queue_total": queue_total, "queue": queue,
        "imports": selectors.recent_imports(organization=org),
        "latest": selectors.latest(org),
    })


def my_team(request, org_slug):
    """A manager's direct reports, counted live: conversations, development, skills."""
    org_access.require_manager(request.membership)
    org, me = request.organization, request.membership
    cards = selectors.manager_figures(organization=org, manager=me)
    overdue_total, overdue = selectors.overdue_members(organization=org, manager=me)
    queue_total, queue = selectors.validation_queue(organization=org, manager=me)
    return render(request, "hr_admin/metrics/my_team.html", {
        "cards": cards, "overdue_total": overdue_total, "overdue": overdue,
        "queue_total": queue_total, "queue": queue,
        "threshold": org.survey_anonymity_threshold,
    })
