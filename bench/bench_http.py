"""Key pages and API routes over real HTTP: gunicorn, PostgreSQL and the generated data.

Run after ``python manage.py seed_scale`` on the bench database, keeping it:
``python -m bench http --keep-db`` (without generated data it runs ``seed_scale`` first, of
``--rows`` members, 50,000 by default). Starts gunicorn (``bench/http_server.py``: two workers,
production settings, the application role under Row-Level Security), signs in through the
allauth form as the big organisation's employee, manager, HR admin and leader (the members
``seed_scale`` enabled), then requests each route three times to warm up and 20 times timed.

Server time and queries come from the ``Server-Timing`` header
(``organizations/server_timing.py``), so the figures are the server's: not the client, not the
loopback. Two floors on the same server: ``/healthz`` (no session, one ``SELECT 1``) and the
signed-in session check (``/o/<slug>/session/``: the session, the account, the membership and
the organisation's scope, and nothing else), the fixed cost of any page. Targets (issue 10):
median under 100 ms, p95 under 250 ms, at most 5 times the signed-in floor's median; the
table also gives each route's multiple of ``/healthz``.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import sys
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

WARM_UP = 3
REQUESTS = 20
TABLE = Path(__file__).resolve().parent / "results-http.md"
MEDIAN_MS, P95_MS, FLOOR_TIMES = 100, 250, 5
TIMING = re.compile(r"app;dur=([\d.]+).*?db;dur=([\d.]+);desc=\"(\d+) queries\"")


class Client:
    """A browser enough for Django behind a TLS proxy: keeps cookies (secure ones too, the
    connection being HTTPS as far as Django knows) and sends the proxy's header."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.origin = f"https://127.0.0.1:{port}"

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                "Accept-Language": "en"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent.update({"Content-Type": "application/x-www-form-urlencoded",
                         "Origin": self.origin, "Referer": f"{self.origin}{path}"})
        sent.update(headers or {})
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    for name, morsel in SimpleCookie(value).items():
                        self.cookies[name] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def sign_in(self, email: str, password: str) -> None:
        status, _headers, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"login form: {status}")
        status, headers, _page = self.request(
            "POST", "/accounts/login/",
            {"csrfmiddlewaretoken": match.group(1).decode(), "login": email,
             "password": password})
        if status != 302 or "/accounts/login" in headers.get("location", ""):
            raise RuntimeError(f"signing in as {email}: {status} {headers.get('location')}")


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(client: Client, path: str) -> dict:
    """Server time of ``REQUESTS`` requests after ``WARM_UP``; the queries of the last one."""
    samples, sql, queries = [], [], 0
    for n in range(WARM_UP + REQUESTS):
        status, headers, _body = client.request("GET", path, headers={
            "Accept": "application/json" if path.startswith("/api/") else "text/html"})
        if status != 200:
            return {"status": status, "location": headers.get("location", "")}
        match = TIMING.search(headers.get("server-timing", ""))
        if match is None:
            raise RuntimeError("no Server-Timing header: run with TRELLIS_SERVER_TIMING=1 and "
                               "organizations.server_timing.ServerTimingMiddleware installed")
        if n >= WARM_UP:
            samples.append(float(match.group(1)))
            sql.append(float(match.group(2)))
            queries = int(match.group(3))
    return {"status": 200, "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(_percentile(samples, 0.95), 1),
            "sql_median_ms": round(statistics.median(sql), 1), "queries": queries}


