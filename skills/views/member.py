"""Member and manager pages: my skills, check-ins, gaps, the pathway explorer, the validation
queue and the team skills matrix.

Each view parses the request, looks objects up through ``skills.access`` (scoped, 404 for another
organisation's ids) before any role check (403), then calls a service or a selector and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organizations import access as org_access
from organizations import selectors as org_selectors
from organizations.forms import add_service_errors
from organizations.services import audit

from .. import access, selectors
from ..forms_member import (
    ManagerReviewForm,
    SelfAssessmentForm,
    StartCheckInForm,
    comment_field_name,
    level_field_name,
    self_field_name,
)
from ..models import CheckInStatus, Importance, PathKind
from ..services import assessments

TEAM_PAGE_SIZE = 50
CLOSEST_PAGE_SIZE = 25
EXPLORER_CLOSEST = 6



# --- My skills ----------------------------------------------------------------------------------


def _my_skills_context(request, form=None) -> dict:
    org, membership = request.organization, request.membership
    role = selectors.current_role(organization=org, member=membership)
    report = None
    if role is not None:
        report = selectors.gap_analysis(organization=org, member=membership, role=role,
                                        resources_per_skill=0)
    if form is None:
        initial = {"role": role.pk} if role is not None and role.is_active else {}
        form = StartCheckInForm(organization=org, initial=initial)
    return {
        "role": role,
        "report": report,
        "ratings": selectors.rating_list(organization=org, member=membership),
        "check_ins": list(selectors.check_in_list(organization=org, member=membership)[:20]),
        "form": form,
    }


def my_skills(request, org_slug):
    """My current role, my ratings, my check-ins, and a way to start a check-in."""
    return render(request, "skills/member/my_skills.html", _my_skills_context(request))


@require_POST
def check_in_start(request, org_slug):
    org, membership = request.organization, request.membership
    form = StartCheckInForm(request.POST, organization=org)
    if form.is_valid():
        role = form.cleaned_data["role"]
        try:
            check_in = assessments.check_in_start(organization=org, actor=membership,
                                                  member=membership, role=role)
        except ValidationError as e:
            existing = selectors.check_in_open_for(organization=org, member=membership,
                                                   role=role)
            if existing is not None:
                messages.info(request, _("You already have a check-in against %(role)s in "
                                         "progress: here it is.") % {"role": role.shown_title})
                return redirect("skills:check_in", org_slug=org_slug, check_in_id=existing.pk)
            add_service_errors(form, e)
        else:
            messages.success(request, _("Check-in started. Rate each skill, save as you go, "
                                        "and submit when you are ready."))
            return redirect("skills:check_in", org_slug=org_slug, check_in_id=check_in.pk)
    return render(request, "skills/member/my_skills.html",
                  _my_skills_context(request, form=form), status=400)


# --- A check-in ---------------------------------------------------------------------------------


def _check_in_framework_id(check_in) -> int | None:
    if check_in.role is not None:
        return check_in.role.framework_id
    return next((i.skill.framework_id for i in check_in.item_list if i.skill), None)


def _self_rows(form, items, levels, descriptors) -> list[dict]:
    rows = []
    for item in items:
        bound = form[self_field_name(item)]
        value = bound.value()
        value = "" if value in (None, "") else str(value)
        options = [{"value": "", "rank": None, "name": _("Not yet"),
                    "descriptor": _("I have not used this skill yet."),
                    "checked": value == "", "id": f"{bound.auto_id}_none"}]
        for lv in levels:
            options.append({
                "value": str(lv.rank), "rank": lv.rank, "name": lv.shown_name,
                "descriptor": descriptors.get((item.skill_id, lv.rank)) or lv.shown_descriptor,
                "specific": (item.skill_id, lv.rank) in descriptors,
                "checked": value == str(lv.rank), "id": f"{bound.auto_id}_{lv.rank}",
                "is_required": lv.rank == item.required_level,
            })
        rows.append({"item": item, "field": bound, "options": options})
    return rows


def _review_rows(form, items, names) -> list[dict]:
    return [{
        "item": item,
        "level_field": form[level_field_name(item)],
        "comment_field": form[comment_field_name(item)],
        "self_name": names.get(item.self_level, ""),
        "required_name": names.get(item.required_level, ""),
    } for item in items]


def _read_rows(items, names) -> list[dict]:
    rows = []
    for item in items:
        final = item.manager_level if item.manager_level is not None else item.self_level
        rows.append({
            "item": item,
            "self_name": names.get(item.self_level, ""),
            "manager_name": names.get(item.manager_level, ""),
            "required_name": names.get(item.required_level, ""),
            "final": final,
            "final_name": names.get(final, ""),
            "differs": item.manager_level is not None and item.manager_level != item.self_level,
            "below": item.required_level is not None and (final or 0) < item.required_level,
        })
    return rows


def check_in(request, org_slug, check_in_id):
    """One check-in: the member's self-assessment form, the manager's review, or a read-only
    comparison of self and manager ratings, depending on who is looking and its status."""
    org, membership = request.organization, request.membership
    check_in = access.access_check_in_by_id(membership=membership, check_in_id=check_in_id)
    is_owner = check_in.member_id == membership.pk
    is_line_manager = not is_owner and access.can_manage_check_ins_of(
        viewer=membership, member=check_in.member)
    if is_owner and check_in.status == CheckInStatus.DRAFT:
        mode = "self"
    elif is_line_manager and check_in.status == CheckInStatus.SUBMITTED:
        mode = "review"
    else:
        mode = "read"
    if not is_owner and request.method == "GET":
        audit(organization=org, actor=membership, action="skills.check_in_viewed",
              subject=check_in.member, check_in_id=check_in.pk)

    items = check_in.item_list
    framework_id = _check_in_framework_id(check_in)
    levels = selectors.levels_by_framework(organization=org,
                                           framework_ids=[framework_id]).get(framework_id, [])
    names = {lv.rank: lv.shown_name for lv in levels}
    url_args = {"org_slug": org_slug, "check_in_id": check_in.pk}
    context = {"check_in": check_in, "mode": mode, "is_owner": is_owner,
               "is_line_manager": is_line_manager, "levels": levels,
               # A draft's self levels are the member's own until they submit.
               "hide_levels": check_in.status == CheckInStatus.DRAFT and not is_owner}

    if mode == "self":
        form = SelfAssessmentForm(request.POST or None, items=items, levels=levels)
        if request.method == "POST" and form.is_valid():
            submitting = request.POST.get("action") == "submit"
            try:
                assessments.check_in_rate_self(organization=org, actor=membership,
                                               check_in=check_in, ratings=form.ratings())
                if submitting:
                    assessments.check_in_submit(organization=org, actor=membership,
                                                check_in=check_in)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                if submitting:
                    manager = check_in.member.manager
                    if manager is not None:
                        messages.success(request, _("Submitted. %(name)s will review your "
                                                    "ratings.") % {"name": manager.display_name})
                    else:
                        messages.success(request, _("Submitted. No manager is recorded for you: "
                                                    "ask HR to add one so it can be validated."))
                else:
                    messages.success(request, _("Draft saved. You can come back to it at any "
                                                "time."))
                return redirect("skills:check_in", **url_args)
        descriptors = selectors.descriptors_by_skill_and_rank(
            organization=org, skill_ids=[i.skill_id for i in items])
        context.update(form=form, rows=_self_rows(form, items, levels, descriptors),
                       rated=sum(1 for i in items if i.self_level is not None))
    elif mode == "review":
        form = ManagerReviewForm(request.POST or None, items=items, levels=levels,
                                 initial={"comment": check_in.manager_comment})
        if request.method == "POST" and form.is_valid():
            validating = request.POST.get("action") == "validate"
            try:
                assessments.check_in_rate_manager(
                    organization=org, actor=membership, check_in=check_in,
                    ratings=form.ratings(), comments=form.comments())
                if validating:
                    assessments.check_in_validate(organization=org, actor=membership,
                                                  check_in=check_in,
                                                  comment=form.cleaned_data["comment"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                if validating:
                    name = check_in.member.display_name
                    messages.success(request, _("Validated. %(name)s's skill levels are "
                                                "updated.") % {"name": name})
                    return redirect("skills:validation_queue", org_slug=org_slug)
                messages.success(request, _("Your ratings are saved. Validate when you are "
                                            "done."))
                return redirect("skills:check_in", **url_args)
        context.update(form=form, rows=_review_rows(form, items, names))
    else:
        if request.method == "POST":
            messages.error(request, _("This check-in can no longer be changed."))
            return redirect("skills:check_in", **url_args)
        context["rows"] = _read_rows(items, names)
    context["history"] = selectors.check_in_history(organization=org, check_in=check_in)
    context["level_names"] = names
    status = 400 if request.method == "POST" else 200
    return render(request, "skills/member/check_in.html", context, status=status)


# --- Gaps ---------------------------------------------------------------------------------------


def _weights() -> dict:
    """The readiness weights, shown with the formula on the page."""
    return {"core_weight": selectors.IMPORTANCE_WEIGHTS[Importance.CORE],
            "desirable_weight": selectors.IMPORTANCE_WEIGHTS[Importance.DESIRABLE]}


def gaps(request, org_slug, role_id):
    """My gap to one role, skill by skill, with readiness and learning resources."""
    org, membership = request.organization, request.membership
    role = access.access_role_by_id(membership=membership, role_id=role_id)
    report = selectors.gap_analysis(organization=org, member=membership, role=role)
    current = selectors.current_role(organization=org, member=membership)
    return render(request, "skills/member/gaps.html", {
        "role": role,
        "report": report,
        "is_current": current is not None and current.pk == role.pk,
        "open_check_in": selectors.check_in_open_for(organization=org, member=membership,
                                                     role=role),
        **_weights(),
    })


# --- Pathway explorer ---------------------------------------------------------------------------


def _card_centre(index: int, count: int, rows: int) -> float:
    """Vertical centre of card ``index`` of a column of ``count`` cards, in card heights."""
    return (rows - count) / 2 + index + 0.5


def _pathway_graph(path: selectors.Pathway) -> dict:
    """Grid placement of the cards and the connectors between columns.

    Cards sit on a grid of half-card rows so that a column of fewer cards can be centred; the
    connectors are drawn in an SVG whose viewBox uses the same units (100 per card height).
    """
    one, two = path.one_move, path.two_moves
    rows = max(len(one), len(two), 1)

    def place(steps):
        count = len(steps)
        return [{"step": step, "row": (rows - count) + 2 * i + 2,
                 "centre": _card_centre(i, count, rows) * 100} for i, step in enumerate(steps)]

    current_centre = _card_centre(0, 1, rows) * 100
    one_cards, two_cards = place(one), place(two)
    centre_of_one = {card["step"].role.pk: card["centre"] for card in one_cards}

    def curve(y1: float, y2: float) -> str:
        return f"M0 {y1:g} C50 {y1:g} 50 {y2:g} 100 {y2:g}"

    first_wires = [{"d": curve(current_centre, card["centre"]), "kind": card["step"].kind}
                   for card in one_cards]
    second_wires = [{"d": curve(centre_of_one[via.role.pk], card["centre"]),
                     "kind": via.path.kind}
                    for card in two_cards for via in card["step"].via]
    return {
        "rows": rows,
        "half_rows": rows * 2,
        "height": rows * 100,
        "current_row": rows - 1 + 2,
        "one": one_cards,
        "two": two_cards,
        "first_wires": first_wires,
        "second_wires": second_wires,
    }


def explorer(request, org_slug):
    """From my role, the roles I can move to (one and two moves away) and the roles I am
    closest to."""
    org, membership = request.organization, request.membership
    ratings = selectors.ratings_by_skill(organization=org, member=membership)
    path = selectors.pathway(organization=org, member=membership, ratings=ratings)
    closest = selectors.closest_roles(organization=org, member=membership, ratings=ratings,
                                      exclude_current=True)
    return render(request, "skills/member/explorer.html", {
        "path": path,
        "graph": _pathway_graph(path) if not path.is_empty else None,
        "closest": closest[:EXPLORER_CLOSEST],
        "closest_total": len(closest),
        "kinds": PathKind.choices,
        "has_ratings": bool(ratings),
        **_weights(),
    })


def closest(request, org_slug):
    """Every active role profile, ranked by my readiness for it."""
    org, membership = request.organization, request.membership
    ranked = selectors.closest_roles(organization=org, member=membership)
    page = Paginator(ranked, CLOSEST_PAGE_SIZE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * CLOSEST_PAGE_SIZE
    return render(request, "skills/member/closest.html", {
        "page": page,
        "offset": offset,
        "has_ratings": any(r.met_count or r.readiness for r in ranked),
        **_weights(),
    })


# --- Managers and HR ----------------------------------------------------------------------------


def validation_queue(request, org_slug):
    """Submitted check-ins of my direct reports, waiting for my validation."""
    org, membership = request.organization, request.membership
    org_access.require_manager(membership)
    queue = selectors.validation_queue(organization=org, manager=membership)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "skills/member/validation_queue.html", {"page": page})


def team_matrix(request, org_slug):
    """Members by skills, coloured by level: a manager's direct reports, or (HR) any team."""
    org, membership = request.organization, request.membership
    team = role = None
    if request.GET.get("team"):
        team = org_access.access_team_by_id(membership=membership, team_id=request.GET["team"])
    if request.GET.get("role"):
        role = access.access_role_by_id(membership=membership, role_id=request.GET["role"])
    access.require_manager_or_hr(membership)
    if team is not None and not membership.is_hr_admin:
        raise PermissionDenied
    if team is not None:
        members = org_selectors.member_list(organization=org, team_id=team.pk)
    elif getattr(membership, "is_manager", False):
        members = org_selectors.direct_reports(organization=org, manager=membership)
    else:
        members = None
    page = matrix = None
    if members is not None:
        page = Paginator(members, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
        matrix = selectors.team_matrix(organization=org, members=page.object_list, role=role)
        if matrix.rows:
            audit(organization=org, actor=membership, action="skills.team_matrix_viewed",
                  team_id=team.pk if team else None, role_id=role.pk if role else None,
                  member_ids=[row.member.pk for row in matrix.rows])
    return render(request, "skills/member/team_matrix.html", {
        "team": team,
        "role": role,
        "page": page,
        "matrix": matrix,
        "teams": org_selectors.team_choices(organization=org) if membership.is_hr_admin else [],
        "roles": selectors.role_choices(organization=org),
        "is_manager": getattr(membership, "is_manager", False),
    })
