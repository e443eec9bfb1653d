"""The reflection template API, through real URLs, as each role of the organisation and of
another one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.content import DEFAULT_AREAS
from careers.factories import ReflectionAnswerFactory, ReflectionFactory
from careers.models import ReflectionArea, ReflectionPrompt, ReflectionTemplate
from careers.services import templates as services

pytestmark = pytest.mark.django_db


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/career/template/{path}"


def current(org):
    return services.reflection_template_current(organization=org)


def prompt(template, area_key, key):
    return ReflectionPrompt.objects_unscoped.get(area__template=template, area__key=area_key,
                                                 key=key)


def area(template, key):
    return ReflectionArea.objects_unscoped.get(template=template, key=key)


def send(client, method, url, data=None):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def in_use(people, template):
    reflection = ReflectionFactory(member=people.employee, template=template)
    ReflectionAnswerFactory(reflection=reflection, prompt=prompt(template, "success", "location"),
                            text="Somewhere by the sea.")
    return reflection


@pytest.mark.parametrize("who", ["employee", "manager", "hr", "leader"])
def test_every_member_reads_the_current_template(people, login, who):
    response = login(people.by_role()[who]).get(api(people.org))
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1 and data["is_current"] is True
    assert [a["key"] for a in data["areas"]] == [a["key"] for a in DEFAULT_AREAS]
    first = data["areas"][0]["prompts"][0]
    assert set(first) == {"id", "key", "text", "help_text", "position"}
    assert first["key"] == "current-job"


def test_hr_rewords_a_question_and_gets_the_new_version_back(people, login):
    v1 = current(people.org)
    in_use(people, v1)
    old = prompt(v1, "success", "location")
    response = send(login(people.hr), "patch", api(people.org, f"prompts/{old.pk}/"),
                    {"text": "Where would you like to work?"})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["new_version"] is True and data["changed"] is True
    assert data["template"]["version"] == 2
    assert data["prompt"]["key"] == "location" and data["prompt"]["id"] != old.pk
    assert data["prompt"]["text"] == "Where would you like to work?"
    assert data["area"]["key"] == "success"
    old.refresh_from_db()
    assert old.text.startswith("Where would you be working")


def test_hr_adds_moves_and_removes_areas_and_questions(people, login):
    client = login(people.hr)
    v1 = current(people.org)
    created = send(client, "post", api(people.org, "areas/"), {"title": "My network"})
    assert created.status_code == 201
    network = created.json()["area"]
    assert network["key"] == "my-network" and network["prompts"] == []
    added = send(client, "post", api(people.org, f"areas/{network['id']}/prompts/"),
                 {"text": "Who could vouch for you?", "help_text": "Names, not titles."})
    assert added.status_code == 201
    assert added.json()["prompt"]["key"] == "who-could-vouch-for-you"
    moved = send(client, "post", api(people.org, f"areas/{network['id']}/move/"),
                 {"direction": "up"})
    assert moved.status_code == 200
    assert [a["key"] for a in moved.json()["template"]["areas"]][-2:] == ["my-network",
                                                                          "strategies"]
    target = prompt(v1, "what-matters", "people")
    assert send(client, "post", api(people.org, f"prompts/{target.pk}/move/"),
                {"direction": "up"}).json()["prompt"]["position"] == 3
    removed = send(client, "delete", api(people.org, f"prompts/{target.pk}/"))
    assert removed.status_code == 200 and removed.json()["prompt"] is None
    assert removed.json()["area"]["key"] == "what-matters"
    gone = send(client, "delete", api(people.org, f"areas/{network['id']}/"))
    assert gone.status_code == 200
    assert "my-network" not in [a["key"] for a in gone.json()["template"]["areas"]]


def test_bad_input_gets_field_errors_in_the_one_error_format(people, login):
    client = login(people.hr)
    v1 = current(people.org)
    target = prompt(v1, "success", "location")
    too_long = send(client, "patch", api(people.org, f"prompts/{target.pk}/"), {"text": "x" * 301})
    assert too_long.status_code == 400
    assert set(too_long.json()) == {"detail", "errors"}
    assert "300 characters" in too_long.json()["errors"]["text"][0]
    empty = send(client, "post", api(people.org, "areas/"), {"title": " "})
    assert empty.status_code == 400 and "title" in empty.json()["errors"]
    missing = send(client, "post", api(people.org, f"areas/{target.area_id}/prompts/"), {})
    assert missing.status_code == 400 and "text" in missing.json()["errors"]
    sideways = send(client, "post", api(people.org, f"prompts/{target.pk}/move/"),
                    {"direction": "sideways"})
    assert sideways.status_code == 400 and "direction" in sideways.json()["errors"]
    assert prompt(v1, "success", "location").text == target.text


def test_refusals_of_the_rules_say_why(people, login):
    client = login(people.hr)
    v1 = current(people.org)
    in_use(people, v1)
    old = prompt(v1, "success", "outcomes")
    send(client, "patch", api(people.org, f"areas/{old.area_id}/"), {"title": "Success"})
    stale = send(client, "patch", api(people.org, f"prompts/{old.pk}/"), {"text": "Now?"})
    assert stale.status_code == 400
    assert "no longer the current one" in stale.json()["errors"]["non_field_errors"][0]
    v2 = ReflectionTemplate.objects_unscoped.get(organization=people.org, is_current=True)
    first = prompt(v2, "opportunities", "elsewhere")
    assert send(client, "delete", api(people.org, f"prompts/{first.pk}/")).status_code == 200
    last = send(client, "delete",
                api(people.org, f"prompts/{prompt(v2, 'opportunities', 'in-my-role').pk}/"))
    assert last.status_code == 400
    assert "at least one question" in last.json()["errors"]["non_field_errors"][0]


@pytest.mark.parametrize("who", ["employee", "manager", "leader"])
def test_only_hr_admins_change_the_template_or_read_its_versions(people, login, who):
    client = login(people.by_role()[who])
    v1 = current(people.org)
    target = prompt(v1, "success", "location")
    attempts = [
        send(client, "patch", api(people.org, f"prompts/{target.pk}/"), {"text": "Mine?"}),
        send(client, "delete", api(people.org, f"prompts/{target.pk}/")),
        send(client, "post", api(people.org, f"prompts/{target.pk}/move/"), {"direction": "up"}),
        send(client, "patch", api(people.org, f"areas/{target.area_id}/"), {"title": "Mine"}),
        send(client, "delete", api(people.org, f"areas/{target.area_id}/")),
        send(client, "post", api(people.org, f"areas/{target.area_id}/move/"),
             {"direction": "up"}),
        send(client, "post", api(people.org, f"areas/{target.area_id}/prompts/"),
             {"text": "Mine?"}),
        send(client, "post", api(people.org, "areas/"), {"title": "Mine"}),
        send(client, "post", api(people.org, "reset/")),
        client.get(api(people.org, "versions/")),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert prompt(v1, "success", "location").text == target.text
    assert ReflectionArea.objects_unscoped.filter(template=v1).count() == len(DEFAULT_AREAS)
    assert client.get(api(people.org, f"prompts/{target.pk}/")).status_code == 200
    assert client.get(api(people.org, f"areas/{target.area_id}/")).status_code == 200


def test_another_organisations_ids_are_not_found_whatever_the_method(people, other_people,
                                                                     login):
    theirs = prompt(current(other_people.org), "success", "location")
    client = login(people.hr)
    for method in ("get", "patch", "delete"):
        assert send(client, method, api(people.org, f"prompts/{theirs.pk}/")).status_code == 404
        assert send(client, method,
                    api(people.org, f"areas/{theirs.area_id}/")).status_code == 404
    assert send(client, "post", api(people.org, f"prompts/{theirs.pk}/move/"),
                {"direction": "up"}).status_code == 404
    assert login(other_people.hr).get(api(people.org)).status_code == 404


def test_versions_list_the_reflections_written_against_each(people, login):
    client = login(people.hr)
    v1 = current(people.org)
    in_use(people, v1)
    send(client, "post", api(people.org, "reset/"))
    target = prompt(v1, "success", "location")
    send(client, "patch", api(people.org, f"prompts/{target.pk}/"), {"text": "Where?"})
    data = client.get(api(people.org, "versions/")).json()
    assert [(v["version"], v["is_current"], v["reflection_count"]) for v in data["results"]] == [
        (2, True, 0), (1, False, 1)]
    assert data["results"][0]["created_by"] == {"id": people.hr.pk,
                                                "name": people.hr.display_name}
    assert data["results"][1]["prompt_count"] == 27
    assert "Somewhere by the sea." not in str(data)


def test_reset_answers_whether_anything_changed(people, login):
    client = login(people.hr)
    current(people.org)
    unchanged = send(client, "post", api(people.org, "reset/")).json()
    assert unchanged["changed"] is False and unchanged["template"]["version"] == 1


def test_reading_the_template_runs_the_same_queries_for_any_number_of_questions(people, login):
    client = login(people.employee)
    v1 = current(people.org)
    client.get(api(people.org))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(api(people.org)).status_code == 200
        return len(captured)

    small = queries()
    for i in range(10):
        services.template_prompt_add(organization=people.org, actor=people.hr,
                                     area=area(v1, "success"), text=f"Question {i}?")
    assert queries() == small
