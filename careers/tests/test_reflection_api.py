"""The reflections API, through real URLs."""

import pytest
from django.urls import reverse

from careers.models import ANSWER_MAX_LENGTH, ReflectionAnswer

pytestmark = pytest.mark.django_db


def api(name, org, **kwargs):
    return reverse(f"careers-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def started(people, login):
    client = login(people.employee)
    response = client.post(api("reflection-list", people.org), {"title": "Q3"},
                           content_type="application/json")
    assert response.status_code == 201
    return client, response.json()


def test_a_member_starts_a_reflection_and_gets_its_eight_areas(started):
    _client, data = started
    assert data["title"] == "Q3"
    assert len(data["areas"]) == 8
    assert data["areas"][0]["prompts"][0]["text"] == "How do you feel about your current job?"


def test_answering_updates_progress_and_the_list(people, started):
    client, data = started
    prompt = data["areas"][0]["prompts"][0]
    response = client.put(api("reflection-answer", people.org, reflection_id=data["id"],
                              prompt_id=prompt["id"]),
                          {"text": "Steady, ready for more"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["area_answered_count"] == 1
    listing = client.get(api("reflection-list", people.org)).json()
    assert listing["results"][0]["answered_count"] == 1


def test_an_over_long_answer_is_a_400_with_a_field_message(people, started):
    client, data = started
    prompt = data["areas"][0]["prompts"][0]
    response = client.put(api("reflection-answer", people.org, reflection_id=data["id"],
                              prompt_id=prompt["id"]),
                          {"text": "x" * (ANSWER_MAX_LENGTH + 1)},
                          content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()["errors"]
    assert not ReflectionAnswer.objects_unscoped.exists()


def test_sharing_through_the_api_shows_the_area_to_the_manager_only(people, started, login):
    client, data = started
    area, other = data["areas"][0], data["areas"][1]
    for a, text in ((area, "Shared words"), (other, "CANARY-unshared")):
        client.put(api("reflection-answer", people.org, reflection_id=data["id"],
                       prompt_id=a["prompts"][0]["id"]), {"text": text},
                   content_type="application/json")
    response = client.put(api("reflection-share", people.org, reflection_id=data["id"],
                              area_id=area["id"]))
    assert response.json()["shared"] is True
    manager = login(people.manager)
    shared = manager.get(api("shared-detail", people.org, member_id=people.employee.pk))
    assert shared.status_code == 200
    body = shared.content.decode()
    assert "Shared words" in body and "CANARY-unshared" not in body
    listing = manager.get(api("shared-list", people.org)).json()
    assert listing[0]["shared_areas"] == 1
    client.delete(api("reflection-share", people.org, reflection_id=data["id"],
                      area_id=area["id"]))
    again = manager.get(api("shared-detail", people.org, member_id=people.employee.pk))
    assert "Shared words" not in again.content.decode()


def test_other_peoples_reflections_are_404_for_every_role(people, started, login):
    _client, data = started
    for member in (people.manager, people.hr, people.leader):
        client = login(member)
        assert client.get(api("reflection-detail", people.org,
                              reflection_id=data["id"])).status_code == 404
        assert client.put(api("reflection-answer", people.org, reflection_id=data["id"],
                              prompt_id=data["areas"][0]["prompts"][0]["id"]),
                          {"text": "x"}, content_type="application/json").status_code == 404


def test_compare_needs_two_reflections(people, started):
    client, data = started
    assert client.get(api("reflection-compare", people.org,
                          reflection_id=data["id"])).status_code == 404
    second = client.post(api("reflection-list", people.org), {},
                         content_type="application/json").json()
    response = client.get(api("reflection-compare", people.org, reflection_id=second["id"]))
    assert response.status_code == 200
    assert response.json()["before"]["id"] == data["id"]


def test_the_record_endpoint_returns_my_sections(people, started):
    client, _data = started
    data = client.get(api("record", people.org)).json()
    assert {"profile", "skills", "reflections", "career_plan"} <= set(data["sections"])
