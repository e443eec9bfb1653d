"""``python manage.py seed_scale``: an installation at scale, for benchmarks and load tests.

One organisation of ``--members`` members (50,000 by default) with a few years of history from
``bench.generate`` (teams, manager line, role profiles, two years of conversations, check-ins,
plans, moves, openings, succession …), a finished health check answered by 80 % of its
members and scored by the real scoring service, tonight's metric snapshot (the leader
dashboard's figures), and ``--small-orgs`` organisations of 50
members each: the shape of an installation of hundreds of customers, one of them large.

Everything is bulk-inserted (``INSERT … SELECT`` in the database), so 50,000 members take a few
minutes. The generated organisations' slugs start with ``scale-``; a second run refuses unless
``--replace``, which deletes them first. The sign-in accounts (the big organisation's leader,
HR admin, a manager and an employee) get the published password ``BENCH_PASSWORD`` and a
verified address; nobody else can sign in.
"""

from __future__ import annotations

import resource
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from organizations.models import Membership, Organization, User
from organizations.tenancy import cross_organization

BENCH_PASSWORD = "trellis-bench"  # noqa: S105 (published on purpose, like the demo password)
PREFIX = "scale-"
BIG_SLUG = f"{PREFIX}big"
SMALL_MEMBERS = 50
#: Share of the big organisation's members who answered the health check.
RESPONDENT_SHARE = 0.8
CONVERSATION_DAYS = 730


