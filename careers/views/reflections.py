"""The member's reflection pages: the list, one reflection's areas, writing an area (saved as
it is typed), sharing an area with the manager, and comparing with the previous reflection.

All of them are the owner's alone: ``careers.access`` answers 404 for anyone else's reflection.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from .. import access
from ..forms_reflection import AnswerForm, AreaAnswersForm, StartReflectionForm
from ..selectors import reflections as selectors
from ..services import reflections as services
from ..services.templates import reflection_template_current


def _epoch_ms(value) -> int:
    return int(value.timestamp() * 1000) if value else 0


def reflections(request, org_slug):
    """My reflections, newest first, and the way to start a new one."""
    org, membership = request.organization, request.membership
    items = list(selectors.reflection_list(organization=org, member=membership)[:50])
    template = reflection_template_current(organization=org)
    latest = (selectors.reflection_detail(organization=org, reflection=items[0])
              if items else None)
    return render(request, "careers/reflections/list.html", {
        "reflections": items,
        "latest": latest,
        "form": StartReflectionForm(),
        "template_areas": None if items else selectors.template_areas(
            organization=org, template=template),
    })


@require_POST
def reflection_new(request, org_slug):
    org, membership = request.organization, request.membership
    form = StartReflectionForm(request.POST)
    if form.is_valid():
        reflection = services.reflection_start(organization=org, actor=membership,
                                               title=form.cleaned_data["title"])
        messages.success(request, _("Your reflection is started. Everything you write is "
                                    "private until you choose to share an area."))
        first = selectors.reflection_detail(organization=org, reflection=reflection).areas
        if first:
            return redirect("careers:reflection_area", org_slug=org_slug,
                            reflection_id=reflection.pk, area_id=first[0].area.pk)
        return redirect("careers:reflection", org_slug=org_slug, reflection_id=reflection.pk)
    items = list(selectors.reflection_list(organization=org, member=membership)[:50])
    return render(request, "careers/reflections/list.html", {
        "reflections": items, "form": form, "latest": None,
    }, status=400)


def reflection(request, org_slug, reflection_id):
    """One reflection: its areas with progress, what is shared, rename and delete."""
    org, membership = request.organization, request.membership
    reflection = access.access_reflection_by_id(membership=membership,
                                                reflection_id=reflection_id)
    view = selectors.reflection_detail(organization=org, reflection=reflection)
    form = StartReflectionForm(request.POST or None, initial={"title": reflection.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_rename(organization=org, actor=membership,
                                       reflection=reflection,
                                       title=form.cleaned_data["title"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Title saved."))
            return redirect("careers:reflection", org_slug=org_slug,
                            reflection_id=reflection.pk)
    previous = selectors.reflection_previous(organization=org, reflection=reflection)
    return render(request, "careers/reflections/detail.html", {
        "view": view,
        "reflection": reflection,
        "previous": previous,
        "form": form,
        "manager": membership.manager,
    }, status=400 if request.method == "POST" else 200)


def reflection_delete(request, org_slug, reflection_id):
    org, membership = request.organization, request.membership
    reflection = access.access_reflection_by_id(membership=membership,
                                                reflection_id=reflection_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    services.reflection_delete(organization=org, actor=membership, reflection=reflection)
    messages.success(request, _("The reflection and everything written in it are deleted."))
    return redirect("careers:reflections", org_slug=org_slug)


def reflection_area(request, org_slug, reflection_id, area_id):
    """Write one area. Each answer is saved as it is typed (``reflection_answer``); the Save
    button sends the whole area, which is also how the page works without JavaScript."""
    org, membership = request.organization, request.membership
    reflection = access.access_reflection_by_id(membership=membership,
                                                reflection_id=reflection_id)
    area_obj = access.access_area_of(reflection=reflection, area_id=area_id)
    view = selectors.reflection_detail(organization=org, reflection=reflection)
    area = view.area(area_obj.pk)
    if area is None:
        raise Http404
    previous_area, next_area = view.neighbours(area_obj.pk)
    form = AreaAnswersForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_answers_save(organization=org, actor=membership,
                                             reflection=reflection,
                                             answers=form.answers())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your answers to “%(area)s” are saved.")
                             % {"area": area.area.shown_title})
            if request.POST.get("then") == "next" and next_area is not None:
                return redirect("careers:reflection_area", org_slug=org_slug,
                                reflection_id=reflection.pk, area_id=next_area.area.pk)
            return redirect("careers:reflection_area", org_slug=org_slug,
                            reflection_id=reflection.pk, area_id=area_obj.pk)
    rows = [{"view": p, "field": form[f"prompt_{p.prompt.pk}"],
             "saved_at": _epoch_ms(p.updated_at)} for p in area.prompts]
    return render(request, "careers/reflections/area.html", {
        "view": view,
        "reflection": reflection,
        "area": area,
        "rows": rows,
        "form": form,
        "previous_area": previous_area,
        "next_area": next_area,
        "manager": membership.manager,
    }, status=400 if request.method == "POST" else 200)


def reflection_answer(request, org_slug, reflection_id, prompt_id):
    """Autosave of one answer: JSON with when it was saved and the area's progress, or 400
    with the message to show beside the text box (the text stays where it is)."""
    org, membership = request.organization, request.membership
    reflection = access.access_reflection_by_id(membership=membership,
                                                reflection_id=reflection_id)
    prompt = access.access_prompt_of(reflection=reflection, prompt_id=prompt_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()},
                            status=400)
    try:
        services.reflection_answer_save(organization=org, actor=membership,
                                        reflection=reflection, prompt=prompt,
                                        text=form.cleaned_data["text"])
    except ValidationError as e:
        return JsonResponse({"saved": False, "errors": {
            "text": [{"message": m} for m in e.messages]}}, status=400)
    view = selectors.reflection_detail(organization=org, reflection=reflection)
    area = view.area(prompt.area_id)
    now = timezone.localtime()
    return JsonResponse({
        "saved": True,
        "saved_at": _epoch_ms(now),
        "saved_label": _("Saved at %(time)s") % {"time": formats.time_format(now, "TIME_FORMAT")},
        "area": {"answered": area.answered_count, "total": area.prompt_count},
        "reflection": {"answered": view.answered_count, "total": view.prompt_count,
                       "percent": view.percent},
    })


def reflection_share(request, org_slug, reflection_id, area_id):
    """Share an area with my manager (``action=share``) or withdraw it (``action=withdraw``)."""
    org, membership = request.organization, request.membership
    reflection = access.access_reflection_by_id(membership=membership,
                                                reflection_id=reflection_id)
    area = access.access_area_of(reflection=reflection, area_id=area_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    manager = membership.manager
    if request.POST.get("action") == "withdraw":
        services.reflection_unshare_area(organization=org, actor=membership,
                                         reflection=reflection, area=area)
        messages.success(request, _("“%(area)s” is private again: your manager no longer sees "
                                    "it.") % {"area": area.shown_title})
    else:
        services.reflection_share_area(organization=org, actor=membership,
                                       reflection=reflection, area=area)
        if manager is not None:
            messages.success(request, _("“%(area)s” is shared with %(name)s. You can withdraw it "
                                        "at any time.") % {"area": area.title,
                                                           "name": manager.display_name})
        else:
            messages.warning(request, _("“%(area)s” is marked as shared, but no manager is "
                                        "recorded for you yet: nobody sees it until HR adds "
                                        "one.") % {"area": area.title})
    back = request.POST.get("next", "")
    if back == "area":
        return redirect("careers:reflection_area", org_slug=org_slug,
                        reflection_id=reflection.pk, area_id=area.pk)
    return redirect("careers:reflection", org_slug=org_slug, reflection_id=reflection.pk)


def reflection_compare(request, org_slug, reflection_id):
    """This reflection beside an earlier one (the previous, or ``?with=<id>``)."""
    org, membership = request.organization, request.membership
    reflection = access.access_reflection_by_id(membership=membership,
                                                reflection_id=reflection_id)
    if request.GET.get("with"):
        other = access.access_reflection_by_id(membership=membership,
                                               reflection_id=request.GET["with"])
    else:
        other = selectors.reflection_previous(organization=org, reflection=reflection)
    choices = [r for r in selectors.reflection_list(organization=org, member=membership)[:50]
               if r.pk != reflection.pk]
    comparison = None
    if other is not None:
        before, after = sorted([reflection, other], key=lambda r: (r.created_at, r.pk))
        comparison = {
            "before": before,
            "after": after,
            "areas": selectors.reflection_compare(
                before=selectors.reflection_detail(organization=org, reflection=before),
                after=selectors.reflection_detail(organization=org, reflection=after)),
        }
    return render(request, "careers/reflections/compare.html", {
        "reflection": reflection,
        "other": other,
        "choices": choices,
        "comparison": comparison,
    })
