"""``make backup`` and ``make restore``: a backup restored into a new database has every row back.

The real ``bin/backup`` dumps the test database (data committed by factories across every app) and
the real ``bin/restore`` loads it into a database of its own, created for the test and dropped
after it. Every table is compared, row count and content checksum, and so are the sequences, the
Row-Level Security policies and the application role's privileges.
"""

import os
import subprocess
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from careers.factories import OptionRatingFactory
from conversations.factories import (
    AgreedActionFactory,
    NotificationPreferenceFactory,
    OutcomeFactory,
    ReminderDeliveryFactory,
)
from organizations.services import api_token_create
from skills.factories import SkillLevelDescriptorFactory
from tests.routes import ID_SOURCES

# The backup is taken by another process: the data must be committed.
committed = pytest.mark.django_db(transaction=True)

BIN = Path(settings.BASE_DIR) / "bin"
APP_ROLE = "trellis_app"

TABLES = """
    SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
"""
SEQUENCES = """
    SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'
    ORDER BY sequencename
"""
POLICIES = """
    SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies
    WHERE schemaname = 'public' ORDER BY tablename, policyname
"""
FORCED_RLS = """
    SELECT relname FROM pg_class JOIN pg_namespace n ON n.oid = relnamespace
    WHERE nspname = 'public' AND relrowsecurity AND relforcerowsecurity ORDER BY relname
"""
APP_ROLE_GRANTS = """
    SELECT table_name, privilege_type FROM information_schema.role_table_grants
    WHERE grantee = %s ORDER BY table_name, privilege_type
"""


def connect(database: str):
    params = {**connection.get_connection_params(), "dbname": database}
    params.pop("database", None)
    params.pop("cursor_factory", None)
    return psycopg2.connect(**params)


def url_of(database: str) -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{database}"


def run(script: str, *args: str, database: str | None) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database is not None:
        environment["DATABASE_URL"] = url_of(database)
    return subprocess.run(  # noqa: S603 - our own scripts
        [str(BIN / script), *args], env=environment, capture_output=True, text=True, timeout=120)


def inventory(database: str) -> dict:
    """What a restore must bring back: per table its row count and a checksum of its rows."""
    with connect(database) as conn, conn.cursor() as cursor:
        cursor.execute(TABLES)
        tables = {}
        for (table,) in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*), md5(coalesce(string_agg(t::text, \'\' ORDER BY t::text), \'\'))'
                f' FROM public."{table}" t'
            )
            tables[table] = cursor.fetchone()
        found = {"tables": tables}
        for name, sql, params in (("sequences", SEQUENCES, ()), ("policies", POLICIES, ()),
                                  ("forced_rls", FORCED_RLS, ()),
                                  ("grants", APP_ROLE_GRANTS, (APP_ROLE,))):
            cursor.execute(sql, params)
            found[name] = cursor.fetchall()
    conn.close()
    return found


@pytest.fixture
def fresh_database():
    """An empty database of this test's own, dropped afterwards."""
    name = f"trellis_restore_test_{os.getpid()}"
    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def data_in_every_app(people, other_people):
    ID_SOURCES(people)
    ID_SOURCES(other_people)
    OutcomeFactory(conversation__member=people.employee, conversation__partner=people.manager)
    AgreedActionFactory(conversation__member=people.employee,
                        conversation__partner=people.manager)
    ReminderDeliveryFactory(conversation__member=people.employee,
                            conversation__partner=people.manager)
    NotificationPreferenceFactory(member=people.employee)
    OptionRatingFactory(option__member=people.employee)
    SkillLevelDescriptorFactory(skill__framework__organization=people.org)
    api_token_create(user=people.hr.user, name="HRIS sync")


@committed
def test_a_backup_restored_into_a_new_database_has_every_row_back(
    data_in_every_app, fresh_database, tmp_path, capsys
):
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "trellis.dump"

    backed_up = run("backup", "--file", str(dump), database=source)
    assert backed_up.returncode == 0, backed_up.stderr
    assert dump.stat().st_size > 0 and not dump.with_name("trellis.dump.partial").exists()

    restored = run("restore", str(dump), database=fresh_database)
    assert restored.returncode == 0, restored.stderr

    before, after = inventory(source), inventory(fresh_database)
    rows = sum(count for count, _checksum in before["tables"].values())
    filled = [table for table, (count, _checksum) in before["tables"].items() if count]
    with capsys.disabled():
        print(f"\nbackup and restore: {len(before['tables'])} tables ({len(filled)} with rows), "
              f"{rows} rows, "
              f"{len(before['sequences'])} sequences and {len(before['policies'])} policies "
              "compared")
    assert after["tables"] == before["tables"]
    assert len(filled) >= 60, f"the test data fills too few tables to prove much: {filled}"
    assert after["sequences"] == before["sequences"]
    assert after["policies"] == before["policies"]
    assert ("organizations_membership",) in after["forced_rls"]
    assert after["forced_rls"] == before["forced_rls"]
    assert after["grants"] == before["grants"] and after["grants"]


@committed
def test_the_restored_database_keeps_each_organisation_to_itself(
    data_in_every_app, people, fresh_database, tmp_path
):
    dump = tmp_path / "trellis.dump"
    assert run("backup", "--file", str(dump), database=connection.settings_dict["NAME"]
               ).returncode == 0
    assert run("restore", str(dump), database=fresh_database).returncode == 0

    # As the application role, with acme's organisation set, as a request would see it.
    with connect(fresh_database) as conn, conn.cursor() as cursor:
        cursor.execute(f'SET ROLE "{APP_ROLE}"')
        cursor.execute("SELECT set_config('app.current_org_id', %s, true)", [str(people.org.pk)])
        cursor.execute("SELECT DISTINCT organization_id FROM careers_careergoal")
        visible = cursor.fetchall()
        cursor.execute("SELECT set_config('app.current_org_id', '', true)")
        cursor.execute("SELECT count(*) FROM careers_careergoal")
        without_organisation = cursor.fetchone()[0]
    conn.close()
    assert visible == [(people.org.pk,)]
    assert without_organisation == 0


@committed
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    data_in_every_app, fresh_database, tmp_path
):
    dump = tmp_path / "trellis.dump"
    assert run("backup", "--file", str(dump), database=connection.settings_dict["NAME"]
               ).returncode == 0
    assert run("restore", str(dump), database=fresh_database).returncode == 0
    with connect(fresh_database) as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM careers_careergoal")
    conn.close()

    refused = run("restore", str(dump), database=fresh_database)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "FORCE=1" in refused.stderr
    assert inventory(fresh_database)["tables"]["careers_careergoal"][0] == 0

    forced = run("restore", "--force", str(dump), database=fresh_database)
    assert forced.returncode == 0, forced.stderr
    assert inventory(fresh_database)["tables"] == inventory(
        connection.settings_dict["NAME"])["tables"]


def test_backup_says_it_needs_postgresql_when_trellis_runs_on_sqlite(tmp_path):
    unset = run("backup", "--file", str(tmp_path / "x.dump"), database=None)
    environment = {**os.environ, "DATABASE_URL": "sqlite:///db.sqlite3"}
    sqlite = subprocess.run(  # noqa: S603 - our own script
        [str(BIN / "backup"), "--file", str(tmp_path / "x.dump")], env=environment,
        capture_output=True, text=True, timeout=60)

    for result in (unset, sqlite):
        assert result.returncode != 0
        assert "PostgreSQL" in result.stderr and "db.sqlite3" in result.stderr
    assert not (tmp_path / "x.dump").exists()
