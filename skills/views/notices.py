"""A member's emerging-skill notices: what the organisation will need more of, for their role."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from organizations.http import refuse_unless_post
from skills.models import EmergingSkillNotice
from skills.services import notices as notice_services

PAGE_SIZE = 25


def access_notice_by_id(*, membership, notice_id) -> EmergingSkillNotice:
    """One of the caller's own notices.

    Security invariant: the lookup is filtered on the caller's organisation and on the caller
    as recipient, so another organisation's notice, another member's and an absent id are all
    ``Http404``.
    """
    try:
        notice_id = int(notice_id)
    except (TypeError, ValueError):
        raise Http404 from None
    notice = (EmergingSkillNotice.objects.for_org(membership.organization_id)
              .filter(pk=notice_id, member=membership).first())
    if notice is None:
        raise Http404
    return notice


def notices(request, org_slug):
    """The caller's notices, unread first; POST ``mark_all`` marks every one read."""
    membership, org = request.membership, request.organization
    if request.method == "POST":
        count = notice_services.notices_mark_all_read(organization=org, member=membership)
        if count:
            messages.success(request, _("All notices are marked as read."))
        return redirect("skills:notices", org_slug=org_slug)
    page = Paginator(notice_services.notice_list(organization=org, member=membership),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    unread = notice_services.unread_notice_count(organization=org, member=membership)
    return render(request, "skills/notices/list.html", {"page": page, "unread": unread})


def notice_read(request, org_slug, notice_id):
    notice = access_notice_by_id(membership=request.membership, notice_id=notice_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    notice_services.notice_mark_read(organization=request.organization,
                                     member=request.membership, notice=notice)
    return redirect("skills:notices", org_slug=org_slug)
