"""Celery tasks of hr_admin: thin, ids in, ``organization_id`` first, idempotent.

``people_import_apply`` does not run in one ``tenant_task`` transaction: it commits a chunk of
rows at a time (each chunk in the organisation's scope and database context, see
``services.people_import``), so that the page can show its progress and a crash keeps what was
done. Its time limit is far above the default, for files of tens of thousands of people.
"""

from contextlib import suppress

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, OperationalError
from django.utils.translation import gettext as _

from organizations.taskbase import declares_tenancy

from .services import people_import as services

# A database that went away, or a row that another writer created between the check and the
# write (an account, a team): the next attempt compares the file with the database again.
TRANSIENT = (OperationalError, IntegrityError)
MAX_RETRIES = 3
IMPORT_LIMITS = {"soft_time_limit": 1740, "time_limit": 1800}
# A run whose lock another session holds is tried again 5 s, 10 s, 20 s … (at most 5 minutes)
# later, for longer in all than a run may take (its time limit).
HELD_RETRIES = 12



def _stopped(organization_id: int, import_id: int, error: str) -> None:
    # Best effort: the database may be what failed; the run then stays "applying" and the next
    # delivery of the task takes it over.
    with suppress(Exception):
        services.people_import_fail(organization_id=organization_id, import_id=import_id,
                                    error=error)


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, **IMPORT_LIMITS)
@declares_tenancy("organization")
def people_import_apply(self, organization_id: int, import_id: int) -> bool:
    """Apply a queued people import. Returns whether this run applied it (False when it was
    already applied or discarded); tried again later while another session holds the run."""
    try:
        return services.people_import_run(organization_id=organization_id, import_id=import_id)
    except services.ImportHeld as held:
        raise self.retry(exc=held, countdown=min(300, 5 * 2 ** self.request.retries),
                         max_retries=HELD_RETRIES) from held
    except TRANSIENT as error:
        if self.request.retries < MAX_RETRIES:
            raise self.retry(exc=error, countdown=5 * 2 ** self.request.retries) from error
        _stopped(organization_id, import_id,
                 _("The import stopped after several attempts (%(error)s). What was applied "
                   "stays; check the file again and apply it to finish.")
                 % {"error": type(error).__name__})
        raise
    except SoftTimeLimitExceeded:
        _stopped(organization_id, import_id,
                 _("The import took too long and was stopped. What was applied stays; check "
                   "the file again and apply it to finish."))
        raise
    except Exception as error:
        _stopped(organization_id, import_id,
                 _("An unexpected error stopped the import (%(error)s). What was applied "
                   "stays; check the file again and apply it to finish.")
                 % {"error": type(error).__name__})
        raise

@shared_task(bind=True, acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True,
             max_retries=MAX_RETRIES, soft_time_limit=120, time_limit=180)
@declares_tenancy("global")
def people_import_recover_scan(self) -> int:
    """Beat: queue again every run whose task was lost (``services.people_imports_stalled``),
    so that a broker losing a message delays an import, never strands it."""
    stalled = services.people_imports_stalled()
    for organization_id, import_id in stalled:
        people_import_apply.delay(organization_id, import_id)
    return len(stalled)


# The health check's and the metrics' tasks live in their own modules; importing them here
# registers them.
from . import tasks_health, tasks_metrics, tasks_scoring  # noqa: E402, F401
