"""An employee reflects, closes the tab mid-answer, finds the text again, shares one area; the
manager sees exactly that area."""

import pytest

from careers.models import ReflectionAnswer
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRIVATE = "Only for me: I am thinking about leaving the Platform team."


def new_page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def answer(page, question: str, text: str) -> None:
    box = page.get_by_label(question)
    box.click()
    box.press_sequentially(text, delay=5)


def test_reflect_close_the_tab_come_back_share_one_area(people, other_people, live_server,
                                                       browser, screenshot):
    base, org = live_server.url, people.org.slug
    emp_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    emp = new_page(emp_ctx)
    sign_in(emp, base, "employee@acme.test")

    # Start a reflection: it opens on the first area, "Where I'm at".
    emp.goto(f"{base}/o/{org}/career/reflections/")
    emp.get_by_role("button", name="Start a new reflection").click()
    assert emp.get_by_role("heading", level=1).inner_text() == "Where I'm at"
    answer(emp, "How do you feel about your current job?", "Energised, ready for more ownership.")
    answer(emp, "How do you feel about your career situation overall?", "On track.")
    emp.get_by_text("Saved at").first.wait_for()
    screenshot(emp, "careers-reflection-area")

    # Second area: one answer saved, then the tab is closed in the middle of the next one.
    emp.get_by_role("button", name="Save and go to the next area").click()
    assert emp.get_by_role("heading", level=1).inner_text() == "What's important to me"
    area_two = emp.url
    answer(emp, "What skills do you like to use?", "System design and mentoring.")
    emp.get_by_text("Saved at").first.wait_for()
    answer(emp, "What are your values in relation to work?", PRIVATE)
    emp.close(run_before_unload=True)

    # Coming back: every word is there, and it reaches the server.
    emp = new_page(emp_ctx)
    emp.goto(area_two)
    assert emp.get_by_label("What are your values in relation to work?").input_value() == PRIVATE
    for _ in range(50):  # the page re-sends a restored answer at once; give it up to 10 s
        if ReflectionAnswer.objects_unscoped.filter(text=PRIVATE).exists():
            break
        emp.wait_for_timeout(200)
    assert ReflectionAnswer.objects_unscoped.filter(text=PRIVATE).exists()

    # Share the first area only.
    emp.goto(f"{base}/o/{org}/career/reflections/")
    emp.get_by_role("link", name="Continue").first.click()
    first_area = emp.locator(".ca-area").first
    first_area.get_by_role("button", name="Share with").click()
    assert "is shared with" in emp.content()
    screenshot(emp, "careers-reflection-overview")
    emp_ctx.close()

    # The manager sees the shared area and nothing of the other.
    mgr_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    mgr = new_page(mgr_ctx)
    sign_in(mgr, base, "manager@acme.test")
    mgr.goto(f"{base}/o/{org}/career/shared/")
    mgr.locator("main").get_by_role("link", name="Open").first.click()
    body = mgr.content()
    assert "Energised, ready for more ownership." in body
    assert "System design and mentoring." not in body
    assert PRIVATE not in body
    screenshot(mgr, "careers-manager-shared")
    mgr_ctx.close()
