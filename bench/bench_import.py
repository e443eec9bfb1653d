"""People import at scale: a realistic HRIS export checked, applied, then imported again.

The file describes a fresh organisation of ``rows`` people, in no particular order: a team tree
of functions, departments and teams ("Engineering/Platform/Atlas"), a manager tree (chief
executive, heads of function, of department, team leads, about seven people per team), role
profiles of the example framework by job family, HR and leader flags, start dates and
languages. The organisation
exists with its founder (an HR admin, not in the file) and the example framework, nothing else.

Measured as HR runs it: the dry run as the upload page calls it (one request transaction under
the application role), the apply as a worker runs the task (called synchronously), then the
same file again: its dry run and its apply, which must change nothing.

Targets (issue 6): 5,000 rows checked and applied in under a minute; 50,000 in under five.
"""

from __future__ import annotations

import csv
import io
import random
import time
from contextlib import contextmanager

FUNCTIONS = (
    # (function, share of people, departments, job family of the role profiles)
    ("Engineering", 0.34, ("Platform", "Product Engineering", "Mobile", "Infrastructure"),
     "Engineering"),
    ("Data", 0.08, ("Analytics", "Data Platform"), "Data"),
    ("Product", 0.08, ("Product Management", "Design"), "Product"),
    ("Sales", 0.18, ("EMEA", "Americas", "APAC"), "Sales"),
    ("Customer", 0.14, ("Support", "Success"), "Customer"),
    ("Marketing", 0.07, ("Brand", "Demand Generation"), "Marketing"),
    ("Finance", 0.05, ("Accounting", "Planning"), "Finance"),
    ("People", 0.06, ("People Partners", "Talent"), "People"),
)
TEAM_NAMES = ("Atlas", "Beacon", "Comet", "Delta", "Ember", "Fjord", "Granite", "Harbour",
              "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Pulsar",
              "Quartz", "Ridge", "Summit", "Tundra", "Umber", "Vega", "Willow", "Zephyr")
FIRST = ("Ada", "Alan", "Amara", "Ana", "Arjun", "Beatriz", "Carlos", "Chen", "Chloé", "Dario",
         "Elena", "Emeka", "Fatima", "François", "Grace", "Hana", "Ibrahim", "Inès", "James",
         "Jin", "Julia", "Kofi", "Léa", "Liam", "Lucía", "Mateo", "Mei", "Mohammed", "Nadia",
         "Noah", "Olga", "Omar", "Priya", "Rafael", "Sara", "Sofia", "Tomás", "Yuki", "Zanele")
LAST = ("Adeyemi", "Álvarez", "Bauer", "Bernard", "Chen", "Costa", "Dubois", "Fernández",
        "García", "Haddad", "Ivanova", "Jensen", "Kim", "Kowalski", "Laurent", "Martin",
        "Moreau", "Nakamura", "Novak", "Okafor", "Patel", "Petit", "Rossi", "Santos", "Schmidt",
        "Singh", "Tanaka", "Thomas", "Torres", "Wang", "Williams", "Yilmaz", "Zhang")
LANGUAGES = ("",) * 14 + ("en",) * 3 + ("fr",) * 2 + ("es",)
TEAM_SIZE = 8
HEADER = ("email", "first name", "last name", "job title", "team path", "manager email",
          "role profile", "hr", "leader", "start date", "language")


def _roles_by_family() -> dict[str, dict[str, list[str]]]:
    import json

    from skills.data import example_framework_bytes

    families: dict[str, dict[str, list[str]]] = {}
    for role in json.loads(example_framework_bytes())["roles"]:
        kind = "manager" if role.get("track") == "management" else "individual"
        families.setdefault(role["family"], {"manager": [], "individual": []})[kind].append(
            role["title"])
    return families


def generate(rows: int, *, domain: str) -> str:
    """The HRIS export: ``rows`` people, deterministic for a given size."""
    rng = random.Random(f"trellis-bench-import-{rows}")
    families = _roles_by_family()
    people: list[tuple] = []

    def person(title, team, manager, role, *, hr=False, leader=False):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"{first}.{last}".lower()
        base = base.translate(str.maketrans("áéíóúçèëñ", "aeiouceen"))
        email = f"{base}.{len(people)}@{domain}"
        started = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        people.append((email, first, last, title, team, manager, role or "",
                       "yes" if hr else "no", "yes" if leader else "no", started,
                       rng.choice(LANGUAGES)))
        return email

    ceo = person("Chief Executive Officer", "Executive Office", "", None, leader=True)
    budget = rows - 1
    for index, (function, share, departments, family) in enumerate(FUNCTIONS):
        roles = families.get(family) or {"manager": [], "individual": []}
        manager_role = roles["manager"][0] if roles["manager"] else None
        ics = roles["individual"] or [None]
        # The last function takes what the shares left, so the file has exactly ``rows`` people.
        count = budget if index == len(FUNCTIONS) - 1 else max(1, round((rows - 1) * share))
        count = min(count, budget)
        budget -= count
        if count <= 0:
            continue
        head = person(f"Head of {function}", function, ceo, manager_role, leader=True,
                      hr=function == "People")
        count -= 1
        for d_index, department in enumerate(departments):
            left = count // (len(departments) - d_index) if d_index < len(departments) else 0
            count -= left
            if left <= 0:
                continue
            dept_path = f"{function}/{department}"
            dept_head = person(f"{department} Director", dept_path, head, manager_role,
                               hr=function == "People")
            left -= 1
            team_number = 0
            while left > 0:
                team = TEAM_NAMES[team_number % len(TEAM_NAMES)]
                if team_number >= len(TEAM_NAMES):
                    team = f"{team} {team_number // len(TEAM_NAMES) + 1}"
                team_path = f"{dept_path}/{team}"
                lead = person(f"{department} Team Lead", team_path, dept_head, manager_role,
                              hr=function == "People")
                left -= 1
                for _ in range(min(TEAM_SIZE - 1, left)):
                    role = rng.choice(ics)
                    person(role or f"{department} Specialist", team_path, lead, role,
                           hr=function == "People" and rng.random() < 0.3)
                    left -= 1
                team_number += 1
    # HRIS exports come sorted by name or employee number, not by the tree: most people appear
    # before their manager, whom the import links once everyone exists.
    rng.shuffle(people)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(people)
    return out.getvalue()


