"""My career record: everything Trellis holds about me, as a printable page and as JSON.

The sections come from every app (``organizations.personal_data``); this view only ever
assembles the caller's own record.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from organizations.personal_data import personal_data_export, personal_data_sections


def record(request, org_slug):
    org, membership = request.organization, request.membership
    data = personal_data_export(organization=org, member=membership)
    sections = [{"key": s.key, "title": s.title, "template": s.template,
                 "data": data["sections"][s.key]} for s in personal_data_sections()]
    stylesheets = []
    for s in personal_data_sections():
        stylesheets += [path for path in s.stylesheets if path not in stylesheets]
    return render(request, "careers/record/record.html", {
        "sections": sections,
        "panels": {"stylesheets": stylesheets},
        "exported_at": timezone.now(),
    })


def record_json(request, org_slug):
    org, membership = request.organization, request.membership
    data = personal_data_export(organization=org, member=membership)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
                            content_type="application/json; charset=utf-8")
    filename = f"trellis-career-record-{org.slug}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
