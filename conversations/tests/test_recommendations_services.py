"""Recommendations: who writes them for whom, what they must say, withdrawal and HR's decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conversations.factories import RecommendationFactory
from conversations.models import (
    Notification,
    NotificationKind,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)
from conversations.selectors import recommendations as selectors
from conversations.services import recommendations as services
from organizations.factories import MembershipFactory
from skills.factories import FrameworkFactory, RoleProfileFactory

pytestmark = pytest.mark.django_db

WHY = "Led the payments migration end to end and mentors two new joiners every week."


@pytest.fixture
def role(people):
    return RoleProfileFactory(framework=FrameworkFactory(organization=people.org),
                              title="Senior Engineer")


def recommend(people, actor=None, **fields):
    fields.setdefault("member", people.employee)
    fields.setdefault("kind", RecommendationKind.PROMOTION)
    fields.setdefault("rationale", WHY)
    return services.recommendation_create(organization=people.org,
                                          actor=actor or people.manager, **fields)


def decide(people, recommendation, actor=None, **fields):
    fields.setdefault("decision", RecommendationStatus.ACCEPTED)
    fields.setdefault("decision_note", "Agreed: in the March promotion round.")
    return services.recommendation_decide(organization=people.org, actor=actor or people.hr,
                                          recommendation=recommendation, **fields)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- Writing ------------------------------------------------------------------------------------


def test_a_manager_recommends_a_report_for_a_promotion_with_or_without_a_role(people, role):
    plain = recommend(people)
    assert (plain.author, plain.member, plain.kind, plain.role, plain.status) == (
        people.manager, people.employee, RecommendationKind.PROMOTION, None,
        RecommendationStatus.PENDING)
    to_role = recommend(people, role=role, actor=people.leader)
    assert to_role.role == role
    assert services.describe(to_role) == "a promotion to Senior Engineer"


def test_a_role_recommendation_needs_a_role_profile(people, role):
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, kind=RecommendationKind.ROLE)
    assert errors_of(excinfo)["role"] == ["Choose the role profile you recommend them for."]
    assert recommend(people, kind=RecommendationKind.ROLE, role=role).role == role


def test_an_opportunity_needs_its_title_and_drops_a_role(people, role):
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, kind=RecommendationKind.OPPORTUNITY, opportunity="  ")
    assert "Name the opportunity" in errors_of(excinfo)["opportunity"][0]
    made = recommend(people, kind=RecommendationKind.OPPORTUNITY, role=role,
                     opportunity=" Lead the data migration ")
    assert (made.opportunity, made.role) == ("Lead the data migration", None)
    assert recommend(people, opportunity="ignored", rationale=WHY + " Again.").opportunity == ""


def test_an_inactive_role_or_one_of_another_organisation_is_refused(people, other_people, role):
    role.is_active = False
    role.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, kind=RecommendationKind.ROLE, role=role)
    assert "no longer in use" in errors_of(excinfo)["role"][0]
    foreign = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, kind=RecommendationKind.ROLE, role=foreign)
    assert errors_of(excinfo)["role"] == ["Choose one of your organisation's role profiles."]


def test_the_rationale_is_required_and_specific(people):
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, rationale="")
    assert errors_of(excinfo)["rationale"] == [
        "Say why: what have they shown that makes them ready?"]
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, rationale="Good.")
    assert "Say a little more" in errors_of(excinfo)["rationale"][0]
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, rationale="x" * 4001)
    assert "4,000" in errors_of(excinfo)["rationale"][0]


def test_every_problem_is_reported_at_once(people):
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, member=people.hr, kind="raise", rationale="")
    assert set(errors_of(excinfo)) == {"member", "kind", "rationale"}


@pytest.mark.parametrize("role_name", ["hr", "employee"])
def test_only_managers_in_the_reporting_line_recommend(people, role_name):
    actor = people.by_role()[role_name]
    member = people.manager if role_name == "employee" else people.employee
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, actor=actor, member=member)
    assert errors_of(excinfo)["member"] == [
        f"You can recommend people in your reporting line; {member.display_name} is not in "
        "yours."]


def test_nobody_recommends_themselves_or_an_inactive_or_foreign_member(people, other_people):
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, member=people.manager)
    assert "yourself" in errors_of(excinfo)["member"][0]
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, member=other_people.employee)
    assert errors_of(excinfo)["member"] == ["Choose the person you recommend."]
    people.employee.is_active = False
    people.employee.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as excinfo:
        recommend(people)
    assert "no longer an active member" in errors_of(excinfo)["member"][0]


def test_the_same_recommendation_waiting_for_hr_is_not_written_twice(people, role):
    first = recommend(people, role=role)
    with pytest.raises(ValidationError) as excinfo:
        recommend(people, role=role)
    assert "already recommended" in excinfo.value.messages[0]
    services.recommendation_withdraw(organization=people.org, actor=people.manager,
                                     recommendation=first)
    assert recommend(people, role=role).pk != first.pk


def test_hr_admins_are_told_but_never_the_member_or_the_author(
        people, django_capture_on_commit_callbacks):
    second_hr = MembershipFactory(organization=people.org, is_hr_admin=True,
                                  manager=people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        made = recommend(people, member=second_hr)
    recipients = set(Notification.objects_unscoped.values_list("recipient", flat=True))
    assert recipients == {people.hr.pk}
    notification = Notification.objects_unscoped.get()
    assert notification.kind == NotificationKind.RECOMMENDATION
    assert notification.url == f"/o/acme/conversations/recommendations/{made.pk}/"
    assert WHY not in notification.title + notification.body


# --- Withdrawing --------------------------------------------------------------------------------


def test_the_author_withdraws_while_it_waits(people):
    made = recommend(people)
    services.recommendation_withdraw(organization=people.org, actor=people.manager,
                                     recommendation=made)
    made.refresh_from_db()
    assert made.status == RecommendationStatus.WITHDRAWN


@pytest.mark.parametrize("role_name", ["hr", "leader", "employee"])
def test_only_the_author_withdraws(people, role_name):
    made = RecommendationFactory(member=people.employee)
    with pytest.raises(PermissionDenied):
        services.recommendation_withdraw(organization=people.org,
                                         actor=people.by_role()[role_name], recommendation=made)


def test_a_decided_recommendation_cannot_be_withdrawn(people):
    made = RecommendationFactory(member=people.employee)
    decide(people, made)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_withdraw(organization=people.org, actor=people.manager,
                                         recommendation=made)
    assert excinfo.value.messages == [
        "This recommendation is no longer waiting for a decision: it is accepted."]


# --- Deciding -----------------------------------------------------------------------------------


def test_hr_decides_with_a_note_and_the_author_is_told(people, django_capture_on_commit_callbacks):
    made = RecommendationFactory(member=people.employee)
    with django_capture_on_commit_callbacks(execute=True):
        decide(people, made, decision=RecommendationStatus.DECLINED,
               decision_note="Not this round: lead one more project first.")
    made.refresh_from_db()
    assert made.status == RecommendationStatus.DECLINED
    assert made.decided_by == people.hr
    assert made.decided_at is not None
    assert made.decision_note == "Not this round: lead one more project first."
    notification = Notification.objects_unscoped.get()
    assert notification.recipient == people.manager
    assert notification.title == f"HR declined your recommendation of " \
                                 f"{people.employee.display_name}"
    assert notification.body == "Not this round: lead one more project first."
    assert not Notification.objects_unscoped.filter(recipient=people.employee).exists()


@pytest.mark.parametrize("role_name", ["leader", "manager", "employee"])
def test_only_hr_admins_decide(people, role_name):
    made = RecommendationFactory(member=people.employee)
    with pytest.raises(PermissionDenied):
        decide(people, made, actor=people.by_role()[role_name])
    made.refresh_from_db()
    assert made.status == RecommendationStatus.PENDING


def test_hr_never_decides_about_themselves_or_what_they_wrote(people):
    about_hr = RecommendationFactory(member=people.hr, author=people.leader)
    with pytest.raises(PermissionDenied):
        decide(people, about_hr)
    hr_manager = MembershipFactory(organization=people.org, is_hr_admin=True)
    report = MembershipFactory(organization=people.org, manager=hr_manager)
    written = recommend(people, actor=hr_manager, member=report)
    with pytest.raises(PermissionDenied):
        decide(people, written, actor=hr_manager)
    assert decide(people, written).status == RecommendationStatus.ACCEPTED


def test_a_decision_needs_a_choice_and_a_note(people):
    made = RecommendationFactory(member=people.employee)
    with pytest.raises(ValidationError) as excinfo:
        decide(people, made, decision=RecommendationStatus.WITHDRAWN, decision_note=" ")
    assert set(errors_of(excinfo)) == {"decision", "decision_note"}


def test_a_recommendation_is_decided_once(people):
    made = RecommendationFactory(member=people.employee)
    decide(people, made)
    stale = Recommendation.objects_unscoped.get(pk=made.pk)
    stale.status = RecommendationStatus.PENDING  # as another admin's page still shows it
    with pytest.raises(ValidationError) as excinfo:
        decide(people, stale, decision=RecommendationStatus.DECLINED)
    assert "no longer waiting" in excinfo.value.messages[0]
    made.refresh_from_db()
    assert made.status == RecommendationStatus.ACCEPTED


# --- Who reads them -----------------------------------------------------------------------------


def test_author_hr_and_leaders_read_a_recommendation_but_not_the_member_or_other_managers(people):
    made = RecommendationFactory(member=people.employee)
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    for viewer in (people.manager, people.hr, people.leader):
        assert selectors.can_read_recommendation(viewer=viewer, recommendation=made)
    for viewer in (people.employee, other_manager):
        assert not selectors.can_read_recommendation(viewer=viewer, recommendation=made)
        assert not selectors.visible_recommendations(organization=people.org,
                                                     viewer=viewer).exists()


def test_hr_and_leaders_never_read_one_about_themselves(people):
    about_hr = RecommendationFactory(member=people.hr, author=people.leader)
    assert not selectors.can_read_recommendation(viewer=people.hr, recommendation=about_hr)
    assert about_hr not in selectors.recommendation_queue(organization=people.org,
                                                          viewer=people.hr)
    assert about_hr in selectors.recommendation_queue(organization=people.org,
                                                      viewer=people.leader)


def test_the_queue_puts_the_longest_waiting_first(people):
    first = RecommendationFactory(member=people.employee)
    second = RecommendationFactory(member=people.employee, rationale="Another reason entirely.")
    decided = RecommendationFactory(member=people.employee, status=RecommendationStatus.DECLINED)
    pending = selectors.recommendation_queue(organization=people.org, viewer=people.hr,
                                             status=RecommendationStatus.PENDING)
    assert list(pending) == [first, second]
    counts = selectors.status_counts(selectors.recommendation_queue(organization=people.org,
                                                                    viewer=people.hr))
    assert (counts["pending"], counts["declined"], counts["total"]) == (2, 1, 3)
    assert decided in selectors.recommendation_queue(organization=people.org, viewer=people.hr)
