"""Career moves pages: the organisation's moves (HR and leaders), recording one by hand,
marking an exit as a regretted leaver or not, and removing a move recorded in error (HR).

Thin views: parse → access → service or selector → render. The list is HR's and leaders'
(403 for anyone else); a move named in the URL is looked up with ``access_move_by_id``
(404 for what the caller may not read) before any role check. A member's own career history is
a panel of their profile (``registrations_moves``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from organizations.access import require_hr, require_hr_or_leader
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from ..forms_moves import MoveFilterForm, MoveForm, RegrettedForm
from ..selectors import moves as selectors
from ..services import moves as services

PAGE_SIZE = 25


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _filters(request) -> tuple[MoveFilterForm, selectors.MoveFilters]:
    data = request.GET.copy()
    if "start" not in data:
        data["start"] = selectors.default_start().isoformat()
    form = MoveFilterForm(data, organization=request.organization)
    if not form.is_valid():
        return form, selectors.MoveFilters(start=selectors.default_start())
    d = form.cleaned_data
    return form, selectors.MoveFilters(kind=d["kind"] or None, team=d["team"],
                                       member=d["member"], query=d["q"], start=d["start"],
                                       end=d["end"])


def moves(request, org_slug):
    """Moves over a period (the last year unless chosen), filtered, with counts per kind."""
    me, org = request.membership, request.organization
    require_hr_or_leader(me)
    form, filters = _filters(request)
    rows = selectors.move_list(organization=org, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.move_kind_counts(organization=org, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("kind", None)
    if "start" not in query:
        query["start"] = filters.start.isoformat() if filters.start else ""
    return render(request, "hr_admin/moves/list.html", {
        "page": page,
        "items": list(page.object_list),
        "form": form,
        "filters": filters,
        "counts": counts,
        "total": sum(c["count"] for c in counts),
        "kind_query": query.urlencode(),
        "filtered": any(request.GET.get(name) for name in ("kind", "team", "q", "member",
                                                           "end"))
        or request.GET.get("start") is not None,
        "can_record": me.is_hr_admin,
    })


def move_regretted(request, org_slug, move_id):
    """HR says from an exit's row whether the leaver is regretted, then goes back to the list
    as it was (filters, page and row)."""
    me, org = request.membership, request.organization
    move = selectors.access_move_by_id(membership=me, move_id=move_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    if not me.is_hr_admin:
        raise PermissionDenied(_("Only HR can mark a regretted leaver."))
    back = _safe_next(request, _url(request, "moves"))
    form = RegrettedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose “Not known”, “Yes, regretted” or “No”."))
        return redirect(back)
    try:
        services.move_regretted_set(organization=org, actor=me, move=move,
                                    regretted=form.cleaned_data["regretted"])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        said = {True: _("%(name)s's exit is marked as a regretted leaver."),
                False: _("%(name)s's exit is marked as not regretted."),
                None: _("%(name)s's exit is back to “Not known”.")}
        messages.success(request, said[move.regretted] % {"name": move.member.display_name})
    return redirect(f"{back.split('#')[0]}#move-{move.pk}")


def _form_page(request, form, *, status=200):
    return render(request, "hr_admin/moves/form.html", {
        "form": form, "next": _safe_next(request, ""),
    }, status=status)


def move_create(request, org_slug):
    me, org = request.membership, request.organization
    require_hr(me)
    if request.method != "POST":
        initial = {name: request.GET[name] for name in ("member",)
                   if request.GET.get(name, "").isdigit()}
        return _form_page(request, MoveForm(organization=org, initial=initial))
    form = MoveForm(request.POST, organization=org)
    if form.is_valid():
        try:
            move = services.move_record_by_hand(organization=org, actor=me, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("%(kind)s of %(name)s on %(date)s recorded.") % {
                "kind": move.get_kind_display(), "name": move.member.display_name,
                "date": move.effective_on.isoformat()})
            profile = reverse("organizations:member_detail",
                              kwargs={"org_slug": org.slug, "member_id": move.member_id})
            return redirect(_safe_next(request, profile + "#career-history"))
    return _form_page(request, form, status=400)


def move_delete(request, org_slug, move_id):
    me, org = request.membership, request.organization
    move = selectors.access_move_by_id(membership=me, move_id=move_id)
    if not me.is_hr_admin:
        raise PermissionDenied(_("Only HR can remove a recorded move."))
    back = _safe_next(request, _url(request, "moves"))
    if request.method == "POST":
        services.move_delete(organization=org, actor=me, move=move)
        messages.success(request, _("The move was removed from %(name)s's career history. "
                                    "Record it again if it happened differently.") % {
            "name": move.member.display_name})
        return redirect(back)
    return render(request, "hr_admin/moves/delete.html", {
        "move": move, "next": back,
        "record_again_url": _url(request, "move_create") + f"?member={move.member_id}",
    })
