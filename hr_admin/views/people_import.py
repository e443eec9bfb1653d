"""Pages of the people import: upload and check a file, read its problems or what applying
would change, apply it and follow its progress, and the list of past runs.

HR admins only: for anyone else every page is 404 (``selectors.people_import``). Thin views:
parse, access, call a service or selector, render; a write redirects with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organizations.forms import add_service_errors
from organizations.http import refuse_unless_post

from ..forms_import import PeopleImportForm
from ..models import ImportStatus, MoveKind
from ..selectors import people_import as selectors
from ..services import people_import as services

PAGE_SIZE = 20
PROBLEMS_PAGE_SIZE = 100
RUNNING = (ImportStatus.QUEUED, ImportStatus.APPLYING)


def _detail_url(request, people_import) -> str:
    return reverse("hr_admin:people_import_detail",
                   kwargs={"org_slug": request.organization.slug, "import_id": people_import.pk})


def _list_context(request, form) -> dict:
    runs = selectors.people_import_list(organization=request.organization)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "columns": services.COLUMNS,
            "max_rows": services.MAX_ROWS, "running": RUNNING}


def people_import(request, org_slug):
    """Upload a file to check it; the runs so far."""
    selectors.require_import_access(request.membership)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.people_import_check(organization=request.organization,
                                                   actor=request.membership,
                                                   **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if run.status == ImportStatus.INVALID:
                    count = run.summary.get("problem_count", len(run.problems))
                    messages.warning(request, ngettext(
                        "The file was checked: %(count)s problem to correct. Nothing was written.",
                        "The file was checked: %(count)s problems to correct. Nothing was "
                        "written.", count) % {"count": f"{count:,}"})
                else:
                    messages.success(request, _("The file was checked and has no problems. "
                                                "Nothing is written until you apply it."))
                return redirect(_detail_url(request, run))
        return render(request, "hr_admin/import/index.html", _list_context(request, form),
                      status=400)
    return render(request, "hr_admin/import/index.html", _list_context(request, form))


def people_import_template(request, org_slug):
    """A CSV to start from: every column, two example lines."""
    selectors.require_import_access(request.membership)
    response = HttpResponse(services.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trellis-people-import.csv"'
    return response


def _labelled(counts: dict, labels: dict) -> list[dict]:
    rows = [{"key": key, "label": labels[key], "count": counts[key]}
            for key in labels if counts.get(key)]
    top = max((row["count"] for row in rows), default=0)
    for row in rows:
        row["share"] = round(100 * row["count"] / top) if top else 0
    return rows


def _preview(summary: dict) -> dict:
    preview = dict(summary.get("preview") or {})
    preview["updated"] = [
        {**row, "labels": [services.UPDATE_FIELDS[f] for f in row.get("fields", [])
                           if f in services.UPDATE_FIELDS]}
        for row in preview.get("updated", [])]
    return preview


def _took(run) -> str:
    if not (run.started_at and run.finished_at):
        return ""
    seconds = max(1, round((run.finished_at - run.started_at).total_seconds()))
    if seconds < 120:
        return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
    minutes = round(seconds / 60)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def _detail_context(request, run) -> dict:
    summary = run.summary or {}
    result = summary.get("result") or {}
    problems = Paginator(run.problems or [], PROBLEMS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    move_labels = dict(MoveKind.choices)
    return {
        "run": run,
        "summary": summary,
        "result": result,
        "options": summary.get("options", {}),
        "problems": problems,
        "problem_count": summary.get("problem_count", len(run.problems or [])),
        "problems_listed": len(run.problems or []),
        "updated_fields": _labelled(summary.get("updated_fields", {}),
                                    services.UPDATE_FIELDS),
        "moves": _labelled(summary.get("moves", {}), move_labels),
        "preview": _preview(summary),
        "result_counts": {**result, "unchanged": summary.get("unchanged")},
        "result_changes": sum(result.get(k, 0) for k in ("created", "reactivated", "updated",
                                                         "deactivated")),
        "changes": sum(summary.get(k, 0) for k in ("created", "reactivated", "updated",
                                                   "deactivated")),
        "is_running": run.status in RUNNING,
        "took": _took(run),
        "percent": services.progress_percent(run),
        "phase": services.phase_label(run),
        "can_apply": run.status == ImportStatus.VALIDATED and bool(run.content),
        "can_recheck": run.status in services.RECHECKABLE and bool(run.content),
        "can_discard": run.status in services.DISCARDABLE,
        "status_url": reverse("hr_admin:people_import_status",
                              kwargs={"org_slug": request.organization.slug,
                                      "import_id": run.pk}),
    }


def people_import_detail(request, org_slug, import_id):
    """One run: its problems, or what applying changes (and, once applied, what it changed);
    while it applies, a progress bar that follows the task."""
    run = selectors.access_people_import_by_id(membership=request.membership,
                                               import_id=import_id)
    return render(request, "hr_admin/import/detail.html", _detail_context(request, run))


def people_import_status(request, org_slug, import_id):
    """The run's progress, polled by the page while it applies."""
    run = selectors.access_people_import_by_id(membership=request.membership,
                                               import_id=import_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return JsonResponse({
        "status": run.status,
        "status_label": run.get_status_display(),
        "processed_rows": run.processed_rows,
        "total_rows": run.total_rows,
        "percent": services.progress_percent(run),
        "phase": services.phase_label(run),
        "finished": run.status not in RUNNING,
    }, headers={"Cache-Control": "no-store"})


def _act(request, import_id, action, done_message: str):
    run = selectors.access_people_import_by_id(membership=request.membership,
                                               import_id=import_id)
    if (refused := refuse_unless_post(request)) is not None:
        return refused
    try:
        action(organization=request.organization, actor=request.membership, people_import=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done_message)
    return redirect(_detail_url(request, run))


def people_import_apply(request, org_slug, import_id):
    return _act(request, import_id, services.people_import_queue,
                _("Applying the file. This page shows the progress; you can leave it and come "
                  "back."))


def people_import_recheck(request, org_slug, import_id):
    return _act(request, import_id, services.people_import_recheck,
                _("The file was checked again against the organisation as it is now."))


def people_import_discard(request, org_slug, import_id):
    return _act(request, import_id, services.people_import_discard,
                _("The import was discarded and its file deleted. Nothing was written."))


def people_import_problems(request, org_slug, import_id):
    """Every stored problem as a CSV, to work through in a spreadsheet."""
    run = selectors.access_people_import_by_id(membership=request.membership,
                                               import_id=import_id)
    response = HttpResponse(services.problems_csv(run), content_type="text/csv; charset=utf-8")
    name = slugify(run.file_name.rsplit(".", 1)[0]) or "import"
    response["Content-Disposition"] = f'attachment; filename="{name}-problems.csv"'
    return response
