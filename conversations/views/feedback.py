"""Pages of positive feedback and recommendations.

Thin views: parse, look up through the selectors' ``access_*_by_id`` (404 for what the caller
may not read, whoever they are), call a service or selector, render. A write redirects with a
message; invalid input re-renders with what was typed (400).

Feedback is read by the member, its author and the member's line manager. A recommendation is
read by its author, HR and leaders, and never by the member it is about: the pages take their
rows only from ``selectors.recommendations``, which applies that rule in every query.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.services import audit

from ..forms_feedback import DecisionForm, FeedbackForm, RecommendationForm
from ..models import RecommendationStatus
from ..selectors import feedback as feedback_selectors
from ..selectors import recommendations as selectors
from ..services import feedback as feedback_services
from ..services import recommendations as services

PAGE_SIZE = 20


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"conversations:{name}", kwargs={"org_slug": request.organization.slug,
                                                    **kwargs})


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


def _initial_from_query(request, *names: str) -> dict:
    return {name: request.GET[name] for name in names if request.GET.get(name, "").isdigit()}


def _first_name(member) -> str:
    return member.user.first_name or member.display_name


# --- Feedback -----------------------------------------------------------------------------------


def _feedback_context(request, *, form=None) -> dict:
    org, me = request.organization, request.membership
    view = "given" if request.GET.get("view") == "given" else "received"
    received = feedback_selectors.feedback_received(organization=org, member=me)
    given = feedback_selectors.feedback_given(organization=org, author=me)
    rows = given if view == "given" else received
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.withdrawable = feedback_services.can_withdraw_feedback(actor=me, feedback=item)
    form = form or FeedbackForm(organization=org, author=me,
                                initial=_initial_from_query(request, "member", "conversation"))
    can_give = len(form.fields["member"].choices) > 1
    return {
        "view": view,
        "page": page,
        "items": items,
        "counts": feedback_selectors.feedback_counts(rows),
        "received_count": page.paginator.count if view == "received" else received.count(),
        "given_count": page.paginator.count if view == "given" else given.count(),
        "form": form,
        "can_give": can_give,
        "withdraw_hours": int(feedback_services.FEEDBACK_WITHDRAW_WINDOW.total_seconds() // 3600),
    }


def feedback(request, org_slug):
    """Feedback I received (and gave), and a form to spotlight a report's strength, attribute
    or achievement."""
    return render(request, "conversations/feedback/page.html", _feedback_context(request))


def feedback_give(request, org_slug):
    if request.method != "POST":
        return redirect(_url(request, "feedback") + "#give")
    org, me = request.organization, request.membership
    form = FeedbackForm(request.POST, organization=org, author=me)
    if form.is_valid():
        try:
            given = feedback_services.feedback_give(organization=org, actor=me,
                                                    **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Feedback saved. %(name)s has been told and can read it "
                                        "now.") % {"name": _first_name(given.member)})
            return redirect(_safe_next(request, _url(request, "feedback") + "?view=given"))
    return render(request, "conversations/feedback/page.html",
                  _feedback_context(request, form=form), status=400)


def feedback_withdraw(request, org_slug, feedback_id):
    org, me = request.organization, request.membership
    item = feedback_selectors.access_feedback_by_id(membership=me, feedback_id=feedback_id)
    if item.author_id != me.pk:
        raise PermissionDenied(_("Only the person who gave a piece of feedback can withdraw it."))
    back = _url(request, "feedback") + "?view=given"
    if request.method == "POST":
        try:
            feedback_services.feedback_withdraw(organization=org, actor=me, feedback=item)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Feedback withdrawn."))
        return redirect(back)
    return render(request, "conversations/feedback/confirm.html", {
        "title": _("Withdraw this feedback?"),
        "text": _("%(name)s will no longer see it, and it leaves their career record.")
        % {"name": _first_name(item.member)},
        "quote": item.text,
        "action_url": _url(request, "feedback_withdraw", feedback_id=item.pk),
        "cancel_url": back,
        "button": _("Withdraw the feedback"),
    })


# --- Recommendations ----------------------------------------------------------------------------


def _recommendations_context(request, *, form=None) -> dict:
    org, me = request.organization, request.membership
    reads_all = selectors.reads_every_recommendation(me)
    is_manager = bool(getattr(me, "is_manager", False))
    views = (["queue"] if reads_all else []) + \
        (["mine"] if is_manager or not reads_all else [])
    view = request.GET.get("view")
    if view not in views:
        view = views[0]
    status = request.GET.get("status", RecommendationStatus.PENDING if view == "queue" else "")
    if status not in RecommendationStatus.values:
        status = ""
    if view == "queue":
        base = selectors.recommendation_queue(organization=org, viewer=me)
        rows = selectors.recommendation_queue(organization=org, viewer=me, status=status or None)
    else:
        base = selectors.recommendations_written(organization=org, author=me)
        rows = selectors.recommendations_written(organization=org, author=me,
                                                 status=status or None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    for item in items:
        item.decidable = (view == "queue" and me.is_hr_admin and item.author_id != me.pk
                          and item.status == RecommendationStatus.PENDING)
    if view == "queue" and items:
        audit(organization=org, actor=me, action="conversations.recommendations_listed",
              status=status or "all", count=len(items))
    counts = selectors.status_counts(base)
    if form is None and is_manager:
        form = RecommendationForm(organization=org, author=me,
                                  initial=_initial_from_query(request, "member"))
    return {
        "views": views,
        "view": view,
        "status": status,
        "statuses": [{"value": s, "label": RecommendationStatus(s).label, "count": counts[s]}
                     for s in selectors.STATUS_FILTERS],
        "counts": counts,
        "show_author": view == "queue",
        "page": page,
        "items": items,
        "form": form,
        "can_recommend": form is not None and len(form.fields["member"].choices) > 1,
        "is_manager": is_manager,
        "reads_all": reads_all,
        "can_decide": me.is_hr_admin,
    }


def _require_recommendations_page(request) -> None:
    """Managers, HR and leaders, and anyone who once wrote a recommendation (a former manager
    still follows what they wrote)."""
    me = request.membership
    if getattr(me, "is_manager", False) or selectors.reads_every_recommendation(me):
        return
    if not selectors.has_written_recommendations(organization=request.organization, author=me):
        raise PermissionDenied(_("Recommendations are written by managers and decided by HR."))


def recommendations(request, org_slug):
    """For a manager, what they recommended and its status; for HR, the queue to decide (and
    what was decided); for leaders, the same, read only."""
    _require_recommendations_page(request)
    return render(request, "conversations/recommendations/page.html",
                  _recommendations_context(request))


def recommendation_create(request, org_slug):
    if request.method != "POST":
        return redirect(_url(request, "recommendations") + "#recommend")
    org, me = request.organization, request.membership
    form = RecommendationForm(request.POST, organization=org, author=me)
    if form.is_valid():
        try:
            made = services.recommendation_create(organization=org, actor=me,
                                                  **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Recommendation sent to HR. %(name)s does not see it; "
                                        "you will be told when HR decides.")
                             % {"name": _first_name(made.member)})
            return redirect(_url(request, "recommendation", recommendation_id=made.pk))
    _require_recommendations_page(request)
    return render(request, "conversations/recommendations/page.html",
                  _recommendations_context(request, form=form), status=400)


def _detail(request, recommendation, *, decision_form=None, status=200):
    me = request.membership
    can_decide = (me.is_hr_admin and recommendation.status == RecommendationStatus.PENDING
                  and recommendation.author_id != me.pk)
    if recommendation.author_id != me.pk:
        audit(organization=request.organization, actor=me,
              action="conversations.recommendation_viewed", subject=recommendation.member,
              recommendation=recommendation.pk)
    return render(request, "conversations/recommendations/detail.html", {
        "recommendation": recommendation,
        "what": services.describe(recommendation),
        "is_author": recommendation.author_id == me.pk,
        "can_withdraw": recommendation.author_id == me.pk
        and recommendation.status == RecommendationStatus.PENDING,
        "can_decide": can_decide,
        "decision_form": decision_form or (DecisionForm() if can_decide else None),
        "others": selectors.recommendations_about(
            organization=request.organization, member=recommendation.member, viewer=me,
        ).exclude(pk=recommendation.pk)[:10],
    }, status=status)


def recommendation(request, org_slug, recommendation_id):
    item = selectors.access_recommendation_by_id(membership=request.membership,
                                                 recommendation_id=recommendation_id)
    return _detail(request, item)


def recommendation_withdraw(request, org_slug, recommendation_id):
    org, me = request.organization, request.membership
    item = selectors.access_recommendation_by_id(membership=me,
                                                 recommendation_id=recommendation_id)
    if item.author_id != me.pk:
        raise PermissionDenied(_("Only the manager who wrote a recommendation can withdraw it."))
    detail = _url(request, "recommendation", recommendation_id=item.pk)
    if request.method == "POST":
        try:
            services.recommendation_withdraw(organization=org, actor=me, recommendation=item)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Recommendation withdrawn. HR no longer has it to "
                                        "decide."))
        return redirect(detail)
    return render(request, "conversations/feedback/confirm.html", {
        "title": _("Withdraw this recommendation?"),
        "text": _("HR will no longer have it to decide. You can write a new one later."),
        "action_url": _url(request, "recommendation_withdraw", recommendation_id=item.pk),
        "cancel_url": detail,
        "button": _("Withdraw the recommendation"),
    })


def recommendation_decide(request, org_slug, recommendation_id):
    org, me = request.organization, request.membership
    item = selectors.access_recommendation_by_id(membership=me,
                                                 recommendation_id=recommendation_id)
    if not me.is_hr_admin:
        raise PermissionDenied(_("Only HR admins decide recommendations."))
    if request.method != "POST":
        return redirect(_url(request, "recommendation", recommendation_id=item.pk))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_decide(organization=org, actor=me, recommendation=item,
                                           **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if item.status == RecommendationStatus.ACCEPTED:
                text = _("Recommendation accepted. %(name)s, who wrote it, has been told.")
            else:
                text = _("Recommendation declined. %(name)s, who wrote it, has been told.")
            messages.success(request, text % {
                "name": item.author.display_name if item.author else _("the manager")})
            # HR's queue lives in hr_admin, where a decision can also record the move.
            return redirect(reverse("hr_admin:recommendations",
                                    kwargs={"org_slug": request.organization.slug}))
    return _detail(request, item, decision_form=form, status=400)
