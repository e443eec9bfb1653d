"""Rules that keep the architecture honest, checked over the whole code base."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from organizations import tenancy
from organizations.factories import InvitationFactory, TeamFactory
from organizations.models import Membership
from organizations.rls import tenant_tables
from organizations.tenancy import TenantModel

ROOT = Path(__file__).resolve().parent.parent
APP_ORDER = ["organizations", "skills", "careers", "conversations", "hr_admin"]


def test_every_model_with_an_organisation_is_a_tenant_model():
    offenders = [
        m.__name__
        for m in apps.get_models()
        if any(f.name == "organization" for f in m._meta.get_fields())
        and not issubclass(m, TenantModel)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_every_tenant_table_has_a_forced_policy():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname"
            "         AND p.policyname = 'tenant_isolation')"
            " FROM pg_class c WHERE c.relname = ANY(%s) AND c.relkind = 'r'",
            [tenant_tables()],
        )
        rows = {r[0]: r[1:] for r in cursor.fetchall()}
    assert set(rows) == set(tenant_tables())
    unprotected = {table: row for table, row in rows.items() if row != (True, True, True)}
    assert unprotected == {}


@pytest.mark.django_db
def test_application_role_cannot_bypass_row_level_security():
    role = settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        assert cursor.fetchone() == (False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = ANY(%s) AND tableowner = %s",
            [tenant_tables(), role],
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_raw_sql_without_an_organisation_returns_no_rows_as_the_application_role(
    people, other_people
):
    TeamFactory(organization=people.org)
    InvitationFactory(organization=people.org)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        owner_counts = {}
        for table in tenant_tables():
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")
            owner_counts[table] = cursor.fetchone()[0]
        cursor.execute(f"SET LOCAL ROLE {quote(settings.DATABASE_APP_ROLE)}")
        try:
            app_counts = {}
            for table in tenant_tables():
                cursor.execute(f"SELECT count(*) FROM {quote(table)}")
                app_counts[table] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT set_config('app.current_org_id', %s, true)", [str(people.org.pk)]
            )
            cursor.execute("SELECT count(*) FROM organizations_membership")
            acme_members = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM organizations_membership WHERE organization_id = %s",
                [other_people.org.pk],
            )
            globex_seen_from_acme = cursor.fetchone()[0]
        finally:
            cursor.execute("RESET ROLE")
    assert owner_counts["organizations_membership"] == 8
    assert app_counts == dict.fromkeys(tenant_tables(), 0)
    assert acme_members == 4
    assert globex_seen_from_acme == 0


@pytest.mark.django_db
def test_tenant_manager_refuses_to_run_without_a_scope(people):
    with pytest.raises(tenancy.TenantScopeError):
        list(Membership.objects.all())


@pytest.mark.django_db
def test_scope_limits_rows_to_the_organisation_in_scope(people, other_people):
    with tenancy.organization_scope(people.org):
        emails = set(Membership.objects.values_list("user__email", flat=True))
    assert emails == {"employee@acme.test", "manager@acme.test", "hr@acme.test", "leader@acme.test"}


def test_every_celery_task_declares_its_tenancy():
    from config.celery import app

    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.split(".")[0] in APP_ORDER}
    assert ours, "no tasks found"
    undeclared = [
        name
        for name, task in ours.items()
        if getattr(task.run, "tenancy", None) not in ("organization", "global")
    ]
    assert undeclared == []


def test_apps_never_import_from_an_app_to_their_right():
    violations = []
    for i, app in enumerate(APP_ORDER):
        forbidden = set(APP_ORDER[i + 1 :])
        for path in (ROOT / app).rglob("*.py"):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                for name in names:
                    if name.split(".")[0] in forbidden:
                        violations.append(f"{path.relative_to(ROOT)} imports {name}")
    assert violations == []
