"""Demo data for hr_admin: people imports.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (inside its
transaction and ``cross_organization``). The demo HR admin has checked two HRIS exports, through
the ordinary dry run:

* ``hris-new-starters.csv``: three people starting next week-ish under the demo manager, a new
  job title and a change of team for two colleagues. It has no problems and waits to be applied,
  so the demo shows the summary and the Apply button (applying it works like any import);
* ``hris-export-draft.csv``: an earlier draft with five kinds of mistakes (an unknown manager, a
  manager loop, a duplicate line, an unknown role profile, a date in the wrong format), to show
  how problems are reported.

Idempotent: nothing is added when a run of either name exists. The files are built from the
organisation's own people (as ``seed_demo`` made them, deterministically), dated relative to the
day of seeding. Job titles and team paths are the organisation's, in its language; the titles
this demo makes up are written in the active language (``seed_demo`` seeds each organisation
under its default language). The column names are the import format's and stay as they are.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization, Team
from skills.models import MemberRole

from .models import PeopleImport
from .services.people_import import people_import_check

VALID_FILE = "hris-new-starters.csv"
DRAFT_FILE = "hris-export-draft.csv"
HEADER = ["email", "first name", "last name", "job title", "team path", "manager email",
          "role profile", "start date"]
NEW_STARTERS = (("Noor", "Haddad"), ("Tomás", "Reyes"), ("Ingrid", "Solberg"))
#: A colleague's new title in the file to apply: ``{job_title}`` is their current one.
PROMOTED_TITLE = _("Senior {job_title}")
#: The draft's duplicate line gives the demo employee this title.
DRAFT_TITLE = _("Senior Engineer")
#: The draft's unknown role profile, also the job title of its line.
UNKNOWN_ROLE = "Chief Happiness Officer"
UNKNOWN_ROLE_TITLE = _("Chief Happiness Officer")


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    seed_organization_imports(organization)


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans("áéíóúñç", "aeiounc"))


def _paths(organization: Organization) -> dict[int, str]:
    rows = {pk: (name, parent) for pk, name, parent in
            Team.objects.for_org(organization).values_list("pk", "name", "parent_id")}
    paths: dict[int, str] = {}
    for pk in rows:
        names, node, seen = [], pk, set()
        while node is not None and node not in seen:
            seen.add(node)
            names.append(rows[node][0])
            node = rows[node][1]
        paths[pk] = "/".join(reversed(names))
    return paths


def _line(member: Membership, paths: dict[int, str], roles: dict[int, str], **changes) -> list:
    values = {
        "email": member.user.email,
        "first name": member.user.first_name,
        "last name": member.user.last_name,
        "job title": member.job_title,
        "team path": paths.get(member.team_id, ""),
        "manager email": member.manager.user.email if member.manager_id else "",
        "role profile": roles.get(member.pk, ""),
        "start date": member.started_on.isoformat() if member.started_on else "",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def _text(lines: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(lines)
    return out.getvalue()


def seed_organization_imports(organization: Organization) -> int:
    org = organization
    with tenancy.organization_scope(org):
        if PeopleImport.objects.for_org(org).filter(
                file_name__in=(VALID_FILE, DRAFT_FILE)).exists():
            return 0
        members = {m.user.email: m for m in Membership.objects.for_org(org)
                   .filter(is_active=True).select_related("user", "manager__user")}
        hr = members.get(f"hr@{org.slug}.test")
        manager = members.get(f"manager@{org.slug}.test")
        employee = members.get(f"employee@{org.slug}.test")
        if hr is None or manager is None or employee is None:
            return 0
        paths = _paths(org)
        roles = dict(MemberRole.objects.for_org(org).values_list("member_id", "role__title"))
        colleagues = sorted((m for m in members.values()
                             if m.manager_id == manager.pk and m.pk != employee.pk),
                            key=lambda m: m.user.email)
        other_teams = sorted({path for team_id, path in paths.items()
                              if team_id != manager.team_id and "/" in path})
        start = timezone.localdate() + timedelta(days=7)
        new_lines = [
            [f"{_ascii(first)}.{_ascii(last)}@{org.slug}.test", first, last,
             employee.job_title, paths.get(manager.team_id, ""), manager.user.email,
             roles.get(employee.pk, ""), (start + timedelta(days=7 * i)).isoformat()]
            for i, (first, last) in enumerate(NEW_STARTERS)]
        changed = []
        if colleagues:
            changed.append(_line(colleagues[0], paths, roles,
                                 **{"job title": str(PROMOTED_TITLE).format(
                                     job_title=colleagues[0].job_title)}))
        if len(colleagues) > 1 and other_teams:
            changed.append(_line(colleagues[1], paths, roles, **{"team path": other_teams[0]}))
        valid = _text([*new_lines, *changed, _line(employee, paths, roles),
                       _line(manager, paths, roles)])
        first, last = NEW_STARTERS[0]
        draft = _text([
            [f"{_ascii(first)}.{_ascii(last)}@{org.slug}.test", first, last,
             employee.job_title, paths.get(manager.team_id, ""), f"j.doe@{org.slug}.test",
             roles.get(employee.pk, ""), start.isoformat()],
            _line(manager, paths, roles, **{"manager email": employee.user.email}),
            _line(employee, paths, roles),
            _line(employee, paths, roles, **{"job title": str(DRAFT_TITLE)}),
            [f"{_ascii(NEW_STARTERS[1][0])}.{_ascii(NEW_STARTERS[1][1])}@{org.slug}.test",
             *NEW_STARTERS[1], str(UNKNOWN_ROLE_TITLE), "", manager.user.email,
             UNKNOWN_ROLE, start.strftime("%d/%m/%Y")],
        ])
        people_import_check(organization=org, actor=hr, text=draft, file_name=DRAFT_FILE)
        people_import_check(organization=org, actor=hr, text=valid, file_name=VALID_FILE)
    return 2
