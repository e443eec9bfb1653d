"""HR pages to import and export whole skills frameworks, and to import ESCO."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.cache import cache
from django.db import IntegrityError
from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organizations import access
from skills import access as skills_access
from skills.data import example_framework_bytes
from skills.forms_interchange import EscoImportForm, FrameworkImportForm
from skills.models import Framework
from skills.services import interchange

# A checked upload is kept this long for “Import it now”, so HR need not choose it again.
STASH_SECONDS = 3600
STASH_LIMIT = 50 * 1024 * 1024
CONTENT_TYPES = {interchange.JSON: "application/json; charset=utf-8",
                 interchange.CSV: "text/csv; charset=utf-8"}


def _stash_key(request, token: str) -> str:
    # Bound to the organisation and the member: a token is useless to anyone else.
    return f"skills-import:{request.organization.pk}:{request.membership.pk}:{token}"


def _stash(request, payload: dict) -> str | None:
    if sum(len(v) for v in payload.values() if isinstance(v, bytes)) > STASH_LIMIT:
        return None
    token = secrets.token_urlsafe(16)
    cache.set(_stash_key(request, token), payload, STASH_SECONDS)
    return token


def _unstash(request, token: str) -> dict | None:
    return cache.get(_stash_key(request, token)) if token else None


def _frameworks(organization):
    return (Framework.objects.for_org(organization)
            .annotate(skill_count=Count("skills", distinct=True),
                      role_count=Count("roles", distinct=True))
            .order_by("name"))


def _import(request, form, run) -> interchange.ImportReport | None:
    """Run an import service; on a clean check keep the upload for “Import it now”."""
    try:
        report = run()
    except IntegrityError:
        form.add_error(None, _("The framework changed while it was being imported. Try again."))
        return None
    if report.applied:
        messages.success(request, _("“%(name)s” is imported.") % {"name": report.framework_name})
    return report


def framework_import(request, org_slug):
    """Upload a framework file: check it, then import it; export any framework as JSON or CSV."""
    membership, org = request.membership, request.organization
    access.require_hr(membership)
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    report, checked, file_name, keep_fields = None, None, "", []
    action = request.POST.get("action", "check")
    if request.method == "POST" and action == "example":
        form = FrameworkImportForm()
        report = _import(request, form, lambda: interchange.framework_import(
            organization=org, actor=membership, data=example_framework_bytes(),
            fmt=interchange.JSON, dry_run=False))
        file_name = "example_framework.json"
    elif request.method == "POST" and form.is_valid():
        dry_run = action != "import"
        upload = form.cleaned_data["file"]
        payload = None
        if upload is not None:
            payload = {"data": upload.read(), "fmt": form.cleaned_data["fmt"],
                       "name": upload.name}
        else:
            payload = _unstash(request, form.cleaned_data["checked"])
            if payload is None:
                form.add_error("file", _("The checked file is no longer kept here; choose it "
                                         "again."))
        if payload is not None:
            file_name = payload["name"]
            report = _import(request, form, lambda: interchange.framework_import(
                organization=org, actor=membership, data=payload["data"], fmt=payload["fmt"],
                dry_run=dry_run))
            if report is not None and report.ok and dry_run:
                checked = _stash(request, payload)
                keep_fields = [("fmt", payload["fmt"])]
    return render(request, "skills/interchange/import.html", {
        "form": form, "report": report, "checked": checked, "file_name": file_name,
        "keep_fields": keep_fields, "frameworks": _frameworks(org),
    })


def framework_export(request, org_slug, framework_id):
    """The whole framework as a file: ``?format=json`` (the default) or ``?format=csv``."""
    # Looked up in the caller's organisation first: a foreign id is 404 for everyone.
    framework = skills_access.access_framework_by_id(membership=request.membership,
                                                     framework_id=framework_id)
    access.require_hr(request.membership)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    fmt = request.GET.get("format", interchange.JSON)
    if fmt not in interchange.FORMATS:
        return HttpResponseBadRequest(_("Choose the format json or csv."))
    data = interchange.framework_export(organization=request.organization, framework=framework,
                                        fmt=fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = slugify(framework.name) or "framework"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def esco_import(request, org_slug):
    """Import an organisation's own download of ESCO's skills, occupations and relations."""
    membership, org = request.membership, request.organization
    access.require_hr(membership)
    form = EscoImportForm(request.POST or None, request.FILES or None)
    report, checked, keep_fields = None, None, []
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("action", "check") != "import"
        data = form.cleaned_data
        files = {key: data[f"{key}_file"] for key in ("skills", "occupations", "relations")}
        payload = None
        if files["skills"] is not None:
            payload = {key: (f.read() if f is not None else None) for key, f in files.items()}
        else:
            payload = _unstash(request, data["checked"])
            if payload is None:
                form.add_error("skills_file", _("The checked files are no longer kept here; "
                                                "choose them again."))
        if payload is not None:
            report = _import(request, form, lambda: interchange.framework_import_esco(
                organization=org, actor=membership, framework_name=data["framework_name"],
                default_level=data["default_level"], skills_csv=payload["skills"],
                occupations_csv=payload["occupations"], relations_csv=payload["relations"],
                dry_run=dry_run))
            if report is not None and report.ok and dry_run:
                checked = _stash(request, payload)
                keep_fields = [("framework_name", data["framework_name"]),
                               ("default_level", data["default_level"])]
    return render(request, "skills/interchange/esco.html", {
        "form": form, "report": report, "checked": checked, "keep_fields": keep_fields,
    })
