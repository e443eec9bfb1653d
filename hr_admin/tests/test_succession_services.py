"""Succession services and selectors: who may shape positions and nominate whom, bench strength,
and readiness from skills."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hr_admin.models import Criticality, Readiness, SuccessorNomination
from hr_admin.selectors import succession as selectors
from hr_admin.services import succession as services
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent
from skills.factories import (
    FrameworkFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
)
from skills.models import SkillRating

from .factories_succession import KeyPositionFactory, SuccessorNominationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(people):
    return RoleProfileFactory(framework=FrameworkFactory(organization=people.org),
                              title="Engineering Manager", grade="M1")


@pytest.fixture
def position(people, role):
    return KeyPositionFactory(role=role, title="Head of Platform", incumbent=people.manager)


# --- Positions ----------------------------------------------------------------------------------


def test_hr_creates_a_position_and_it_is_audited(people, role):
    position = services.key_position_create(
        organization=people.org, actor=people.hr, role=role, title="  Head of Platform ",
        incumbent=people.manager, criticality=Criticality.CRITICAL, notes="Retiring in 2026.")
    assert (position.title, position.incumbent, position.criticality) == (
        "Head of Platform", people.manager, Criticality.CRITICAL)
    assert AuditEvent.objects_unscoped.filter(action="hr.key_position_created",
                                              actor=people.hr).exists()


def test_a_leader_may_create_a_position_but_a_manager_may_not(people, role):
    assert services.key_position_create(organization=people.org, actor=people.leader,
                                        role=role).pk
    with pytest.raises(PermissionDenied):
        services.key_position_create(organization=people.org, actor=people.manager, role=role)


def test_every_problem_with_a_position_is_reported_at_once(people, other_people, role):
    retired = RoleProfileFactory(framework=role.framework, is_active=False, title="Old role")
    leaver = MembershipFactory(organization=people.org, is_active=False)
    with pytest.raises(ValidationError) as caught:
        services.key_position_create(organization=people.org, actor=people.hr, role=retired,
                                     incumbent=leaver, criticality="urgent", title="x" * 300)
    errors = caught.value.message_dict
    assert set(errors) == {"role", "incumbent", "criticality", "title"}
    assert "no longer in use" in errors["role"][0]
    foreign = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError) as caught:
        services.key_position_create(organization=people.org, actor=people.hr, role=foreign)
    assert "role" in caught.value.message_dict


def test_an_update_keeps_a_role_retired_since(people, position, role):
    role.is_active = False
    role.save(update_fields=["is_active"])
    updated = services.key_position_update(
        organization=people.org, actor=people.hr, position=position, role=role,
        title="Head of Platform", incumbent=people.manager, criticality=Criticality.MEDIUM)
    assert updated.criticality == Criticality.MEDIUM
    event = AuditEvent.objects_unscoped.get(action="hr.key_position_updated")
    assert event.detail["fields"] == ["criticality"]


def test_a_successor_cannot_become_the_incumbent_without_leaving_the_bench(people, position):
    SuccessorNominationFactory(position=position, candidate=people.employee)
    with pytest.raises(ValidationError) as caught:
        services.key_position_update(organization=people.org, actor=people.hr,
                                     position=position, role=position.role,
                                     incumbent=people.employee)
    assert "remove that nomination first" in caught.value.message_dict["incumbent"][0]


def test_retiring_and_restoring_a_position(people, position):
    services.key_position_set_active(organization=people.org, actor=people.hr,
                                     position=position, is_active=False)
    assert not selectors.position_list(organization=people.org, viewer=people.hr).exists()
    services.key_position_set_active(organization=people.org, actor=people.hr,
                                     position=position, is_active=True)
    assert list(selectors.position_list(organization=people.org, viewer=people.hr)) == [position]


# --- Nominations --------------------------------------------------------------------------------


def test_a_manager_nominates_someone_in_their_reporting_line(people, position):
    skip_level = MembershipFactory(organization=people.org, manager=people.employee)
    made = services.successor_nominate(organization=people.org, actor=people.manager,
                                       position=position, candidate=skip_level,
                                       readiness=Readiness.THREE_PLUS, notes="Sharp.")
    assert (made.nominated_by, made.readiness) == (people.manager, Readiness.THREE_PLUS)
    assert AuditEvent.objects_unscoped.filter(action="hr.successor_nominated",
                                              subject=skip_level).exists()


def test_a_manager_cannot_nominate_outside_their_line(people, position):
    elsewhere = MembershipFactory(organization=people.org, manager=people.leader)
    with pytest.raises(ValidationError) as caught:
        services.successor_nominate(organization=people.org, actor=people.manager,
                                    position=position, candidate=elsewhere,
                                    readiness=Readiness.READY_NOW)
    assert "not in yours" in caught.value.message_dict["candidate"][0]


def test_an_employee_cannot_nominate(people, position):
    colleague = MembershipFactory(organization=people.org, manager=people.manager)
    with pytest.raises(PermissionDenied):
        services.successor_nominate(organization=people.org, actor=people.employee,
                                    position=position, candidate=colleague,
                                    readiness=Readiness.READY_NOW)


def test_nobody_nominates_themselves_nor_the_incumbent(people, position):
    with pytest.raises(ValidationError) as caught:
        services.successor_nominate(organization=people.org, actor=people.hr,
                                    position=position, candidate=people.hr,
                                    readiness=Readiness.READY_NOW)
    assert "yourself" in caught.value.message_dict["candidate"][0]
    with pytest.raises(ValidationError) as caught:
        services.successor_nominate(organization=people.org, actor=people.hr,
                                    position=position, candidate=people.manager,
                                    readiness="soon")
    errors = caught.value.message_dict
    assert "holds this position" in errors["candidate"][0]
    assert "readiness" in errors


def test_a_second_nomination_of_the_same_person_says_only_that_they_are_on_the_plan(
        people, position):
    SuccessorNominationFactory(position=position, candidate=people.employee,
                               nominated_by=people.hr, notes="HR's private view")
    with pytest.raises(ValidationError) as caught:
        services.successor_nominate(organization=people.org, actor=people.manager,
                                    position=position, candidate=people.employee,
                                    readiness=Readiness.READY_NOW)
    message = caught.value.message_dict["candidate"][0]
    assert "already on this position's succession plan" in message
    assert "HR's private view" not in message and people.hr.display_name not in message
    assert SuccessorNomination.objects_unscoped.count() == 1


def test_a_retired_position_takes_no_nomination(people, position):
    position.is_active = False
    position.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as caught:
        services.successor_nominate(organization=people.org, actor=people.hr,
                                    position=position, candidate=people.employee,
                                    readiness=Readiness.READY_NOW)
    assert "retired" in caught.value.message_dict["position"][0]


def test_only_the_author_or_a_planner_changes_a_nomination(people, position):
    made = SuccessorNominationFactory(position=position, candidate=people.employee,
                                      nominated_by=people.manager)
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    with pytest.raises(PermissionDenied):
        services.successor_nomination_update(organization=people.org, actor=other_manager,
                                             nomination=made, readiness=Readiness.READY_NOW)
    services.successor_nomination_update(organization=people.org, actor=people.manager,
                                         nomination=made, readiness=Readiness.READY_NOW,
                                         notes="Ready.")
    made.refresh_from_db()
    assert made.readiness == Readiness.READY_NOW
    services.successor_nomination_delete(organization=people.org, actor=people.leader,
                                         nomination=made)
    assert not SuccessorNomination.objects_unscoped.exists()


# --- Bench strength -----------------------------------------------------------------------------


@pytest.mark.parametrize(("readiness", "strength"), [
    ((), selectors.NONE),
    ((Readiness.READY_NOW,), selectors.THIN),
    ((Readiness.ONE_TWO_YEARS, Readiness.THREE_PLUS), selectors.THIN),
    ((Readiness.READY_NOW, Readiness.THREE_PLUS), selectors.STRONG),
])
def test_bench_strength_follows_the_rule(people, position, readiness, strength):
    for value in readiness:
        SuccessorNominationFactory(position=position, readiness=value)
    row = selectors.position_list(organization=people.org, viewer=people.hr).get()
    bench = selectors.Bench.of(row)
    assert (bench.total, bench.strength) == (len(readiness), strength)


def test_weak_only_keeps_positions_whose_bench_is_not_strong(people, role):
    strong = KeyPositionFactory(role=role, title="Strong one")
    SuccessorNominationFactory(position=strong, readiness=Readiness.READY_NOW)
    SuccessorNominationFactory(position=strong, readiness=Readiness.ONE_TWO_YEARS)
    thin = KeyPositionFactory(role=role, title="Thin one")
    SuccessorNominationFactory(position=thin, readiness=Readiness.READY_NOW)
    empty = KeyPositionFactory(role=role, title="Empty one", criticality=Criticality.CRITICAL)
    weak = selectors.position_list(organization=people.org, viewer=people.hr, weak_only=True)
    assert list(weak) == [empty, thin]
    summary = selectors.bench_summary(organization=people.org, viewer=people.hr)
    assert (summary["positions"], summary["strong"], summary["thin"], summary["none"],
            summary["critical_weak"], summary["ready_now"]) == (3, 1, 1, 1, 1, 2)


def test_a_nomination_about_the_viewer_is_left_out_of_their_bench(people, position):
    SuccessorNominationFactory(position=position, candidate=people.hr,
                               readiness=Readiness.READY_NOW)
    SuccessorNominationFactory(position=position, readiness=Readiness.READY_NOW)
    as_hr = selectors.position_list(organization=people.org, viewer=people.hr).get()
    as_leader = selectors.position_list(organization=people.org, viewer=people.leader).get()
    assert (as_hr.n_total, as_leader.n_total) == (1, 2)
    assert not selectors.visible_nominations(organization=people.org,
                                             viewer=people.hr).filter(candidate=people.hr)


def test_managers_see_only_their_own_nominations(people, position):
    mine = SuccessorNominationFactory(position=position, candidate=people.employee,
                                      nominated_by=people.manager)
    SuccessorNominationFactory(position=position, nominated_by=people.hr)
    assert list(selectors.visible_nominations(organization=people.org,
                                              viewer=people.manager)) == [mine]
    assert not selectors.position_list(organization=people.org, viewer=people.manager).exists()


def test_readiness_for_the_role_comes_from_validated_else_self_ratings(people, role):
    core = RoleRequirementFactory(role=role, skill=SkillFactory(framework=role.framework),
                                  min_level=4)
    desirable = RoleRequirementFactory(role=role, skill=SkillFactory(framework=role.framework),
                                       min_level=2, importance="desirable")
    SkillRating.objects_unscoped.create(organization=people.org, member=people.employee,
                                        skill=core.skill, self_level=4, validated_level=2)
    SkillRating.objects_unscoped.create(organization=people.org, member=people.employee,
                                        skill=desirable.skill, self_level=2)
    readiness = selectors.candidate_readiness(organization=people.org, role=role,
                                              member_ids=[people.employee.pk, people.hr.pk])
    # Core weighs 2 at 2/4, desirable 1 at 2/2: 100 * (1 + 1) / 3.
    assert readiness == {people.employee.pk: 67, people.hr.pk: 0}
