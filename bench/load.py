"""Load test: ``python -m bench.load [--users 50] [--minutes 5] [--keep-db | --fresh]
[--members N]``.

Mixed roles (``bench/locustfile.py``) against gunicorn on loopback and PostgreSQL, as in
production: ``DJANGO_DEBUG=false``, the application role under Row-Level Security, persistent
database connections, Redis for the cache. Steps:

1. the bench database (``BENCH_DATABASE_URL``, default ``trellis_bench``) is recreated and
   migrated, unless it holds ``seed_scale``'s data or ``--keep-db`` (``--fresh`` always
   recreates it); when it holds no large organisation (one made by
   ``manage.py seed_scale`` or by ``bench.generate``), one of ``--members`` (default 50,000) is
   generated;
2. real members of that organisation are picked by role (employees, managers, HR admins,
   leaders) and given a known password and a verified email address, so that each virtual user
   signs in over the form as a different person;
3. gunicorn starts on a free port (2 workers of 4 threads: the machine has 2 cores) and is
   waited for on ``/healthz``;
4. locust runs headless with ``--users`` virtual users (10 more each second) for ``--minutes``
   plus a minute for signing in, while the workers' resident memory is read from ``/proc``
   every few seconds;
5. throughput, errors, median and p95 (overall and per route) and the workers' memory at the
   start and the end are printed as Markdown and stored in ``bench/results.json`` under
   ``load-<users>u-<minutes>m`` (with ``-wait<min>-<max>`` when ``--wait`` is not 1,4).

The figures are those of the steady state, from the moment the last virtual user has signed
in: each sign-in verifies an Argon2 hash, deliberately costly (about 0.45 s of both cores
here), so the sign-in burst is reported on its own (its count of errors is part of the total).
Memory is compared from 10 s into the steady state (every page has been rendered, templates
compiled and connections opened) to the end.

Targets (issue 10): no errors, p95 under 500 ms, workers' memory growth under 10 %.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench.__main__ import DEFAULT_DATABASE_URL, RESULTS, setup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
TARGET_P95_MS = 500
TARGET_GROWTH_PCT = 10
SAMPLE_EVERY_S = 3
#: Time, once everyone has signed in, before the workers' memory is first compared.
WARM_S = 10
#: Added to the run for the virtual users to sign in before the steady state.
SIGN_IN_S = 60
#: Idle keep-alive connections are kept this much longer than a virtual user's longest pause
#: between pages, as a proxy keeps its upstream connections: with gunicorn's default (2 s) a
#: request sent just as the server closes the idle connection fails, an artefact of the client.
KEEP_ALIVE_MARGIN_S = 6
#: Smallest organisation taken for the large one already in the database.
LARGE = 100
#: Accounts prepared per role, beyond what the locustfile's weights need.
SPARE = 2
# The locustfile's user classes and their weights (users are split between them in this ratio).
WEIGHTS = {"employee": 30, "manager": 10, "hr": 5, "leader": 5}
SEARCH = "patel"
#: Seconds a virtual user pauses between two pages (min,max); others are stored under their own key.
DEFAULT_WAIT = "1,4"
#: Names of the sign-in requests (once per virtual user), told apart from the pages.
SIGN_IN = "sign in:"


# --- The organisation and its accounts -----------------------------------------------------------


def _organization(members: int):
    """The largest organisation in the database, generated first when there is none."""
    from django.db.models import Count

    from organizations.models import Membership, Organization

    largest = (Membership.objects_unscoped.filter(is_active=True).values("organization")
               .annotate(members=Count("pk")).filter(members__gte=LARGE)
               .order_by("-members").first())
    if largest is not None:
        org = Organization.objects.get(pk=largest["organization"])
        print(f"using {org.slug}: {largest['members']} active members", file=sys.stderr)
        return org
    from bench.generate import generate_organization

    generated = generate_organization(members)
    print(f"generated {generated.members} members, {generated.teams} teams in "
          f"{generated.seconds:.1f} s", file=sys.stderr)
    return generated.organization


def _pick(queryset, n: int, rng: random.Random) -> list:
    ids = list(queryset.values_list("pk", flat=True).order_by("pk"))
    return sorted(rng.sample(ids, min(n, len(ids))))


def _accounts(org, users: int) -> dict:
    """Members of each role with the URLs they open; their passwords are set, emails verified."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django.urls import reverse

    from conversations.models import Conversation
    from hr_admin.models import Survey, SurveyMode, SurveyStatus
    from organizations.models import Membership, User

    rng = random.Random(f"trellis-load:{org.pk}")
    total = sum(WEIGHTS.values())
    wanted = {role: -(-users * w // total) + SPARE for role, w in WEIGHTS.items()}
    active = Membership.objects_unscoped.filter(organization=org, is_active=True,
                                                user__is_active=True)
    reports = Membership.objects_unscoped.filter(manager=OuterRef("pk"), is_active=True)
    held = Conversation.objects_unscoped.filter(partner=OuterRef("pk"))
    plain = active.filter(is_hr_admin=False, is_leader=False)
    chosen = {
        "employee": _pick(plain.filter(manager__isnull=False).exclude(Exists(reports)),
                          wanted["employee"], rng),
        "manager": _pick(plain.filter(Exists(reports), Exists(held)), wanted["manager"], rng),
        "hr": _pick(active.filter(is_hr_admin=True, is_leader=False), wanted["hr"], rng),
        "leader": _pick(active.filter(is_leader=True), wanted["leader"], rng),
    }
    for role, ids in chosen.items():
        if not ids:
            raise SystemExit(f"{org.slug} has no {role} to sign in as")

    slug = {"org_slug": org.slug}
    survey = (Survey.objects_unscoped.filter(organization=org, mode=SurveyMode.SURVEY,
                                             status=SurveyStatus.CLOSED)
              .order_by("-pk").first())
    if survey is None:
        raise SystemExit(f"{org.slug} has no closed health-check survey")
    common = {
        "employee": {
            "home": reverse("organizations:home", kwargs=slug),
            "reflection": reverse("careers:reflections", kwargs=slug),
            "plan": reverse("careers:plan", kwargs=slug),
            "my skills": reverse("skills:my_skills", kwargs=slug),
            "opportunities": reverse("hr_admin:opportunities", kwargs=slug),
            "conversations": reverse("conversations:list", kwargs=slug),
        },
        "manager": {
            "my team": reverse("organizations:my_team", kwargs=slug),
            "team matrix": reverse("skills:team_matrix", kwargs=slug),
        },
        "hr": {
            "people": reverse("organizations:people", kwargs=slug),
            "people search": reverse("organizations:people", kwargs=slug) + f"?q={SEARCH}",
            "operations": reverse("hr_admin:metrics_operations", kwargs=slug),
        },
        "leader": {
            "leader dashboard": reverse("hr_admin:metrics", kwargs=slug),
            "health-check results": reverse("hr_admin:health_results",
                                            kwargs={**slug, "survey_id": survey.pk}),
        },
    }
    members = {m.pk: m for m in Membership.objects_unscoped.select_related("user").filter(
        pk__in=[pk for ids in chosen.values() for pk in ids])}
    conversation = {}
    for pk in chosen["manager"]:
        conversation[pk] = (Conversation.objects_unscoped.filter(organization=org, partner_id=pk)
                            .order_by("-scheduled_at").values_list("pk", flat=True).first())

    roles = {}
    for role, ids in chosen.items():
        roles[role] = []
        for pk in ids:
            urls = dict(common[role])
            if role == "manager":
                urls["conversation"] = reverse("conversations:detail", kwargs={
                    **slug, "conversation_id": conversation[pk]})
            roles[role].append({"email": members[pk].user.email, "membership": pk,
                                "urls": urls})

    # One hash for all (hashing is slow on purpose); verified addresses so sign-in goes through.
    # seed_scale's published password: the accounts include those the HTTP benchmark signs in
    # with, so both leave them with the same one.
    from hr_admin.management.commands.seed_scale import BENCH_PASSWORD

    hashed = make_password(BENCH_PASSWORD)
    user_ids = [m.user_id for m in members.values()]
    with transaction.atomic():
        User.objects.filter(pk__in=user_ids).update(password=hashed)
        known = set(EmailAddress.objects.filter(user_id__in=user_ids)
                    .values_list("user_id", flat=True))
        EmailAddress.objects.filter(user_id__in=user_ids).update(verified=True)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user_id=m.user_id, email=m.user.email, verified=True, primary=True)
             for m in members.values() if m.user_id not in known])
    print("accounts: " + ", ".join(f"{len(v)} {k}" for k, v in roles.items()), file=sys.stderr)
    return {"password": BENCH_PASSWORD, "login_url": reverse("account_login"), "roles": roles}


