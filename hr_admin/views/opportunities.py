"""Pages of internal opportunities: members browse, save and express interest; HR and managers
post and manage openings, rank candidates and fill; line managers approve the time a project
or gig takes.

Thin views: parse → access (``access_opportunities``: 404 for what the caller may not see,
whoever they are) → service or selector → render. A write redirects with a message; invalid
input re-renders with what was typed (400). Reading candidates' interests is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.selectors import team_choices
from organizations.services import audit
from skills.models import Level
from skills.selectors import role_choices

from ..access_opportunities import (
    access_interest_to_decide,
    access_interest_to_manage,
    access_managed_opportunity_by_id,
    access_opportunity_by_id,
)
from ..forms_opportunities import (
    BLANK_SKILL_ROWS,
    DECISION_HELP,
    MATCH_CHOICES,
    SORT_CHOICES,
    ApprovalForm,
    FillForm,
    InterestForm,
    OpportunityForm,
    SkillFormSet,
    kind_options,
    level_choices,
    skill_initial,
)
from ..models import InterestStatus, ManagerApproval, OpportunityKind, OpportunityStatus
from ..selectors import opportunities as selectors
from ..services import opportunities as services

PAGE_SIZE = 12
MANAGE_PAGE_SIZE = 25
RESOURCES_PER_SKILL = 2


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug,
                                               **kwargs})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _int(value, *, low: int = 0, high: int = 10**9) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Browsing -----------------------------------------------------------------------------------


VIEWS = ("open", "saved", "interests")


def opportunities(request, org_slug):
    """Open opportunities with the member's match; their saved ones; their interests."""
    org, me = request.organization, request.membership
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "open"
    kind = request.GET.get("kind", "")
    kind = kind if kind in OpportunityKind.values else ""
    teams = list(team_choices(organization=org))
    team_id = _int(request.GET.get("team"), low=1)
    if team_id not in {t.pk for t in teams}:
        team_id = None
    query = request.GET.get("q", "").strip()[:100]
    min_match = _int(request.GET.get("min"), low=1, high=100)
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "match"
    context = {
        "view": view, "kind": kind, "team_id": team_id, "query": query, "min_match": min_match,
        "sort": sort, "teams": teams, "kinds": kind_options(), "match_choices": MATCH_CHOICES,
        "sort_choices": SORT_CHOICES, "counts": selectors.member_counts(organization=org,
                                                                        member=me),
        "can_post": selectors.can_post(me),
        "filtered": bool(kind or team_id or query or min_match),
    }
    if view == "interests":
        page = Paginator(selectors.interests_of(organization=org, member=me),
                         PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, items=list(page.object_list))
    else:
        rows = selectors.opportunity_browse(
            organization=org, member=me, kind=kind, team_id=team_id, query=query,
            min_match=min_match, saved_only=view == "saved", sort=sort)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, items=selectors.opportunity_cards(
            organization=org, member=me, rows=page.object_list))
    return render(request, "hr_admin/opportunities/list.html", context)


def _detail_context(request, opportunity, *, interest_form=None) -> dict:
    org, me = request.organization, request.membership
    opportunity = selectors.opportunity_detail(organization=org, opportunity=opportunity,
                                               member=me)
    match = selectors.match_for(organization=org, member=me, opportunity=opportunity,
                                resources_per_skill=RESOURCES_PER_SKILL)
    manages = selectors.can_manage(me, opportunity)
    summary = None
    if manages:
        summary = (selectors.opportunities_managed(organization=org, manager=me)
                   .filter(pk=opportunity.pk).values("candidate_count", "pending_count",
                                                      "approved_count").first())
    return {
        "opportunity": opportunity,
        "match": match,
        "manages": manages,
        "summary": summary,
        "is_poster": opportunity.posted_by_id == me.pk,
        "is_open": selectors.is_open_for_interest(opportunity),
        "needs_approval": selectors.needs_manager_approval(opportunity.kind),
        "has_manager": selectors.has_active_manager(me),
        "my_interest": selectors.interest_of(organization=org, opportunity=opportunity,
                                             member=me),
        "interest_form": interest_form or InterestForm(),
        "kind_icon": dict((k["value"], k["icon"]) for k in kind_options())[opportunity.kind],
    }


