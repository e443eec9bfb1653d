"""Tenant scope: which organisation the current request or task works on.

Two layers hold the same rule:

* the ORM: ``TenantManager`` (the default manager of every tenant model) filters on the organisation
  in scope and refuses to run at all when none is, so a forgotten filter fails loudly instead of
  reading every organisation's rows;
* PostgreSQL Row-Level Security: ``db_context`` sets ``app.current_org_id`` (and the user id)
  with ``set_config(..., true)``, which lasts for the current transaction only, so a pooled
  connection cannot carry one request's organisation into the next.

``cross_organization`` is the one deliberate escape hatch, for operator work (the Django admin,
management commands, periodic fan-out). Grep for it when reviewing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction

_current_org_id: ContextVar[int | None] = ContextVar("trellis_current_org_id", default=None)
_cross_org: ContextVar[bool] = ContextVar("trellis_cross_org", default=False)


class TenantScopeError(RuntimeError):
    """A tenant model was queried with no organisation in scope."""


def current_org_id() -> int | None:
    return _current_org_id.get()


def is_cross_organization() -> bool:
    return _cross_org.get()


# --- Database context (Row-Level Security) ------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def db_context(*, org_id: int | None, user_id: int | None = None, cross_org: bool = False) -> None:
    """Set the Row-Level Security context for the rest of the current transaction.

    Must be called inside ``transaction.atomic``: ``set_config(..., true)`` is transaction-local,
    which is what keeps a pooled connection from leaking the organisation into the next request.
    """
    if not _is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.current_org_id', %s, true),"
            " set_config('app.current_user_id', %s, true),"
            " set_config('app.cross_org', %s, true)",
            [
                "" if org_id is None else str(org_id),
                "" if user_id is None else str(user_id),
                "on" if cross_org else "off",
            ],
        )


def db_set_org(org_id: int | None) -> None:
    """Change only the organisation of the current transaction's context."""
    if not _is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.current_org_id', %s, true)",
            ["" if org_id is None else str(org_id)],
        )


def db_enter_app_role() -> bool:
    """Switch an owner connection to the application role for this transaction.

    Only used where ``DATABASE_APP_ROLE`` is set (the test suite, and deployments that share one
    login); production normally logs in as the application role directly.
    """
    role = settings.DATABASE_APP_ROLE
    if not role or not _is_postgres():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {connection.ops.quote_name(role)}")
    return True


def db_leave_app_role() -> None:
    if not settings.DATABASE_APP_ROLE or not _is_postgres():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    except DatabaseError:
        # The transaction is already aborted and will be rolled back, role and all.
        pass


def db_reset_context() -> None:
    if not _is_postgres():
        return
    with suppress(DatabaseError):
        db_context(org_id=None)


@contextmanager
def _as_application() -> Iterator[None]:
    with transaction.atomic():
        switched = db_enter_app_role()
        try:
            yield
        finally:
            if switched:
                db_leave_app_role()


@contextmanager
def as_worker(organization_or_id) -> Iterator[None]:
    """One transaction as a worker runs a task: the application role (so that Row-Level
    Security applies) and one organisation's scope, both undone at the end."""
    with _as_application(), organization_scope(organization_or_id):
        yield


@contextmanager
def as_worker_across_organizations(reason: str) -> Iterator[None]:
    """One transaction as a scheduled fan-out reads every organisation: the application role
    and ``cross_organization(reason)``."""
    with _as_application(), cross_organization(reason=reason):
        yield


# --- ORM scope ----------------------------------------------------------------------------------


@contextmanager
def organization_scope(organization_or_id) -> Iterator[None]:
    """Scope ORM and database reads and writes to one organisation.

    Sets both the ``ContextVar`` that ``TenantManager`` filters on and, on PostgreSQL, the
    transaction's ``app.current_org_id``. Restores the previous scope on exit.
    """
    org_id = getattr(organization_or_id, "pk", organization_or_id)
    previous = _current_org_id.get()
    token = _current_org_id.set(org_id)
    db_set_org(org_id)
    try:
        yield
    finally:
        _current_org_id.reset(token)
        # An aborted transaction will be rolled back with its settings anyway.
        with suppress(DatabaseError):
            db_set_org(previous)


@contextmanager
def cross_organization(reason: str) -> Iterator[None]:
    """Escape hatch: read and write every organisation's rows.

    Security invariant: only operator code (Django admin, management commands, scheduled
    fan-out that then enters one organisation's scope per task) may call this. It switches off
    both the ORM scope check and, through ``app.cross_org``, the database policies for the rest of
    the transaction. ``reason`` is mandatory so that every use explains itself at the call site.
    """
    if not reason:
        raise ValueError("cross_organization needs a reason")
    token = _cross_org.set(True)
    if _is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.cross_org', 'on', true)")
    try:
        yield
    finally:
        _cross_org.reset(token)
        if _is_postgres():
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('app.cross_org', 'off', true)")
            except DatabaseError:
                pass


def activate_request_scope(org_id: int | None) -> object:
    """Set the ORM scope for the rest of a request; returns a token for ``deactivate``."""
    return _current_org_id.set(org_id)


def deactivate_request_scope(token) -> None:
    _current_org_id.reset(token)


def activate_cross_org() -> object:
    return _cross_org.set(True)


def deactivate_cross_org(token) -> None:
    _cross_org.reset(token)


# --- Managers -----------------------------------------------------------------------------------


class TenantQuerySet(models.QuerySet):
    def for_org(self, organization) -> TenantQuerySet:
        return self.filter(organization=organization)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """Default manager of tenant models: scoped to the organisation in scope, or refuses.

    Security invariant: every queryset it returns is filtered on the organisation set by
    ``organization_scope`` (per request and per task). With no scope it raises
    ``TenantScopeError`` rather than return every organisation's rows.
    """

    def get_queryset(self) -> TenantQuerySet:
        qs = super().get_queryset()
        if _cross_org.get():
            return qs
        org_id = _current_org_id.get()
        if org_id is None:
            raise TenantScopeError(
                f"{self.model.__name__} queried with no organisation in scope: use "
                f"{self.model.__name__}.objects.for_org(org) or organization_scope(org)."
            )
        return qs.filter(organization_id=org_id)

    def for_org(self, organization) -> TenantQuerySet:
        """Rows of one named organisation, whatever the ambient scope (which must agree)."""
        org_id = getattr(organization, "pk", organization)
        scoped = _current_org_id.get()
        if scoped is not None and scoped != org_id and not _cross_org.get():
            raise TenantScopeError(
                f"{self.model.__name__}.for_org({org_id}) inside the scope of organisation {scoped}"
            )
        return self._queryset_class(self.model, using=self._db).filter(organization_id=org_id)


class TenantModel(models.Model):
    """Base of every row owned by one organisation.

    The organisation foreign key is non-null and indexed; ``rls.sync_row_level_security`` gives
    each concrete subclass's table a forced policy after every migration.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+", db_index=True
    )

    objects = TenantManager()
    # Deliberate cross-organisation access (admin, commands). Grep for it when reviewing.
    objects_unscoped = models.Manager()

    class Meta:
        abstract = True


def tenant_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models()
        if issubclass(m, TenantModel) and not m._meta.abstract and not m._meta.proxy
    ]
