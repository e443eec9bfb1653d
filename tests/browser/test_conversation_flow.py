"""A career conversation from end to end: the manager schedules it from the team page; the
employee prepares and shares a reflection area; the manager reads it, takes shared and private
notes, records two agreed actions and marks it held; the employee rates the outcomes and finds
the two actions in their development plan."""

from datetime import timedelta

import pytest
from django.utils import timezone

from careers.models import ReflectionArea, ReflectionPrompt
from careers.services import reflections as reflection_services
from conversations.models import Conversation, ConversationStatus, Outcome
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIVATE = "Private to me: ask the VP about the tech lead opening first."
SHARED_ANSWER = "Designing systems and explaining them to other people."


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def reflection(people):
    """The employee has reflected on what matters to them (one answer)."""
    reflection = reflection_services.reflection_start(organization=people.org,
                                                      actor=people.employee)
    area = ReflectionArea.objects_unscoped.get(template=reflection.template, key="what-matters")
    prompt = ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position")[0]
    reflection_services.reflection_answer_save(organization=people.org, actor=people.employee,
                                               reflection=reflection, prompt=prompt,
                                               text=SHARED_ANSWER)
    return reflection, area


def test_schedule_prepare_share_take_notes_agree_rate_and_find_the_plan(
        people, other_people, live_server, browser, screenshot, reflection):
    base, org = live_server.url, people.org.slug
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    # The manager schedules from the team page.
    mgr_ctx, mgr = new_page(browser)
    sign_in(mgr, base, "manager@acme.test")
    mgr.goto(f"{base}/o/{org}/conversations/team/")
    mgr.locator(f"#report-{people.employee.pk}").get_by_role("link", name="Schedule").click()
    mgr.get_by_label("Date").fill(tomorrow)
    mgr.get_by_label("Time").fill("10:00")
    mgr.get_by_label("Place").fill("Meeting room Kew")
    mgr.get_by_role("button", name="Schedule").click()
    assert "is scheduled" in mgr.content()
    conversation = Conversation.objects_unscoped.get(member=people.employee)
    detail = f"{base}/o/{org}/conversations/{conversation.pk}/"

    # The employee prepares and attaches a reflection area.
    emp_ctx, emp = new_page(browser)
    sign_in(emp, base, "employee@acme.test")
    emp.goto(f"{base}/o/{org}/conversations/")
    emp.get_by_role("link", name="Prepare").first.click()
    emp.get_by_label("Reflect on your journey so far").fill("Led the on-call redesign.")
    emp.get_by_label("What I want to ask").fill("What would a tech lead role need from me?")
    emp.get_by_role("button", name="Save my preparation").click()
    assert "Your preparation is saved" in emp.content()
    emp.get_by_label("Reflection area", exact=True).select_option(label="What's important to me")
    emp.get_by_role("button", name="Share with").click()
    assert "is shared with" in emp.content()
    screenshot(emp, "conversations-employee-prepares")

    # The day comes: the conversation starts (its time moves into the past, as it would).
    Conversation.objects_unscoped.filter(pk=conversation.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=5))

    # The manager reads the shared area beside the guide, takes notes, agrees two actions.
    mgr.goto(detail)
    assert SHARED_ANSWER in mgr.content()
    assert "Led the on-call redesign." not in mgr.content()
    mgr.get_by_label("Shared notes").fill("Priya wants to try the tech lead track.")
    mgr.get_by_role("button", name="Save shared notes").click()
    assert "Shared notes saved" in mgr.content()
    mgr.get_by_label("My private notes").fill(PRIVATE)
    mgr.get_by_role("button", name="Save my private notes").click()
    assert "Only you see them" in mgr.content()
    for title, kind in (("Write the on-call redesign proposal", "Stretch project"),
                        ("Shadow Ana in two incident reviews", "Shadowing")):
        mgr.get_by_label("Action", exact=True).fill(title)
        mgr.get_by_label("Kind").select_option(label=kind)
        mgr.get_by_role("button", name="Add the action").click()
        assert "is agreed and added" in mgr.content()
    screenshot(mgr, "conversations-manager-notes")
    mgr.get_by_role("button", name="Mark as held").click()
    assert "Marked as held" in mgr.content()
    assert Conversation.objects_unscoped.get(pk=conversation.pk).status == \
        ConversationStatus.HELD
    mgr_ctx.close()

    # The employee rates the four outcomes and finds the actions in their plan.
    emp.goto(detail)
    assert "Priya wants to try the tech lead track." in emp.content()
    assert PRIVATE not in emp.content()
    for legend, rating in (("A clearer sense of career direction", "4"),
                           ("Increased self-insight", "4"),
                           ("A broader understanding of options and resources", "5 · very much"),
                           ("Increased confidence and motivation", "5 · very much")):
        emp.locator("fieldset", has_text=legend).get_by_role(
            "radio", name=rating, exact=True).check()
    emp.get_by_label("Anything else?").fill("Clear next steps.")
    emp.get_by_role("button", name="Send my ratings").click()
    assert "your ratings are saved" in emp.content()
    outcome = Outcome.objects_unscoped.get(conversation=conversation)
    assert (outcome.direction, outcome.self_insight, outcome.options, outcome.confidence) == (
        4, 4, 5, 5)
    screenshot(emp, "conversations-employee-rates")
    emp.goto(f"{base}/o/{org}/career/plan/")
    plan = emp.content()
    assert "Write the on-call redesign proposal" in plan
    assert "Shadow Ana in two incident reviews" in plan
    emp_ctx.close()