# --- The server ----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "load-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DATABASE_APP_ROLE": os.environ.get("DATABASE_APP_ROLE", "trellis_app"),
        "CONN_MAX_AGE": "60",
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "CACHE_KEY_PREFIX": f"trellis-load-{os.getpid()}",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    })
    return env


def _collect_static(env: dict) -> None:
    """Static files as the image builds them: ``DEBUG=false`` pages need the manifest."""
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)


def _start_server(env: dict, port: int, workers: int, threads: int, keep_alive: int,
                  log: Path):
    command = [str(BIN / "gunicorn"), "config.wsgi", f"--bind=127.0.0.1:{port}",
               f"--workers={workers}", f"--threads={threads}", "--timeout=60",
               f"--keep-alive={keep_alive}", "--graceful-timeout=10"]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz",
                                     headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    _stop_server(server)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")


def _warm_up(port: int, path: str, times: int) -> None:
    """A few sign-in forms first, so the first virtual users do not pay for the workers'
    lazy imports and template compilation."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"X-Forwarded-Proto": "https"})
    for _ in range(times):
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def _stop_server(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in task.read_text().split()]
    return sorted(found)


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _cpu_s(pid: int) -> float | None:
    """User and system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Every few seconds, the resident memory (KiB) and CPU time (s) of each of the server's
    worker processes."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master = master
        self.samples: list[tuple[float, dict[int, int]]] = []
        self.cpu: list[tuple[float, dict[int, float]]] = []
        self.stopping = threading.Event()

    def sample(self) -> None:
        now, workers = time.time(), _children(self.master)
        self.samples.append((now, {pid: kib for pid in workers if (kib := _rss_kib(pid))}))
        self.cpu.append((now, {pid: s for pid in workers if (s := _cpu_s(pid)) is not None}))

    def run(self) -> None:
        while not self.stopping.is_set():
            self.sample()
            self.stopping.wait(SAMPLE_EVERY_S)

    def stop(self) -> None:
        self.stopping.set()
        self.join()
        self.sample()


