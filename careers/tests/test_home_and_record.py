"""The member's home panel and their career record (printable page and JSON)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.models import ActionStatus, CareerGoal, DevelopmentAction, ReflectionPrompt
from careers.services import reflections as services

pytestmark = pytest.mark.django_db


def home(org):
    return reverse("organizations:home", kwargs={"org_slug": org.slug})


def url(name, org):
    return reverse(f"careers:{name}", kwargs={"org_slug": org.slug})


def add_actions(people, n, *, done_hours=None):
    for i in range(n):
        DevelopmentAction.objects_unscoped.create(
            organization=people.org, member=people.employee, title=f"Action {i}",
            status=ActionStatus.DONE if done_hours else ActionStatus.PLANNED,
            hours=done_hours, completed_at=timezone.now() - timedelta(days=10)
            if done_hours else None)


def test_the_home_invites_a_member_to_start_reflecting(people, login):
    page = login(people.employee).get(home(people.org)).content.decode()
    assert "My career" in page
    assert "Start reflecting" in page
    assert "Set a goal" in page


def test_the_home_shows_reflection_progress_goals_plan_and_what_is_shared(people, login):
    reflection = services.reflection_start(organization=people.org, actor=people.employee)
    prompt = ReflectionPrompt.objects_unscoped.filter(area__template=reflection.template).first()
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=reflection, prompt=prompt, text="Fine")
    services.reflection_share_area(organization=people.org, actor=people.employee,
                                   reflection=reflection, area=prompt.area)
    CareerGoal.objects_unscoped.create(organization=people.org, member=people.employee,
                                       title="Become a tech lead", status="active",
                                       shared_with_manager=True)
    add_actions(people, 2, done_hours=Decimal("3.5"))
    add_actions(people, 2)
    page = login(people.employee).get(home(people.org)).content.decode()
    assert "Continue my reflection" in page
    assert "4%" in page  # 1 of 27 questions
    assert "Become a tech lead" in page
    assert "2/4" in page
    assert "7 h of learning completed in the last 12 months" in page
    assert "1 reflection area" in page and "1 goal" in page


def test_the_home_runs_the_same_queries_for_3_and_40_actions(people, login):
    client = login(people.employee)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(home(people.org)).status_code == 200
        return len(ctx.captured_queries)

    services.reflection_start(organization=people.org, actor=people.employee)
    add_actions(people, 3)
    small = count()
    add_actions(people, 37, done_hours=Decimal("1"))
    assert count() == small


def test_the_career_record_holds_my_reflections_goals_plan_and_skills(people, login):
    reflection = services.reflection_start(organization=people.org, actor=people.employee,
                                           title="Spring")
    prompt = ReflectionPrompt.objects_unscoped.filter(area__template=reflection.template).first()
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=reflection, prompt=prompt,
                                    text="My own words")
    CareerGoal.objects_unscoped.create(organization=people.org, member=people.employee,
                                       title="Lead the data guild")
    add_actions(people, 1, done_hours=Decimal("2"))
    client = login(people.employee)
    response = client.get(url("record_json", people.org))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    sections = data["sections"]
    assert sections["profile"]["email"] == "employee@acme.test"
    answers = sections["reflections"][0]["areas"][0]["answers"]
    assert answers[0]["answer"] == "My own words"
    assert sections["career_plan"]["goals"][0]["title"] == "Lead the data guild"
    assert sections["career_plan"]["actions"][0]["hours"] == "2.0"
    assert "ratings" in sections["skills"]
    page = client.get(url("record", people.org)).content.decode()
    assert "My own words" in page and "Lead the data guild" in page
    assert "Download as JSON" in page


def test_the_career_record_is_only_ever_my_own(people, login):
    reflection = services.reflection_start(organization=people.org, actor=people.employee)
    prompt = ReflectionPrompt.objects_unscoped.filter(area__template=reflection.template).first()
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=reflection, prompt=prompt, text="PRIVATE-TEXT")
    for member in (people.manager, people.hr, people.leader):
        client = login(member)
        assert "PRIVATE-TEXT" not in client.get(url("record", people.org)).content.decode()
        assert "PRIVATE-TEXT" not in client.get(url("record_json", people.org)).content.decode()


def test_the_career_record_runs_the_same_queries_for_1_and_6_reflections(people, login):
    client = login(people.employee)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("record", people.org)).status_code == 200
        return len(ctx.captured_queries)

    def reflect():
        reflection = services.reflection_start(organization=people.org, actor=people.employee)
        for prompt in ReflectionPrompt.objects_unscoped.filter(
                area__template=reflection.template)[:3]:
            services.reflection_answer_save(organization=people.org, actor=people.employee,
                                            reflection=reflection, prompt=prompt, text="Words")

    reflect()
    add_actions(people, 1)
    one = count()
    for _ in range(5):
        reflect()
    add_actions(people, 10)
    assert count() == one