def _routes(org, people: dict) -> list[tuple[str, str, str]]:
    """(label, role, path) of every route timed, found in the data of the big organisation."""
    from django.urls import reverse

    from bench.generate import HEALTH_CHECK_TITLE
    from careers.models import Reflection
    from conversations.models import Conversation
    from hr_admin.models import Survey
    from skills.models import MemberRole, RoleProfile

    employee = people["employee"]
    slug = {"org_slug": org.slug}

    def url(name, **kwargs):
        return reverse(name, kwargs={**slug, **kwargs})

    own = MemberRole.objects_unscoped.filter(member=employee).select_related("role").first()
    target = (RoleProfile.objects_unscoped.filter(
        organization=org, family=own.role.family, grade=str(int(own.role.grade) + 1)).first()
        if own else None) or RoleProfile.objects_unscoped.filter(organization=org).first()
    conversation = (Conversation.objects_unscoped.filter(member=employee)
                    .order_by("-scheduled_at").first())
    reflection = Reflection.objects_unscoped.filter(member=employee).first()
    # The health check seed_scale answered and scored (the generator's own has scores only).
    survey = (Survey.objects_unscoped.filter(organization=org, title=HEALTH_CHECK_TITLE,
                                             scored_at__isnull=False)
              .order_by("-closed_at").first())
    routes = [
        ("member home", "employee", url("organizations:home")),
        ("reflections", "employee", url("careers:reflections")),
        ("plan", "employee", url("careers:plan")),
        ("pathway explorer", "employee", url("skills:explorer")),
        ("gap view", "employee", url("skills:gaps", role_id=target.pk)),
        ("opportunities (match scores)", "employee", url("hr_admin:opportunities")),
        ("conversations", "employee", url("conversations:list")),
        ("team matrix", "manager", url("skills:team_matrix")),
        ("my team", "manager", url("organizations:my_team")),
        ("team conversations", "manager", url("conversations:team")),
        ("people directory", "hr", url("organizations:people")),
        ("people search", "hr", url("organizations:people") + "?q=chen"),
        ("people directory", "leader", url("organizations:people")),
        ("people search", "leader", url("organizations:people") + "?q=chen"),
        ("leader dashboard", "leader", url("hr_admin:metrics")),
        ("HR operations", "hr", url("hr_admin:metrics_operations")),
        ("team figures", "manager", url("hr_admin:metrics_my_team")),
        ("API me", "employee", url("organizations-api:me")),
        ("API my pathway", "employee", url("skills-api:my-pathway")),
        ("API gaps", "employee", url("skills-api:member-gaps", member_id=employee.pk,
                                     role_id=target.pk)),
        ("API reflections", "employee", url("careers-api:reflection-list")),
        ("API plan summary", "employee", url("careers-api:plan-summary")),
        ("API conversations", "employee", url("conversations-api:conversation-list")),
        ("API opportunities", "employee", url("hr_admin-api:opportunity-list")),
        ("API team matrix", "manager", url("skills-api:team-matrix")),
        ("API team conversations", "manager", url("conversations-api:team")),
        ("API members", "hr", url("organizations-api:member-list")),
        ("API members search", "hr", url("organizations-api:member-list") + "?q=chen"),
        ("API teams", "hr", url("organizations-api:team-list")),
        ("API surveys", "hr", url("hr_admin-api:health-survey-list")),
        ("API metrics", "leader", url("hr_admin-api:metrics")),
    ]
    if reflection is not None:
        routes.insert(2, ("reflection", "employee",
                          url("careers:reflection", reflection_id=reflection.pk)))
    if conversation is not None:
        routes.insert(8, ("conversation page", "employee",
                          url("conversations:detail", conversation_id=conversation.pk)))
        routes.append(("API conversation", "employee", url(
            "conversations-api:conversation-detail", conversation_id=conversation.pk)))
    if survey is not None:
        routes += [
            ("health-check results", "hr", url("hr_admin:health_results", survey_id=survey.pk)),
            ("health-check results", "leader",
             url("hr_admin:health_results", survey_id=survey.pk)),
            ("health-check results, lowest teams first", "hr",
             url("hr_admin:health_results", survey_id=survey.pk) + "?teams_order=lowest"),
            ("API health-check results", "hr",
             url("hr_admin-api:health_results", survey_id=survey.pk)),
        ]
    return routes


