"""The opportunities pages through real URLs: browsing with a match, the detail's breakdown,
saving and expressing interest, posting with field errors, candidates, approvals and filling;
who may see what; the query counts of every list."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import Notification
from hr_admin import registrations_opportunities
from hr_admin.models import (
    InterestStatus,
    ManagerApproval,
    Move,
    MoveKind,
    Opportunity,
    OpportunityBookmark,
    OpportunityInterest,
    OpportunityKind,
    OpportunitySkill,
    OpportunityStatus,
)
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from skills.factories import (
    FrameworkFactory,
    LearningResourceFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
    SkillRatingFactory,
)

from .factories_opportunities import (
    OpportunityBookmarkFactory,
    OpportunityFactory,
    OpportunityInterestFactory,
    OpportunitySkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _panels():
    registrations_opportunities.register()


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Acme skills")


@pytest.fixture
def python(framework):
    return SkillFactory(framework=framework, name="Python")


@pytest.fixture
def facilitation(framework):
    return SkillFactory(framework=framework, name="Facilitation")


@pytest.fixture
def the_gig(people, python, facilitation):
    """HR's gig asking essential Python 4 and desirable Facilitation 2; the employee has
    Python validated at 2 and Facilitation at 2 (a 67% match)."""
    opening = OpportunityFactory(posted_by=people.hr, title="Incident review facilitator",
                                 time_share=10, duration_weeks=8)
    OpportunitySkillFactory(opportunity=opening, skill=python, min_level=4, is_core=True)
    OpportunitySkillFactory(opportunity=opening, skill=facilitation, min_level=2, is_core=False)
    SkillRatingFactory(member=people.employee, skill=python, validated_level=2)
    SkillRatingFactory(member=people.employee, skill=facilitation, validated_level=2)
    return opening


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


# --- Browsing -----------------------------------------------------------------------------------


def test_the_employee_browses_open_opportunities_with_their_match(people, login, the_gig):
    OpportunityFactory(posted_by=people.hr, title="Secret draft", status=OpportunityStatus.DRAFT)
    OpportunityFactory(posted_by=people.hr, title="Closed one", status=OpportunityStatus.CLOSED)
    OpportunityFactory(posted_by=people.hr, title="Past its date",
                       closes_on=timezone.localdate() - timedelta(days=1))
    page = text(login(people.employee).get(url("opportunities", people.org)))
    assert "Incident review facilitator" in page
    assert "You match 67%" in page
    assert "1 of 2 skills at the level asked" in page
    for hidden in ("Secret draft", "Closed one", "Past its date"):
        assert hidden not in page


def test_filters_narrow_by_kind_team_words_and_match(people, login, the_gig, python):
    engineering = TeamFactory(organization=people.org, name="Engineering")
    platform = TeamFactory(organization=people.org, name="Platform", parent=engineering)
    role = OpportunityFactory(posted_by=people.hr, kind=OpportunityKind.MENTORING,
                              title="Mentor a joiner", team=platform, time_share=None,
                              duration_weeks=None)
    OpportunitySkillFactory(opportunity=role, skill=python, min_level=2)
    client = login(people.employee)
    base = url("opportunities", people.org)

    def titles(query):
        return [o.title for o in client.get(base + query).context["items"]]

    assert set(titles("")) == {"Incident review facilitator", "Mentor a joiner"}
    assert titles("?kind=gig") == ["Incident review facilitator"]
    assert titles(f"?team={engineering.pk}") == ["Mentor a joiner"]
    assert titles("?q=facilitation") == ["Incident review facilitator"]
    assert titles("?min=90") == ["Mentor a joiner"]
    assert titles("?min=50&sort=newest") == ["Mentor a joiner", "Incident review facilitator"]
    assert "Nothing matches these filters" in text(client.get(base + "?q=astronomy"))


def test_the_browse_list_runs_the_same_queries_for_few_and_many(people, login, framework):
    client = login(people.employee)
    path = url("opportunities", people.org)

    def add(n):
        for _ in range(n):
            opening = OpportunityFactory(posted_by=people.hr, team=TeamFactory(
                organization=people.org))
            for level in (2, 3, 4):
                skill = SkillFactory(framework=framework)
                OpportunitySkillFactory(opportunity=opening, skill=skill, min_level=level)
                SkillRatingFactory(member=people.employee, skill=skill, validated_level=level)
            OpportunityBookmarkFactory(opportunity=opening, member=people.employee)

    add(2)
    small = count_queries(client, path)
    add(20)
    large = count_queries(client, path)
    assert small == large
    assert count_queries(client, path + "?view=saved") == large
    print(f"\nopportunities list: {small} queries for 2 and for 22")


def test_the_detail_shows_the_breakdown_and_ways_to_build_missing_skills(
        people, login, the_gig, python):
    resource = LearningResourceFactory(skill=python, title="Python for practitioners", hours=10)
    response = login(people.employee).get(url("opportunity_detail", people.org,
                                              opportunity_id=the_gig.pk))
    page = text(response)
    assert response.status_code == 200
    assert "You match 67%" in page
    assert "2 levels to go" in page and "You have it" in page
    assert "Python for practitioners" in page
    assert reverse("careers:action_from_resource", kwargs={
        "org_slug": people.org.slug, "resource_id": resource.pk}) in page
    assert "Your line manager, who approves the time." in page


def test_a_draft_is_seen_by_its_poster_and_hr_only(people, other_people, login, python):
    draft = OpportunityFactory(posted_by=people.manager, status=OpportunityStatus.DRAFT)
    path = url("opportunity_detail", people.org, opportunity_id=draft.pk)
    assert login(people.employee).get(path).status_code == 404
    assert login(people.leader).get(path).status_code == 404
    assert login(people.manager).get(path).status_code == 200
    assert login(people.hr).get(path).status_code == 200
    foreign = url("opportunity_detail", other_people.org, opportunity_id=draft.pk)
    assert login(other_people.hr).get(foreign).status_code == 404


def test_the_employee_expresses_interest_with_a_message_and_follows_it(
        people, login, the_gig):
    client = login(people.employee)
    response = client.post(url("opportunity_interest", people.org, opportunity_id=the_gig.pk),
                           {"message": "I ran the last two reviews."}, follow=True)
    assert "has been asked to approve the time" in messages_of(response)[0]
    interest = OpportunityInterest.objects_unscoped.get()
    assert (interest.member, interest.message, interest.match_score, interest.approval) == (
        people.employee, "I ran the last two reviews.", 67, ManagerApproval.PENDING)
    assert "Waiting for the manager" in text(response)
    mine = text(client.get(url("opportunities", people.org) + "?view=interests"))
    assert "Incident review facilitator" in mine and "67%" in mine
    too_long = client.post(url("opportunity_interest", people.org, opportunity_id=the_gig.pk),
                           {"message": "x" * 4001})
    assert too_long.status_code == 400
    client.post(url("opportunity_withdraw", people.org, opportunity_id=the_gig.pk))
    interest.refresh_from_db()
    assert interest.status == InterestStatus.WITHDRAWN


def test_saving_and_unsaving_from_the_list(people, login, the_gig):
    client = login(people.employee)
    back = url("opportunities", people.org)
    response = client.post(url("opportunity_bookmark", people.org, opportunity_id=the_gig.pk),
                           {"action": "save", "next": back})
    assert response["Location"] == back
    assert OpportunityBookmark.objects_unscoped.filter(member=people.employee).exists()
    saved = client.get(back + "?view=saved")
    assert [o.title for o in saved.context["items"]] == ["Incident review facilitator"]
    client.post(url("opportunity_bookmark", people.org, opportunity_id=the_gig.pk),
                {"action": "unsave"})
    assert not OpportunityBookmark.objects_unscoped.exists()
    assert client.get(url("opportunity_bookmark", people.org,
                          opportunity_id=the_gig.pk)).status_code == 405


def test_the_navigation_offers_opportunities_to_members_and_openings_to_managers(
        people, login, the_gig):
    OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                               approval=ManagerApproval.PENDING)
    employee_nav = login(people.employee).get(url("opportunities", people.org)).context["nav"]
    assert "Opportunities" in [item["label"] for item in employee_nav]
    assert "Openings" not in [item["label"] for item in employee_nav]
    manager_nav = {item["label"]: item for item in
                   login(people.manager).get(url("opportunities", people.org)).context["nav"]}
    assert manager_nav["Openings"]["count"] == 1


def test_the_home_panel_offers_the_best_matches(people, login, the_gig):
    page = text(login(people.employee).get(reverse("organizations:home",
                                                   kwargs={"org_slug": people.org.slug})))
    assert "Opportunities that match you" in page
    assert "Incident review facilitator" in page


def test_the_career_record_holds_saved_opportunities_and_interests(people, login, the_gig):
    OpportunityBookmarkFactory(opportunity=the_gig, member=people.employee)
    OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                               message="Count me in", match_score=67)
    response = login(people.employee).get(reverse("careers:record_json",
                                                  kwargs={"org_slug": people.org.slug}))
    section = json.loads(response.content)["sections"]["opportunities"]
    assert section["saved"][0]["title"] == "Incident review facilitator"
    assert (section["interests"][0]["message"], section["interests"][0]["match_score"]) == (
        "Count me in", 67)


# --- Posting ------------------------------------------------------------------------------------


def _posting(**fields):
    data = {"kind": "gig", "title": "Churn dashboard", "description": "", "role": "",
            "team": "", "time_share": "20", "duration_weeks": "12", "location": "",
            "starts_on": "", "closes_on": "", "action": "publish",
            "skills-TOTAL_FORMS": "2", "skills-INITIAL_FORMS": "0",
            "skills-MIN_NUM_FORMS": "0", "skills-MAX_NUM_FORMS": "30",
            "skills-0-skill": "", "skills-0-min_level": "", "skills-0-importance": "essential",
            "skills-1-skill": "", "skills-1-min_level": "", "skills-1-importance": "essential"}
    data.update(fields)
    return data


def test_the_posting_form_shows_each_problem_by_field(people, login, python):
    client = login(people.hr)
    assert client.get(url("opportunity_create", people.org)).status_code == 200
    response = client.post(url("opportunity_create", people.org), _posting(
        title="", time_share="", duration_weeks="300"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "duration_weeks"}
    response = client.post(url("opportunity_create", people.org), _posting(time_share=""))
    assert response.status_code == 400
    assert "how much of their time" in response.context["form"].errors["time_share"][0]
    assert "at least one required skill" in text(response)
    response = client.post(url("opportunity_create", people.org), _posting(**{
        "skills-0-skill": str(python.pk)}))
    assert response.status_code == 400
    assert "Choose the minimum level." in text(response)
    assert not Opportunity.objects_unscoped.exists()


def test_hr_publishes_a_gig_from_the_form(people, login, python, facilitation):
    response = login(people.hr).post(url("opportunity_create", people.org), _posting(**{
        "skills-0-skill": str(python.pk), "skills-0-min_level": "3",
        "skills-1-skill": str(facilitation.pk), "skills-1-min_level": "2",
        "skills-1-importance": "desirable"}), follow=True)
    made = Opportunity.objects_unscoped.get()
    assert response.redirect_chain[-1][0] == url("opportunity_detail", people.org,
                                                 opportunity_id=made.pk)
    assert "Published" in messages_of(response)[0]
    assert (made.kind, made.status, made.time_share, made.duration_weeks) == (
        OpportunityKind.GIG, OpportunityStatus.OPEN, 20, 12)
    assert sorted(OpportunitySkill.objects_unscoped.values_list("skill__name", "is_core")) == [
        ("Facilitation", False), ("Python", True)]


def test_a_role_fills_its_skills_from_its_profile_and_more_lines_can_be_added(
        people, login, framework, python):
    role = RoleProfileFactory(framework=framework, title="Data Analyst")
    RoleRequirementFactory(role=role, skill=python, min_level=3)
    client = login(people.manager)
    loaded = client.post(url("opportunity_create", people.org), _posting(
        kind="role", role=str(role.pk), action="load_role"))
    assert loaded.status_code == 200
    rows = loaded.context["skills_formset"].initial
    assert rows[0] == {"skill": str(python.pk), "min_level": 3, "importance": "essential"}
    more = client.post(url("opportunity_create", people.org), _posting(action="more_rows"))
    assert more.context["skills_formset"].total_form_count() == 5
    assert not Opportunity.objects_unscoped.exists()
    client.post(url("opportunity_create", people.org), _posting(
        kind="role", role=str(role.pk), action="draft"))
    made = Opportunity.objects_unscoped.get()
    assert (made.status, made.role, made.time_share) == (OpportunityStatus.DRAFT, role, None)


def test_an_employee_cannot_post_and_a_manager_cannot_edit_anothers(people, login, the_gig):
    assert login(people.employee).get(url("opportunity_create", people.org)).status_code == 403
    assert login(people.employee).get(url("opportunity_manage", people.org)).status_code == 403
    path = url("opportunity_edit", people.org, opportunity_id=the_gig.pk)
    assert login(people.manager).get(path).status_code == 403
    assert login(people.hr).get(path).status_code == 200


def test_the_poster_edits_and_closes_their_opening(people, login, python):
    mine = OpportunityFactory(posted_by=people.manager, kind=OpportunityKind.MENTORING,
                              time_share=None, duration_weeks=None, title="Mentoring")
    OpportunitySkillFactory(opportunity=mine, skill=python, min_level=3)
    client = login(people.manager)
    edit = client.get(url("opportunity_edit", people.org, opportunity_id=mine.pk))
    assert edit.context["skills_formset"].initial[0]["skill"] == str(python.pk)
    client.post(url("opportunity_edit", people.org, opportunity_id=mine.pk), _posting(**{
        "kind": "mentoring", "title": "Mentor a new joiner", "action": "save",
        "skills-0-skill": str(python.pk), "skills-0-min_level": "2"}))
    mine.refresh_from_db()
    assert mine.title == "Mentor a new joiner"
    client.post(url("opportunity_status", people.org, opportunity_id=mine.pk),
                {"action": "close"})
    mine.refresh_from_db()
    assert mine.status == OpportunityStatus.CLOSED


def test_the_manage_page_lists_what_the_caller_manages_with_bounded_queries(
        people, login, python):
    other = OpportunityFactory(posted_by=people.hr, title="Opening posted by HR")
    client = login(people.manager)
    path = url("opportunity_manage", people.org)

    def add(n):
        for _ in range(n):
            opening = OpportunityFactory(posted_by=people.manager, team=TeamFactory(
                organization=people.org))
            OpportunityInterestFactory(opportunity=opening, approval=ManagerApproval.PENDING)

    add(2)
    small = count_queries(client, path)
    add(15)
    assert count_queries(client, path) == small
    page = text(client.get(path))
    assert "Opening posted by HR" not in page
    assert other.title in text(login(people.hr).get(path))


# --- Candidates, approvals and filling ----------------------------------------------------------


def test_candidates_are_ranked_by_their_current_match_and_reading_them_is_audited(
        people, login, the_gig, python, facilitation):
    strong = MembershipFactory(organization=people.org, manager=people.manager)
    SkillRatingFactory(member=strong, skill=python, validated_level=5)
    SkillRatingFactory(member=strong, skill=facilitation, validated_level=3)
    OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                               message="I would love this", match_score=40,
                               approval=ManagerApproval.PENDING)
    OpportunityInterestFactory(opportunity=the_gig, member=strong, match_score=90,
                               approval=ManagerApproval.APPROVED)
    response = login(people.hr).get(url("opportunity_candidates", people.org,
                                        opportunity_id=the_gig.pk))
    ranked = [c.member for c in response.context["candidates"]]
    assert ranked == [strong, people.employee]
    assert [c.match.score for c in response.context["candidates"]] == [100, 67]
    page = text(response)
    assert "I would love this" in page and "40% when they expressed interest" in page
    assert AuditEvent.objects_unscoped.filter(action="hr.opportunity_candidates_viewed",
                                              actor=people.hr).exists()


def test_candidates_are_for_the_poster_and_hr_only(people, login, the_gig):
    OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                               message="A private message")
    path = url("opportunity_candidates", people.org, opportunity_id=the_gig.pk)
    colleague = MembershipFactory(organization=people.org)
    for someone in (people.employee, people.manager, people.leader, colleague):
        response = login(someone).get(path)
        assert response.status_code == 403
        assert "A private message" not in text(response)


def test_the_candidates_page_runs_the_same_queries_for_few_and_many(
        people, login, the_gig, python):
    client = login(people.hr)
    path = url("opportunity_candidates", people.org, opportunity_id=the_gig.pk)

    def add(n):
        for _ in range(n):
            member = MembershipFactory(organization=people.org, manager=people.manager,
                                       team=TeamFactory(organization=people.org))
            SkillRatingFactory(member=member, skill=python, validated_level=3)
            OpportunityInterestFactory(opportunity=the_gig, member=member,
                                       approval=ManagerApproval.APPROVED,
                                       approval_by=people.manager)

    add(2)
    small = count_queries(client, path)
    add(15)
    assert count_queries(client, path) == small


def test_the_line_manager_approves_from_their_page_and_the_member_is_told(
        people, login, the_gig):
    interest = OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                                          message="Keen!", approval=ManagerApproval.PENDING)
    client = login(people.manager)
    page = client.get(url("opportunity_approvals", people.org))
    assert [i.pk for i in page.context["pending"]] == [interest.pk]
    assert "10% of the week for 8 weeks" in text(page) and "Keen!" in text(page)
    bad = client.post(url("interest_approval", people.org, interest_id=interest.pk),
                      {f"a{interest.pk}-decision": "declined", f"a{interest.pk}-note": ""})
    assert bad.status_code == 400
    assert "Say why" in text(bad)
    response = client.post(url("interest_approval", people.org, interest_id=interest.pk),
                           {f"a{interest.pk}-decision": "approved",
                            f"a{interest.pk}-note": "Go for it"}, follow=True)
    assert "Approved" in messages_of(response)[0]
    interest.refresh_from_db()
    assert (interest.approval, interest.approval_by, interest.approval_note) == (
        ManagerApproval.APPROVED, people.manager, "Go for it")
    assert Notification.objects_unscoped.filter(recipient=people.employee,
                                                title__contains="approved").exists()


def test_only_the_line_manager_may_decide_and_others_never_see_the_request(
        people, login, the_gig):
    interest = OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                                          approval=ManagerApproval.PENDING)
    other_manager = MembershipFactory(organization=people.org)
    MembershipFactory(organization=people.org, manager=other_manager)
    path = url("interest_approval", people.org, interest_id=interest.pk)
    data = {f"a{interest.pk}-decision": "approved", f"a{interest.pk}-note": ""}
    assert login(other_manager).post(path, data).status_code == 404
    assert login(people.employee).post(path, data).status_code == 403
    assert login(people.hr).post(path, data).status_code == 403
    assert login(people.employee).get(url("opportunity_approvals", people.org)).status_code \
        == 403
    assert not login(other_manager).get(url("opportunity_approvals",
                                            people.org)).context["pending"]


def test_the_approvals_page_runs_the_same_queries_for_few_and_many(people, login, the_gig):
    client = login(people.manager)
    path = url("opportunity_approvals", people.org)

    def add(n):
        for _ in range(n):
            member = MembershipFactory(organization=people.org, manager=people.manager,
                                       team=TeamFactory(organization=people.org))
            OpportunityInterestFactory(opportunity=the_gig, member=member,
                                       approval=ManagerApproval.PENDING)

    add(2)
    small = count_queries(client, path)
    add(15)
    assert count_queries(client, path) == small


def test_hr_fills_the_gig_with_the_approved_candidate_and_the_move_is_recorded(
        people, login, the_gig):
    approved = OpportunityInterestFactory(opportunity=the_gig, member=people.employee,
                                          approval=ManagerApproval.APPROVED,
                                          approval_by=people.manager)
    waiting = OpportunityInterestFactory(opportunity=the_gig, approval=ManagerApproval.PENDING)
    client = login(people.hr)
    page = client.get(url("opportunity_fill", people.org, opportunity_id=the_gig.pk))
    assert [c.interest for c in page.context["candidates"]] == [approved]
    refused = client.post(url("opportunity_fill", people.org, opportunity_id=the_gig.pk),
                          {"candidate": str(waiting.pk)})
    assert refused.status_code == 400
    response = client.post(url("opportunity_fill", people.org, opportunity_id=the_gig.pk),
                           {"candidate": str(approved.pk)}, follow=True)
    assert "Their move is recorded" in messages_of(response)[0]
    move = Move.objects_unscoped.get()
    assert (move.member, move.kind, move.opportunity, move.is_internal_fill) == (
        people.employee, MoveKind.ASSIGNMENT, the_gig, True)
    waiting.refresh_from_db()
    assert waiting.status == InterestStatus.NOT_SELECTED


def test_the_poster_marks_a_candidate_not_selected(people, login, the_gig):
    interest = OpportunityInterestFactory(opportunity=the_gig, member=people.employee)
    response = login(people.hr).post(url("interest_not_selected", people.org,
                                         interest_id=interest.pk), follow=True)
    assert "marked not selected" in messages_of(response)[0]
    interest.refresh_from_db()
    assert interest.status == InterestStatus.NOT_SELECTED
    assert login(people.employee).post(url("interest_not_selected", people.org,
                                           interest_id=interest.pk)).status_code == 403