def _memory(sampler: MemorySampler, start: float) -> dict:
    """Workers' memory at boot, at ``start`` (Unix time), at the end and at its peak."""
    first = sampler.samples[0][1]
    warm = next((rss for t, rss in sampler.samples if t >= start), first)
    last = sampler.samples[-1][1]
    pids = set().union(*(rss for _t, rss in sampler.samples))
    peak = max(sum(rss.values()) for _t, rss in sampler.samples)

    def mib(rss: dict) -> float:
        return round(sum(rss.values()) / 1024, 1)

    cpu_start = next((cpu for t, cpu in sampler.cpu if t >= start), sampler.cpu[0][1])
    cpu_end = sampler.cpu[-1][1]
    cpu_used = sum(cpu_end[pid] - cpu_start[pid] for pid in cpu_start if pid in cpu_end)
    # Growth of each worker that lived through the run; a worker replaced midway would hide it.
    growth = [100 * (last[pid] - warm[pid]) / warm[pid] for pid in warm if pid in last]
    return {
        "workers_mib_boot": mib(first),
        "workers_mib_start": mib(warm),
        "workers_mib_end": mib(last),
        "workers_mib_peak": round(peak / 1024, 1),
        "memory_growth_pct": round(max(growth), 1) if growth else None,
        "worker_processes_seen": len(pids),
        "memory_samples": len(sampler.samples),
        "workers_cpu_s": round(cpu_used, 1),
    }


# --- Locust and its figures ----------------------------------------------------------------------


