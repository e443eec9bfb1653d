"""HR's recommendations queue: the promotions and roles managers recommended, oldest first, to
decide with a note and, accepting, to record the move.

HR admins decide; leaders read the queue and each recommendation (read only). Nobody else has
the queue: for them every page here is 404 (a manager reads what they wrote on their own
recommendations page). The member a recommendation is about never finds it, whatever their
role. Listing and reading are audit-logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.models import RecommendationKind, RecommendationStatus
from conversations.selectors import recommendations as conversation_selectors
from conversations.services.recommendations import describe
from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post
from organizations.services import audit

from ..forms_recommendations import QueueDecisionForm
from ..selectors import moves as move_selectors
from ..selectors import recommendations as selectors
from ..selectors.succession import candidate_readiness
from ..services.recommendation_decisions import (
    recommendation_decide_with_move,
    record_move_problems,
)

PAGE_SIZE = 20


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


def _require_queue(request) -> None:
    if not selectors.reads_every_recommendation(request.membership):
        raise Http404


def _current_role(member):
    link = getattr(member, "role_link", None)
    return link.role if link is not None else None


def queue(request, org_slug):
    """Pending recommendations, the longest-waiting first (or those with another status)."""
    _require_queue(request)
    org, me = request.organization, request.membership
    status = request.GET.get("status", RecommendationStatus.PENDING)
    if status not in RecommendationStatus.values:
        status = ""
    kind = request.GET.get("kind", "")
    if kind not in RecommendationKind.values:
        kind = ""
    rows = selectors.queue(organization=org, viewer=me, status=status or None, kind=kind or None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    today = timezone.localdate()
    for item in items:
        item.current_role = _current_role(item.member)
        item.waiting_days = (today - timezone.localdate(item.created_at)).days
        item.decidable = (me.is_hr_admin and item.author_id != me.pk
                          and item.status == RecommendationStatus.PENDING)
    if items:
        audit(organization=org, actor=me, action="hr.recommendations_listed",
              status=status or "all", count=len(items))
    counts = selectors.queue_counts(organization=org, viewer=me, kind=kind or None)
    return render(request, "hr_admin/recommendations/queue.html", {
        "page": page,
        "items": items,
        "status": status,
        "kind": kind,
        "counts": counts,
        "statuses": [{"value": s, "label": RecommendationStatus(s).label, "count": counts[s]}
                     for s in selectors.STATUS_FILTERS],
        "kinds": RecommendationKind.choices,
        "can_decide": me.is_hr_admin,
    })


def _detail(request, recommendation, *, form=None, status=200):
    org, me = request.organization, request.membership
    can_decide = (me.is_hr_admin and recommendation.status == RecommendationStatus.PENDING
                  and recommendation.author_id != me.pk)
    member = recommendation.member
    current_role = _current_role(member)
    audit(organization=org, actor=me, action="hr.recommendation_viewed", subject=member,
          recommendation=recommendation.pk)
    readiness = None
    if recommendation.role is not None:
        readiness = candidate_readiness(organization=org, role=recommendation.role,
                                        member_ids=[member.pk]).get(member.pk)
    if form is None and can_decide:
        form = QueueDecisionForm(organization=org, recommendation=recommendation)
    return render(request, "hr_admin/recommendations/detail.html", {
        "recommendation": recommendation,
        "what": describe(recommendation),
        "current_role": current_role,
        "role_since": getattr(getattr(member, "role_link", None), "since", None),
        "readiness": readiness,
        "moves": list(move_selectors.member_moves(organization=org, member=member)[:5]),
        "others": list(conversation_selectors.recommendations_about(
            organization=org, member=member, viewer=me).exclude(pk=recommendation.pk)[:10]),
        "can_decide": can_decide,
        "form": form,
    }, status=status)


def recommendation(request, org_slug, recommendation_id):
    item = selectors.access_queued_recommendation(membership=request.membership,
                                                  recommendation_id=recommendation_id)
    return _detail(request, item)


def recommendation_decide(request, org_slug, recommendation_id):
    org, me = request.organization, request.membership
    item = selectors.access_queued_recommendation(membership=me,
                                                  recommendation_id=recommendation_id)
    refused = refuse_unless_post(request)
    if refused:
        return refused
    if not me.is_hr_admin:
        raise PermissionDenied(_("Only HR admins decide recommendations."))
    form = QueueDecisionForm(request.POST, organization=org, recommendation=item)
    if form.is_valid():
        try:
            _decided, move = recommendation_decide_with_move(
                organization=org, actor=me, recommendation=item, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            author = item.author.display_name if item.author else _("the manager")
            if move is not None:
                text = _("Recommendation accepted and the move recorded: %(member)s is now "
                         "%(role)s. %(author)s, who wrote it, has been told.") % {
                    "member": item.member.display_name, "role": move.to_role.title,
                    "author": author}
            elif item.status == RecommendationStatus.ACCEPTED:
                text = _("Recommendation accepted. %(author)s, who wrote it, has been told.") % {
                    "author": author}
            else:
                text = _("Recommendation declined. %(author)s, who wrote it, has been told.") % {
                    "author": author}
            messages.success(request, text)
            return redirect(_url(request, "recommendations"))
    elif form.cleaned_data.get("record_move") and \
            form.cleaned_data.get("decision") == RecommendationStatus.ACCEPTED:
        problems = record_move_problems(organization=org, recommendation=item,
                                        role=form.cleaned_data.get("role"),
                                        effective_on=form.cleaned_data.get("effective_on"))
        for field, message in problems.items():
            if field not in form.errors:
                form.add_error(field if field in form.fields else None, message)
    return _detail(request, item, form=form, status=400)
