"""What the people import adds to shared pages.

The organisation home, for HR admins only: the latest import that needs them (checked and
waiting to be applied, applying now, or stopped by an error), with a link to it. One query, and
none for anyone else. Nothing goes into a member's personal-data export: a run is HR's working
file, not data about the person who uploaded it.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from organizations.panels import Panel, register_home_panel

#: A run older than this no longer waits on the home page (the import page still lists it).
RECENT = timedelta(days=14)


def import_home_panel(request) -> dict | None:
    from .models import ImportStatus, PeopleImport

    membership = request.membership
    if membership is None or not membership.is_hr_admin:
        return None
    waiting = (PeopleImport.objects.for_org(request.organization)
               .filter(status__in=[ImportStatus.VALIDATED, ImportStatus.QUEUED,
                                   ImportStatus.APPLYING, ImportStatus.FAILED],
                       created_at__gte=timezone.now() - RECENT)
               .defer("content", "problems").order_by("-created_at").first())
    if waiting is None:
        return None
    return {"run": waiting}


def register() -> None:
    register_home_panel(Panel(key="hr-people-import", template="hr_admin/import/_home_panel.html",
                              context=import_home_panel, column="aside", order=40,
                              stylesheets=("css/hr-import.css",)))
