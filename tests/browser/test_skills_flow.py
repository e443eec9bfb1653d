"""HR sets a requirement, the employee rates themselves, the manager validates, the gap closes."""

import pytest

from skills.factories import (
    FrameworkFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
)
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def readiness(page) -> str:
    return page.locator(".sk-ring__value").first.inner_text().replace("\n", "").strip()


def test_requirement_self_assessment_validation_and_gap(people, other_people, live_server,
                                                        browser, screenshot):
    framework = FrameworkFactory(organization=people.org, name="Acme skills")
    python = SkillFactory(framework=framework, organization=people.org, name="Python")
    role = RoleProfileFactory(framework=framework, organization=people.org,
                              title="Software Engineer")
    RoleRequirementFactory(role=role, organization=people.org, min_level=3, skill=python)
    MemberRoleFactory(member=people.employee, role=role, organization=people.org)
    base = live_server.url
    org = people.org.slug

    def as_(email):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, base, email)
        return context, page

    # HR adds a skill to the framework and requires it of the role at level 4.
    hr_ctx, hr = as_("hr@acme.test")
    hr.goto(f"{base}/o/{org}/skills/manage/frameworks/{framework.pk}/")
    hr.get_by_label("Skill name").fill("Stakeholder communication")
    hr.get_by_role("button", name="Add skill").click()
    assert "Stakeholder communication" in hr.content()
    hr.goto(f"{base}/o/{org}/skills/manage/roles/{role.pk}/")
    requirement_form = hr.locator("form", has=hr.get_by_role("button", name="Add requirement"))
    requirement_form.get_by_label("Skill").select_option(label="Stakeholder communication")
    requirement_form.get_by_label("Minimum level").select_option(value="4")
    requirement_form.get_by_role("button", name="Add requirement").click()
    assert hr.locator("table").filter(has_text="Stakeholder communication").count() >= 1
    screenshot(hr, "skills-hr-role")
    hr_ctx.close()

    # The employee sees a gap, rates themselves and submits.
    emp_ctx, emp = as_("employee@acme.test")
    emp.goto(f"{base}/o/{org}/skills/roles/{role.pk}/gaps/")
    assert readiness(emp) == "0%"
    emp.get_by_role("button", name="Rate myself against this role").click()
    for skill, level in (("Python", "3"), ("Stakeholder communication", "4")):
        fieldset = emp.locator("fieldset", has=emp.locator("legend", has_text=skill))
        radio = fieldset.locator(f"input[type=radio][value='{level}']")
        fieldset.locator(f"label[for='{radio.get_attribute('id')}']").click()
        assert radio.is_checked()
    emp.get_by_role("button", name="Submit to my manager").click()
    screenshot(emp, "skills-employee-submitted")

    # The manager validates from their queue.
    mgr_ctx, mgr = as_("manager@acme.test")
    mgr.goto(f"{base}/o/{org}/skills/validation/")
    mgr.get_by_role("link", name="Review").first.click()
    mgr.get_by_role("button", name="Validate the check-in").click()
    assert "alidated" in mgr.content()
    screenshot(mgr, "skills-manager-validated")
    mgr_ctx.close()

    # The employee's gap view now shows the role as fully met.
    emp.goto(f"{base}/o/{org}/skills/roles/{role.pk}/gaps/")
    assert readiness(emp) == "100%"
    screenshot(emp, "skills-employee-gaps")
    emp_ctx.close()
