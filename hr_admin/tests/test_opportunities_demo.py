"""The opportunities demo data: acme's openings of every kind, seeded once."""

import pytest

from hr_admin.demo_opportunities import OPENINGS, seed, seed_organization_opportunities
from hr_admin.models import (
    ManagerApproval,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)
from skills.demo import seed_organization_skills

pytestmark = pytest.mark.django_db


def test_acme_gets_openings_of_every_kind_with_skills_once(people):
    seed_organization_skills(people.org)
    first = seed_organization_opportunities(people.org)
    second = seed_organization_opportunities(people.org)
    assert first["opportunities"] == len(OPENINGS)
    assert second == {"opportunities": 0, "interests": 0}
    openings = Opportunity.objects_unscoped.filter(organization=people.org)
    assert openings.count() == len(OPENINGS)
    assert set(openings.values_list("kind", flat=True)) == set(OpportunityKind.values)
    assert openings.filter(status=OpportunityStatus.DRAFT).count() == 1
    for opening in openings:
        assert OpportunitySkill.objects_unscoped.filter(opportunity=opening).exists()
    gigs = openings.filter(kind__in=(OpportunityKind.GIG, OpportunityKind.PROJECT))
    assert all(g.time_share and g.duration_weeks for g in gigs)
    asked = OpportunityInterest.objects_unscoped.get(member=people.employee)
    assert (asked.opportunity.kind, asked.approval) == (OpportunityKind.PROJECT,
                                                        ManagerApproval.PENDING)
    assert asked.match_score is not None
    assert OpportunityBookmark.objects_unscoped.filter(member=people.employee).count() == 1


def test_other_organisations_get_no_openings(people, other_people):
    seed(None, organization=other_people.org)
    assert not Opportunity.objects_unscoped.exists()
