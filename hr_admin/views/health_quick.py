"""The quick self-assessment and the action plan, under /o/<org_slug>/hr/health-check/.

Thin views: parse → access (404 for anyone but HR admins and leaders, and for another
organisation's ids) → service → render. A write redirects with a message; invalid input
re-renders with what was typed (400). An action's owner may mark it done from their home page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from .. import health_content as content
from ..forms_health_quick import HealthActionForm, QuickCheckForm, questionnaire_layout
from ..models import Survey, SurveyMode
from ..services import health_actions as actions
from ..services import health_quick as quick


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


# --- The quick self-assessment ------------------------------------------------------------------


def quick_form(request, org_slug):
    """The questionnaire, filled in by one HR admin or leader about the organisation, and the
    earlier quick assessments for comparison."""
    me, org = request.membership, request.organization
    quick.require_health_lead(me)
    form = QuickCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                survey = quick.quick_assessment_create(organization=org, actor=me,
                                                       answers=form.answers())
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Your quick self-assessment is saved. Here are its "
                                            "scores and the strategies for its weak spots."))
                return redirect(_url(request, "health_quick_result", survey_id=survey.pk))
        status = 400
    return render(request, "hr_admin/health/quick/form.html", {
        "form": form,
        "layout": questionnaire_layout(form),
        "likert_labels": quick.LIKERT_LABELS,
        "enps_low": quick.ENPS_LOW, "enps_high": quick.ENPS_HIGH,
        "history": quick.quick_history(organization=org),
    }, status=status)


def quick_result(request, org_slug, survey_id):
    me, org = request.membership, request.organization
    survey = quick.access_quick_survey_by_id(membership=me, survey_id=survey_id)
    answers = quick.quick_answers(organization=org, survey=survey)
    history = quick.quick_history(organization=org)
    return render(request, "hr_admin/health/quick/result.html", {
        "survey": survey,
        "result": quick.result(answers),
        "history": history,
        "trend": list(reversed([h for h in history if h["index"] is not None])),
        "plan_base": f"{_url(request, 'health_action_create')}?survey={survey.pk}",
    })


# --- The action plan ----------------------------------------------------------------------------


def action_list(request, org_slug):
    """Every action, by dimension, overdue ones highlighted."""
    me, org = request.membership, request.organization
    quick.require_health_lead(me)
    rows = list(actions.action_list(organization=org))
    groups = actions.grouped(rows)
    return render(request, "hr_admin/health/quick/actions.html", {
        "groups": groups,
        "total": len(rows),
        "open": sum(1 for a in rows if not a.is_done),
        "overdue": sum(1 for a in rows if getattr(a, "overdue", False)),
        "done": sum(1 for a in rows if a.is_done),
    })


def _action_form_page(request, form, *, action=None, source=None, status=200):
    return render(request, "hr_admin/health/quick/action_form.html", {
        "form": form, "action": action, "source": source,
    }, status=status)


def _source(org, data) -> dict | None:
    """The survey, dimension and strategy an action was started from (``?survey=&dimension=
    &strategy=``), each kept only if it is one of the organisation's or a shipped one."""
    survey = None
    survey_id = str(data.get("survey") or "")
    if survey_id.isdigit():
        survey = Survey.objects.for_org(org).filter(pk=int(survey_id)).first()
    dimension = content.dimension(str(data.get("dimension") or ""))
    strategy = next((s for s in content.STRATEGIES if s.key == data.get("strategy")), None)
    if strategy is not None and dimension is None:
        dimension = content.dimension(strategy.dimension)
    if strategy is not None and strategy.dimension != dimension.key:
        strategy = None
    if not (survey or dimension or strategy):
        return None
    return {"survey": survey, "dimension": dimension, "strategy": strategy,
            "is_quick": bool(survey and survey.mode == SurveyMode.QUICK)}


def action_create(request, org_slug):
    me, org = request.membership, request.organization
    quick.require_health_lead(me)
    source = _source(org, request.POST if request.method == "POST" else request.GET)
    initial = {}
    if source:
        initial = {"survey": source["survey"].pk if source["survey"] else None,
                   "dimension": source["dimension"].key if source["dimension"] else "",
                   "strategy": source["strategy"].key if source["strategy"] else "",
                   "title": str(source["strategy"].title) if source["strategy"] else ""}
    form = HealthActionForm(request.POST or None, organization=org, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["survey"] = source["survey"] if source else None
            try:
                action = actions.health_action_create(organization=org, actor=me, **data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Action “%(title)s” added to the plan.")
                                 % {"title": action.title})
                return redirect(_url(request, "health_actions"))
        return _action_form_page(request, form, source=source, status=400)
    return _action_form_page(request, form, source=source)


def action_edit(request, org_slug, health_action_id):
    me, org = request.membership, request.organization
    quick.require_health_lead(me)
    action = actions.access_action_by_id(membership=me, health_action_id=health_action_id)
    initial = {"title": action.title, "notes": action.notes, "owner": action.owner_id,
               "due_on": action.due_on, "dimension": action.dimension,
               "strategy": action.strategy}
    form = HealthActionForm(request.POST or None, organization=org, initial=initial,
                            current_owner_id=action.owner_id)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("survey", None)
            try:
                actions.health_action_update(organization=org, actor=me, action=action, **data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Changes to “%(title)s” saved.")
                                 % {"title": action.title})
                return redirect(_url(request, "health_actions"))
        return _action_form_page(request, form, action=action, status=400)
    return _action_form_page(request, form, action=action)


def action_done(request, org_slug, health_action_id):
    """Mark done, or open again (``done=0``): HR admins, leaders and the action's owner."""
    me, org = request.membership, request.organization
    action = actions.access_action_by_id(membership=me, health_action_id=health_action_id,
                                         owner_may=True)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    is_done = request.POST.get("done", "1") != "0"
    actions.health_action_set_done(organization=org, actor=me, action=action, is_done=is_done)
    if is_done:
        messages.success(request, _("“%(title)s” is done. Well done.") % {"title": action.title})
    else:
        messages.success(request, _("“%(title)s” is open again.") % {"title": action.title})
    fallback = (_url(request, "health_actions") if quick.assesses_health(me)
                else reverse("organizations:home", kwargs={"org_slug": org.slug}))
    return redirect(_safe_next(request, fallback))


def action_delete(request, org_slug, health_action_id):
    me, org = request.membership, request.organization
    quick.require_health_lead(me)
    action = actions.access_action_by_id(membership=me, health_action_id=health_action_id)
    if request.method == "POST":
        title = action.title
        actions.health_action_delete(organization=org, actor=me, action=action)
        messages.success(request, _("“%(title)s” removed from the plan.") % {"title": title})
        return redirect(_url(request, "health_actions"))
    return render(request, "hr_admin/health/quick/confirm.html", {
        "title": _("Remove “%(title)s”?") % {"title": action.title},
        "text": _("It leaves the action plan for good. Mark it done instead if it was "
                  "completed."),
        "action_url": _url(request, "health_action_delete", health_action_id=action.pk),
        "cancel_url": _url(request, "health_actions"),
        "button": _("Remove the action"),
    })
