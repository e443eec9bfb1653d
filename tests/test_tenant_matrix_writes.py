"""The cross-tenant matrix for writes: another organisation's ids change nothing.

For every organisation route, every write it takes is sent by globex's four roles with acme's
ids in the URL, twice: under acme's slug, and under globex's own slug (for routes that name an
object). Pages get a POST; API routes get each of POST, PUT, PATCH and DELETE that their view
implements. (A page under acme's slug is sent by one role each, in turn: the tenant middleware
turns it away before any view runs.) Bodies are plausible, so that a view which forgot a check
would get as far as writing: API bodies are built from the operation's request schema
(drf-spectacular), page bodies from the fields of every form of the project; ids in a body are
acme's too.

Every answer must be 404, and the database must be exactly as before: every table's row count
and a checksum of its contents are taken in one query before and after the whole sweep. A 404
sends no email and queues no task either.
"""

import datetime
import json
from collections import Counter

import pytest
from django import forms
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests.routes import ID_SOURCES, fill, names_an_object, tenant_routes, write_methods

pytestmark = pytest.mark.django_db

# Tables a request may write whatever its answer, and why that is no leak.
UNCOMPARED_TABLES = {
    "django_session": "the caller's own session",
}

MEMBER_FIELDS = {"member", "members", "candidate", "nominee", "partner", "subject", "owner",
                 "manager", "recipient", "incumbent", "mentor", "coach", "participants"}


# --- The database, in one query -----------------------------------------------------------------


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                       "ORDER BY tablename")
        return [name for (name,) in cursor.fetchall() if name not in UNCOMPARED_TABLES]


def snapshot(tables: list[str]) -> dict[str, tuple[int, str]]:
    """``{table: (rows, md5 of every row's text in order)}``, in one round trip, as the tables'
    owner (Row-Level Security does not hide rows from it)."""
    quote = connection.ops.quote_name
    parts = [
        f"SELECT {i}, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f"FROM {quote(name)} t"
        for i, name in enumerate(tables)
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user = session_user")
        assert cursor.fetchone()[0], "snapshot must be taken as the tables' owner"
        cursor.execute(" UNION ALL ".join(parts))
        return {tables[i]: (count, digest) for i, count, digest in cursor.fetchall()}


# --- Plausible bodies -------------------------------------------------------------------------


def _id_for(name: str, ids: dict, *, many: bool = False):
    """Acme's id for a body field called ``name`` (``skill``, ``to_role``, ``members`` …)."""
    base = name.removesuffix("_id").removesuffix("_ids")
    if many and base.endswith("s") and f"{base}_id" not in ids:
        base = base[:-1]
    for candidate in (base, base.rsplit("_", 1)[-1]):
        if f"{candidate}_id" in ids:
            return ids[f"{candidate}_id"]
        if candidate in MEMBER_FIELDS or f"{candidate}s" in MEMBER_FIELDS:
            return ids["member_id"]
    return None


class SchemaBodies:
    """JSON bodies from the OpenAPI document: every property of the operation's request
    schema, with a value of its type (acme's id for a reference)."""

    def __init__(self, ids: dict):
        from drf_spectacular.generators import SchemaGenerator

        self.document = SchemaGenerator().get_schema(request=None, public=True)
        self.ids = ids

    def _resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.document["components"]["schemas"][name]
        for combined in ("allOf", "oneOf", "anyOf"):
            if combined in schema and "type" not in schema and "enum" not in schema:
                schema = {**self._resolve(schema[combined][0]),
                          **{k: v for k, v in schema.items() if k != combined}}
        return schema

    def value(self, name: str, schema: dict, depth: int = 0):
        schema = self._resolve(schema)
        if "enum" in schema:
            choices = [c for c in schema["enum"] if c not in (None, "")]
            return choices[0] if choices else None
        kind, fmt = schema.get("type"), schema.get("format")
        if kind == "integer":
            found = _id_for(name, self.ids)
            return found if found is not None else max(1, schema.get("minimum", 1))
        if kind == "number":
            return max(1, schema.get("minimum", 1))
        if kind == "boolean":
            return True
        if kind == "array":
            item = self.value(name, schema.get("items", {}), depth + 1)
            if isinstance(item, int):
                item = _id_for(name, self.ids, many=True) or item
            return [] if item is None else [item]
        if kind == "object" or "properties" in schema:
            if depth > 3:
                return {}
            return {key: self.value(key, sub, depth + 1)
                    for key, sub in schema.get("properties", {}).items()
                    if not sub.get("readOnly") and sub.get("format") != "binary"}
        if fmt == "date":
            return timezone.localdate().isoformat()
        if fmt == "date-time":
            return (timezone.now() + datetime.timedelta(days=3)).isoformat()
        if fmt == "email":
            return "matrix-write@globex.test"
        if fmt in ("uri", "url"):
            return "https://example.com/matrix"
        if fmt == "decimal":
            return "1.0"
        return "Matrix write"

    def body(self, route: str, method: str) -> dict:
        path = "/" + route.replace("<slug:org_slug>", "{org_slug}")
        for kind in ("int", "str", "slug", "path"):
            path = path.replace(f"<{kind}:", "{")
        path = path.replace(">", "}")
        operation = self.document["paths"].get(path, {}).get(method.lower(), {})
        content = operation.get("requestBody", {}).get("content", {})
        schema = (content.get("application/json") or content.get("multipart/form-data")
                  or {}).get("schema")
        return self.value("body", schema) if schema else {}


def _form_classes():
    pending, seen = [forms.BaseForm], []
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            app = sub.__module__.split(".", 1)[0]
            if app in ("organizations", "skills", "careers", "conversations", "hr_admin"):
                seen.append(sub)
    return seen


def form_body(victim, ids: dict) -> dict:
    """One form body with a plausible value for every field of every form of the project
    (where two forms share a name, the first one's); a choice of rows is one of acme's."""
    body, model_ids = {}, {}
    for form_class in _form_classes():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if name in body or isinstance(field, forms.FileField):
                continue
            many = isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField)
            if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
                # The choices are set per organisation when the form is made: go by the name.
                value = _id_for(name, ids, many=many)
                if value is not None:
                    body[name] = [value] if many else value
            elif isinstance(field, forms.ModelChoiceField):
                model = field.queryset.model
                if model not in model_ids:
                    manager = getattr(model, "objects_unscoped", None)
                    model_ids[model] = manager and (
                        manager.filter(organization=victim.org).order_by("pk")
                        .values_list("pk", flat=True).first())
                value = model_ids[model]
                if value is not None:
                    body[name] = [value] if many else value
            elif isinstance(field, forms.BooleanField):
                body[name] = "on"
            elif isinstance(field, forms.ChoiceField):
                choices = [value for value, _label in getattr(field, "choices", [])
                           if value not in ("", None) and not isinstance(_label, list | tuple)]
                if choices:
                    body[name] = [choices[0]] if many else choices[0]
            elif isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
                body[name] = max(1, field.min_value or 1)
            elif isinstance(field, forms.DateTimeField):
                body[name] = (timezone.localtime() + datetime.timedelta(days=3)).strftime(
                    "%Y-%m-%dT%H:%M")
            elif isinstance(field, forms.DateField):
                body[name] = timezone.localdate().isoformat()
            elif isinstance(field, forms.EmailField):
                body[name] = "matrix-write@globex.test"
            elif isinstance(field, forms.URLField):
                body[name] = "https://example.com/matrix"
            elif isinstance(field, forms.JSONField):
                body[name] = "{}"
            else:
                body[name] = "Matrix write"
    return body


