"""Succession pages: the overview of key positions and their bench, a position with its
successors, and the nominations a member wrote.

Thin views: parse → access (``access_succession``: 404 for what the caller may not see) →
service or selector → render. HR admins and leaders see every position and bench; a manager only
the nominations they wrote (the overview sends them there); employees get 404 everywhere. A
write redirects with a message; invalid input re-renders with what was typed (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.services import audit

from .. import access_succession as access
from ..forms_succession import (
    CRITICALITY_HELP,
    KeyPositionForm,
    NominationEditForm,
    NominationForm,
    PositionFilterForm,
)
from ..models import Criticality
from ..selectors import succession as selectors
from ..services import succession as services

PAGE_SIZE = 50


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _strength_rules() -> list[dict]:
    return [{"key": key, "label": selectors.STRENGTH_LABELS[key],
             "rule": selectors.STRENGTH_RULES[key]}
            for key in (selectors.STRONG, selectors.THIN, selectors.NONE)]


# --- The overview -------------------------------------------------------------------------------


def overview(request, org_slug):
    """Every active key position, most critical and weakest bench first, with filters."""
    me, org = request.membership, request.organization
    if not access.plans_succession(me):
        access.require_succession_access(me)
        return redirect(_url(request, "succession_nominations"))
    filters = PositionFilterForm(request.GET or None)
    criticality, weak, retired = None, False, False
    if filters.is_valid():
        criticality = filters.cleaned_data["criticality"] or None
        weak = filters.cleaned_data["weak"]
        retired = filters.cleaned_data["retired"]
    rows = selectors.position_list(organization=org, viewer=me, criticality=criticality,
                                   weak_only=weak, include_retired=retired)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    positions = list(page.object_list)
    for position in positions:
        position.bench = selectors.Bench.of(position)
    summary = selectors.bench_summary(organization=org, viewer=me)
    return render(request, "hr_admin/succession/overview.html", {
        "page": page,
        "positions": positions,
        "filters": filters,
        "filtered": bool(criticality or weak or retired),
        "summary": summary,
        "rules": _strength_rules(),
        "criticalities": Criticality.choices,
    })


# --- Positions ----------------------------------------------------------------------------------


def _position_form_page(request, form, *, position=None, status=200):
    return render(request, "hr_admin/succession/position_form.html", {
        "form": form, "position": position,
        "criticality_help": CRITICALITY_HELP,
    }, status=status)


def position_create(request, org_slug):
    me, org = request.membership, request.organization
    access.require_planner(me)
    form = KeyPositionForm(request.POST or None, organization=org)
    if request.method == "POST":
        if form.is_valid():
            try:
                position = services.key_position_create(organization=org, actor=me,
                                                        **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Key position “%(name)s” added. Nominate its "
                                            "successors below.") % {"name": position})
                return redirect(_url(request, "succession_position", position_id=position.pk))
        return _position_form_page(request, form, status=400)
    return _position_form_page(request, form)


def position_edit(request, org_slug, position_id):
    me, org = request.membership, request.organization
    position = access.access_position_by_id(membership=me, position_id=position_id)
    initial = {"role": position.role_id, "title": position.title, "team": position.team_id,
               "incumbent": position.incumbent_id, "criticality": position.criticality,
               "notes": position.notes}
    form = KeyPositionForm(request.POST or None, organization=org, position=position,
                           initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.key_position_update(organization=org, actor=me, position=position,
                                             **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Changes to “%(name)s” saved.") % {"name": position})
                return redirect(_url(request, "succession_position", position_id=position.pk))
        return _position_form_page(request, form, position=position, status=400)
    return _position_form_page(request, form, position=position)


def position_detail(request, org_slug, position_id, *, nomination_form=None, status=200):
    """A position: its incumbent, its bench (successors by readiness, with how ready their
    skills make them for the role profile) and a form to nominate another."""
    me, org = request.membership, request.organization
    found = access.access_position_by_id(membership=me, position_id=position_id)
    position = selectors.position_get(organization=org, viewer=me, position_id=found.pk)
    position.bench = selectors.Bench.of(position)
    successors = list(selectors.position_bench(organization=org, position=position, viewer=me))
    readiness = selectors.candidate_readiness(
        organization=org, role=position.role,
        member_ids=[n.candidate_id for n in successors] + (
            [position.incumbent_id] if position.incumbent_id else []))
    for nomination in successors:
        nomination.skills_readiness = readiness.get(nomination.candidate_id)
        nomination.current_role = getattr(getattr(nomination.candidate, "role_link", None),
                                          "role", None)
    if successors:
        audit(organization=org, actor=me, action="hr.succession_viewed",
              position_id=position.pk, count=len(successors))
    if nomination_form is None and position.is_active:
        nomination_form = NominationForm(organization=org, nominator=me,
                                         initial={"position": position.pk})
    return render(request, "hr_admin/succession/position_detail.html", {
        "position": position,
        "successors": successors,
        "incumbent_readiness": readiness.get(position.incumbent_id),
        "nomination_form": nomination_form,
        "rules": _strength_rules(),
        "has_requirements": any(n.skills_readiness is not None for n in successors),
    }, status=status)


def position_retire(request, org_slug, position_id):
    me, org = request.membership, request.organization
    position = access.access_position_by_id(membership=me, position_id=position_id)
    detail = _url(request, "succession_position", position_id=position.pk)
    if request.method == "POST":
        services.key_position_set_active(organization=org, actor=me, position=position,
                                         is_active=False)
        messages.success(request, _("“%(name)s” retired from succession planning. Its "
                                    "successors are kept: restore it to see them again.")
                         % {"name": position})
        return redirect(_url(request, "succession"))
    return render(request, "hr_admin/succession/confirm.html", {
        "title": _("Retire “%(name)s”?") % {"name": position},
        "text": _("It leaves the overview and no one can be nominated for it. Its successors "
                  "are kept, and you can restore it later."),
        "action_url": _url(request, "succession_position_retire", position_id=position.pk),
        "cancel_url": detail,
        "button": _("Retire the position"),
        "back_label": _("Succession"),
        "back_url": _url(request, "succession"),
    })


def position_restore(request, org_slug, position_id):
    me, org = request.membership, request.organization
    position = access.access_position_by_id(membership=me, position_id=position_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    services.key_position_set_active(organization=org, actor=me, position=position,
                                     is_active=True)
    messages.success(request, _("“%(name)s” is a key position again.") % {"name": position})
    return redirect(_url(request, "succession_position", position_id=position.pk))


# --- Nominations --------------------------------------------------------------------------------


def _initial_from_query(request, *names: str) -> dict:
    return {name: request.GET[name] for name in names if request.GET.get(name, "").isdigit()}


def _nominations_page(request, *, form=None, status=200):
    me, org = request.membership, request.organization
    rows = selectors.nominations_made(organization=org, nominator=me)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_nominate = access.may_nominate(me)
    if form is None and can_nominate:
        form = NominationForm(organization=org, nominator=me,
                              initial=_initial_from_query(request, "position", "candidate"))
    has_positions = form is not None and len(form.fields["position"].choices) > 1
    has_candidates = form is not None and len(form.fields["candidate"].choices) > 1
    return render(request, "hr_admin/succession/nominations.html", {
        "page": page,
        "items": list(page.object_list),
        "form": form,
        "can_nominate": can_nominate and has_positions and has_candidates,
        "has_positions": has_positions,
        "has_candidates": has_candidates,
        "plans": access.plans_succession(me),
    }, status=status)


def nominations(request, org_slug):
    """The nominations the caller wrote, and a form to nominate someone."""
    access.require_succession_access(request.membership)
    return _nominations_page(request)


def nomination_create(request, org_slug):
    me, org = request.membership, request.organization
    access.require_succession_access(me)
    if request.method != "POST":
        return redirect(_url(request, "succession_nominations") + "#nominate")
    form = NominationForm(request.POST, organization=org, nominator=me)
    if form.is_valid():
        try:
            made = services.successor_nominate(organization=org, actor=me, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(name)s nominated as a successor of “%(position)s”. "
                                        "They do not see it.") % {
                "name": made.candidate.display_name, "position": made.position})
            if access.plans_succession(me):
                fallback = _url(request, "succession_position", position_id=made.position_id)
            else:
                fallback = _url(request, "succession_nominations")
            return redirect(_safe_next(request, fallback))
    back = request.POST.get("from")
    position = form.cleaned_data.get("position") if hasattr(form, "cleaned_data") else None
    if back == "position" and position is not None and access.plans_succession(me):
        return position_detail(request, org_slug, position.pk, nomination_form=form,
                               status=400)
    return _nominations_page(request, form=form, status=400)


def _after_nomination(request, nomination) -> str:
    if access.plans_succession(request.membership):
        fallback = _url(request, "succession_position", position_id=nomination.position_id)
    else:
        fallback = _url(request, "succession_nominations")
    return _safe_next(request, fallback)


def nomination_edit(request, org_slug, nomination_id):
    me, org = request.membership, request.organization
    nomination = access.access_nomination_by_id(membership=me, nomination_id=nomination_id)
    form = NominationEditForm(request.POST or None, initial={"readiness": nomination.readiness,
                                                             "notes": nomination.notes})
    if request.method != "POST" and nomination.nominated_by_id != me.pk:
        audit(organization=org, actor=me, action="hr.succession_viewed",
              subject=nomination.candidate, nomination_id=nomination.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.successor_nomination_update(organization=org, actor=me,
                                                 nomination=nomination, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Nomination of %(name)s saved.") % {
                "name": nomination.candidate.display_name})
            return redirect(_after_nomination(request, nomination))
    return render(request, "hr_admin/succession/nomination_form.html", {
        "form": form, "nomination": nomination, "cancel_url": _after_nomination(request,
                                                                                nomination),
    }, status=400 if request.method == "POST" else 200)


def nomination_delete(request, org_slug, nomination_id):
    me, org = request.membership, request.organization
    nomination = access.access_nomination_by_id(membership=me, nomination_id=nomination_id)
    back = _after_nomination(request, nomination)
    if request.method == "POST":
        services.successor_nomination_delete(organization=org, actor=me, nomination=nomination)
        messages.success(request, _("%(name)s is no longer a successor of “%(position)s”.") % {
            "name": nomination.candidate.display_name, "position": nomination.position})
        return redirect(back)
    return render(request, "hr_admin/succession/confirm.html", {
        "title": _("Remove this nomination?"),
        "text": _("%(name)s leaves the succession plan of “%(position)s”. You can nominate them "
                  "again later.") % {"name": nomination.candidate.display_name,
                                     "position": nomination.position},
        "action_url": _url(request, "succession_nomination_delete",
                           nomination_id=nomination.pk),
        "cancel_url": back,
        "button": _("Remove the nomination"),
        "back_label": _("Succession"),
        "back_url": back,
        "next": back,
    })
