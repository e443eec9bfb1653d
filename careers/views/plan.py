"""The member's goals and options, their criteria, and their development plan.

Every page here is the member's own: ids are looked up through ``careers.access_plan``, which
answers 404 for anything that is not the caller's (another organisation's, a colleague's, a
report's). Each view parses the request, looks the object up, calls a service or selector and
renders; a write redirects with a message, invalid input re-renders with what was typed (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from skills import selectors as skills_selectors

from .. import access_plan as access
from ..forms_plan import (
    ACTION_KIND_HELP,
    ActionForm,
    CriterionForm,
    GoalForm,
    OptionForm,
    OptionQuickForm,
    OptionRatingForm,
    score_field_name,
)
from ..models import ActionKind, ActionStatus, GoalStatus, OptionDecision
from ..selectors import plan as selectors
from ..services import plan as services


def _url(name: str, request, **kwargs) -> str:
    return reverse(f"careers:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _data(request):
    """The posted data, or None (an unbound form) for a GET."""
    return request.POST if request.method == "POST" else None


def _form_data(form) -> dict:
    return dict(form.cleaned_data)


def _confirm(request, *, title: str, text: str, action_url: str, cancel_url: str,
             button: str):
    return render(request, "careers/plan/confirm_delete.html", {
        "title": title, "text": text, "action_url": action_url, "cancel_url": cancel_url,
        "button": button,
    })


# --- Goals & options ----------------------------------------------------------------------------


def _goals_context(request, *, goal_form=None, option_form=None) -> dict:
    org, membership = request.organization, request.membership
    goals = list(selectors.goal_list(organization=org, member=membership))
    options = selectors.option_list(organization=org, member=membership)
    criteria = list(selectors.criterion_list(organization=org, member=membership))
    ranked = sorted((o for o in options if o.score is not None),
                    key=lambda o: (-o.score, o.title.lower(), o.pk))
    return {
        "goals": goals,
        "open_goals": [g for g in goals if g.status in selectors.OPEN_GOAL_STATUSES],
        "closed_goals": [g for g in goals if g.status not in selectors.OPEN_GOAL_STATUSES],
        "options": options,
        "ranked_options": ranked,
        "criteria": criteria,
        "goal_form": goal_form or GoalForm(organization=org),
        "option_form": option_form or OptionQuickForm(),
        "current_role": skills_selectors.current_role(organization=org, member=membership),
    }


def goals(request, org_slug):
    """Goals & options: where I want to go, and the options I am weighing up."""
    return render(request, "careers/plan/goals.html", _goals_context(request))


def goal_create(request, org_slug):
    if request.method != "POST":
        return redirect("careers:goals", org_slug=org_slug)
    org, membership = request.organization, request.membership
    form = GoalForm(request.POST, organization=org)
    if form.is_valid():
        try:
            goal = services.goal_create(organization=org, actor=membership, **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Goal added: “%(goal)s”.") % {"goal": goal})
            return redirect(_url("goals", request) + f"#goal-{goal.pk}")
    return render(request, "careers/plan/goals.html",
                  _goals_context(request, goal_form=form), status=400)


def goal_edit(request, org_slug, goal_id):
    org, membership = request.organization, request.membership
    goal = access.access_goal_by_id(membership=membership, goal_id=goal_id)
    form = GoalForm(_data(request), organization=org, goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(organization=org, actor=membership, goal=goal,
                                 **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
            goal = access.access_goal_by_id(membership=membership, goal_id=goal.pk)
        else:
            messages.success(request, _("Goal saved."))
            return redirect(_url("goals", request) + f"#goal-{goal.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "careers/plan/goal_edit.html", {"goal": goal, "form": form},
                  status=status)


def goal_delete(request, org_slug, goal_id):
    org, membership = request.organization, request.membership
    goal = access.access_goal_by_id(membership=membership, goal_id=goal_id)
    if request.method == "POST":
        services.goal_delete(organization=org, actor=membership, goal=goal)
        messages.success(request, _("Goal deleted."))
        return redirect("careers:goals", org_slug=org_slug)
    return _confirm(
        request, title=_("Delete the goal “%(goal)s”?") % {"goal": goal},
        text=_("The goal and why it mattered to you are deleted. Your development actions "
               "stay in your plan."),
        action_url=_url("goal_delete", request, goal_id=goal.pk),
        cancel_url=_url("goal_edit", request, goal_id=goal.pk), button=_("Delete the goal"))


def option_create(request, org_slug):
    if request.method != "POST":
        return redirect("careers:goals", org_slug=org_slug)
    org, membership = request.organization, request.membership
    form = OptionQuickForm(request.POST)
    if form.is_valid():
        try:
            option = services.option_create(organization=org, actor=membership,
                                            **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Option added. Now weigh it up: rate it against what "
                                        "matters to you and note its pros and cons."))
            return redirect("careers:option", org_slug=org_slug, option_id=option.pk)
    return render(request, "careers/plan/goals.html",
                  _goals_context(request, option_form=form), status=400)


def _rating_rows(form, criteria) -> list[dict]:
    rows = []
    for criterion in criteria:
        bound = form[score_field_name(criterion)]
        value = bound.value()
        value = "" if value in (None, "") else str(value)
        rows.append({
            "criterion": criterion,
            "field": bound,
            "options": [{"value": str(choice), "label": str(label),
                         "id": f"{bound.auto_id}_{choice or 'none'}",
                         "checked": value == str(choice)}
                        for choice, label in bound.field.choices],
        })
    return rows


def option(request, org_slug, option_id):
    """One option: its rating against my criteria, pros and cons, and the decision."""
    org, membership = request.organization, request.membership
    option = access.access_option_by_id(membership=membership, option_id=option_id)
    criteria = list(selectors.criterion_list(organization=org, member=membership))
    data = _data(request)
    form = OptionForm(data, option=option)
    rating_form = OptionRatingForm(data, criteria=criteria, scores=option.score_by_criterion)
    if request.method == "POST" and form.is_valid() & rating_form.is_valid():
        try:
            # One save: the details and the ratings are written together or not at all.
            with transaction.atomic():
                services.option_update(organization=org, actor=membership, option=option,
                                       **_form_data(form))
                services.option_rate(organization=org, actor=membership, option=option,
                                     scores=rating_form.scores())
        except ValidationError as e:
            add_service_errors(form, e)
            option = access.access_option_by_id(membership=membership, option_id=option.pk)
        else:
            messages.success(request, _("Option saved."))
            return redirect("careers:option", org_slug=org_slug, option_id=option.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "careers/plan/option.html", {
        "option": option,
        "form": form,
        "rating_form": rating_form,
        "rows": _rating_rows(rating_form, criteria),
        "criteria": criteria,
        "score_max": services.SCORE_MAX,
        "decisions": OptionDecision,
    }, status=status)


def option_delete(request, org_slug, option_id):
    org, membership = request.organization, request.membership
    option = access.access_option_by_id(membership=membership, option_id=option_id)
    if request.method == "POST":
        services.option_delete(organization=org, actor=membership, option=option)
        messages.success(request, _("Option deleted."))
        return redirect("careers:goals", org_slug=org_slug)
    return _confirm(
        request, title=_("Delete the option “%(option)s”?") % {"option": option},
        text=_("Its ratings, pros and cons and your decision are deleted with it."),
        action_url=_url("option_delete", request, option_id=option.pk),
        cancel_url=_url("option", request, option_id=option.pk), button=_("Delete the option"))


# --- Criteria -----------------------------------------------------------------------------------


def criteria(request, org_slug):
    """My criteria for weighing options, and a form to add one."""
    org, membership = request.organization, request.membership
    form = CriterionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.criterion_create(organization=org, actor=membership,
                                                  **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Criterion “%(name)s” added. Rate your options "
                                        "against it.") % {"name": criterion.name})
            return redirect("careers:criteria", org_slug=org_slug)
    items = list(selectors.criterion_list(organization=org, member=membership))
    total_weight = sum(c.weight for c in items)
    for item in items:
        item.share = round(100 * item.weight / total_weight) if total_weight else 0
    status = 400 if request.method == "POST" else 200
    return render(request, "careers/plan/criteria.html", {
        "criteria": items,
        "form": form,
        "defaults": [(str(name), weight) for name, weight in services.DEFAULT_CRITERIA],
        "score_max": services.SCORE_MAX,
    }, status=status)


def criteria_defaults(request, org_slug):
    if request.method != "POST":
        return redirect("careers:criteria", org_slug=org_slug)
    added = services.criteria_add_defaults(organization=request.organization,
                                           actor=request.membership)
    if added:
        messages.success(request, _("Suggested criteria added. Reweigh, rename or remove them "
                                    "until they say what matters to you."))
    else:
        messages.info(request, _("You already have all the suggested criteria."))
    return redirect(request.POST.get("next") or _url("criteria", request))


def criterion_edit(request, org_slug, criterion_id):
    org, membership = request.organization, request.membership
    criterion = access.access_criterion_by_id(membership=membership, criterion_id=criterion_id)
    form = CriterionForm(_data(request), criterion=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(organization=org, actor=membership,
                                      criterion=criterion, **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Criterion saved. Scores use its new weight."))
            return redirect("careers:criteria", org_slug=org_slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "careers/plan/criterion_edit.html",
                  {"criterion": criterion, "form": form}, status=status)


def criterion_delete(request, org_slug, criterion_id):
    org, membership = request.organization, request.membership
    criterion = access.access_criterion_by_id(membership=membership, criterion_id=criterion_id)
    if request.method == "POST":
        services.criterion_delete(organization=org, actor=membership, criterion=criterion)
        messages.success(request, _("Criterion deleted; option scores are worked out without "
                                    "it."))
        return redirect("careers:criteria", org_slug=org_slug)
    return _confirm(
        request, title=_("Delete the criterion “%(name)s”?") % {"name": criterion.name},
        text=_("The ratings your options have against it are deleted too, and their scores "
               "are worked out without it."),
        action_url=_url("criterion_delete", request, criterion_id=criterion.pk),
        cancel_url=_url("criteria", request), button=_("Delete the criterion"))


# --- Development plan ---------------------------------------------------------------------------

STATUS_GROUPS = (
    (ActionStatus.IN_PROGRESS, "clock"),
    (ActionStatus.PLANNED, "calendar"),
    (ActionStatus.DONE, "check-circle"),
    (ActionStatus.CANCELLED, "close"),
)


def _plan_context(request, *, form=None) -> dict:
    org, membership = request.organization, request.membership
    actions = list(selectors.action_list(organization=org, member=membership))
    today = timezone.localdate()
    for action in actions:
        action.is_open = action.status in services.OPEN_ACTION_STATUSES
        action.is_overdue = bool(action.is_open and action.due_date and action.due_date < today)
    labels = dict(ActionStatus.choices)
    groups = []
    for status, icon in STATUS_GROUPS:
        items = [a for a in actions if a.status == status]
        groups.append({"status": status, "label": labels[status], "icon": icon,
                       "actions": items})
    return {
        "summary": selectors.plan_summary(organization=org, member=membership),
        "groups": groups,
        "has_actions": bool(actions),
        "suggestions": selectors.gap_suggestions(organization=org, member=membership),
        "form": form or ActionForm(organization=org, member=membership),
        "kinds": [(value, label, ACTION_KIND_HELP[value]) for value, label in
                  ActionKind.choices],
        "statuses": ActionStatus,
        "current_role": skills_selectors.current_role(organization=org, member=membership),
        "has_target_goal": selectors.goal_list(organization=org, member=membership)
        .filter(status__in=[GoalStatus.ACTIVE, GoalStatus.EXPLORING],
                target_role__isnull=False).exists(),
    }


def plan(request, org_slug):
    """My development plan: progress, actions by status, and suggestions from my skill gaps."""
    return render(request, "careers/plan/plan.html", _plan_context(request))


def action_create(request, org_slug):
    if request.method != "POST":
        return redirect("careers:plan", org_slug=org_slug)
    org, membership = request.organization, request.membership
    form = ActionForm(request.POST, organization=org, member=membership)
    if form.is_valid():
        try:
            action = services.action_create(organization=org, actor=membership,
                                            **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Added to your plan: “%(action)s”.")
                             % {"action": action.title})
            return redirect(_url("plan", request) + f"#action-{action.pk}")
    return render(request, "careers/plan/plan.html", _plan_context(request, form=form),
                  status=400)


def action_from_resource(request, org_slug, resource_id):
    """One click: a suggested learning resource becomes a planned action."""
    org, membership = request.organization, request.membership
    resource = access.access_plan_resource_by_id(membership=membership,
                                                 resource_id=resource_id)
    refused = refuse_unless_post(request)
    if refused is not None:
        return refused
    try:
        action = services.action_from_resource(organization=org, actor=membership,
                                               resource=resource)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("careers:plan", org_slug=org_slug)
    messages.success(request, _("Added to your plan as %(kind)s: “%(action)s”. Give it a due "
                                "date when you know when you will do it.")
                     % {"kind": action.get_kind_display().lower(), "action": action.title})
    return redirect(_url("plan", request) + f"#action-{action.pk}")


def action_edit(request, org_slug, action_id):
    org, membership = request.organization, request.membership
    action = access.access_action_by_id(membership=membership, action_id=action_id)
    form = ActionForm(_data(request), organization=org, member=membership, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(organization=org, actor=membership, action=action,
                                   **_form_data(form))
        except ValidationError as e:
            add_service_errors(form, e)
            action = access.access_action_by_id(membership=membership, action_id=action.pk)
        else:
            messages.success(request, _("Action saved."))
            return redirect(_url("plan", request) + f"#action-{action.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "careers/plan/action_edit.html", {
        "action": action, "form": form,
    }, status=status)


def action_delete(request, org_slug, action_id):
    org, membership = request.organization, request.membership
    action = access.access_action_by_id(membership=membership, action_id=action_id)
    if request.method == "POST":
        services.action_delete(organization=org, actor=membership, action=action)
        messages.success(request, _("Action deleted."))
        return redirect("careers:plan", org_slug=org_slug)
    return _confirm(
        request, title=_("Delete the action “%(action)s”?") % {"action": action.title},
        text=_("If you did it, consider marking it done instead: done actions count towards "
               "your learning hours."),
        action_url=_url("action_delete", request, action_id=action.pk),
        cancel_url=_url("action_edit", request, action_id=action.pk),
        button=_("Delete the action"))


STATUS_MESSAGES = {
    ActionStatus.PLANNED: _("“%(action)s” is planned again."),
    ActionStatus.IN_PROGRESS: _("“%(action)s” is in progress. Good luck!"),
    ActionStatus.DONE: _("“%(action)s” is done. Well done! Add evidence of what you did while "
                         "it is fresh."),
    ActionStatus.CANCELLED: _("“%(action)s” is cancelled."),
}


def action_status(request, org_slug, action_id):
    """Quick status change from the plan page (start, done, reopen, cancel)."""
    org, membership = request.organization, request.membership
    action = access.access_action_by_id(membership=membership, action_id=action_id)
    refused = refuse_unless_post(request)
    if refused is not None:
        return refused
    status = request.POST.get("status", "")
    if status not in ActionStatus.values:
        messages.error(request, _("Choose a status for the action."))
        return redirect(_url("plan", request) + f"#action-{action.pk}")
    try:
        services.action_update(organization=org, actor=membership, action=action,
                               status=status)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, STATUS_MESSAGES[status] % {"action": action.title})
    return redirect(_url("plan", request) + f"#action-{action.pk}")