def _run_locust(host: str, users: int, minutes: float, wait: str, accounts: Path,
                prefix: Path, log: Path) -> int:
    env = dict(os.environ, LOAD_ACCOUNTS=str(accounts), LOAD_TIMINGS=f"{prefix}_timings.json",
               LOAD_WAIT=wait)
    command = [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
               "-u", str(users), "-r", str(min(users, 10)),
               "-t", f"{round(minutes * 60) + SIGN_IN_S}s",
               "--host", host, "--csv", str(prefix), "--only-summary",
               "--stop-timeout", "10", "--loglevel", "WARNING"]
    with log.open("wb") as out:
        return subprocess.run(command, cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, check=False).returncode


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(timings: list, seconds: float) -> dict:
    times = [t[1] for t in timings]
    return {"requests": len(times), "errors": sum(1 for t in timings if not t[2]),
            "rps": round(len(times) / seconds, 2) if seconds else None,
            "median_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(_percentile(times, 0.95), 1) if times else None,
            "max_ms": round(max(times), 1) if times else None}


def _figures(prefix: Path, timings_file: Path) -> tuple[dict, dict, list]:
    """The steady state's figures (overall and per route), the whole run's, and the failures.

    The steady state starts when the last virtual user has signed in: before, sign-ins (an
    Argon2 hash each, by design expensive) compete with the pages. Percentiles come from every
    request's own time (locust rounds its own to two significant figures); the failures from
    locust's report.
    """
    timings = json.loads(timings_file.read_text())
    sign_ins = [t for t in timings if t[0].startswith(SIGN_IN)]
    signed_in = max((t[3] for t in sign_ins), default=min(t[3] for t in timings))
    run_end = max(t[3] for t in timings)
    steady = [t for t in timings if t[3] - t[1] / 1000 >= signed_in]
    window = run_end - signed_in
    run_start = min(t[3] - t[1] / 1000 for t in timings)
    whole = _summary(timings, run_end - run_start)
    figures = {
        **_summary(steady, window),
        "steady_s": round(window, 1),
        "signed_in_after_s": round(signed_in - run_start, 1),
        "sign_in_median_ms": _summary(sign_ins, 1)["median_ms"],
        "sign_in_p95_ms": _summary(sign_ins, 1)["p95_ms"],
        **{f"whole_run_{k}": v for k, v in whole.items()},
        "signed_in_at": signed_in,
    }
    routes = {name: _summary([t for t in steady if t[0] == name], window)
              for name in sorted({t[0] for t in steady})}
    with open(f"{prefix}_failures.csv", newline="") as f:
        failures = [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(f)]
    return figures, routes, failures


