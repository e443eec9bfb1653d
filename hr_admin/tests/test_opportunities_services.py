"""Internal opportunities, service by service: posting, matching, interest, the manager's
approval of a gig's time, filling and the move it records."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conversations.models import Notification, NotificationKind
from hr_admin.models import (
    InterestStatus,
    ManagerApproval,
    Move,
    MoveKind,
    MoveSource,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)
from hr_admin.selectors import opportunities as selectors
from hr_admin.services import opportunities as services
from hr_admin.services.opportunities import SkillRequirement
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from skills.factories import (
    FrameworkFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
    SkillRatingFactory,
)
from skills.models import Importance, MemberRole

from .factories_opportunities import (
    OpportunityFactory,
    OpportunityInterestFactory,
    OpportunitySkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Acme skills")


@pytest.fixture
def python(framework):
    return SkillFactory(framework=framework, name="Python")


@pytest.fixture
def facilitation(framework):
    return SkillFactory(framework=framework, name="Facilitation")


def gig(people, python, facilitation, **fields):
    data = {"kind": OpportunityKind.GIG, "title": "Incident review facilitator",
            "time_share": 10, "duration_weeks": 8,
            "skills": [SkillRequirement(python, 4, True), SkillRequirement(facilitation, 2,
                                                                           False)]}
    data.update(fields)
    return services.opportunity_create(organization=people.org, actor=people.hr, **data)


def notifications_of(member):
    return list(Notification.objects_unscoped.filter(recipient=member,
                                                     kind=NotificationKind.OPPORTUNITY))


# --- Posting ------------------------------------------------------------------------------------


def test_hr_posts_a_gig_with_its_skills_and_it_is_open_at_once(people, python, facilitation):
    made = gig(people, python, facilitation)
    assert (made.status, made.posted_by, made.time_share, made.duration_weeks) == (
        OpportunityStatus.OPEN, people.hr, 10, 8)
    rows = OpportunitySkill.objects_unscoped.filter(opportunity=made).order_by("skill__name")
    assert [(r.skill.name, r.min_level, r.is_core) for r in rows] == [
        ("Facilitation", 2, False), ("Python", 4, True)]
    assert AuditEvent.objects_unscoped.filter(action="hr.opportunity_created",
                                              actor=people.hr).exists()


def test_a_manager_posts_a_draft_but_an_employee_cannot_post(people, python, facilitation):
    draft = services.opportunity_create(
        organization=people.org, actor=people.manager, kind=OpportunityKind.MENTORING,
        title="Mentor a new joiner", skills=[SkillRequirement(python, 3)], publish=False)
    assert (draft.status, draft.posted_by) == (OpportunityStatus.DRAFT, people.manager)
    with pytest.raises(PermissionDenied):
        services.opportunity_create(organization=people.org, actor=people.employee,
                                    kind=OpportunityKind.GIG, title="Mine",
                                    time_share=10, duration_weeks=2,
                                    skills=[SkillRequirement(python, 3)])


def test_every_problem_of_a_posting_is_reported_at_once_by_field(people):
    with pytest.raises(ValidationError) as caught:
        services.opportunity_create(organization=people.org, actor=people.hr,
                                    kind=OpportunityKind.GIG, title="  ",
                                    closes_on=timezone.localdate() - timedelta(days=1))
    assert set(caught.value.message_dict) == {"title", "time_share", "duration_weeks",
                                              "closes_on", "skills"}
    assert not Opportunity.objects_unscoped.exists()


def test_a_role_needs_a_role_profile_and_takes_its_requirements_when_given_no_skills(
        people, framework, python, facilitation):
    with pytest.raises(ValidationError) as caught:
        services.opportunity_create(organization=people.org, actor=people.hr,
                                    kind=OpportunityKind.ROLE, title="Senior engineer")
    assert "role" in caught.value.message_dict
    role = RoleProfileFactory(framework=framework, title="Senior Engineer", grade="E3")
    RoleRequirementFactory(role=role, skill=python, min_level=4)
    RoleRequirementFactory(role=role, skill=facilitation, min_level=2,
                           importance=Importance.DESIRABLE)
    made = services.opportunity_create(organization=people.org, actor=people.hr,
                                       kind=OpportunityKind.ROLE, title="Senior engineer",
                                       role=role, time_share=50, duration_weeks=3)
    assert (made.role, made.time_share, made.duration_weeks) == (role, None, None)
    assert sorted(OpportunitySkill.objects_unscoped.filter(opportunity=made)
                  .values_list("skill__name", "min_level", "is_core")) == [
        ("Facilitation", 2, False), ("Python", 4, True)]


def test_a_skill_listed_twice_or_above_its_scale_is_refused(people, python):
    for skills in ([SkillRequirement(python, 3), SkillRequirement(python, 2)],
                   [SkillRequirement(python, 9)]):
        with pytest.raises(ValidationError) as caught:
            services.opportunity_create(organization=people.org, actor=people.hr,
                                        kind=OpportunityKind.MENTORING, title="Mentoring",
                                        skills=skills)
        assert "skills" in caught.value.message_dict


def test_another_organisations_skill_or_team_is_refused(people, other_people, python):
    foreign_skill = SkillFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError) as caught:
        services.opportunity_create(organization=people.org, actor=people.hr,
                                    kind=OpportunityKind.MENTORING, title="Mentoring",
                                    team=TeamFactory(organization=other_people.org),
                                    skills=[SkillRequirement(foreign_skill, 2)])
    assert set(caught.value.message_dict) == {"team", "skills"}


def test_a_manager_edits_only_their_own_openings_and_hr_edits_any(people, python):
    other_manager = MembershipFactory(organization=people.org)
    MembershipFactory(organization=people.org, manager=other_manager)
    mine = services.opportunity_create(organization=people.org, actor=people.manager,
                                       kind=OpportunityKind.MENTORING, title="Mentoring",
                                       skills=[SkillRequirement(python, 3)])
    with pytest.raises(PermissionDenied):
        services.opportunity_update(organization=people.org, actor=other_manager,
                                    opportunity=mine, kind=mine.kind, title="Taken over",
                                    skills=[SkillRequirement(python, 3)])
    services.opportunity_update(organization=people.org, actor=people.hr, opportunity=mine,
                                kind=mine.kind, title="Mentoring a new joiner",
                                skills=[SkillRequirement(python, 2)])
    mine.refresh_from_db()
    assert mine.title == "Mentoring a new joiner"
    assert OpportunitySkill.objects_unscoped.get(opportunity=mine).min_level == 2


def test_the_kind_stays_once_someone_has_expressed_interest(people, python, facilitation):
    made = gig(people, python, facilitation)
    services.interest_express(organization=people.org, actor=people.employee, opportunity=made)
    with pytest.raises(ValidationError) as caught:
        services.opportunity_update(organization=people.org, actor=people.hr, opportunity=made,
                                    kind=OpportunityKind.MENTORING, title=made.title,
                                    skills=[SkillRequirement(python, 3)])
    assert "kind" in caught.value.message_dict


def test_drafts_are_published_closed_reopened_and_a_past_closing_date_blocks_reopening(
        people, python):
    draft = services.opportunity_create(organization=people.org, actor=people.hr,
                                        kind=OpportunityKind.MENTORING, title="Mentoring",
                                        skills=[SkillRequirement(python, 3)], publish=False)
    services.opportunity_status_set(organization=people.org, actor=people.hr,
                                    opportunity=draft, action="publish")
    services.opportunity_status_set(organization=people.org, actor=people.hr,
                                    opportunity=draft, action="close")
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.CLOSED
    with pytest.raises(ValidationError):
        services.opportunity_status_set(organization=people.org, actor=people.hr,
                                        opportunity=draft, action="close")
    Opportunity.objects_unscoped.filter(pk=draft.pk).update(
        closes_on=timezone.localdate() - timedelta(days=2))
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.opportunity_status_set(organization=people.org, actor=people.hr,
                                        opportunity=draft, action="reopen")
    assert "closes_on" in caught.value.message_dict


# --- Matching -----------------------------------------------------------------------------------


def test_the_match_counts_validated_levels_only_and_essential_skills_twice(
        people, python, facilitation):
    made = gig(people, python, facilitation)
    # Essential Python asked at 4: validated 2 earns half (weight 2); desirable Facilitation at
    # 2: validated 2 earns all (weight 1). A self-assessed 5 in Python does not count.
    SkillRatingFactory(member=people.employee, skill=python, self_level=5, validated_level=2)
    SkillRatingFactory(member=people.employee, skill=facilitation, validated_level=2)
    match = selectors.match_for(organization=people.org, member=people.employee,
                                opportunity=made)
    assert match.score == 67
    assert [i.skill_name for i in match.has] == ["Facilitation"]
    assert [(i.skill_name, i.gap) for i in match.lacks] == [("Python", 2)]
    assert selectors.match_for(organization=people.org, member=people.manager,
                               opportunity=made).score == 0


def test_a_retired_skill_leaves_the_match(people, python, facilitation):
    made = gig(people, python, facilitation)
    SkillRatingFactory(member=people.employee, skill=facilitation, validated_level=2)
    python.is_retired = True
    python.save(update_fields=["is_retired"])
    assert selectors.match_for(organization=people.org, member=people.employee,
                               opportunity=made).score == 100


# --- Interest and the manager's approval --------------------------------------------------------


def test_interest_in_a_gig_keeps_the_match_and_asks_the_line_manager(
        people, python, facilitation):
    made = gig(people, python, facilitation)
    SkillRatingFactory(member=people.employee, skill=python, validated_level=4)
    interest = services.interest_express(organization=people.org, actor=people.employee,
                                         opportunity=made, message="  I ran two reviews.  ")
    assert (interest.status, interest.approval, interest.match_score, interest.message) == (
        InterestStatus.INTERESTED, ManagerApproval.PENDING, 67, "I ran two reviews.")
    asked = notifications_of(people.manager)
    assert len(asked) == 1 and "approve their time" in asked[0].title
    assert any("is interested" in n.title for n in notifications_of(people.hr))
    assert list(selectors.approvals_pending(organization=people.org,
                                            approver=people.manager)) == [interest]
    assert AuditEvent.objects_unscoped.filter(action="hr.opportunity_interest_expressed",
                                              subject=people.employee).exists()


def test_a_project_takes_time_too_and_waits_for_approval_but_a_role_does_not(
        people, framework, python):
    project = services.opportunity_create(
        organization=people.org, actor=people.hr, kind=OpportunityKind.PROJECT,
        title="Churn dashboard", time_share=20, duration_weeks=12,
        skills=[SkillRequirement(python, 3)])
    role = RoleProfileFactory(framework=framework)
    opening = services.opportunity_create(
        organization=people.org, actor=people.hr, kind=OpportunityKind.ROLE, title="Role",
        role=role, skills=[SkillRequirement(python, 3)])
    for opportunity, expected in ((project, ManagerApproval.PENDING),
                                  (opening, ManagerApproval.NOT_NEEDED)):
        interest = services.interest_express(organization=people.org, actor=people.employee,
                                             opportunity=opportunity)
        assert interest.approval == expected


def test_a_member_without_a_line_manager_is_approved_by_hr(people, python, facilitation):
    loner = MembershipFactory(organization=people.org, manager=None)
    made = gig(people, python, facilitation, title="Gig")
    interest = services.interest_express(organization=people.org, actor=loner,
                                         opportunity=made)
    assert any("approve their time" in n.title for n in notifications_of(people.hr))
    assert interest in selectors.approvals_pending(organization=people.org, approver=people.hr)
    assert not selectors.approvals_pending(organization=people.org,
                                           approver=people.manager).exists()
    services.interest_approval_decide(organization=people.org, actor=people.hr,
                                      interest=interest, decision=ManagerApproval.APPROVED)
    interest.refresh_from_db()
    assert (interest.approval, interest.approval_by) == (ManagerApproval.APPROVED, people.hr)


def test_only_the_line_manager_decides_and_a_decline_says_why(people, python, facilitation):
    made = gig(people, python, facilitation)
    interest = services.interest_express(organization=people.org, actor=people.employee,
                                         opportunity=made)
    for someone in (people.hr, people.leader, people.employee):
        with pytest.raises(PermissionDenied):
            services.interest_approval_decide(organization=people.org, actor=someone,
                                              interest=interest,
                                              decision=ManagerApproval.APPROVED)
    with pytest.raises(ValidationError) as caught:
        services.interest_approval_decide(organization=people.org, actor=people.manager,
                                          interest=interest, decision=ManagerApproval.DECLINED)
    assert "note" in caught.value.message_dict
    services.interest_approval_decide(organization=people.org, actor=people.manager,
                                      interest=interest, decision=ManagerApproval.DECLINED,
                                      note="Not during the release crunch; ask again in May.")
    told = notifications_of(people.employee)
    assert len(told) == 1 and "declined" in told[0].title
    assert told[0].body == "Not during the release crunch; ask again in May."
    with pytest.raises(ValidationError):
        services.interest_approval_decide(organization=people.org, actor=people.manager,
                                          interest=interest, decision=ManagerApproval.APPROVED)


def test_withdrawing_and_asking_again_waits_for_a_new_approval(people, python, facilitation):
    made = gig(people, python, facilitation)
    interest = services.interest_express(organization=people.org, actor=people.employee,
                                         opportunity=made)
    services.interest_approval_decide(organization=people.org, actor=people.manager,
                                      interest=interest, decision=ManagerApproval.APPROVED)
    services.interest_withdraw(organization=people.org, actor=people.employee, opportunity=made)
    again = services.interest_express(organization=people.org, actor=people.employee,
                                      opportunity=made, message="Back on")
    assert again.pk == interest.pk
    assert (again.status, again.approval, again.approval_by) == (
        InterestStatus.INTERESTED, ManagerApproval.PENDING, None)


def test_interest_is_refused_twice_in_ones_own_opening_and_once_closed(
        people, python, facilitation):
    made = gig(people, python, facilitation)
    services.interest_express(organization=people.org, actor=people.employee, opportunity=made)
    with pytest.raises(ValidationError):
        services.interest_express(organization=people.org, actor=people.employee,
                                  opportunity=made)
    with pytest.raises(ValidationError):
        services.interest_express(organization=people.org, actor=people.hr, opportunity=made)
    Opportunity.objects_unscoped.filter(pk=made.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1))
    made.refresh_from_db()
    with pytest.raises(ValidationError):
        services.interest_express(organization=people.org, actor=people.manager,
                                  opportunity=made)
    assert OpportunityInterest.objects_unscoped.count() == 1


def test_saving_twice_keeps_one_bookmark_and_unsaving_removes_it(people, python, facilitation):
    made = gig(people, python, facilitation)
    for _ in range(2):
        services.opportunity_bookmark(organization=people.org, actor=people.employee,
                                      opportunity=made)
    assert OpportunityBookmark.objects_unscoped.filter(member=people.employee).count() == 1
    assert services.opportunity_unbookmark(organization=people.org, actor=people.employee,
                                           opportunity=made)
    assert not OpportunityBookmark.objects_unscoped.exists()


# --- Filling ------------------------------------------------------------------------------------


def test_a_gig_is_filled_only_with_a_candidate_whose_time_is_approved(
        people, python, facilitation):
    made = gig(people, python, facilitation)
    interest = services.interest_express(organization=people.org, actor=people.employee,
                                         opportunity=made)
    with pytest.raises(ValidationError) as caught:
        services.opportunity_fill(organization=people.org, actor=people.hr, opportunity=made,
                                  interest=interest)
    assert "candidate" in caught.value.message_dict
    made.refresh_from_db()
    assert made.status == OpportunityStatus.OPEN
    assert not Move.objects_unscoped.exists()


def test_filling_a_gig_records_an_assignment_and_tells_everyone(people, python, facilitation):
    team = TeamFactory(organization=people.org, name="Platform")
    people.employee.team = team
    people.employee.save(update_fields=["team"])
    MemberRoleFactory(member=people.employee,
                      role=RoleProfileFactory(framework=python.framework, title="Engineer"))
    made = gig(people, python, facilitation)
    chosen = services.interest_express(organization=people.org, actor=people.employee,
                                       opportunity=made)
    services.interest_approval_decide(organization=people.org, actor=people.manager,
                                      interest=chosen, decision=ManagerApproval.APPROVED)
    other = services.interest_express(organization=people.org, actor=people.leader,
                                      opportunity=made)
    services.opportunity_fill(organization=people.org, actor=people.hr, opportunity=made,
                              interest=chosen)
    made.refresh_from_db()
    assert (made.status, made.filled_internally, made.filled_by) == (
        OpportunityStatus.FILLED, True, people.employee)
    move = Move.objects_unscoped.get()
    assert (move.member, move.kind, move.source, move.opportunity, move.is_internal_fill) == (
        people.employee, MoveKind.ASSIGNMENT, MoveSource.OPPORTUNITY, made, True)
    assert (move.from_team, move.to_team, move.from_role, move.to_role) == (
        team, team, move.from_role, move.from_role)
    assert move.from_role.title == "Engineer"
    other.refresh_from_db()
    chosen.refresh_from_db()
    assert (chosen.status, other.status) == (InterestStatus.SELECTED,
                                             InterestStatus.NOT_SELECTED)
    assert any("selected for" in n.title for n in notifications_of(people.employee))
    assert any("has been filled" in n.title for n in notifications_of(people.leader))
    assert AuditEvent.objects_unscoped.filter(action="hr.opportunity_filled",
                                              subject=people.employee).exists()


def test_filling_a_role_moves_the_member_into_its_role_and_team_as_one_move(
        people, framework, python):
    before_role = RoleProfileFactory(framework=framework, title="Engineer", grade="E2")
    after_role = RoleProfileFactory(framework=framework, title="Senior Engineer", grade="E3")
    MemberRoleFactory(member=people.employee, role=before_role)
    data = TeamFactory(organization=people.org, name="Data")
    opening = services.opportunity_create(
        organization=people.org, actor=people.hr, kind=OpportunityKind.ROLE,
        title="Senior Engineer, Data", role=after_role, team=data,
        skills=[SkillRequirement(python, 3)])
    interest = services.interest_express(organization=people.org, actor=people.employee,
                                         opportunity=opening)
    services.opportunity_fill(organization=people.org, actor=people.hr, opportunity=opening,
                              interest=interest)
    people.employee.refresh_from_db()
    assert people.employee.team == data
    assert MemberRole.objects_unscoped.get(member=people.employee).role == after_role
    move = Move.objects_unscoped.get()
    assert (move.kind, move.from_role, move.to_role, move.to_team, move.opportunity,
            move.is_internal_fill, move.source) == (
        MoveKind.PROMOTION, before_role, after_role, data, opening, True,
        MoveSource.OPPORTUNITY)


def test_a_manager_cannot_move_someone_outside_their_line_into_a_role(people, framework,
                                                                       python):
    outsider = MembershipFactory(organization=people.org, manager=people.leader)
    role = RoleProfileFactory(framework=framework)
    opening = services.opportunity_create(
        organization=people.org, actor=people.manager, kind=OpportunityKind.ROLE,
        title="Role", role=role, skills=[SkillRequirement(python, 3)])
    interest = services.interest_express(organization=people.org, actor=outsider,
                                         opportunity=opening)
    with pytest.raises(ValidationError) as caught:
        services.opportunity_fill(organization=people.org, actor=people.manager,
                                  opportunity=opening, interest=interest)
    assert "HR" in caught.value.message_dict["candidate"][0]
    assert not MemberRole.objects_unscoped.filter(member=outsider).exists()
    mine = services.interest_express(organization=people.org, actor=people.employee,
                                     opportunity=opening)
    services.opportunity_fill(organization=people.org, actor=people.manager,
                              opportunity=opening, interest=mine)
    assert MemberRole.objects_unscoped.get(member=people.employee).role == role


def test_an_external_hire_records_no_move_and_tells_the_candidates(people, python,
                                                                    facilitation):
    made = gig(people, python, facilitation)
    interest = services.interest_express(organization=people.org, actor=people.employee,
                                         opportunity=made)
    services.opportunity_fill(organization=people.org, actor=people.hr, opportunity=made,
                              external=True)
    made.refresh_from_db()
    interest.refresh_from_db()
    assert (made.status, made.filled_internally, made.filled_by) == (
        OpportunityStatus.FILLED, False, None)
    assert interest.status == InterestStatus.NOT_SELECTED
    assert not Move.objects_unscoped.exists()
    assert any("has been filled" in n.title for n in notifications_of(people.employee))
    with pytest.raises(ValidationError):
        services.opportunity_fill(organization=people.org, actor=people.hr, opportunity=made,
                                  external=True)


def test_marking_not_selected_is_for_the_poster_and_hr_and_tells_the_member(people):
    made = OpportunityFactory(posted_by=people.manager, kind=OpportunityKind.MENTORING,
                              time_share=None, duration_weeks=None)
    OpportunitySkillFactory(opportunity=made)
    interest = OpportunityInterestFactory(opportunity=made, member=people.employee)
    with pytest.raises(PermissionDenied):
        services.interest_not_selected(organization=people.org, actor=people.leader,
                                       interest=interest)
    services.interest_not_selected(organization=people.org, actor=people.manager,
                                   interest=interest)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.NOT_SELECTED
    assert any("not selected" in n.title for n in notifications_of(people.employee))


def test_closing_tells_everyone_still_interested(people, python, facilitation):
    made = gig(people, python, facilitation)
    services.interest_express(organization=people.org, actor=people.employee, opportunity=made)
    services.opportunity_status_set(organization=people.org, actor=people.hr, opportunity=made,
                                    action="close")
    assert any("closed without being filled" in n.title
               for n in notifications_of(people.employee))