@contextmanager
def _as_a_request(organization):
    """What ``TenantMiddleware`` sets up for a page: one transaction, the application role and
    the organisation's database context."""

    from organizations import tenancy

    with tenancy.as_worker(organization):
        yield


def _fresh_organization(rows: int):
    from django.db import transaction

    from organizations import tenancy
    from organizations.models import Membership, User
    from organizations.services import organization_create
    from skills.data import example_framework_bytes
    from skills.services import interchange

    stamp = time.strftime("%Y%m%d%H%M%S")
    slug = f"bench-{rows}-{stamp}"
    with transaction.atomic():
        founder = User.objects.create_user(email=f"hr@{slug}.example", password=None,
                                           first_name="Bench", last_name="Admin")
        org = organization_create(name=f"Bench {rows}", slug=slug, founder=founder,
                                  time_zone="Europe/London")
        with tenancy.organization_scope(org):
            report = interchange.framework_import(
                organization=org, actor=None, data=example_framework_bytes(),
                fmt=interchange.JSON, dry_run=False, notify_emerging=False)
            assert report.ok, report.errors[:5]
            hr = Membership.objects.for_org(org).get(user=founder)
    return org, hr


def _counts(org) -> dict:
    from hr_admin.models import Move
    from organizations.models import Invitation, Membership, Team
    from skills.models import MemberRole

    with _as_a_request(org):
        return {
            "members": Membership.objects.for_org(org).filter(is_active=True).count(),
            "teams": Team.objects.for_org(org).count(),
            "member_roles": MemberRole.objects.for_org(org).count(),
            "moves": Move.objects.for_org(org).count(),
            "invitations": Invitation.objects.for_org(org).count(),
        }


def _import(org, hr, text: str, *, file_name: str) -> tuple[float, float, dict]:
    from hr_admin.services import people_import as services
    from hr_admin.tasks import people_import_apply

    started = time.perf_counter()
    with _as_a_request(org):
        run = services.people_import_check(organization=org, actor=hr, text=text,
                                           file_name=file_name, create_teams=True,
                                           send_invitations=True)
    checked = time.perf_counter() - started
    if run.status != "validated":
        raise RuntimeError(f"the generated file does not pass: {run.problems[:5]}")
    with _as_a_request(org):
        services.people_import_queue(organization=org, actor=hr, people_import=run)
    started = time.perf_counter()
    if not people_import_apply(org.pk, run.pk):
        raise RuntimeError("the apply task did not run")
    applied = time.perf_counter() - started
    with _as_a_request(org):
        run.refresh_from_db()
    if run.status != "applied":
        raise RuntimeError(f"the import ended {run.status}: {run.error}")
    return checked, applied, run.summary


def run(rows: int = 5000) -> dict:
    org, hr = _fresh_organization(rows)
    started = time.perf_counter()
    text = generate(rows, domain=f"{org.slug}.example")
    generated = time.perf_counter() - started

    dry_run, apply, summary = _import(org, hr, text, file_name=f"hris-{rows}.csv")
    after_first = _counts(org)
    re_dry_run, re_apply, again = _import(org, hr, text, file_name=f"hris-{rows}-again.csv")
    after_second = _counts(org)
    if after_second != after_first or again.get("unchanged") != rows:
        raise RuntimeError(f"the re-import changed something: {after_first} → {after_second}, "
                           f"{again}")
    result = summary.get("result", {})
    target = 60 if rows <= 5000 else 300
    return {
        "key": f"import-{rows}",
        "rows": rows,
        "file_mb": round(len(text.encode()) / 1e6, 2),
        "generate_s": round(generated, 2),
        "dry_run_s": round(dry_run, 2),
        "apply_s": round(apply, 2),
        "validated_and_applied_s": round(dry_run + apply, 2),
        "target_s": target,
        "within_target": dry_run + apply < target,
        "reimport_dry_run_s": round(re_dry_run, 2),
        "reimport_apply_s": round(re_apply, 2),
        "reimport_changed": 0,
        "created": result.get("created", 0),
        "teams_created": result.get("teams_created", 0),
        "moves": result.get("moves", 0),
        "invitations": result.get("invitations", 0),
        "rows_per_s": round(rows / (dry_run + apply)),
    }
