"""factory_boy factories of internal opportunities. Each row takes its organisation from the row
it belongs to, so a factory graph never spans two organisations by accident."""

import factory

from organizations.factories import MembershipFactory, TenantFactory
from skills.factories import SkillFactory

from ..models import (
    InterestStatus,
    ManagerApproval,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)


class OpportunityFactory(TenantFactory):
    """An open gig: 20% of the time for 6 weeks."""

    class Meta:
        model = Opportunity

    posted_by = factory.SubFactory(MembershipFactory)
    organization = factory.SelfAttribute("posted_by.organization")
    kind = OpportunityKind.GIG
    title = factory.Sequence(lambda n: f"Opening {n}")
    description = "What the work is."
    time_share = 20
    duration_weeks = 6
    status = OpportunityStatus.OPEN


class OpportunitySkillFactory(TenantFactory):
    class Meta:
        model = OpportunitySkill

    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SelfAttribute("opportunity.organization")
    skill = factory.SubFactory(SkillFactory,
                               framework__organization=factory.SelfAttribute(
                                   "...organization"))
    min_level = 3
    is_core = True


class OpportunityInterestFactory(TenantFactory):
    class Meta:
        model = OpportunityInterest

    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SelfAttribute("opportunity.organization")
    member = factory.SubFactory(MembershipFactory,
                                organization=factory.SelfAttribute("..organization"))
    message = ""
    status = InterestStatus.INTERESTED
    approval = ManagerApproval.NOT_NEEDED


class OpportunityBookmarkFactory(TenantFactory):
    class Meta:
        model = OpportunityBookmark

    opportunity = factory.SubFactory(OpportunityFactory)
    organization = factory.SelfAttribute("opportunity.organization")
    member = factory.SubFactory(MembershipFactory,
                                organization=factory.SelfAttribute("..organization"))
