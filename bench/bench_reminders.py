"""The reminder scan and the weekly digest over the big organisation of ``seed_scale``.

Run after ``python manage.py seed_scale`` on the bench database, keeping it:
``python -m bench reminders --keep-db`` (without generated data it runs ``seed_scale`` first).
Measured as the worker runs them:

1. ``reminders_scan_organization`` (the task, called in-process: one transaction under the
   application role and the organisation's scope) over the big organisation, twice: the first
   run records every reminder due and queues a send for each (to the in-memory broker, so a
   send costs its enqueueing); the second finds them recorded and hands out the same ones;
2. the beat's fan-out ``reminders_scan`` and every organisation's scan in turn, the whole
   installation as one worker would work through it;
3. the weekly digest's recording (``digest_deliveries_record``) as it runs on Monday at 09:00,
   the organisation's time, in a transaction rolled back afterwards so that the real week's
   digest is left to the real Monday.

Target (issue 10): the reminder scan over 50,000 members under 30 s.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock

TARGET_S = 30


class _RollBack(Exception):
    pass


def _timed(func, *args):
    started = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - started, result


def _digest(org) -> tuple[float, int]:
    from django.utils import timezone

    from conversations.selectors import reminders as selectors
    from conversations.services.reminders import digest_deliveries_record
    from organizations import tenancy

    zone = selectors.organization_zone(org)
    today = timezone.localtime(timezone.now(), zone).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    now = datetime.combine(monday, clock(9), tzinfo=zone)
    found = []
    started = time.perf_counter()
    try:
        with tenancy.as_worker(org):
            found = digest_deliveries_record(organization=org, now=now)
            raise _RollBack
    except _RollBack:
        pass
    return time.perf_counter() - started, len(found)


def run(rows: int | None = None, **_) -> dict:
    from bench.bench_http import scale_organization
    from conversations.models import Conversation, ReminderDelivery
    from conversations.tasks import reminders_scan, reminders_scan_organization
    from organizations.models import Membership, Organization

    org = scale_organization(rows)
    members = Membership.objects_unscoped.filter(organization=org, is_active=True).count()
    recorded_before = ReminderDelivery.objects_unscoped.filter(organization=org).count()
    first_s, handed_out = _timed(reminders_scan_organization, org.pk)
    recorded = ReminderDelivery.objects_unscoped.filter(organization=org).count()
    again_s, handed_again = _timed(reminders_scan_organization, org.pk)
    print(f"reminder scan: {first_s:.2f} s ({handed_out} handed out), again {again_s:.2f} s",
          file=sys.stderr)

    fan_out_s, organizations = _timed(reminders_scan)
    ids = list(Organization.objects.filter(is_active=True).order_by("pk")
               .values_list("pk", flat=True))
    started = time.perf_counter()
    for organization_id in ids:
        reminders_scan_organization(organization_id)
    installation_s = time.perf_counter() - started

    digest_s, digests = _digest(org)
    print(f"installation: {installation_s:.2f} s over {len(ids)} organisations; "
          f"digest {digest_s:.2f} s ({digests} managers)", file=sys.stderr)
    return {
        "key": f"reminders-{members}",
        "members": members,
        "conversations": Conversation.objects_unscoped.filter(organization=org).count(),
        "scan_s": round(first_s, 2),
        "scan_again_s": round(again_s, 2),
        "reminders_recorded": recorded - recorded_before,
        "reminders_handed_out": handed_out,
        "reminders_handed_out_again": handed_again,
        "fan_out_s": round(fan_out_s, 3),
        "organizations": organizations,
        "installation_scan_s": round(installation_s, 2),
        "digest_s": round(digest_s, 2),
        "digests": digests,
        "target_s": TARGET_S,
        "within_target": first_s < TARGET_S,
    }
