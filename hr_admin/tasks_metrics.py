"""Celery tasks of the leadership metrics: the nightly snapshots.

``metrics_snapshot_scan`` (beat, every hour) queues one task per active organisation whose
snapshot for its local today is missing once the local time has passed ``NIGHTLY_HOUR``; a night
the workers were down is caught up at the next scan. ``metrics_snapshot`` is idempotent: running
it twice for a day leaves one snapshot (the day's rows are replaced whole under a lock).
"""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from conversations.selectors.conversations import organization_zone
from organizations import tenancy
from organizations.models import Organization
from organizations.taskbase import declares_tenancy, tenant_task

from .models import MetricSnapshot
from .services import metrics as services

NIGHTLY_HOUR = 2  # local time: after the day's work, before anyone looks
TRANSIENT = (OperationalError,)
RETRY = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True,
         "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}
# 50,000 members snapshot in seconds; the limits only stop a runaway.
SNAPSHOT_LIMITS = {"soft_time_limit": 540, "time_limit": 600}



@shared_task(bind=True, **RETRY, **SNAPSHOT_LIMITS)
@tenant_task
def metrics_snapshot(self, organization_id: int, day: str | None = None) -> int:
    """Take an organisation's snapshot for ``day`` (ISO date; default its local today)."""
    organization = Organization.objects.filter(pk=organization_id, is_active=True).first()
    if organization is None:
        return 0
    when = date.fromisoformat(day) if day else services.organization_today(organization)
    return services.snapshot_take(organization=organization, day=when)


def organizations_due(now=None) -> list[tuple[int, str]]:
    """(organisation id, local day) of every active organisation past its nightly hour whose
    snapshot for that day is missing. Two queries, whatever the number of organisations."""
    now = now or timezone.now()
    reason = "metric snapshots: one task per organisation"
    with tenancy.as_worker_across_organizations(reason=reason):
        organizations = list(Organization.objects.filter(is_active=True)
                             .only("pk", "time_zone"))
        local = {}
        for organization in organizations:
            moment = timezone.localtime(now, organization_zone(organization))
            if moment.hour >= NIGHTLY_HOUR:
                local[organization.pk] = moment.date()
        days = set(local.values())
        done = set(MetricSnapshot.objects
                   .filter(team__isnull=True, day__in=days,
                           organization_id__in=list(local))
                   .values_list("organization_id", "day").distinct())
    return [(pk, day.isoformat()) for pk, day in sorted(local.items())
            if (pk, day) not in done]


@shared_task(bind=True, **RETRY, soft_time_limit=120, time_limit=180)
@declares_tenancy("global")
def metrics_snapshot_scan(self) -> int:
    """Beat: queue tonight's snapshot of every organisation that has none yet."""
    due = organizations_due()
    for organization_id, day in due:
        metrics_snapshot.delay(organization_id, day)
    return len(due)
