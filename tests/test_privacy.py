"""Privacy canaries: what a member keeps private never reaches anyone else's screen.

A unique string is written where only its author may read it; then every GET route of every app
(pages and API, discovered from the URL configuration) is fetched as each other role of the same
organisation, with the ids of the very objects that hold the canary, and no response may contain
it. New routes are walked the day they are added.
"""

import pytest

from careers.models import (
    CareerGoal,
    CareerOption,
    DevelopmentAction,
    ReflectionArea,
    ReflectionPrompt,
)
from careers.services import reflections as reflection_services
from tests.routes import ID_SOURCES, get_every_route

pytestmark = pytest.mark.django_db

CANARY = "CANARY-7f3a9c-unshared"


def _write(people, reflection, area, text):
    prompt = ReflectionPrompt.objects_unscoped.filter(area=area).order_by("position").first()
    reflection_services.reflection_answer_save(organization=people.org, actor=people.employee,
                                               reflection=reflection, prompt=prompt, text=text)
    return prompt


@pytest.fixture
def canaries(people):
    """The employee's reflection: area 1 shared (ordinary text), area 2 never shared (canary),
    area 3 shared then withdrawn (canary); and an unshared goal, option and action (canary)."""
    ids = ID_SOURCES(people)
    org, employee = people.org, people.employee
    reflection = reflection_services.reflection_start(organization=org, actor=employee)
    shared, private, withdrawn = list(ReflectionArea.objects_unscoped
                                      .filter(template=reflection.template)
                                      .order_by("position")[:3])
    _write(people, reflection, shared, "Happy to talk about this")
    private_prompt = _write(people, reflection, private, f"{CANARY} in a private area")
    _write(people, reflection, withdrawn, f"{CANARY} in a withdrawn area")
    for area in (shared, withdrawn):
        reflection_services.reflection_share_area(organization=org, actor=employee,
                                                  reflection=reflection, area=area)
    reflection_services.reflection_unshare_area(organization=org, actor=employee,
                                                reflection=reflection, area=withdrawn)

    def make(model, **fields):
        return model.objects_unscoped.create(organization=org, member=employee, **fields)

    goal = make(CareerGoal, title=f"{CANARY} goal", motivation=CANARY)
    option = make(CareerOption, title=f"{CANARY} option", pros=CANARY, cons=CANARY)
    action = make(DevelopmentAction, title=f"{CANARY} action", evidence=CANARY,
                  shared_with_manager=False)
    make(CareerGoal, title="Shared goal", shared_with_manager=True)
    ids.update(org_slug=org.slug, member_id=employee.pk, reflection_id=reflection.pk,
               area_id=private.pk,
               prompt_id=private_prompt.pk, goal_id=goal.pk, option_id=option.pk,
               action_id=action.pk)
    return ids, shared


@pytest.mark.parametrize("role", ["manager", "hr", "leader"])
def test_an_unshared_reflection_area_goal_option_or_action_never_reaches_another_role(
        people, canaries, login, role):
    ids, shared_area = canaries
    client = login(people.by_role()[role])
    leaks, errors, fetched = [], [], 0
    for values in (ids, {**ids, "area_id": shared_area.pk}):
        for url, response in get_every_route(client, values):
            fetched += 1
            if response.status_code >= 500:
                errors.append((url, response.status_code))
            body = b"".join(response) if response.streaming else response.content
            if CANARY.encode() in body:
                leaks.append((url, response.status_code))
    assert fetched > 100
    assert errors == []
    assert leaks == []


def test_the_manager_does_see_the_shared_area_so_the_walk_can_find_text(people, canaries, login):
    from django.urls import reverse

    client = login(people.manager)
    page = client.get(reverse("careers:shared_member", kwargs={
        "org_slug": people.org.slug, "member_id": people.employee.pk})).content.decode()
    assert "Happy to talk about this" in page
    assert "Shared goal" in page
