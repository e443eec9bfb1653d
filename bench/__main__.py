"""Run benchmarks: ``python -m bench [name …] [--rows N] [--keep-db | --fresh]``; ``make bench``
runs all.

A benchmark is a module ``bench/bench_<name>.py`` whose ``run(**options)`` returns a dict of
figures (an optional ``"key"`` names the entry, e.g. ``import-5000``; otherwise the name does).
Each run is merged into ``bench/results.json`` and printed as a Markdown table.

Benchmarks use a database of their own, never the development one: ``BENCH_DATABASE_URL``
(default ``postgres://postgres@127.0.0.1:5432/trellis_bench``), dropped, created and migrated
at the start, unless it holds the data of ``python -m bench.seed_scale`` (``make seed-scale``) or
``--keep-db`` says to keep it (``--fresh`` always recreates it). The application role
(``DATABASE_APP_ROLE``, default ``trellis_app``) is used as in production, so Row-Level
Security is part of what is measured. Celery publishes to an in-memory broker: queued emails
cost their enqueueing, not their sending.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/trellis_bench"
# seed_scale's big organisation (its BIG_SLUG; read before Django is set up, so not imported).
SCALE_SLUG = "scale-big"


def available() -> list[str]:
    return sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(HERE)])
                  if m.name.startswith("bench_"))


def recreate_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not name.startswith("trellis_bench"):
        raise SystemExit(f"refusing to drop {name!r}: bench databases are named trellis_bench…")
    admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432,
                             user=parts.username, password=parts.password, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def holds_scale_data(url: str) -> bool:
    """Whether the database exists and holds ``seed_scale``'s big organisation."""
    import psycopg2

    parts = urlparse(url)
    try:
        connection = psycopg2.connect(host=parts.hostname, port=parts.port or 5432,
                                      user=parts.username, password=parts.password,
                                      dbname=parts.path.lstrip("/"))
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM organizations_organization WHERE slug = %s",
                           [SCALE_SLUG])
            return cursor.fetchone() is not None
    except psycopg2.Error:
        return False
    finally:
        connection.close()


def setup(*, fresh: bool | None) -> None:
    """Point Django at the bench database, recreated when ``fresh`` (when None: unless it
    already holds ``seed_scale``'s data, which takes minutes to make), and migrate it."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    sys.path.insert(0, str(HERE.parent))
    if fresh is None:
        fresh = not holds_scale_data(url)
        if not fresh:
            print("keeping the bench database: it holds seed_scale's data (--fresh to recreate)",
                  file=sys.stderr)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DATABASE_APP_ROLE", "trellis_app")
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("EMAIL_URL", "dummymail://")
    if fresh:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from config.celery import app

    app.conf.broker_url = "memory://localhost/"
    app.conf.task_always_eager = False
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database ready ({time.perf_counter() - started:.1f} s)", file=sys.stderr)


def markdown(results: list[tuple[str, dict]]) -> str:
    lines = []
    for key, figures in results:
        lines += [f"### {key}", "", "| measure | value |", "| --- | --- |"]
        for name, value in figures.items():
            if isinstance(value, float):
                value = f"{value:.2f}"
            lines.append(f"| {name} | {value} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (all: {available()})")
    parser.add_argument("--rows", type=int, help="size of the generated data")
    keep = parser.add_mutually_exclusive_group()
    keep.add_argument("--keep-db", action="store_true",
                      help="reuse the bench database whatever it holds")
    keep.add_argument("--fresh", action="store_true",
                      help="recreate the bench database even when it holds seed_scale's data")
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)}")
    setup(fresh=True if args.fresh else False if args.keep_db else None)
    options = {"rows": args.rows} if args.rows else {}
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    done = []
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        figures = dict(module.run(**options))
        key = figures.pop("key", name)
        figures["measured_at"] = time.strftime("%Y-%m-%d %H:%M")
        figures["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python " \
                             f"{platform.python_version()}"
        stored[key] = figures
        done.append((key, figures))
        RESULTS.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    print(markdown(done))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