def table(rows: list[dict], floor_ms: float, healthz_ms: float) -> str:
    lines = ["| route | role | median ms | p95 ms | queries | x signed-in floor | x /healthz "
             "| target |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        if row["status"] != 200:
            lines.append(f"| {row['route']} | {row['role']} | - | - | - | - | - | "
                         f"HTTP {row['status']} |")
            continue
        lines.append(
            f"| {row['route']} | {row['role']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | "
            f"{row['queries']} | {row['median_ms'] / floor_ms:.1f} | "
            f"{row['median_ms'] / healthz_ms:.1f} | {_verdict(row)} |")
    return "\n".join(lines)


def _verdict(row: dict) -> str:
    if "met" not in row:
        return "floor"
    if row["met"]:
        return "met"
    missed = [what for what, ok in (("median", row["median_ms"] < MEDIAN_MS),
                                    ("p95", row["p95_ms"] < P95_MS),
                                    ("x floor", row["within_floor"])) if not ok]
    return "MISSED (" + ", ".join(missed) + ")"


def _figures(row: dict, floor_ms: float) -> str:
    if row["status"] != 200:
        return f"HTTP {row['status']}"
    return (f"{row['median_ms']:.1f} ms median, {row['p95_ms']:.1f} ms p95, "
            f"{row['queries']} queries ({row['sql_median_ms']:.1f} ms SQL), "
            f"{row['median_ms'] / floor_ms:.1f} x signed-in floor, {_verdict(row)}")


def scale_organization(rows: int | None):
    """The big organisation of ``seed_scale``; generated first (``rows`` members, 50,000 by
    default) when the bench database has none, as after ``python -m bench`` recreated it."""
    from django.core.management import call_command

    from bench.__main__ import SCALE_SLUG
    from hr_admin.management.commands.seed_scale import BIG_SLUG
    from organizations.models import Organization

    assert BIG_SLUG == SCALE_SLUG, "bench.__main__.SCALE_SLUG must be seed_scale's BIG_SLUG"
    org = Organization.objects.filter(slug=BIG_SLUG).first()
    if org is None:
        print("no seed_scale data in the bench database: generating it", file=sys.stderr)
        call_command("seed_scale", members=rows or 50_000, force=True, stdout=sys.stderr)
        org = Organization.objects.get(slug=BIG_SLUG)
    return org


def run(rows: int | None = None, **_) -> dict:
    from django.urls import reverse

    from bench import http_server
    from hr_admin.management.commands.seed_scale import BENCH_PASSWORD, sign_ins
    from organizations.models import Membership

    org = scale_organization(rows)
    members = Membership.objects_unscoped.filter(organization=org, is_active=True).count()
    people = sign_ins(org)
    routes = _routes(org, people)
    server = http_server.start(os.environ["DATABASE_URL"])
    try:
        clients = {}
        for role, member in people.items():
            clients[role] = Client(server.port)
            clients[role].sign_in(member.user.email, BENCH_PASSWORD)
        healthz = measure(Client(server.port), "/healthz")
        floor = measure(clients["employee"],
                        reverse("organizations:session_check", kwargs={"org_slug": org.slug}))
        rows = [{"route": "/healthz", "role": "anyone", **healthz},
                {"route": "session check (signed-in floor)", "role": "employee", **floor}]
        for label, role, path in routes:
            figures = measure(clients[role], path)
            rows.append({"route": label, "role": role, "path": path, **figures})
            print(f"{label} ({role}): {figures}", file=sys.stderr)
    finally:
        http_server.stop(server)
    floor_ms = max(floor["median_ms"], 0.1)
    healthz_ms = max(healthz["median_ms"], 0.1)
    for row in rows[2:]:
        if row["status"] == 200:
            row["within_floor"] = row["median_ms"] <= FLOOR_TIMES * floor_ms
            row["met"] = (row["median_ms"] < MEDIAN_MS and row["p95_ms"] < P95_MS
                          and row["within_floor"])
    markdown_table = table(rows, floor_ms, healthz_ms)
    print(markdown_table)
    TABLE.write_text(markdown_table + "\n")
    timed = [r for r in rows[2:] if r["status"] == 200]
    return {
        "key": f"http-{members}",
        "members": members,
        "workers": http_server.WORKERS,
        "requests_per_route": REQUESTS,
        "healthz_median_ms": healthz["median_ms"],
        "signed_in_floor_median_ms": floor["median_ms"],
        "signed_in_floor_p95_ms": floor["p95_ms"],
        "routes": len(rows) - 2,
        "routes_within_median_and_p95": sum(1 for r in timed if r["median_ms"] < MEDIAN_MS
                                            and r["p95_ms"] < P95_MS),
        "routes_met": sum(1 for r in timed if r["met"]),
        "routes_missed": ", ".join(f"{r['route']} ({r['role']})" for r in timed if not r["met"]),
        "routes_failed": ", ".join(f"{r['route']} ({r['role']}): HTTP {r['status']}"
                                   for r in rows if r["status"] != 200),
        "slowest_median_ms": max((r["median_ms"] for r in timed), default=0.0),
        "slowest_p95_ms": max((r["p95_ms"] for r in timed), default=0.0),
        "most_queries": max((r["queries"] for r in timed), default=0),
        # One entry per route, readable in results.json and in the summary table alike.
        **{f"{r['route']} ({r['role']})": _figures(r, floor_ms) for r in rows},
        "target": f"median < {MEDIAN_MS} ms, p95 < {P95_MS} ms, at most {FLOOR_TIMES} x the "
                  "signed-in floor",
    }
