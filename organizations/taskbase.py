"""Tenancy for Celery tasks: every task names its organisation first and runs inside it."""

import functools

from . import tenancy


def tenant_task(func):
    """Run a task body in one transaction scoped to ``organization_id`` (its first argument).

    Security invariant: the ORM scope and the database's Row-Level Security context are both the
    task's organisation for the whole body, and are cleared when it ends. Tasks marked with this
    decorator carry ``tenancy = "organization"``; the architecture test requires every task to
    declare its tenancy.
    """

    @functools.wraps(func)
    def wrapper(self, organization_id, *args, **kwargs):
        with tenancy.as_worker(organization_id):
            return func(self, organization_id, *args, **kwargs)

    wrapper.tenancy = "organization"
    return wrapper


def declares_tenancy(kind: str):
    """Mark a task that is not ``tenant_task``-wrapped with its tenancy ("organization" when
    it scopes itself per organisation, "global" for a beat fan-out); the architecture test
    requires every task to declare one."""

    def mark(func):
        func.tenancy = kind
        return func

    return mark