def markdown(key: str, figures: dict, routes: dict, failures: list) -> str:
    mark = {True: "yes", False: "**no**", None: "?"}
    lines = [f"### {key}", "", "| measure | value | target | met |", "| --- | --- | --- | --- |"]
    growth = figures["memory_growth_pct"]
    rows = [
        ("members of the organisation", figures["members"], "", None),
        ("virtual users; steady state (s)", f"{figures['users']}; {figures['steady_s']}", "",
         None),
        ("everyone signed in after (s); sign-in median, p95 (ms)",
         f"{figures['signed_in_after_s']}; {figures['sign_in_median_ms']}, "
         f"{figures['sign_in_p95_ms']}", "", None),
        ("requests (steady state)", figures["requests"], "", None),
        ("throughput (req/s)", figures["rps"], "", None),
        ("errors (whole run)", figures["whole_run_errors"], "0",
         figures["whole_run_errors"] == 0),
        ("median (ms)", figures["median_ms"], "", None),
        ("p95 (ms)", figures["p95_ms"], f"< {TARGET_P95_MS}",
         figures["p95_ms"] < TARGET_P95_MS),
        ("whole run with sign-ins: median, p95 (ms)",
         f"{figures['whole_run_median_ms']}, {figures['whole_run_p95_ms']}", "", None),
        ("workers' CPU time per request (ms)", figures["workers_cpu_ms_per_request"], "",
         None),
        ("load average before, after (1 min)",
         f"{figures['load_average_before']}, {figures['load_average_after']}", "", None),
        ("workers' memory at start → end (MiB)",
         f"{figures['workers_mib_start']} → {figures['workers_mib_end']}", "", None),
        ("workers' memory growth (%, largest)", growth, f"< {TARGET_GROWTH_PCT}",
         None if growth is None else growth < TARGET_GROWTH_PCT),
    ]
    for name, value, target, met in rows:
        lines.append(f"| {name} | {value} | {target} | {mark[met] if target else ''} |")
    lines += ["", "| route | requests | errors | median ms | p95 ms | max ms |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, r in sorted(routes.items()):
        lines.append(f"| {name} | {r['requests']} | {r['errors']} | {r['median_ms']:.0f} | "
                     f"{r['p95_ms']:.0f} | {r['max_ms']:.0f} |")
    if failures:
        lines += ["", "| failed route | error | occurrences |", "| --- | --- | ---: |"]
        lines += [f"| {name} | {error[:120]} | {n} |" for name, error, n in failures]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users")
    parser.add_argument("--minutes", type=float, default=5, help="length of the run")
    parser.add_argument("--members", type=int, default=50_000,
                        help="size of the organisation generated when there is none")
    keep = parser.add_mutually_exclusive_group()
    keep.add_argument("--keep-db", action="store_true",
                      help="reuse the bench database whatever it holds")
    keep.add_argument("--fresh", action="store_true",
                      help="recreate the bench database even when it holds seed_scale's data")
    parser.add_argument("--wait", default=DEFAULT_WAIT,
                        help="seconds a virtual user pauses between pages: min,max")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    args = parser.parse_args(argv)

    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    setup(fresh=True if args.fresh else False if args.keep_db else None)
    org = _organization(args.members)
    from organizations.models import Membership

    members = Membership.objects_unscoped.filter(organization=org, is_active=True).count()
    work = Path(tempfile.mkdtemp(prefix="trellis-load-"))
    accounts = work / "accounts.json"
    accounts.write_text(json.dumps(_accounts(org, args.users), indent=1))

    env = _server_env(database_url)
    _collect_static(env)
    port = _free_port()
    keep_alive = math.ceil(float(args.wait.split(",")[1])) + KEEP_ALIVE_MARGIN_S
    server = _start_server(env, port, args.workers, args.threads, keep_alive,
                           work / "gunicorn.log")
    _warm_up(port, "/accounts/login/", 4 * args.workers)
    sampler = MemorySampler(server.pid)
    load_before = os.getloadavg()[0]
    try:
        sampler.start()
        print(f"gunicorn on 127.0.0.1:{port} ({args.workers} workers, {args.threads} "
              f"threads); locust: {args.users} users for {args.minutes} min; logs in {work}",
              file=sys.stderr)
        code = _run_locust(f"http://127.0.0.1:{port}", args.users, args.minutes, args.wait,
                           accounts, work / "locust", work / "locust.log")
        sampler.stop()
        load_after = os.getloadavg()[0]
    finally:
        _stop_server(server)
    if not Path(f"{work / 'locust'}_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics (exit {code}); see {work / 'locust.log'}")
    overall, routes, failures = _figures(work / "locust", work / "locust_timings.json")
    signed_in_at = overall.pop("signed_in_at")
    key = f"load-{args.users}u-{args.minutes:g}m"
    if args.wait != DEFAULT_WAIT:
        key += "-wait" + args.wait.replace(",", "-")
    figures = {
        "members": members, "users": args.users, "minutes": args.minutes,
        "workers": args.workers, "threads": args.threads, "wait_s": args.wait,
        **overall,
        **_memory(sampler, start=signed_in_at + WARM_S),
        "load_average_before": round(load_before, 2), "load_average_after": round(load_after, 2),
        "target_p95_ms": TARGET_P95_MS, "target_growth_pct": TARGET_GROWTH_PCT,
    }
    # The workers' own CPU time per page, whatever else runs on the machine: the server's
    # capacity is about (cores * 1000 / this) pages a second, less the database's share.
    figures["workers_cpu_ms_per_request"] = (round(1000 * figures["workers_cpu_s"]
                                                   / figures["requests"], 1)
                                             if figures["requests"] else None)
    figures["within_target"] = (figures["whole_run_errors"] == 0
                                and figures["p95_ms"] < TARGET_P95_MS
                                and (figures["memory_growth_pct"] or 0) < TARGET_GROWTH_PCT)
    figures["routes"] = routes
    figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
    figures["machine"] = (f"{platform.machine()}, {os.cpu_count()} cores, Python "
                          f"{platform.python_version()}")
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[key] = figures
    RESULTS.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    print(markdown(key, figures, routes, failures))
    return 0 if figures["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