# --- The sweep --------------------------------------------------------------------------------


def send(client, method: str, url: str, body, *, api: bool):
    if not api:
        return client.post(url, body)
    call = getattr(client, method.lower())
    return call(url, json.dumps(body), content_type="application/json",
                HTTP_ACCEPT="application/json")


def test_no_write_with_another_organisations_ids_answers_anything_but_404_or_changes_anything(
        people, other_people, login, capsys, django_capture_on_commit_callbacks):
    # Given acme's objects of every kind, and plausible bodies naming them
    ids = ID_SOURCES(people)
    routes = tenant_routes()
    schema_bodies = SchemaBodies(ids)
    page_body = form_body(people, ids)
    roles = list(other_people.by_role())
    attempts, pages_under_acme = [], 0
    for route, pattern in routes:
        api = route.startswith("api/")
        for method in write_methods(pattern):
            body = schema_bodies.body(route, method) if api else page_body
            if api:
                attempts.append((roles, method, fill(route, {**ids, "org_slug": people.org.slug}),
                                 body, api))
            else:
                # A page under acme's slug is turned away by the tenant middleware before any
                # view runs, whoever asks (and the GET matrix POSTs to each as every role):
                # each is sent once here, by each role in turn.
                attempts.append(([roles[pages_under_acme % len(roles)]], method,
                                 fill(route, {**ids, "org_slug": people.org.slug}), body, api))
                pages_under_acme += 1
            if names_an_object(route, ids):
                attempts.append((roles, method,
                                 fill(route, {**ids, "org_slug": other_people.org.slug}),
                                 body, api))
    assert len(attempts) >= 100, "route discovery found suspiciously few writes"
    # Signing in writes (last login, the session): done before the first snapshot.
    clients = {role: login(member) for role, member in other_people.by_role().items()}
    tables = _tables()
    before = snapshot(tables)

    # When globex's roles send every one of them
    offenders, requests = [], Counter()
    with django_capture_on_commit_callbacks() as queued:
        for role, client in clients.items():
            for senders, method, url, body, api in attempts:
                if role not in senders:
                    continue
                try:
                    status = send(client, method, url, body, api=api).status_code
                except Exception as error:  # a server error is an offender too
                    status = f"{type(error).__name__}: {error}"
                requests[("API " if api else "page ") + method] += 1
                if status != 404:
                    offenders.append((role, method, url, status))
    after = snapshot(tables)

    # Then every answer was 404, and nothing at all changed
    changed = sorted(name for name in tables if before[name] != after[name])
    with capsys.disabled():
        print(f"\ncross-tenant writes: {len(routes)} routes, {len(attempts)} writes, "
              f"{sum(requests.values())} requests from 4 roles "
              f"({', '.join(f'{k} {v}' for k, v in sorted(requests.items()))}), "
              f"{len(tables)} tables compared, {len(offenders)} not 404, "
              f"{len(changed)} tables changed")
    assert offenders == [], "\n".join(map(str, offenders))
    assert changed == [], {name: (before[name], after[name]) for name in changed}
    assert mail.outbox == []
    assert queued == []
