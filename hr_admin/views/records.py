"""Pages of the audit log and of leavers' erasure (HR admins only; 404 for everyone else).

Thin views: parse, access (``access_records``), selector or service, render. Reading the log
for one person, and every export of it, is itself recorded in the log: the export leaves the
building, and a look at one person's trail is a look at their data.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.forms import add_service_errors
from organizations.services import audit

from ..access_records import access_member_record_by_id, require_records_reader
from ..forms_records import AuditFilterForm, ErasureConfirmForm
from ..selectors import audit as selectors
from ..selectors import erasure as leaver_selectors
from ..services import erasure as services

LEAVERS_PAGE_SIZE = 25


def _url(request, name: str, **kwargs) -> str:
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": request.organization.slug, **kwargs})


# --- Audit log ----------------------------------------------------------------------------------


def _audit_context(request, form: AuditFilterForm) -> dict:
    org = request.organization
    filters = form.filters()
    if form.is_valid():
        rows = selectors.audit_events(organization=org, filters=filters)
        page = selectors.audit_page(rows, before=request.GET.get("before"),
                                    after=request.GET.get("after"))
    else:
        # A filter that does not parse shows nothing rather than everything.
        page = selectors.AuditPage(rows=[], older=None, newer=None)
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": selectors.audit_rows(page.rows),
        "export_limit": selectors.EXPORT_LIMIT,
        "is_first_page": not (request.GET.get("before") or request.GET.get("after")),
    }


def audit_log(request, org_slug):
    """Who viewed or changed whose personal data, and when; filtered by person, kind and
    dates."""
    require_records_reader(request.membership)
    form = AuditFilterForm(request.GET, organization=request.organization)
    context = _audit_context(request, form)
    filters = context["filters"]
    if form.is_valid() and context["is_first_page"] and (filters.member or filters.person):
        audit(organization=request.organization, actor=request.membership,
              action="audit.log_viewed", subject=filters.member, **filters.as_detail())
    return render(request, "hr_admin/records/audit_log.html", context,
                  status=400 if form.errors else 200)


def audit_export(request, org_slug):
    """The filtered log as CSV (the newest ``EXPORT_LIMIT`` events)."""
    require_records_reader(request.membership)
    org = request.organization
    form = AuditFilterForm(request.GET, organization=org)
    if not form.is_valid():
        return render(request, "hr_admin/records/audit_log.html", _audit_context(request, form),
                      status=400)
    filters = form.filters()
    text, count = selectors.audit_csv(selectors.audit_events(organization=org, filters=filters))
    audit(organization=org, actor=request.membership, action="audit.log_exported",
          subject=filters.member, rows=count, **filters.as_detail())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{org.slug}-{stamp}.csv"'
    return response


# --- Leavers ------------------------------------------------------------------------------------


def leavers(request, org_slug):
    """Former members: those whose data is still held, to review and erase, and those erased."""
    require_records_reader(request.membership)
    org = request.organization
    view = "erased" if request.GET.get("view") == "erased" else "waiting"
    rows = leaver_selectors.leaver_list(organization=org, erased=view == "erased")
    page = Paginator(rows, LEAVERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hr_admin/records/leavers.html", {
        "view": view,
        "page": page,
        "counts": leaver_selectors.leaver_counts(organization=org),
    })


def _erase_context(request, member, form) -> dict:
    org, me = request.organization, request.membership
    context = {"member": member, "form": form, "refused": None, "preview": None}
    try:
        context["preview"] = services.erasure_preview(organization=org, actor=me, member=member)
    except ValidationError as e:
        context["refused"] = " ".join(e.messages)
    return context


def leaver_erase(request, org_slug, member_id):
    """What erasing this former member changes and keeps, and the confirmation (typing their
    name or email address)."""
    member = access_member_record_by_id(membership=request.membership, member_id=member_id)
    if services.is_erased(member):
        return redirect(_url(request, "leaver_erased", member_id=member.pk))
    form = ErasureConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.member_erase(organization=request.organization,
                                      actor=request.membership, member=member,
                                      confirmation=form.cleaned_data["confirmation"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("Personal data erased. What remains is anonymous "
                                            "and counts only in the organisation's figures."))
                return redirect(_url(request, "leaver_erased", member_id=member.pk))
        status = 400
    context = _erase_context(request, member, form)
    return render(request, "hr_admin/records/erase.html", context, status=status)


def leaver_erased(request, org_slug, member_id):
    """What an erasure changed, from its audit event (which holds counts, never names)."""
    member = access_member_record_by_id(membership=request.membership, member_id=member_id)
    if not services.is_erased(member):
        return redirect(_url(request, "leaver_erase", member_id=member.pk))
    event = services.previous_result(organization=request.organization, member=member)
    return render(request, "hr_admin/records/erased.html", {
        "member": member,
        "event": event,
        "sections": services.result_sections((event.detail or {}).get("counts", {})
                                             if event else {}),
    })
