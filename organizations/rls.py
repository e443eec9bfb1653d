"""PostgreSQL Row-Level Security for every tenant table.

After every ``migrate`` the policies are brought in line with the models, so a new tenant model is
protected without anyone remembering to write a migration for it. The policy admits a row when its
organisation is the transaction's ``app.current_org_id``, or when ``app.cross_org`` is on (see
``tenancy.cross_organization``). ``FORCE`` makes the rule hold for the tables' owner too; only a
superuser or a ``BYPASSRLS`` role escapes it, and the application role is neither.
"""

from django.conf import settings
from django.db import connections

from .tenancy import tenant_models

# Each setting is read in a scalar subquery: PostgreSQL evaluates it once per query (an
# InitPlan) instead of once per row, which on a scan of 50,000 memberships is most of its cost.
ORG_SETTING = "(SELECT NULLIF(current_setting('app.current_org_id', true), '')::bigint)"
CROSS_ORG = "(SELECT current_setting('app.cross_org', true) = 'on')"
USER_SETTING = "(SELECT NULLIF(current_setting('app.current_user_id', true), '')::bigint)"

# Extra read-only policies, by table: a user sees their own memberships in every organisation
# (to switch between them) and nothing else of those organisations.
SELF_READ_POLICIES = {
    "organizations_membership": f"user_id = {USER_SETTING}",
}


def tenant_tables() -> list[str]:
    return sorted(m._meta.db_table for m in tenant_models())


def policy_sql(table: str) -> list[str]:
    q = f'"{table}"'
    condition = f"(organization_id = {ORG_SETTING} OR {CROSS_ORG})"
    statements = [
        f"ALTER TABLE {q} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {q} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {q}",
        f"CREATE POLICY tenant_isolation ON {q} USING {condition} WITH CHECK {condition}",
    ]
    if table in SELF_READ_POLICIES:
        statements += [
            f"DROP POLICY IF EXISTS membership_self_read ON {q}",
            f"CREATE POLICY membership_self_read ON {q} FOR SELECT "
            f"USING ({SELF_READ_POLICIES[table]})",
        ]
    return statements


def grant_sql(role: str) -> list[str]:
    """Privileges of the application role: data only, never ownership or DDL."""
    r = f'"{role}"'
    return [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}",
    ]


def sync_row_level_security(sender=None, using="default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    # post_migrate fires once per app; do the work once, after the last app.
    if sender is not None and sender.label != _last_app_label():
        return
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for table in tenant_tables():
            if table not in existing:
                continue
            for statement in policy_sql(table):
                cursor.execute(statement)
        role = settings.DATABASE_APP_ROLE or settings.DATABASE_APP_ROLE_GRANT
        if role:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                # Roles belong to the cluster: another database migrating at the same moment
                # (parallel test processes) may create it first.
                cursor.execute(
                    f'DO $$ BEGIN CREATE ROLE "{role}" '
                    "NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; "
                    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
                )
            if settings.DATABASE_APP_ROLE:
                # The owner connection switches to the role per transaction (SET LOCAL ROLE).
                cursor.execute("SELECT current_user")
                owner = cursor.fetchone()[0]
                cursor.execute(f'GRANT "{role}" TO "{owner}"')
            for statement in grant_sql(role):
                cursor.execute(statement)


def _last_app_label() -> str:
    from django.apps import apps

    # post_migrate is sent only for apps that have a models module.
    return [a for a in apps.get_app_configs() if a.models_module is not None][-1].label
