"""Demo succession plans: every bench strength on show, and the demo manager's own nomination.
Idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from hr_admin.models import KeyPosition, SuccessorNomination
from hr_admin.selectors import succession as selectors
from organizations.models import Membership
from organizations.tenancy import organization_scope

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", force=True, stdout=StringIO())


def test_acme_has_key_positions_with_strong_thin_and_empty_benches():
    # When
    seed()

    # Then
    hr = Membership.objects_unscoped.select_related("organization").get(
        user__email="hr@acme.test")
    org = hr.organization
    with organization_scope(org):
        rows = list(selectors.position_list(organization=org, viewer=hr))
    strengths = {selectors.Bench.of(p).strength for p in rows}
    assert strengths == {selectors.STRONG, selectors.THIN, selectors.NONE}
    assert len(rows) >= 6 and all(p.incumbent_id for p in rows)
    manager = Membership.objects_unscoped.get(user__email="manager@acme.test")
    mine = SuccessorNomination.objects_unscoped.filter(nominated_by=manager)
    assert [n.candidate.user.email for n in mine] == ["employee@acme.test"]
    for nomination in SuccessorNomination.objects_unscoped.select_related("position"):
        assert nomination.candidate_id != nomination.position.incumbent_id

    # When: seeded again
    positions = KeyPosition.objects_unscoped.count()
    nominations = SuccessorNomination.objects_unscoped.count()
    seed()

    # Then
    assert KeyPosition.objects_unscoped.count() == positions
    assert SuccessorNomination.objects_unscoped.count() == nominations
