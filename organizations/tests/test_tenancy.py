import pytest
from django.db import connection

from organizations import tenancy
from organizations.models import Membership
from organizations.rls import tenant_tables

pytestmark = pytest.mark.django_db


def test_tenant_manager_refuses_to_run_without_a_scope(people):
    with pytest.raises(tenancy.TenantScopeError):
        list(Membership.objects.all())


def test_scope_limits_rows_to_the_organisation_in_scope(people, other_people):
    with tenancy.organization_scope(people.org):
        emails = set(Membership.objects.values_list("user__email", flat=True))
    assert emails == {"employee@acme.test", "manager@acme.test", "hr@acme.test",
                      "leader@acme.test"}


def test_every_tenant_table_has_a_forced_policy():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " EXISTS (SELECT 1 FROM pg_policies p WHERE p.tablename = c.relname"
            "         AND p.policyname = 'tenant_isolation')"
            " FROM pg_class c WHERE c.relname = ANY(%s)",
            [tenant_tables()],
        )
        rows = {r[0]: r[1:] for r in cursor.fetchall()}
    assert set(rows) == set(tenant_tables())
    assert all(row == (True, True, True) for row in rows.values()), rows


def test_app_role_sees_no_rows_without_an_organisation(people, other_people, settings):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE %s" % settings.DATABASE_APP_ROLE)
        cursor.execute("SELECT count(*) FROM organizations_membership")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT set_config('app.current_org_id', %s, true)", [str(people.org.pk)])
        cursor.execute("SELECT count(*) FROM organizations_membership")
        assert cursor.fetchone()[0] == 4
        cursor.execute("RESET ROLE")
