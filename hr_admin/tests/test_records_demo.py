"""The demo's audit trail: there for the log's filters to find, and seeded once."""

import pytest

from hr_admin import demo_records
from organizations.models import AuditEvent
from organizations.tenancy import cross_organization

pytestmark = pytest.mark.django_db


def test_the_demo_trail_shows_hr_and_managers_reading_others_data_and_is_seeded_once(people):
    with cross_organization("test: demo seeding"):
        demo_records.seed(None, organization=people.org)
        first = AuditEvent.objects_unscoped.filter(organization=people.org).count()
        demo_records.seed(None, organization=people.org)
        events = list(AuditEvent.objects_unscoped.filter(organization=people.org))
    assert len(events) == first == sum(count for _a, _by, count in demo_records.TRAIL)
    assert people.hr.pk in {e.actor_id for e in events}
    assert all(e.subject_id and e.subject_id != e.actor_id for e in events)
    # What a manager read is about one of their own reports.
    for event in events:
        if event.actor_id != people.hr.pk:
            assert event.subject.manager_id == event.actor_id
