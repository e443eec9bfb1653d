"""The opportunities API: browsing with match scores, posting with field messages, saving,
interest, approval, candidates and filling; who may read an interest."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hr_admin.models import (
    InterestStatus,
    ManagerApproval,
    Move,
    MoveKind,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityStatus,
)
from organizations.factories import MembershipFactory, TeamFactory
from skills.factories import FrameworkFactory, SkillFactory, SkillRatingFactory

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
def the_gig(people, python):
    opening = OpportunityFactory(posted_by=people.hr, title="Incident review facilitator",
                                 time_share=10, duration_weeks=8)
    OpportunitySkillFactory(opportunity=opening, skill=python, min_level=4)
    SkillRatingFactory(member=people.employee, skill=python, validated_level=3)
    return opening


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_list_gives_each_opportunity_with_the_callers_match(people, login, the_gig,
                                                                 python):
    body = login(people.employee).get(api("opportunity-list", people.org)).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["title"], row["kind"], row["needs_manager_approval"], row["is_saved"],
            row["my_interest"]) == ("Incident review facilitator", "gig", True, False, None)
    assert row["match"]["score"] == 75
    assert row["match"]["skills"] == [{"skill": {"id": python.pk, "name": "Python"},
                                       "min_level": 4, "essential": True, "validated_level": 3,
                                       "met": False}]
    assert login(people.employee).get(api("opportunity-list", people.org),
                                      {"min_match": 80}).json()["count"] == 0
    bad = login(people.employee).get(api("opportunity-list", people.org), {"min_match": 500})
    assert bad.status_code == 400 and "min_match" in bad.json()["errors"]


def test_the_list_runs_the_same_queries_for_few_and_many(people, login, framework):
    client = login(people.employee)

    def add(n):
        for _ in range(n):
            opening = OpportunityFactory(posted_by=people.hr,
                                         team=TeamFactory(organization=people.org))
            for _level in range(3):
                OpportunitySkillFactory(opportunity=opening, skill=SkillFactory(
                    framework=framework))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(api("opportunity-list", people.org)).status_code == 200
        return len(captured)

    add(2)
    small = queries()
    add(20)
    assert queries() == small


def test_posting_answers_400_with_field_messages_and_201_when_valid(people, other_people,
                                                                    login, python):
    client = login(people.hr)
    foreign = SkillFactory(framework=FrameworkFactory(organization=other_people.org))
    bad = client.post(api("opportunity-list", people.org), {
        "kind": "gig", "title": "Churn dashboard",
        "skills": [{"skill": foreign.pk, "min_level": 3}]}, content_type="application/json")
    assert bad.status_code == 400
    assert "skills" in bad.json()["errors"]
    missing = client.post(api("opportunity-list", people.org), {
        "kind": "gig", "title": "Churn dashboard",
        "skills": [{"skill": python.pk, "min_level": 3}]}, content_type="application/json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"time_share", "duration_weeks"}
    made = client.post(api("opportunity-list", people.org), {
        "kind": "gig", "title": "Churn dashboard", "time_share": 20, "duration_weeks": 12,
        "skills": [{"skill": python.pk, "min_level": 3, "essential": False}], "publish": False},
        content_type="application/json")
    assert made.status_code == 201
    assert (made.json()["status"], made.json()["can_manage"]) == ("draft", True)
    assert login(people.employee).post(api("opportunity-list", people.org), {
        "kind": "gig", "title": "Mine", "time_share": 20, "duration_weeks": 2,
        "skills": [{"skill": python.pk, "min_level": 3}]},
        content_type="application/json").status_code == 403


def test_the_poster_patches_and_publishes(people, login, python):
    client = login(people.hr)
    made = client.post(api("opportunity-list", people.org), {
        "kind": "mentoring", "title": "Mentoring", "publish": False,
        "skills": [{"skill": python.pk, "min_level": 3}]}, content_type="application/json")
    opportunity_id = made.json()["id"]
    patched = client.patch(api("opportunity-detail", people.org, opportunity_id=opportunity_id),
                           {"title": "Mentor a new joiner"}, content_type="application/json")
    assert patched.status_code == 200
    assert patched.json()["title"] == "Mentor a new joiner"
    assert patched.json()["match"]["skills"][0]["min_level"] == 3
    published = client.post(api("opportunity-status", people.org,
                                opportunity_id=opportunity_id), {"action": "publish"},
                            content_type="application/json")
    assert published.json()["status"] == "open"
    assert login(people.manager).patch(
        api("opportunity-detail", people.org, opportunity_id=opportunity_id), {"title": "x"},
        content_type="application/json").status_code == 403


def test_save_interest_approval_and_fill_through_the_api(people, login, the_gig):
    employee = login(people.employee)
    saved = employee.post(api("opportunity-bookmark", people.org, opportunity_id=the_gig.pk))
    assert saved.json()["is_saved"] is True
    assert employee.delete(api("opportunity-bookmark", people.org,
                               opportunity_id=the_gig.pk)).status_code == 204
    assert not OpportunityBookmark.objects_unscoped.exists()
    interest = employee.post(api("opportunity-interest", people.org, opportunity_id=the_gig.pk),
                             {"message": "Keen"}, content_type="application/json").json()
    assert (interest["approval"], interest["match_score"], interest["message"]) == (
        "pending", 75, "Keen")
    again = employee.post(api("opportunity-interest", people.org, opportunity_id=the_gig.pk),
                          {}, content_type="application/json")
    assert again.status_code == 400
    manager = login(people.manager)
    pending = manager.get(api("opportunity-approval-list", people.org)).json()
    assert [row["id"] for row in pending["results"]] == [interest["id"]]
    decided = manager.post(api("opportunity-interest-approval", people.org,
                               interest_id=interest["id"]),
                           {"decision": "declined"}, content_type="application/json")
    assert decided.status_code == 400 and "note" in decided.json()["errors"]
    decided = manager.post(api("opportunity-interest-approval", people.org,
                               interest_id=interest["id"]),
                           {"decision": "approved", "note": "Yes"},
                           content_type="application/json")
    assert decided.json()["approval"] == "approved"
    hr = login(people.hr)
    candidates = hr.get(api("opportunity-candidates", people.org,
                            opportunity_id=the_gig.pk)).json()
    assert candidates["results"][0]["current_match"]["score"] == 75
    assert employee.get(api("opportunity-candidates", people.org,
                            opportunity_id=the_gig.pk)).status_code == 403
    filled = hr.post(api("opportunity-fill", people.org, opportunity_id=the_gig.pk),
                     {"interest": interest["id"]}, content_type="application/json")
    assert filled.status_code == 200
    assert (filled.json()["status"], filled.json()["filled_internally"],
            filled.json()["filled_by"]["id"]) == ("filled", True, people.employee.pk)
    move = Move.objects_unscoped.get()
    assert (move.kind, move.member, move.opportunity) == (MoveKind.ASSIGNMENT, people.employee,
                                                          the_gig)
    assert employee.get(api("opportunity-detail", people.org,
                            opportunity_id=the_gig.pk)).json()["filled_by"] is None


def test_fill_needs_a_candidate_of_this_opening_or_an_external_hire(people, login, the_gig):
    elsewhere = OpportunityInterestFactory(opportunity=OpportunityFactory(posted_by=people.hr))
    client = login(people.hr)
    path = api("opportunity-fill", people.org, opportunity_id=the_gig.pk)
    assert "interest" in client.post(path, {"interest": elsewhere.pk},
                                     content_type="application/json").json()["errors"]
    assert "candidate" in client.post(path, {}, content_type="application/json").json()["errors"]
    assert client.post(path, {"external": True}, content_type="application/json").json()[
        "filled_internally"] is False
    assert Opportunity.objects_unscoped.get(pk=the_gig.pk).status == OpportunityStatus.FILLED


def test_an_interest_is_read_by_the_member_poster_hr_and_line_manager_only(
        people, login, the_gig):
    interest = OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                                          message="Private", approval=ManagerApproval.PENDING)
    path = api("opportunity-interest-detail", people.org, interest_id=interest.pk)
    for reader in (people.employee, people.hr, people.manager):
        assert login(reader).get(path).json()["message"] == "Private"
    colleague = MembershipFactory(organization=people.org, manager=people.manager)
    other_manager = MembershipFactory(organization=people.org)
    MembershipFactory(organization=people.org, manager=other_manager)
    for outsider in (colleague, other_manager, people.leader):
        response = login(outsider).get(path)
        assert response.status_code == 404
        assert "Private" not in response.content.decode()
    assert login(colleague).post(api("opportunity-interest-not-selected", people.org,
                                     interest_id=interest.pk)).status_code == 404


def test_the_line_manager_of_a_role_candidate_does_not_read_their_interest(
        people, login, framework, python):
    from skills.factories import RoleProfileFactory

    role = OpportunityFactory(posted_by=people.hr, kind="role", time_share=None,
                              duration_weeks=None, role=RoleProfileFactory(framework=framework))
    interest = OpportunityInterestFactory(opportunity=role, member=people.employee,
                                          message="Moving on")
    path = api("opportunity-interest-detail", people.org, interest_id=interest.pk)
    assert login(people.manager).get(path).status_code == 404
    assert login(people.employee).get(path).status_code == 200


def test_my_interests_and_withdrawing(people, login, the_gig):
    client = login(people.employee)
    client.post(api("opportunity-interest", people.org, opportunity_id=the_gig.pk), {},
                content_type="application/json")
    mine = client.get(api("opportunity-interest-list", people.org)).json()
    assert [row["opportunity"]["title"] for row in mine["results"]] == [the_gig.title]
    assert client.delete(api("opportunity-interest", people.org,
                             opportunity_id=the_gig.pk)).status_code == 204
    assert OpportunityInterest.objects_unscoped.get().status == InterestStatus.WITHDRAWN


def test_managed_list_is_for_hr_and_managers(people, login, the_gig):
    assert login(people.employee).get(api("opportunity-managed-list",
                                          people.org)).status_code == 403
    rows = login(people.hr).get(api("opportunity-managed-list", people.org)).json()["results"]
    assert [row["title"] for row in rows] == [the_gig.title]
    assert login(people.manager).get(api("opportunity-managed-list",
                                         people.org)).json()["count"] == 0
