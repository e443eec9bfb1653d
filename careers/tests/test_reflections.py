"""Reflections: starting, writing as one types, progress, revisiting and comparing."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from careers.models import ANSWER_MAX_LENGTH, Reflection, ReflectionAnswer, ReflectionPrompt
from careers.selectors import reflections as selectors
from careers.services import reflections as services

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"careers:{name}", kwargs={"org_slug": org.slug, **kwargs})


def start(people, member=None):
    return services.reflection_start(organization=people.org, actor=member or people.employee)


def prompts_of(reflection):
    return list(ReflectionPrompt.objects_unscoped.filter(area__template=reflection.template)
                .select_related("area").order_by("area__position", "position"))


# --- Services ------------------------------------------------------------------------------------


def test_a_first_reflection_follows_the_eight_areas_of_the_article(people):
    reflection = start(people)
    view = selectors.reflection_detail(organization=people.org, reflection=reflection)
    assert [a.area.title for a in view.areas] == [
        "Where I'm at", "What's important to me", "What success looks like",
        "My skills and qualities", "Opportunities available to me",
        "Navigating the organisation", "Identifying and evaluating options",
        "Strategies and actions",
    ]
    assert "What are your values in relation to work?" in [
        p.prompt.text for p in view.areas[1].prompts]
    assert view.answered_count == 0 and view.prompt_count == 27


def test_saving_an_answer_twice_keeps_one_answer_and_emptying_it_removes_it(people):
    reflection = start(people)
    prompt = prompts_of(reflection)[0]
    for _ in range(2):
        services.reflection_answer_save(organization=people.org, actor=people.employee,
                                        reflection=reflection, prompt=prompt, text="Restless.")
    assert ReflectionAnswer.objects_unscoped.filter(reflection=reflection).count() == 1
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=reflection, prompt=prompt, text="   ")
    assert ReflectionAnswer.objects_unscoped.filter(reflection=reflection).count() == 0


def test_only_the_owner_writes_a_reflection(people):
    reflection = start(people)
    prompt = prompts_of(reflection)[0]
    for intruder in (people.manager, people.hr, people.leader):
        with pytest.raises(PermissionDenied):
            services.reflection_answer_save(organization=people.org, actor=intruder,
                                            reflection=reflection, prompt=prompt, text="Mine")
    assert not ReflectionAnswer.objects_unscoped.filter(reflection=reflection).exists()


def test_a_prompt_of_another_template_version_is_refused(people):
    old = start(people)
    Reflection.objects_unscoped.filter(pk=old.pk)  # keep v1 referenced
    from careers.models import ReflectionTemplate
    ReflectionTemplate.objects_unscoped.filter(pk=old.template_id).update(is_current=False)
    v2 = ReflectionTemplate.objects_unscoped.create(organization=people.org, version=2)
    from careers.factories import ReflectionPromptFactory
    foreign_prompt = ReflectionPromptFactory(area__template=v2)
    with pytest.raises(ValidationError) as error:
        services.reflection_answer_save(organization=people.org, actor=people.employee,
                                        reflection=old, prompt=foreign_prompt, text="x")
    assert "prompt" in error.value.message_dict


def test_an_over_long_answer_is_refused_with_its_length(people):
    reflection = start(people)
    prompt = prompts_of(reflection)[0]
    with pytest.raises(ValidationError) as error:
        services.reflection_answer_save(organization=people.org, actor=people.employee,
                                        reflection=reflection, prompt=prompt,
                                        text="x" * (ANSWER_MAX_LENGTH + 1))
    assert "10,001" in error.value.message_dict["text"][0]


def test_progress_counts_answered_questions_per_area(people):
    reflection = start(people)
    prompts = prompts_of(reflection)
    first_area = [p for p in prompts if p.area.position == 0]
    for p in first_area:
        services.reflection_answer_save(organization=people.org, actor=people.employee,
                                        reflection=reflection, prompt=p, text="Answer")
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=reflection, prompt=prompts[len(first_area)],
                                    text="Half way")
    view = selectors.reflection_detail(organization=people.org, reflection=reflection)
    assert view.areas[0].is_complete and view.areas[0].percent == 100
    assert view.areas[1].is_started and not view.areas[1].is_complete
    assert view.areas[1].answered_count == 1
    assert (view.areas_complete, view.areas_started) == (1, 2)
    assert view.answered_count == len(first_area) + 1


# --- Pages ---------------------------------------------------------------------------------------


def test_the_list_invites_a_first_reflection_and_shows_the_areas(people, login):
    response = login(people.employee).get(url("reflections", people.org))
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have not reflected yet" in page
    assert "What success looks like" in page


def test_starting_a_reflection_opens_its_first_area(people, login):
    client = login(people.employee)
    response = client.post(url("reflection_new", people.org), {"title": "Before my review"})
    reflection = Reflection.objects_unscoped.get(member=people.employee)
    assert reflection.title == "Before my review"
    first = selectors.reflection_detail(organization=people.org, reflection=reflection).areas[0]
    assert response["Location"] == url("reflection_area", people.org,
                                       reflection_id=reflection.pk, area_id=first.area.pk)
    page = client.get(response["Location"]).content.decode()
    assert "How do you feel about your current job?" in page
    assert "data-autosave-url" in page


def test_autosave_answers_with_the_progress_of_the_area(people, login):
    reflection = start(people)
    prompt = prompts_of(reflection)[0]
    response = login(people.employee).post(
        url("reflection_answer", people.org, reflection_id=reflection.pk, prompt_id=prompt.pk),
        {"text": "I enjoy the team but want more ownership."})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["saved"] is True
    assert data["area"] == {"answered": 1, "total": 3}
    assert data["saved_label"].startswith("Saved at")
    assert ReflectionAnswer.objects_unscoped.get(reflection=reflection).text.startswith(
        "I enjoy the team")


def test_autosave_of_an_over_long_answer_answers_400_and_keeps_the_saved_text(people, login):
    reflection = start(people)
    prompt = prompts_of(reflection)[0]
    client = login(people.employee)
    path = url("reflection_answer", people.org, reflection_id=reflection.pk, prompt_id=prompt.pk)
    client.post(path, {"text": "First draft"})
    response = client.post(path, {"text": "y" * (ANSWER_MAX_LENGTH + 5)})
    assert response.status_code == 400
    message = json.loads(response.content)["errors"]["text"][0]["message"]
    assert "10,000" in message or "10000" in message
    assert ReflectionAnswer.objects_unscoped.get(reflection=reflection).text == "First draft"


def test_the_area_form_without_javascript_keeps_every_answer_when_one_is_too_long(people, login):
    reflection = start(people)
    prompts = [p for p in prompts_of(reflection) if p.area.position == 0]
    client = login(people.employee)
    path = url("reflection_area", people.org, reflection_id=reflection.pk,
               area_id=prompts[0].area_id)
    response = client.post(path, {
        f"prompt_{prompts[0].pk}": "A careful answer I do not want to lose",
        f"prompt_{prompts[1].pk}": "z" * (ANSWER_MAX_LENGTH + 1),
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "A careful answer I do not want to lose" in page
    assert "Answers can be up to" in page
    assert not ReflectionAnswer.objects_unscoped.filter(reflection=reflection).exists()


def test_the_area_form_saves_and_moves_to_the_next_area(people, login):
    reflection = start(people)
    prompts = prompts_of(reflection)
    first = [p for p in prompts if p.area.position == 0]
    second_area_id = next(p.area_id for p in prompts if p.area.position == 1)
    client = login(people.employee)
    response = client.post(
        url("reflection_area", people.org, reflection_id=reflection.pk, area_id=first[0].area_id),
        {f"prompt_{first[0].pk}": "Settled", "then": "next"}, follow=True)
    assert response.redirect_chain[-1][0] == url(
        "reflection_area", people.org, reflection_id=reflection.pk, area_id=second_area_id)
    assert "are saved" in response.content.decode()


def test_someone_elses_reflection_is_not_found_whatever_the_role(people, other_people, login):
    reflection = start(people)
    prompt = prompts_of(reflection)[0]
    for member in (people.manager, people.hr, people.leader):
        client = login(member)
        assert client.get(url("reflection", people.org,
                              reflection_id=reflection.pk)).status_code == 404
        assert client.post(url("reflection_answer", people.org, reflection_id=reflection.pk,
                               prompt_id=prompt.pk), {"text": "x"}).status_code == 404


def test_a_member_keeps_dated_reflections_and_compares_with_the_previous(people, login):
    first = start(people)
    p = prompts_of(first)[0]
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=first, prompt=p, text="Bored and stuck")
    second = start(people)
    p2 = prompts_of(second)[0]
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=second, prompt=p2, text="Energised by the move")
    client = login(people.employee)
    listing = client.get(url("reflections", people.org)).content.decode()
    assert listing.count("Compare with previous") == 1
    page = client.get(url("reflection_compare", people.org,
                          reflection_id=second.pk)).content.decode()
    assert "Bored and stuck" in page and "Energised by the move" in page
    assert "1 answer changed" in page


def test_deleting_a_reflection_removes_its_answers(people, login):
    reflection = start(people)
    services.reflection_answer_save(organization=people.org, actor=people.employee,
                                    reflection=reflection, prompt=prompts_of(reflection)[0],
                                    text="Gone soon")
    response = login(people.employee).post(url("reflection_delete", people.org,
                                               reflection_id=reflection.pk))
    assert response.status_code == 302
    assert not ReflectionAnswer.objects_unscoped.filter(text="Gone soon").exists()
