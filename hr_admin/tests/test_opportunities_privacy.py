"""Privacy canary: a member's message to a poster never reaches another member's screen.

The employee expresses interest in a gig with a unique message; every GET route (pages and
API, discovered from the URL configuration) is then fetched, with the ids of that very
opportunity and interest, as a colleague with the same manager, a manager outside the line and
a leader. No response may contain the message. The poster, HR and the line manager do see it.
"""

import pytest
from django.urls import reverse

from organizations.factories import MembershipFactory
from tests.routes import ID_SOURCES, get_every_route

from ..models import ManagerApproval
from .factories_opportunities import (
    OpportunityFactory,
    OpportunityInterestFactory,
    OpportunitySkillFactory,
)

pytestmark = pytest.mark.django_db

CANARY = "CANARY-op-5e1d-interest"


def test_an_interest_message_never_reaches_another_member(people, login):
    ids = ID_SOURCES(people)
    gig = OpportunityFactory(posted_by=people.hr, title="Canary gig")
    OpportunitySkillFactory(opportunity=gig)
    interest = OpportunityInterestFactory(opportunity=gig, member=people.employee,
                                          message=CANARY, approval=ManagerApproval.PENDING)
    ids.update(org_slug=people.org.slug, opportunity_id=gig.pk, interest_id=interest.pk,
               member_id=people.employee.pk)
    colleague = MembershipFactory(organization=people.org, manager=people.manager)
    outside_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=outside_manager)
    leaks = []
    for reader in (colleague, outside_manager, people.leader):
        client = login(reader)
        for url, response in get_every_route(client, ids):
            if CANARY in response.content.decode(errors="replace"):
                leaks.append((reader.job_title, url))
    assert leaks == []
    candidates = reverse("hr_admin:opportunity_candidates",
                         kwargs={"org_slug": people.org.slug, "opportunity_id": gig.pk})
    approvals = reverse("hr_admin:opportunity_approvals", kwargs={"org_slug": people.org.slug})
    assert CANARY in login(people.hr).get(candidates).content.decode()
    assert CANARY in login(people.manager).get(approvals).content.decode()
