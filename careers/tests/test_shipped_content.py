"""The reflection template Trellis ships reads in each member's language; what HR rewords is
shown as HR wrote it."""

import pytest
from django.urls import reverse

from careers.models import ReflectionPrompt
from careers.services import reflections as services
from careers.services import templates as template_services
from conftest import client_for

pytestmark = pytest.mark.django_db


def area_url(people, reflection, area):
    return reverse("careers:reflection_area", kwargs={
        "org_slug": people.org.slug, "reflection_id": reflection.pk, "area_id": area.pk})


def first_prompt(reflection):
    return (ReflectionPrompt.objects_unscoped.filter(area__template=reflection.template)
            .select_related("area").order_by("area__position", "position").first())


def test_a_french_member_of_an_english_organisation_reads_the_shipped_questions_in_french(
        people):
    people.employee.user.language = "fr"
    people.employee.user.save(update_fields=["language"])
    reflection = services.reflection_start(organization=people.org, actor=people.employee)
    prompt = first_prompt(reflection)
    assert prompt.text == "How do you feel about your current job?"  # stored as shipped

    page = client_for(people.employee).get(area_url(people, reflection, prompt.area))

    html = page.content.decode()
    assert "Comment vous sentez-vous dans votre poste actuel" in html
    assert "How do you feel about your current job?" not in html


def test_a_question_reworded_by_hr_is_shown_as_written_in_every_language(people):
    reflection = services.reflection_start(organization=people.org, actor=people.employee)
    prompt = first_prompt(reflection)
    template_services.template_prompt_update(organization=people.org, actor=people.hr,
                                             prompt=prompt, text="How is the new office?")
    people.employee.user.language = "es"
    people.employee.user.save(update_fields=["language"])
    newer = services.reflection_start(organization=people.org, actor=people.employee)

    page = client_for(people.employee).get(area_url(people, newer, first_prompt(newer).area))

    assert "How is the new office?" in page.content.decode()