def opportunity_detail(request, org_slug, opportunity_id):
    opportunity = access_opportunity_by_id(membership=request.membership,
                                           opportunity_id=opportunity_id)
    return render(request, "hr_admin/opportunities/detail.html",
                  _detail_context(request, opportunity))


def opportunity_bookmark(request, org_slug, opportunity_id):
    org, me = request.organization, request.membership
    opportunity = access_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    back = _safe_next(request, _url(request, "opportunity_detail",
                                    opportunity_id=opportunity.pk))
    if request.POST.get("action") == "unsave":
        services.opportunity_unbookmark(organization=org, actor=me, opportunity=opportunity)
        messages.success(request, _("Removed from your saved opportunities."))
        return redirect(back)
    try:
        services.opportunity_bookmark(organization=org, actor=me, opportunity=opportunity)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    else:
        messages.success(request, _("Saved. Find it again under Saved."))
    return redirect(back)


def opportunity_interest(request, org_slug, opportunity_id):
    org, me = request.organization, request.membership
    opportunity = access_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = InterestForm(request.POST)
    if form.is_valid():
        try:
            interest = services.interest_express(organization=org, actor=me,
                                                 opportunity=opportunity,
                                                 message=form.cleaned_data["message"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if interest.approval == ManagerApproval.PENDING:
                if selectors.has_active_manager(me):
                    text = _("Interest sent. %(manager)s has been asked to approve the time it "
                             "takes; you will be told their answer.") % {
                        "manager": me.manager.display_name}
                else:
                    text = _("Interest sent. You have no line manager recorded, so HR approves "
                             "the time it takes; you will be told their answer.")
            else:
                text = _("Interest sent. The poster has been told.")
            messages.success(request, text)
            return redirect(_url(request, "opportunity_detail", opportunity_id=opportunity.pk))
    return render(request, "hr_admin/opportunities/detail.html",
                  _detail_context(request, opportunity, interest_form=form), status=400)


def opportunity_withdraw(request, org_slug, opportunity_id):
    org, me = request.organization, request.membership
    opportunity = access_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        services.interest_withdraw(organization=org, actor=me, opportunity=opportunity)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    else:
        messages.success(request, _("Interest withdrawn. You can express it again while the "
                                    "opening is open."))
    return redirect(_url(request, "opportunity_detail", opportunity_id=opportunity.pk))


# --- Posting ------------------------------------------------------------------------------------


def _require_poster(membership) -> None:
    if not selectors.can_post(membership):
        raise PermissionDenied(_("HR and managers post and manage openings."))


def _form_kwargs(org) -> dict:
    return {"roles": list(role_choices(organization=org)),
            "teams": list(team_choices(organization=org))}


def _skill_kwargs(org) -> dict:
    return {"skills": list(selectors.skill_choices(organization=org)),
            "levels": level_choices(Level.objects.for_org(org).order_by("rank"))}


def _posting_page(request, *, opportunity=None, form, skills_formset, status=200):
    return render(request, "hr_admin/opportunities/form.html", {
        "opportunity": opportunity, "form": form, "skills_formset": skills_formset,
    }, status=status)


def _rebuilt_formset(org, formset, *, requirements=None, extra_blanks: int = 0):
    """An unbound formset showing ``requirements`` (default: the rows typed so far, with as
    many blank lines as before plus ``extra_blanks``)."""
    blanks = BLANK_SKILL_ROWS
    if requirements is None:
        requirements = [row for form in formset.forms if (row := form.requirement()) is not None]
        blanks = max(formset.total_form_count() - len(requirements), 0) + extra_blanks
    return SkillFormSet(prefix="skills", form_kwargs=_skill_kwargs(org), initial=skill_initial(
        requirements, blanks=blanks))


def _handle_posting(request, *, opportunity=None):
    org, me = request.organization, request.membership
    form = OpportunityForm(request.POST, **_form_kwargs(org))
    formset = SkillFormSet(request.POST, prefix="skills", form_kwargs=_skill_kwargs(org))
    action = request.POST.get("action", "publish")
    valid = form.is_valid()
    rows_valid = formset.is_valid()
    if action == "more_rows":
        return _posting_page(request, opportunity=opportunity, form=form,
                             skills_formset=_rebuilt_formset(org, formset, extra_blanks=3))
    if action == "load_role":
        role = form.cleaned_data.get("role") if valid else None
        if role is None:
            form.add_error("role", _("Choose the role profile whose skills you want to use."))
            return _posting_page(request, opportunity=opportunity, form=form,
                                 skills_formset=formset, status=400)
        requirements = services.role_requirements(organization=org, role=role)
        messages.info(request, _("The skills of “%(role)s” are filled in: adjust them, then "
                                 "save.") % {"role": role.title})
        return _posting_page(request, opportunity=opportunity, form=form,
                             skills_formset=_rebuilt_formset(org, formset,
                                                             requirements=requirements))
    if valid and rows_valid:
        fields = {**form.service_fields(), "skills": formset.requirements()}
        try:
            if opportunity is None:
                saved = services.opportunity_create(organization=org, actor=me,
                                                    publish=action != "draft", **fields)
            else:
                saved = services.opportunity_update(organization=org, actor=me,
                                                    opportunity=opportunity, **fields)
        except ValidationError as e:
            if hasattr(e, "error_dict") and "skills" in e.error_dict:
                formset.add_service_error([message for error in e.error_dict.pop("skills")
                                           for message in error.messages])
            if not hasattr(e, "error_dict") or e.error_dict:
                add_service_errors(form, e)
            if not form.errors:
                form.add_error(None, _("Please correct the required skills below."))
        else:
            if opportunity is not None:
                text = _("Changes saved.")
            elif saved.status == OpportunityStatus.DRAFT:
                text = _("Draft saved. Publish it when it is ready: only you and HR see it "
                         "until then.")
            else:
                text = _("Published. Members can see it now, with their match.")
            messages.success(request, text)
            return redirect(_url(request, "opportunity_detail", opportunity_id=saved.pk))
    elif valid and not rows_valid and not formset.non_form_errors():
        form.add_error(None, _("Please correct the required skills below."))
    return _posting_page(request, opportunity=opportunity, form=form, skills_formset=formset,
                         status=400)


def opportunity_create(request, org_slug):
    org, me = request.organization, request.membership
    _require_poster(me)
    if request.method == "POST":
        return _handle_posting(request)
    initial = {}
    if request.GET.get("kind") in OpportunityKind.values:
        initial["kind"] = request.GET["kind"]
    form = OpportunityForm(initial=initial, **_form_kwargs(org))
    formset = SkillFormSet(prefix="skills", initial=skill_initial([]),
                           form_kwargs=_skill_kwargs(org))
    return _posting_page(request, form=form, skills_formset=formset)


def opportunity_edit(request, org_slug, opportunity_id):
    org, me = request.organization, request.membership
    opportunity = access_managed_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    if opportunity.status == OpportunityStatus.FILLED:
        messages.error(request, _("This opening is filled: it can no longer be edited."))
        return redirect(_url(request, "opportunity_detail", opportunity_id=opportunity.pk))
    if request.method == "POST":
        return _handle_posting(request, opportunity=opportunity)
    initial = {name: getattr(opportunity, name) for name in (
        "kind", "title", "description", "time_share", "duration_weeks", "location",
        "starts_on", "closes_on")}
    initial["role"] = str(opportunity.role_id or "")
    initial["team"] = str(opportunity.team_id or "")
    requirements = [services.SkillRequirement(skill=row.skill, min_level=row.min_level,
                                              is_core=row.is_core)
                    for row in selectors.skill_rows(organization=org, opportunity=opportunity)]
    form = OpportunityForm(initial=initial, **_form_kwargs(org))
    formset = SkillFormSet(prefix="skills", initial=skill_initial(requirements),
                           form_kwargs=_skill_kwargs(org))
    return _posting_page(request, opportunity=opportunity, form=form, skills_formset=formset)


STATUS_MESSAGES = {
    "publish": gettext_lazy("Published. Members can see it now, with their match."),
    "close": gettext_lazy("Closed without filling. Everyone still interested has been told."),
    "reopen": gettext_lazy("Reopened. Members can express interest again."),
}


def opportunity_status(request, org_slug, opportunity_id):
    org, me = request.organization, request.membership
    opportunity = access_managed_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    action = request.POST.get("action", "")
    try:
        services.opportunity_status_set(organization=org, actor=me, opportunity=opportunity,
                                        action=action)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    else:
        messages.success(request, str(STATUS_MESSAGES[action]))
    return redirect(_safe_next(request, _url(request, "opportunity_detail",
                                             opportunity_id=opportunity.pk)))


# --- Managing -----------------------------------------------------------------------------------


def opportunity_manage(request, org_slug):
    """The openings the caller manages (HR: every one), with their candidates."""
    org, me = request.organization, request.membership
    _require_poster(me)
    status = request.GET.get("status", "")
    status = status if status in OpportunityStatus.values else ""
    mine_only = me.is_hr_admin and request.GET.get("mine") == "1"
    rows = selectors.opportunities_managed(organization=org, manager=me, status=status,
                                           mine_only=mine_only)
    page = Paginator(rows, MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.managed_status_counts(organization=org, manager=me, mine_only=mine_only)
    return render(request, "hr_admin/opportunities/manage.html", {
        "page": page, "items": list(page.object_list), "status": status,
        "mine_only": mine_only, "counts": counts,
        "statuses": [{"value": value, "label": label, "count": counts.get(value, 0)}
                     for value, label in OpportunityStatus.choices],
        "pending_approvals": selectors.approvals_pending_count(organization=org, approver=me),
        "kinds": kind_options(),
    })


def opportunity_candidates(request, org_slug, opportunity_id):
    """Candidates ranked by their current match, for the poster and HR."""
    org, me = request.organization, request.membership
    opportunity = access_managed_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    candidates = selectors.candidate_list(organization=org, opportunity=opportunity)
    if candidates:
        audit(organization=org, actor=me, action="hr.opportunity_candidates_viewed",
              opportunity_id=opportunity.pk, count=len(candidates))
    fillable = selectors.fill_choices(candidates, opportunity)
    requirements = selectors.skill_rows(organization=org, opportunity=opportunity)
    return render(request, "hr_admin/opportunities/candidates.html", {
        "opportunity": opportunity,
        "candidates": candidates,
        "active_count": sum(1 for c in candidates
                            if c.interest.status in selectors.ACTIVE_INTEREST),
        "fillable_ids": {c.interest.pk for c in fillable},
        "can_fill": opportunity.status in (OpportunityStatus.OPEN, OpportunityStatus.CLOSED),
        "needs_approval": selectors.needs_manager_approval(opportunity.kind),
        "requirements": requirements,
    })


def opportunity_fill(request, org_slug, opportunity_id):
    org, me = request.organization, request.membership
    opportunity = access_managed_opportunity_by_id(membership=me, opportunity_id=opportunity_id)
    candidates = selectors.fill_choices(
        selectors.candidate_list(organization=org, opportunity=opportunity,
                                 include_withdrawn=False), opportunity)
    initial = {}
    if request.GET.get("candidate") in {str(c.interest.pk) for c in candidates}:
        initial["candidate"] = request.GET["candidate"]
    form = FillForm(request.POST or None, candidates=candidates, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.opportunity_fill(organization=org, actor=me, opportunity=opportunity,
                                          **form.service_fields())
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                if opportunity.filled_internally:
                    text = _("Filled by %(name)s. Their move is recorded, and everyone else "
                             "has been told.") % {"name": opportunity.filled_by.display_name}
                else:
                    text = _("Recorded as filled from outside. Everyone still interested "
                             "has been told.")
                messages.success(request, text)
                return redirect(_url(request, "opportunity_detail",
                                     opportunity_id=opportunity.pk))
        status = 400
    return render(request, "hr_admin/opportunities/fill.html", {
        "opportunity": opportunity, "form": form, "candidates": candidates,
        "can_fill": opportunity.status in (OpportunityStatus.OPEN, OpportunityStatus.CLOSED),
        "needs_approval": selectors.needs_manager_approval(opportunity.kind),
    }, status=status)


def interest_not_selected(request, org_slug, interest_id):
    org, me = request.organization, request.membership
    interest = access_interest_to_manage(membership=me, interest_id=interest_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        services.interest_not_selected(organization=org, actor=me, interest=interest)
    except ValidationError as e:
        messages.error(request, _error_text(e))
    else:
        messages.success(request, _("%(name)s is marked not selected and has been told.") % {
            "name": interest.member.display_name})
    return redirect(_url(request, "opportunity_candidates",
                         opportunity_id=interest.opportunity_id))


# --- Approvals ----------------------------------------------------------------------------------


def _approvals_context(request, *, forms: dict | None = None) -> dict:
    org, me = request.organization, request.membership
    pending = list(selectors.approvals_pending(organization=org, approver=me))
    forms = forms or {}
    for interest in pending:
        interest.form = forms.get(interest.pk) or ApprovalForm(prefix=f"a{interest.pk}")
        interest.decided_by_hr = not selectors.has_active_manager(interest.member)
    if pending:
        audit(organization=org, actor=me, action="hr.opportunity_approvals_viewed",
              count=len(pending))
    return {"pending": pending,
            "decided": selectors.approvals_decided(organization=org, approver=me),
            "decision_help": DECISION_HELP}


def opportunity_approvals(request, org_slug):
    """Projects and gigs the caller's reports (and, for HR, members without a line manager)
    asked to join, waiting for the caller to approve the time."""
    me = request.membership
    if not (me.is_hr_admin or getattr(me, "is_manager", False)):
        raise PermissionDenied(_("Line managers approve their reports' time for projects and "
                                 "gigs."))
    return render(request, "hr_admin/opportunities/approvals.html", _approvals_context(request))


def interest_approval(request, org_slug, interest_id):
    org, me = request.organization, request.membership
    interest = access_interest_to_decide(membership=me, interest_id=interest_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    form = ApprovalForm(request.POST, prefix=f"a{interest.pk}")
    if form.is_valid():
        try:
            services.interest_approval_decide(organization=org, actor=me, interest=interest,
                                              decision=form.cleaned_data["decision"],
                                              note=form.cleaned_data["note"])
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                add_service_errors(form, e)
            else:
                messages.error(request, _error_text(e))
                return redirect(_url(request, "opportunity_approvals"))
        else:
            name = interest.member.display_name
            if form.cleaned_data["decision"] == ManagerApproval.APPROVED:
                text = _("Approved. %(name)s and the poster have been told.") % {"name": name}
            else:
                text = _("Declined. %(name)s has been told, with your note.") % {"name": name}
            messages.success(request, text)
            return redirect(_url(request, "opportunity_approvals"))
    if interest.status != InterestStatus.INTERESTED or \
            interest.approval != ManagerApproval.PENDING:
        messages.error(request, _("This request is no longer waiting for approval."))
        return redirect(_url(request, "opportunity_approvals"))
    return render(request, "hr_admin/opportunities/approvals.html",
                  _approvals_context(request, forms={interest.pk: form}), status=400)
