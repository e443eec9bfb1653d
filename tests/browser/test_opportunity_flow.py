"""An internal gig from end to end: HR posts a gig requiring a skill (after fixing the form's
errors); the employee, who has a validated level in it, sees it with a match score and
expresses interest; their manager approves the time; HR fills it internally; the move appears
in the employee's career history."""

import pytest

from hr_admin.models import Move, MoveKind, Opportunity, OpportunityInterest, OpportunityStatus
from skills.factories import (
    FrameworkFactory,
    LearningResourceFactory,
    SkillFactory,
    SkillRatingFactory,
)
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Incident review facilitator"
MESSAGE = "I ran the review of the March outage and would love to do more."


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def skills(people):
    framework = FrameworkFactory(organization=people.org, name="Acme skills")
    incidents = SkillFactory(framework=framework, name="Incident response")
    writing = SkillFactory(framework=framework, name="Written communication")
    LearningResourceFactory(skill=writing, title="Writing a blameless post-mortem", hours=2)
    SkillRatingFactory(member=people.employee, skill=incidents, self_level=4, validated_level=3)
    return incidents, writing


def test_hr_posts_a_gig_the_employee_asks_the_manager_approves_and_hr_fills_it(
        people, other_people, live_server, browser, screenshot, skills):
    base, org = live_server.url, people.org.slug

    # HR posts the gig; the first try forgets the time it takes and the skills.
    hr_ctx, hr = new_page(browser)
    sign_in(hr, base, "hr@acme.test")
    hr.goto(f"{base}/o/{org}/hr/opportunities/new/")
    hr.get_by_role("radio", name="Gig").check()
    hr.get_by_label("Title").fill(TITLE)
    hr.get_by_label("Description").fill("Run the blameless reviews after major incidents.")
    hr.get_by_role("button", name="Publish").click()
    assert "Say how much of their time it takes" in hr.content()
    assert "Add at least one required skill" in hr.content()
    screenshot(hr, "opportunities-form-errors")
    hr.get_by_label("Share of time (%)").fill("10")
    hr.get_by_label("Duration (weeks)").fill("8")
    hr.get_by_label("Skill 1", exact=True).select_option(label="Incident response")
    hr.get_by_label("Minimum level of skill 1").select_option(value="4")
    hr.get_by_label("Skill 2", exact=True).select_option(label="Written communication")
    hr.get_by_label("Minimum level of skill 2").select_option(value="3")
    hr.get_by_label("Importance of skill 2").select_option(value="desirable")
    hr.get_by_role("button", name="Publish").click()
    assert "Published" in hr.content()
    gig = Opportunity.objects_unscoped.get(title=TITLE)
    assert gig.status == OpportunityStatus.OPEN

    # The employee sees it with their match (validated 3 of an essential 4, nothing of a
    # desirable 3: 50%) and expresses interest.
    emp_ctx, emp = new_page(browser)
    sign_in(emp, base, "employee@acme.test")
    emp.goto(f"{base}/o/{org}/hr/opportunities/")
    card = emp.locator("article.op-card", has_text=TITLE)
    assert card.get_by_role("img", name="You match 50%").count() == 1
    screenshot(emp, "opportunities-browse")
    card.get_by_role("link", name="See your match").click()
    assert "1 level to go" in emp.content()
    assert "Writing a blameless post-mortem" in emp.content()
    screenshot(emp, "opportunities-detail")
    emp.get_by_label("Message to the poster").fill(MESSAGE)
    emp.get_by_role("button", name="I'm interested").click()
    assert "has been asked to approve the time" in emp.content()
    assert "Waiting for the manager" in emp.content()

    # The manager approves the time from their approvals page.
    mgr_ctx, mgr = new_page(browser)
    sign_in(mgr, base, "manager@acme.test")
    mgr.goto(f"{base}/o/{org}/hr/opportunities/approvals/")
    request = mgr.locator("li.op-approval", has_text=TITLE)
    assert "10% of the week for 8 weeks" in request.inner_text()
    assert MESSAGE in request.inner_text()
    screenshot(mgr, "opportunities-approvals")
    request.get_by_label("Approve the time").check()
    request.get_by_label("Note").fill("Go for it: we will cover your Friday afternoons.")
    request.get_by_role("button", name="Send my decision").click()
    assert "Approved." in mgr.content()
    mgr_ctx.close()

    # HR ranks the candidates and fills the gig with the employee.
    hr.goto(f"{base}/o/{org}/hr/opportunities/{gig.pk}/candidates/")
    assert MESSAGE in hr.content()
    assert "Time approved" in hr.content()
    screenshot(hr, "opportunities-candidates")
    interest = OpportunityInterest.objects_unscoped.get(opportunity=gig, member=people.employee)
    hr.locator(f"#candidate-{interest.pk}").get_by_role("link", name="Choose").click()
    hr.get_by_role("button", name="Fill the opening").click()
    assert "Their move is recorded" in hr.content()
    move = Move.objects_unscoped.get(member=people.employee)
    assert (move.kind, move.opportunity_id, move.is_internal_fill) == (
        MoveKind.ASSIGNMENT, gig.pk, True)

    # The move is in the employee's career history, on their profile, for HR and for them.
    hr.goto(f"{base}/o/{org}/people/{people.employee.pk}/")
    history = hr.locator("#career-history")
    assert "Project or gig" in history.inner_text()
    assert TITLE in history.inner_text()
    hr_ctx.close()
    emp.goto(f"{base}/o/{org}/people/{people.employee.pk}/")
    history = emp.locator("#career-history")
    assert "Project or gig" in history.inner_text() and TITLE in history.inner_text()
    screenshot(emp, "opportunities-career-history")
    emp_ctx.close()
