"""HR's reflection template editor, and the participation page of HR and leaders.

The editor: every view looks its area or prompt up scoped to the request's organisation first
(another organisation's id is 404 for everyone), then requires an HR admin (403 for other members
of this organisation), then checks the method, so a foreign id never learns whether a route
accepts GET or POST. Changes go through ``careers.services.templates``, which keeps the
versions copy-on-write: reflections already written keep their questions.

Participation shows counts only (DESIGN.md's privacy matrix): HR sees each member's completion,
leaders the aggregates; nobody here ever reads what a member wrote.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organizations import access
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.services import audit

from .. import forms_hr as forms
from ..models import ReflectionArea, ReflectionPrompt
from ..selectors import participation as participation_selectors
from ..selectors import templates as selectors
from ..services import templates as services

PARTICIPATION_PAGE_SIZE = 50
VERSIONS_SHOWN = 50


# --- Access -------------------------------------------------------------------------------------


def _area(request, area_id) -> ReflectionArea:
    """Security invariant: the scoped lookup (404 for another organisation's or an absent id,
    for every caller) comes before the role check, so only an area of the caller's own
    organisation can be ``PermissionDenied``, for a member who is not HR."""
    area = selectors.template_area_get(organization=request.organization, area_id=area_id)
    if area is None:
        raise Http404
    access.require_hr(request.membership)
    return area


def _prompt(request, prompt_id) -> ReflectionPrompt:
    """Same invariant as ``_area``."""
    prompt = selectors.template_prompt_get(organization=request.organization,
                                           prompt_id=prompt_id)
    if prompt is None:
        raise Http404
    access.require_hr(request.membership)
    return prompt


def _service(request) -> dict:
    return {"organization": request.organization, "actor": request.membership}


# --- The editor ---------------------------------------------------------------------------------


def _editor_context(request, template, bound: dict) -> dict:
    org = request.organization
    detail = selectors.template_detail(organization=org, template=template)
    versions = list(selectors.template_versions(organization=org)[:VERSIONS_SHOWN])
    current = next((v for v in versions if v.is_current), None)
    editable = detail.is_current
    if editable:
        for area in detail.area_list:
            area.form = bound.pop(f"area-{area.pk}", None) or forms.AreaForm(
                prefix=f"area-{area.pk}", initial={"title": area.title, "intro": area.intro})
            area.new_prompt_form = bound.pop(f"new-prompt-{area.pk}", None) or forms.PromptForm(
                prefix=f"new-prompt-{area.pk}")
            for prompt in area.prompt_list:
                prompt.form = bound.pop(f"prompt-{prompt.pk}", None) or forms.PromptForm(
                    prefix=f"prompt-{prompt.pk}",
                    initial={"text": prompt.text, "help_text": prompt.help_text})
    new_area_form = bound.pop("new-area", None) or forms.AreaForm(prefix="new-area")
    for form in bound.values():
        # A form for an area or question the page no longer shows (another version).
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return {
        "template": detail,
        "editable": editable,
        "current": current,
        "in_use": bool(current and current.reflection_count),
        "prompt_count": sum(len(a.prompt_list) for a in detail.area_list),
        "versions": versions,
        "new_area_form": new_area_form,
        "max_areas": services.MAX_AREAS,
    }


def _render_editor(request, *, status: int = 200, template=None, **bound):
    if template is None:
        template = services.reflection_template_current(organization=request.organization,
                                                        actor=request.membership)
    context = _editor_context(request, template, dict(bound))
    return render(request, "careers/hr/template.html", context, status=status)


def _back(org_slug, anchor: str = "") -> str:
    url = reverse("careers:template", kwargs={"org_slug": org_slug})
    return f"{url}#{anchor}" if anchor else url


def _saved(request, change, text: str) -> None:
    if change.new_version:
        text = " ".join([text, _(
            "This made version %(version)d of the template: reflections already written keep "
            "their questions.") % {"version": change.template.version}])
    messages.success(request, text)


def _refused(request, error: ValidationError, org_slug, anchor: str = ""):
    messages.error(request, " ".join(error.messages))
    return redirect(_back(org_slug, anchor))


def template_editor(request, org_slug):
    """The current version of the reflection template, to edit; ``?version=N`` shows an
    earlier version as it was, read-only."""
    access.require_hr(request.membership)
    template = None
    if "version" in request.GET:
        template = selectors.template_version_get(organization=request.organization,
                                                  version=request.GET["version"])
        if template is None:
            raise Http404
    return _render_editor(request, template=template)


def template_area_add(request, org_slug):
    access.require_hr(request.membership)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.AreaForm(request.POST, prefix="new-area")
    if form.is_valid():
        try:
            change = services.template_area_add(**_service(request), **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            _saved(request, change, _("Area “%(title)s” added. Add its questions next.")
                   % {"title": change.item.title})
            return redirect(_back(org_slug, f"area-{change.item.pk}"))
    return _render_editor(request, status=400, **{"new-area": form})


def template_area_update(request, org_slug, area_id):
    area = _area(request, area_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.AreaForm(request.POST, prefix=f"area-{area.pk}")
    if form.is_valid():
        try:
            change = services.template_area_update(**_service(request), area=area,
                                                   **form.cleaned_data)
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                return _refused(request, e, org_slug)
            add_service_errors(form, e)
        else:
            _saved(request, change, _("Area “%(title)s” saved.") % {"title": change.item.title})
            return redirect(_back(org_slug, f"area-{change.item.pk}"))
    return _render_editor(request, status=400, **{f"area-{area.pk}": form})


def template_area_remove(request, org_slug, area_id):
    area = _area(request, area_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        change = services.template_area_remove(**_service(request), area=area)
    except ValidationError as e:
        return _refused(request, e, org_slug, f"area-{area.pk}")
    _saved(request, change, _("Area “%(title)s” removed.") % {"title": area.title})
    return redirect(_back(org_slug))


def template_area_move(request, org_slug, area_id):
    area = _area(request, area_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Choose to move it up or down.")), org_slug)
    try:
        change = services.template_area_move(**_service(request), area=area,
                                             direction=form.cleaned_data["direction"])
    except ValidationError as e:
        return _refused(request, e, org_slug)
    _saved(request, change, _("Area “%(title)s” moved.") % {"title": change.item.title})
    return redirect(_back(org_slug, f"area-{change.item.pk}"))


def template_prompt_add(request, org_slug, area_id):
    area = _area(request, area_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.PromptForm(request.POST, prefix=f"new-prompt-{area.pk}")
    if form.is_valid():
        try:
            change = services.template_prompt_add(**_service(request), area=area,
                                                  **form.cleaned_data)
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                return _refused(request, e, org_slug, f"area-{area.pk}")
            add_service_errors(form, e)
        else:
            _saved(request, change, _("Question added."))
            return redirect(_back(org_slug, f"prompt-{change.item.pk}"))
    return _render_editor(request, status=400, **{f"new-prompt-{area.pk}": form})


def template_prompt_update(request, org_slug, prompt_id):
    prompt = _prompt(request, prompt_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.PromptForm(request.POST, prefix=f"prompt-{prompt.pk}")
    if form.is_valid():
        try:
            change = services.template_prompt_update(**_service(request), prompt=prompt,
                                                     **form.cleaned_data)
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                return _refused(request, e, org_slug)
            add_service_errors(form, e)
        else:
            _saved(request, change, _("Question saved."))
            return redirect(_back(org_slug, f"prompt-{change.item.pk}"))
    return _render_editor(request, status=400, **{f"prompt-{prompt.pk}": form})


def template_prompt_remove(request, org_slug, prompt_id):
    prompt = _prompt(request, prompt_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        change = services.template_prompt_remove(**_service(request), prompt=prompt)
    except ValidationError as e:
        return _refused(request, e, org_slug, f"prompt-{prompt.pk}")
    _saved(request, change, _("Question removed."))
    return redirect(_back(org_slug, f"area-{change.item.pk}"))


def template_prompt_move(request, org_slug, prompt_id):
    prompt = _prompt(request, prompt_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError(_("Choose to move it up or down.")), org_slug)
    try:
        change = services.template_prompt_move(**_service(request), prompt=prompt,
                                               direction=form.cleaned_data["direction"])
    except ValidationError as e:
        return _refused(request, e, org_slug)
    _saved(request, change, _("Question moved."))
    return redirect(_back(org_slug, f"prompt-{change.item.pk}"))


def template_reset(request, org_slug):
    access.require_hr(request.membership)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        change = services.template_reset_to_default(**_service(request))
    except ValidationError as e:
        return _refused(request, e, org_slug)
    if change.changed:
        _saved(request, change, _("The template is back to the one Trellis ships."))
    else:
        messages.info(request, _("The template already is the one Trellis ships: nothing "
                                 "changed."))
    return redirect(_back(org_slug))


# --- Participation ------------------------------------------------------------------------------


def participation(request, org_slug):
    """HR: each member's completion and the aggregates. Leaders: the aggregates only."""
    membership, org = request.membership, request.organization
    access.require_hr_or_leader(membership)
    context = {
        "summary": participation_selectors.participation_summary(organization=org),
        "statuses": participation_selectors.Status.LABELS,
    }
    if membership.is_hr_admin:
        search = forms.ParticipationSearchForm(request.GET or None)
        data = search.cleaned_data if search.is_valid() else {}
        query, status = data.get("q", "").strip(), data.get("status", "")
        members = participation_selectors.participation_members(
            organization=org, query=query, status=status)
        page = Paginator(members, PARTICIPATION_PAGE_SIZE).get_page(request.GET.get("page"))
        audit(organization=org, actor=membership, action="careers.participation_viewed",
              members=[m.pk for m in page.object_list], page=page.number)
        context.update({"search": search, "page": page, "query": query, "status": status,
                        "filtering": bool(query or status)})
        if request.htmx:
            return render(request, "careers/hr/_participation_results.html", context)
    return render(request, "careers/hr/participation.html", context)
