"""Indexes of the people directory: its order (last name, first name) everywhere, and on
PostgreSQL trigram indexes for "contains" searches of names and emails.

Django's ``icontains`` compares ``UPPER(column::text)``, so the trigram indexes are on that
expression. pg_trgm is a trusted extension: the database owner that runs migrations may create
it. SQLite (the embedded default) searches without them. Job titles have none: memberships are
under Row-Level Security, whose policy must be checked before a (not leakproof) LIKE, so an
index on them would never be used; they are matched in the pass over the organisation's members.
"""

from django.db import migrations, models

SEARCHED = [
    ("organizations_user", "first_name", "user_first_name_trgm"),
    ("organizations_user", "last_name", "user_last_name_trgm"),
    ("organizations_user", "email", "user_email_trgm"),
]


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0004_user_session"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["last_name", "first_name", "id"], name="user_name_order"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