def sign_ins(organization: Organization) -> dict[str, Membership]:
    """The big organisation's members to sign in as, by role: its chief executive (leader),
    its first HR admin, a manager with at least five reports (fewer in a tiny organisation) who
    is neither, and an employee (no reports, no HR or leader rights) who reports to that
    manager and has a role and a conversation."""
    base = Membership.objects_unscoped.filter(organization=organization, is_active=True)
    leader = base.filter(is_leader=True, manager__isnull=True).order_by("pk").first()
    hr = base.filter(is_hr_admin=True, is_leader=False, user__email__startswith="hr@").first()
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT m.manager_id FROM organizations_membership m
              JOIN organizations_membership b ON b.id = m.manager_id
             WHERE m.organization_id = %s AND m.is_active AND NOT b.is_hr_admin
               AND NOT b.is_leader AND b.is_active
             GROUP BY m.manager_id ORDER BY count(*) >= 5 DESC, m.manager_id LIMIT 1
        """, [organization.pk])
        manager_id = cursor.fetchone()[0]
        cursor.execute("""
            SELECT m.id FROM organizations_membership m
             WHERE m.organization_id = %s AND m.is_active AND NOT m.is_hr_admin
               AND NOT m.is_leader AND m.manager_id = %s
               AND NOT EXISTS (SELECT 1 FROM organizations_membership r WHERE r.manager_id = m.id)
               AND EXISTS (SELECT 1 FROM skills_memberrole mr WHERE mr.member_id = m.id)
               AND EXISTS (SELECT 1 FROM conversations_conversation c WHERE c.member_id = m.id)
             ORDER BY m.id LIMIT 1
        """, [organization.pk, manager_id])
        row = cursor.fetchone()
    employee = base.get(pk=row[0]) if row else base.filter(manager_id=manager_id).first()
    return {"employee": employee, "manager": base.get(pk=manager_id), "hr": hr,
            "leader": leader}


class Command(BaseCommand):
    help = (
        "Generate an installation at scale: one organisation of --members members with its "
        "history and a scored health check, and --small-orgs organisations of 50 members "
        f"(sign-in password “{BENCH_PASSWORD}”). Refuses to run twice unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=50_000,
                            help="members of the big organisation (default 50,000)")
        parser.add_argument("--small-orgs", type=int, default=200,
                            help="organisations of 50 members besides it (default 200)")
        parser.add_argument("--seed", type=int, default=1, help="seed of the generator")
        parser.add_argument("--replace", action="store_true",
                            help="delete the organisations a previous run generated first")
        parser.add_argument(
            "--force", action="store_true",
            help="Run even when DJANGO_DEBUG is false. The sign-in accounts share a published "
                 "password: never do this on an installation reachable by others.")

    def handle(self, *args, members: int, small_orgs: int, seed: int, replace: bool,
               force: bool, **options):
        from bench.generate import (
            MIN_MEMBERS,
            analyze_tables,
            generate_health_check,
            generate_organization,
        )

        if not settings.DEBUG and not force:
            raise CommandError(
                "DJANGO_DEBUG is false, so this looks like a production installation, and the "
                f"generated sign-ins have the published password “{BENCH_PASSWORD}”. "
                "Pass --force to seed it anyway.")
        if members < MIN_MEMBERS:
            raise CommandError(f"--members must be at least {MIN_MEMBERS}")
        self.started = time.perf_counter()
        existing = Organization.objects.filter(slug__startswith=PREFIX)
        if existing.exists():
            if not replace:
                raise CommandError(
                    f"This database already has {existing.count()} generated organisations "
                    f"({PREFIX}…); pass --replace to delete them and generate again.")
            self._replace(existing)

        big = generate_organization(members, seed=seed, slug=BIG_SLUG,
                                    conversation_days=CONVERSATION_DAYS, check_ins=True)
        org = big.organization
        self._stage(f"big organisation /o/{org.slug}/", members=big.members, teams=big.teams,
                    **self._counts(org))

        survey = generate_health_check(org, respondents=round(members * RESPONDENT_SHARE),
                                       seed=seed)
        self._stage("health check answered", respondents=survey.response_count,
                    answers=self._count("hr_admin_surveyanswer", org.pk))
        scored = time.perf_counter()
        self._score(org, survey)
        self._stage(f"health check scored in {time.perf_counter() - scored:.1f} s",
                    score_rows=self._count("hr_admin_surveyscore", org.pk))

        snapshot = time.perf_counter()
        figures = self._snapshot(org)
        self._stage(f"tonight's metric snapshot in {time.perf_counter() - snapshot:.1f} s",
                    figures=figures)

        for n in range(small_orgs):
            generate_organization(SMALL_MEMBERS, seed=seed + n + 1,
                                  slug=f"{PREFIX}small-{n + 1:03d}", analyze=False)
            if (n + 1) % 25 == 0 or n + 1 == small_orgs:
                self._stage(f"small organisations: {n + 1} of {small_orgs}",
                            members=(n + 1) * SMALL_MEMBERS)
        analyze_tables()
        self._stage("statistics refreshed")

        people = sign_ins(org)
        self._enable_sign_ins(list(people.values()))
        usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        self.stdout.write(self.style.SUCCESS(
            f"Done in {time.perf_counter() - self.started:.0f} s (peak memory {usage} MB). "
            f"Sign in at {settings.SITE_URL}/accounts/login/ with password {BENCH_PASSWORD}:"))
        for role, member in people.items():
            self.stdout.write(f"  {role:<9} {member.user.email}  {member.job_title}")

    # --- Steps ----------------------------------------------------------------------------------

    def _stage(self, what: str, **counts) -> None:
        figures = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in counts.items())
        self.stdout.write(f"[{time.perf_counter() - self.started:7.1f} s] {what}"
                          + (f": {figures}" if figures else ""))
        self.stdout.flush()

    def _replace(self, existing) -> None:
        """Delete the generated organisations and their people (accounts included).

        With ``session_replication_role = replica`` foreign keys are not checked, so each table
        is emptied of those rows in one statement instead of Django's cascade of millions of
        objects. Which tables, is read from the catalogue: every table with an
        ``organization_id``, and the tables without one that point at them (many-to-many
        links), at the organisations or at the accounts (email addresses, MFA, tokens …), and
        at those (email confirmations).
        """
        ids = list(existing.values_list("pk", flat=True))
        q = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            tenant_tables = self._tenant_tables(cursor)
            links = self._foreign_keys(cursor)  # (table, column, referenced table)
            outside = [(t, c, r) for t, c, r in links if t not in tenant_tables]
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("""
                CREATE TEMPORARY TABLE scale_users ON COMMIT DROP AS
                SELECT DISTINCT user_id AS id FROM organizations_membership
                 WHERE organization_id = ANY(%s)
            """, [ids])
            # Names come from the catalogue, quoted; the ids are parameters.
            user_tables = {(t, c) for t, c, r in outside if r == "organizations_user"}
            for table, column, referenced in outside:
                if referenced in tenant_tables:
                    sql = (f"DELETE FROM {q(table)} WHERE {q(column)} IN"  # noqa: S608
                           f" (SELECT id FROM {q(referenced)} WHERE organization_id = ANY(%s))")
                    cursor.execute(sql, [ids])
                elif referenced == "organizations_organization":
                    sql = f"DELETE FROM {q(table)} WHERE {q(column)} = ANY(%s)"  # noqa: S608
                    cursor.execute(sql, [ids])
                for parent, user_column in user_tables:
                    if referenced == parent and table != parent:
                        sql = (f"DELETE FROM {q(table)} WHERE {q(column)} IN"  # noqa: S608
                               f" (SELECT id FROM {q(parent)} WHERE {q(user_column)} IN"
                               " (SELECT id FROM scale_users))")
                        cursor.execute(sql)
            for table in sorted(tenant_tables):
                sql = f"DELETE FROM {q(table)} WHERE organization_id = ANY(%s)"  # noqa: S608
                cursor.execute(sql, [ids])
            for table, column in sorted(user_tables):
                sql = f"DELETE FROM {q(table)} WHERE {q(column)} IN (SELECT id FROM scale_users)"  # noqa: S608
                cursor.execute(sql)
            cursor.execute("DELETE FROM organizations_user WHERE id IN"
                           " (SELECT id FROM scale_users)")
            cursor.execute("DELETE FROM organizations_organization WHERE id = ANY(%s)", [ids])
        self._stage("previous run deleted", organisations=len(ids))

    @staticmethod
    def _tenant_tables(cursor) -> set[str]:
        cursor.execute("""
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
             WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace
               AND a.attname = 'organization_id' AND NOT a.attisdropped
        """)
        return {row[0] for row in cursor.fetchall()}

    @staticmethod
    def _foreign_keys(cursor) -> list[tuple[str, str, str]]:
        """Single-column foreign keys of the schema: (table, column, referenced table)."""
        cursor.execute("""
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text
              FROM pg_constraint c
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
               AND c.connamespace = current_schema()::regnamespace
        """)
        return sorted({(t.strip('"'), col, r.strip('"')) for t, col, r in cursor.fetchall()})

    def _score(self, org: Organization, survey) -> None:
        """Score the survey as the worker does: the application role, the organisation's
        scope, one transaction."""
        from hr_admin.services.health_scoring import survey_score
        from organizations import tenancy

        with tenancy.as_worker(org):
            survey_score(organization=org, survey=survey, final=True)

    def _snapshot(self, org: Organization) -> int:
        """Tonight's metric snapshot, as the nightly task takes it, so that the leader
        dashboard has figures to show."""
        from hr_admin.models import MetricSnapshot
        from hr_admin.services.metrics import organization_today, snapshot_take
        from organizations import tenancy

        day = organization_today(org)
        with tenancy.as_worker(org):
            snapshot_take(organization=org, day=day)
        return MetricSnapshot.objects_unscoped.filter(organization=org, day=day).count()

    def _enable_sign_ins(self, members: list[Membership]) -> None:
        password = make_password(BENCH_PASSWORD)
        users = [m.user for m in members]
        with transaction.atomic(), cross_organization(reason="scale data: sign-in accounts"):
            User.objects.filter(pk__in=[u.pk for u in users]).update(password=password)
            EmailAddress.objects.filter(user__in=users).delete()
            EmailAddress.objects.bulk_create([
                EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users])

    # --- Counting -------------------------------------------------------------------------------

    @staticmethod
    def _count(table: str, org_id: int) -> int:
        with connection.cursor() as cursor:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*) FROM {quoted} WHERE organization_id = %s", [org_id])  # noqa: S608
            return cursor.fetchone()[0]

    def _counts(self, org: Organization) -> dict[str, int]:
        return {name: self._count(table, org.pk) for name, table in (
            ("conversations", "conversations_conversation"),
            ("check_ins", "skills_checkin"),
            ("ratings", "skills_skillrating"),
            ("plan_actions", "careers_developmentaction"),
            ("moves", "hr_admin_move"))}
