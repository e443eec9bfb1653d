"""HR's changes to the reflection template (careers.services.templates) and the editor page.

The rule under test is copy-on-write: a version that a reflection was written against is never
changed; the first change to it copies it into a new current version, later changes edit that
version in place until someone writes a reflection against it.
"""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.content import DEFAULT_AREAS
from careers.factories import ReflectionAnswerFactory, ReflectionFactory
from careers.models import (
    Reflection,
    ReflectionAnswer,
    ReflectionArea,
    ReflectionPrompt,
    ReflectionTemplate,
)
from careers.services import templates as services
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


# --- Helpers ------------------------------------------------------------------------------------


def current(org) -> ReflectionTemplate:
    return services.reflection_template_current(organization=org)


def areas_of(template) -> list[ReflectionArea]:
    return list(ReflectionArea.objects_unscoped.filter(template=template).order_by("position"))


def area(template, key) -> ReflectionArea:
    return ReflectionArea.objects_unscoped.get(template=template, key=key)


def prompt(template, area_key, key) -> ReflectionPrompt:
    return ReflectionPrompt.objects_unscoped.select_related("area").get(
        area__template=template, area__key=area_key, key=key)


def snapshot(template) -> list:
    """Everything a reader of a reflection sees of its template, in order."""
    return [
        (a.key, a.title, a.intro, a.position,
         [(p.pk, p.key, p.text, p.help_text, p.position)
          for p in ReflectionPrompt.objects_unscoped.filter(area=a).order_by("position")])
        for a in areas_of(template)
    ]


def content(snap) -> dict:
    """A snapshot without ids and positions: area key → (title, intro, questions)."""
    return {a: (t, i, [(k, x, h) for _pk, k, x, h, _pos in ps]) for a, t, i, _pos, ps in snap}


def answers_of(reflection) -> list:
    return sorted(
        (a.prompt_id, a.prompt.key, a.prompt.text, a.text)
        for a in ReflectionAnswer.objects_unscoped.filter(reflection=reflection)
        .select_related("prompt")
    )


def write_reflection(member, template, answers: dict) -> Reflection:
    """A reflection of ``member`` against ``template`` with ``{(area key, prompt key): text}``."""
    reflection = ReflectionFactory(member=member, template=template)
    for (area_key, prompt_key), text in answers.items():
        ReflectionAnswerFactory(reflection=reflection, prompt=prompt(template, area_key,
                                                                     prompt_key), text=text)
    return reflection


def hr_call(people, fn, **kwargs):
    return fn(organization=people.org, actor=people.hr, **kwargs)


def versions(org) -> list[tuple[int, bool]]:
    return list(ReflectionTemplate.objects_unscoped.filter(organization=org)
                .order_by("version").values_list("version", "is_current"))


# --- The acceptance test ------------------------------------------------------------------------


def test_changing_the_template_leaves_old_reflections_readable_with_their_original_prompts(
        people):
    v1 = current(people.org)
    reflection = write_reflection(people.employee, v1, {
        ("where-i-am", "current-job"): "I enjoy the team but the work is repetitive.",
        ("where-i-am", "in-the-way"): "Too many meetings.",
        ("what-matters", "values"): "Honesty and autonomy.",
    })
    before_template, before_answers = snapshot(v1), answers_of(reflection)

    reworded = hr_call(people, services.template_prompt_update,
                       prompt=prompt(v1, "where-i-am", "current-job"),
                       text="How do you feel about your job today?", help_text="Be honest.")
    v2 = reworded.template
    assert reworded.new_version and v2.version == 2
    added = hr_call(people, services.template_prompt_add, area=area(v2, "where-i-am"),
                    text="What would make next month better?")
    removed = hr_call(people, services.template_prompt_remove,
                      prompt=prompt(v2, "where-i-am", "in-the-way"))
    moved = hr_call(people, services.template_area_move, area=area(v2, "what-matters"),
                    direction="up")
    assert [c.template.pk for c in (added, removed, moved)] == [v2.pk] * 3
    assert not any(c.new_version for c in (added, removed, moved))

    # The old reflection: same version, same questions, same answers, texts compared.
    reflection.refresh_from_db()
    v1.refresh_from_db()
    assert reflection.template_id == v1.pk
    assert snapshot(v1) == before_template
    assert answers_of(reflection) == before_answers
    assert prompt(v1, "where-i-am", "current-job").text == "How do you feel about your current job?"
    assert versions(people.org) == [(1, False), (2, True)]

    # The new version has the changes, and keys survive the rewording.
    new = prompt(v2, "where-i-am", "current-job")
    assert new.pk != prompt(v1, "where-i-am", "current-job").pk
    assert (new.text, new.help_text) == ("How do you feel about your job today?", "Be honest.")
    assert reworded.item == new
    where = [(p.key, p.text) for p in
             ReflectionPrompt.objects_unscoped.filter(area=area(v2, "where-i-am"))
             .order_by("position")]
    assert where == [
        ("current-job", "How do you feel about your job today?"),
        ("career-situation", "How do you feel about your career situation overall?"),
        ("what-would-make-next-month-better", "What would make next month better?"),
    ]
    assert [a.key for a in areas_of(v2)][:3] == ["what-matters", "where-i-am", "success"]
    assert [a.key for a in areas_of(v1)][:3] == ["where-i-am", "what-matters", "success"]
    # Every other area and question was copied whole, with its key.
    old_content, new_content = content(before_template), content(snapshot(v2))
    del old_content["where-i-am"], new_content["where-i-am"]
    assert new_content == old_content


def test_editing_again_before_any_reflection_uses_the_new_version_does_not_make_another(people):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {("where-i-am", "current-job"): "Fine."})
    first = hr_call(people, services.template_area_update, area=area(v1, "success"),
                    title="Success, in my words")
    second = hr_call(people, services.template_area_update, area=area(first.template, "success"),
                     intro="Picture it.")
    assert first.new_version and not second.new_version
    assert second.template.pk == first.template.pk
    assert versions(people.org) == [(1, False), (2, True)]
    assert area(first.template, "success").intro == "Picture it."


def test_once_a_reflection_uses_the_new_version_the_next_change_makes_version_3(people):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    v2 = hr_call(people, services.template_area_update, area=area(v1, "success"),
                 title="Success").template
    write_reflection(people.manager, v2, {("success", "location"): "Lyon."})
    change = hr_call(people, services.template_prompt_update,
                     prompt=prompt(v2, "success", "location"), text="Where would you work?")
    assert change.new_version and change.template.version == 3
    assert versions(people.org) == [(1, False), (2, False), (3, True)]
    assert prompt(v2, "success", "location").text.startswith("Where would you be working")


def test_a_version_no_one_has_written_against_is_edited_in_place(people):
    v1 = current(people.org)
    change = hr_call(people, services.template_prompt_update,
                     prompt=prompt(v1, "success", "location"), text="Where?")
    assert not change.new_version and change.template.pk == v1.pk
    assert prompt(v1, "success", "location").text == "Where?"
    assert versions(people.org) == [(1, True)]


def test_a_change_to_a_version_that_is_no_longer_current_is_refused(people):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    old_prompt = prompt(v1, "success", "location")
    hr_call(people, services.template_area_update, area=area(v1, "success"), title="Success")
    with pytest.raises(ValidationError) as refused:
        hr_call(people, services.template_prompt_update, prompt=old_prompt, text="Where?")
    assert "no longer the current one" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        hr_call(people, services.template_area_remove, area=area(v1, "success"))
    assert versions(people.org) == [(1, False), (2, True)]
    assert old_prompt.text == prompt(v1, "success", "location").text


def test_a_change_that_changes_nothing_makes_no_version_and_no_audit_entry(people):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    first = areas_of(v1)[0]
    same = hr_call(people, services.template_area_update, area=first, title=first.title)
    up = hr_call(people, services.template_area_move, area=first, direction="up")
    assert not same.changed and not up.changed
    assert versions(people.org) == [(1, True)]
    assert not AuditEvent.objects_unscoped.filter(action="careers.template_changed").exists()


def test_moving_questions_and_areas_keeps_positions_without_gaps(people):
    v1 = current(people.org)
    hr_call(people, services.template_prompt_move, prompt=prompt(v1, "what-matters", "people"),
            direction="up")
    hr_call(people, services.template_area_move, area=area(v1, "where-i-am"), direction="down")
    keys = list(ReflectionPrompt.objects_unscoped.filter(area=area(v1, "what-matters"))
                .order_by("position").values_list("key", "position"))
    assert keys == [("skills-i-like", 0), ("activities", 1), ("values", 2), ("people", 3),
                    ("environment", 4)]
    assert [(a.key, a.position) for a in areas_of(v1)][:2] == [("what-matters", 0),
                                                               ("where-i-am", 1)]
    with pytest.raises(ValidationError) as bad:
        hr_call(people, services.template_area_move, area=area(v1, "success"),
                direction="sideways")
    assert "direction" in bad.value.message_dict


def test_areas_can_be_added_and_removed_and_keep_positions_without_gaps(people):
    v1 = current(people.org)
    added = hr_call(people, services.template_area_add, title="My network",
                    intro="Who you know, and who knows you.")
    assert (added.item.key, added.item.position) == ("my-network", len(DEFAULT_AREAS))
    hr_call(people, services.template_area_remove, area=area(v1, "what-matters"))
    assert [a.position for a in areas_of(v1)] == list(range(len(DEFAULT_AREAS)))
    assert "what-matters" not in [a.key for a in areas_of(v1)]


def test_the_last_area_and_the_last_question_of_an_area_cannot_be_removed(people):
    v1 = current(people.org)
    opportunities = area(v1, "opportunities")
    hr_call(people, services.template_prompt_remove,
            prompt=prompt(v1, "opportunities", "in-my-role"))
    with pytest.raises(ValidationError) as last_prompt:
        hr_call(people, services.template_prompt_remove,
                prompt=prompt(v1, "opportunities", "elsewhere"))
    assert "at least one question" in " ".join(last_prompt.value.messages)
    for other in areas_of(v1)[1:]:
        hr_call(people, services.template_area_remove, area=other)
    with pytest.raises(ValidationError) as last_area:
        hr_call(people, services.template_area_remove, area=areas_of(v1)[0])
    assert "at least one area" in " ".join(last_area.value.messages)
    assert len(areas_of(v1)) == 1
    assert not ReflectionArea.objects_unscoped.filter(pk=opportunities.pk).exists()


def test_a_new_question_gets_a_unique_key_from_its_text(people):
    v1 = current(people.org)
    values = area(v1, "what-matters")
    first = hr_call(people, services.template_prompt_add, area=values,
                    text="What energises you?", help_text="Think of last week.")
    second = hr_call(people, services.template_prompt_add, area=values,
                     text="What energises you?")
    assert (first.item.key, second.item.key) == ("what-energises-you", "what-energises-you-2")
    assert first.item.position == 5 and second.item.position == 6
    long = hr_call(people, services.template_prompt_add, area=values, text="Why " * 70)
    assert len(long.item.key) <= 40 and long.item.key.startswith("why-why")
    symbols = hr_call(people, services.template_prompt_add, area=values, text="???")
    assert symbols.item.key == "question"


def test_a_key_used_by_a_removed_question_of_an_earlier_version_is_not_reused(people):
    v1 = current(people.org)
    hr_call(people, services.template_prompt_add, area=area(v1, "success"), text="Who am I?")
    write_reflection(people.employee, v1, {})
    v2 = hr_call(people, services.template_prompt_remove,
                 prompt=prompt(v1, "success", "who-am-i")).template
    again = hr_call(people, services.template_prompt_add, area=area(v2, "success"),
                    text="Who am I?")
    assert again.item.key == "who-am-i-2"


@pytest.mark.parametrize("call, field", [
    (lambda p, t: services.template_area_update(organization=p.org, actor=p.hr,
                                                area=areas_of(t)[0], title="  "), "title"),
    (lambda p, t: services.template_area_add(organization=p.org, actor=p.hr, title="x" * 121),
     "title"),
    (lambda p, t: services.template_area_add(organization=p.org, actor=p.hr, title="Fine",
                                             intro="x" * 2001), "intro"),
    (lambda p, t: services.template_prompt_update(organization=p.org, actor=p.hr,
                                                  prompt=prompt(t, "success", "location"),
                                                  text=""), "text"),
    (lambda p, t: services.template_prompt_add(organization=p.org, actor=p.hr,
                                               area=areas_of(t)[0], text="x" * 301), "text"),
    (lambda p, t: services.template_prompt_add(organization=p.org, actor=p.hr,
                                               area=areas_of(t)[0], text="Fine?",
                                               help_text="x" * 301), "help_text"),
])
def test_empty_or_over_long_text_is_refused_by_field_and_nothing_changes(people, call, field):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    before = snapshot(v1)
    with pytest.raises(ValidationError) as refused:
        call(people, v1)
    assert list(refused.value.message_dict) == [field]
    assert snapshot(v1) == before
    assert versions(people.org) == [(1, True)]


@pytest.mark.parametrize("who", ["employee", "manager", "leader"])
def test_only_hr_admins_change_the_template(people, who):
    actor = people.by_role()[who]
    v1 = current(people.org)
    before = snapshot(v1)
    calls = [
        lambda: services.template_area_update(organization=people.org, actor=actor,
                                              area=areas_of(v1)[0], title="Mine"),
        lambda: services.template_area_add(organization=people.org, actor=actor, title="Mine"),
        lambda: services.template_area_remove(organization=people.org, actor=actor,
                                              area=areas_of(v1)[0]),
        lambda: services.template_area_move(organization=people.org, actor=actor,
                                            area=areas_of(v1)[0], direction="down"),
        lambda: services.template_prompt_update(organization=people.org, actor=actor,
                                                prompt=prompt(v1, "success", "location"),
                                                text="Mine?"),
        lambda: services.template_prompt_add(organization=people.org, actor=actor,
                                             area=areas_of(v1)[0], text="Mine?"),
        lambda: services.template_prompt_remove(organization=people.org, actor=actor,
                                                prompt=prompt(v1, "success", "location")),
        lambda: services.template_prompt_move(organization=people.org, actor=actor,
                                              prompt=prompt(v1, "success", "location"),
                                              direction="up"),
        lambda: services.template_reset_to_default(organization=people.org, actor=actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot(v1) == before


def test_hr_of_another_organisation_cannot_change_ours_nor_pass_our_rows_to_theirs(
        people, other_people):
    ours = current(people.org)
    current(other_people.org)
    with pytest.raises(PermissionDenied):
        services.template_area_add(organization=people.org, actor=other_people.hr, title="Leak")
    with pytest.raises(ValidationError):
        services.template_prompt_update(organization=other_people.org, actor=other_people.hr,
                                        prompt=prompt(ours, "success", "location"), text="Leak?")
    with pytest.raises(ValidationError):
        services.template_area_remove(organization=other_people.org, actor=other_people.hr,
                                      area=areas_of(ours)[0])
    assert not ReflectionArea.objects_unscoped.filter(title="Leak").exists()
    assert not ReflectionPrompt.objects_unscoped.filter(text="Leak?").exists()


def test_reset_to_default_makes_a_new_version_when_the_current_one_is_in_use(people):
    v1 = current(people.org)
    hr_call(people, services.template_area_remove, area=area(v1, "navigating"))
    write_reflection(people.employee, v1, {})
    change = hr_call(people, services.template_reset_to_default)
    assert change.new_version and change.template.version == 2
    assert [a.key for a in areas_of(change.template)] == [a["key"] for a in DEFAULT_AREAS]
    assert "navigating" not in [a.key for a in areas_of(v1)]
    again = hr_call(people, services.template_reset_to_default)
    assert not again.changed and versions(people.org) == [(1, False), (2, True)]


def test_reset_to_default_rewrites_a_version_no_one_has_written_against(people):
    v1 = current(people.org)
    hr_call(people, services.template_prompt_update, prompt=prompt(v1, "success", "location"),
            text="Where?")
    change = hr_call(people, services.template_reset_to_default)
    assert change.changed and not change.new_version and change.template.pk == v1.pk
    assert prompt(v1, "success", "location").text.startswith("Where would you be working")
    assert versions(people.org) == [(1, True)]


def test_every_change_is_audit_logged_with_what_changed(people):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    hr_call(people, services.template_prompt_update, prompt=prompt(v1, "success", "location"),
            text="Where?")
    event = AuditEvent.objects_unscoped.get(action="careers.template_changed")
    assert event.actor == people.hr and event.organization == people.org
    assert event.detail == {"change": "prompt_updated", "version": 2, "new_version": True,
                            "area": "success", "prompt": "location", "fields": ["text"]}


# --- Concurrency --------------------------------------------------------------------------------


def test_the_database_allows_only_one_current_version_per_organisation(people, other_people):
    current(people.org)
    current(other_people.org)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReflectionTemplate.objects_unscoped.create(organization=people.org, version=2,
                                                   is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReflectionTemplate.objects_unscoped.create(organization=people.org, version=1,
                                                   is_current=False)


def test_a_change_locks_the_current_version_before_copying_it(people):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    with CaptureQueriesContext(connection) as captured:
        hr_call(people, services.template_area_update, area=areas_of(v1)[0], title="Now")
    sql = [q["sql"] for q in captured.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q)
    insert = next(i for i, q in enumerate(sql)
                  if q.startswith('INSERT INTO "careers_reflectiontemplate"'))
    assert lock < insert


@pytest.mark.django_db(transaction=True)
def test_two_hr_admins_changing_a_used_version_at_once_make_one_new_version(people):
    """The second admin waits for the first one's lock, then finds the version they edited is
    no longer current: one new version, and a clear refusal rather than a database error."""
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    targets = [prompt(v1, "success", "location"), prompt(v1, "success", "outcomes")]
    started = threading.Barrier(2)
    results: list = [None, None]

    def edit(i):
        try:
            started.wait()
            if i == 1:
                time.sleep(0.3)  # the first admin takes the lock first
            with transaction.atomic():
                results[i] = services.template_prompt_update(
                    organization=people.org, actor=people.hr, prompt=targets[i],
                    text=f"Reworded {i}?")
                if i == 0:
                    time.sleep(0.8)  # hold the lock while the second admin arrives
        except Exception as e:  # the outcome is what the test checks
            results[i] = e
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert isinstance(results[0], services.TemplateChange), results[0]
    assert isinstance(results[1], ValidationError), results[1]
    assert "no longer the current one" in " ".join(results[1].messages)
    assert versions(people.org) == [(1, False), (2, True)]


# --- The editor page ----------------------------------------------------------------------------


def page_url(org, name="template", **kwargs):
    return reverse(f"careers:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def hr(people, login):
    return login(people.hr)


def test_the_editor_shows_the_areas_in_order_with_their_questions_and_the_versions_note(
        people, hr):
    response = hr.get(page_url(people.org))
    assert response.status_code == 200
    page = response.content.decode()
    titles = [str(a["title"]) for a in DEFAULT_AREAS]
    positions = [page.index(t.replace("'", "&#x27;")) for t in titles]
    assert positions == sorted(positions)
    assert "How do you feel about your current job?" in page
    assert "Reflections already written keep their questions." in page
    assert "Version history" in page and "Reset to the default" in page
    assert 'data-confirm="' in page


@pytest.mark.parametrize("who", ["employee", "manager", "leader"])
def test_the_editor_is_for_hr_admins_only(people, login, who):
    client = login(people.by_role()[who])
    v1 = current(people.org)
    assert client.get(page_url(people.org)).status_code == 403
    target = areas_of(v1)[0]
    response = client.post(page_url(people.org, "template_area_update", area_id=target.pk),
                           {f"area-{target.pk}-title": "Mine"})
    assert response.status_code == 403
    assert area(v1, target.key).title == target.title


def test_hr_rewords_a_question_and_sees_the_new_version_explained(people, hr):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    target = prompt(v1, "success", "location")
    response = hr.post(page_url(people.org, "template_prompt_update", prompt_id=target.pk),
                       {f"prompt-{target.pk}-text": "Where would you like to work?",
                        f"prompt-{target.pk}-help_text": ""}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Question saved. This made version 2 of the template" in page
    assert "Where would you like to work?" in page
    new = prompt(ReflectionTemplate.objects_unscoped.get(organization=people.org,
                                                         is_current=True), "success", "location")
    assert response.redirect_chain[-1][0].endswith(f"#prompt-{new.pk}")


def test_bad_input_re_renders_the_editor_with_field_errors_and_keeps_what_was_typed(people, hr):
    v1 = current(people.org)
    target = areas_of(v1)[0]
    response = hr.post(page_url(people.org, "template_prompt_add", area_id=target.pk),
                       {f"new-prompt-{target.pk}-text": "",
                        f"new-prompt-{target.pk}-help_text": "Kept as typed"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required." in page and "Kept as typed" in page
    response = hr.post(page_url(people.org, "template_area_add"),
                       {"new-area-title": "x" * 121, "new-area-intro": "Kept intro"})
    assert response.status_code == 400
    assert "Kept intro" in response.content.decode()
    assert len(areas_of(v1)) == len(DEFAULT_AREAS)


def test_removing_the_last_question_from_the_page_says_why_it_was_refused(people, hr):
    v1 = current(people.org)
    hr_call(people, services.template_prompt_remove,
            prompt=prompt(v1, "opportunities", "in-my-role"))
    last = prompt(v1, "opportunities", "elsewhere")
    response = hr.post(page_url(people.org, "template_prompt_remove", prompt_id=last.pk),
                       follow=True)
    assert "Each area needs at least one question." in response.content.decode()
    assert ReflectionPrompt.objects_unscoped.filter(pk=last.pk).exists()


def test_hr_adds_moves_and_removes_from_the_page(people, hr):
    v1 = current(people.org)
    response = hr.post(page_url(people.org, "template_area_add"),
                       {"new-area-title": "My network", "new-area-intro": ""}, follow=True)
    assert "Area “My network” added." in response.content.decode()
    network = area(v1, "my-network")
    hr.post(page_url(people.org, "template_area_move", area_id=network.pk), {"direction": "up"})
    assert area(v1, "my-network").position == len(DEFAULT_AREAS) - 1
    hr.post(page_url(people.org, "template_prompt_add", area_id=network.pk),
            {f"new-prompt-{network.pk}-text": "Who could vouch for you?"})
    hr.post(page_url(people.org, "template_prompt_add", area_id=network.pk),
            {f"new-prompt-{network.pk}-text": "Who do you learn from?"})
    second = prompt(v1, "my-network", "who-do-you-learn-from")
    hr.post(page_url(people.org, "template_prompt_move", prompt_id=second.pk),
            {"direction": "up"})
    assert prompt(v1, "my-network", "who-do-you-learn-from").position == 0
    hr.post(page_url(people.org, "template_prompt_remove", prompt_id=second.pk))
    assert not ReflectionPrompt.objects_unscoped.filter(pk=second.pk).exists()
    hr.post(page_url(people.org, "template_area_remove", area_id=network.pk))
    assert not ReflectionArea.objects_unscoped.filter(pk=network.pk).exists()


def test_an_earlier_version_can_be_read_as_it_was(people, hr):
    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    hr_call(people, services.template_prompt_update, prompt=prompt(v1, "success", "location"),
            text="Where, now?")
    old = hr.get(page_url(people.org), {"version": 1}).content.decode()
    assert "You are looking at version 1." in old
    assert "Where would you be working" in old and "Where, now?" not in old
    assert "Save question" not in old
    assert hr.get(page_url(people.org), {"version": 9}).status_code == 404
    assert hr.get(page_url(people.org), {"version": "x"}).status_code == 404


def test_the_editor_page_edits_only_via_post(people, hr):
    v1 = current(people.org)
    target = areas_of(v1)[0]
    assert hr.get(page_url(people.org, "template_area_remove", area_id=target.pk)
                  ).status_code == 405
    assert hr.get(page_url(people.org, "template_reset")).status_code == 405


def test_reset_from_the_page_puts_back_the_default(people, hr):
    v1 = current(people.org)
    hr_call(people, services.template_area_remove, area=area(v1, "navigating"))
    response = hr.post(page_url(people.org, "template_reset"), follow=True)
    assert "The template is back to the one Trellis ships." in response.content.decode()
    assert [a.key for a in areas_of(v1)] == [a["key"] for a in DEFAULT_AREAS]


def test_the_editor_runs_the_same_queries_for_few_or_many_versions_and_reflections(people, hr):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert hr.get(page_url(people.org)).status_code == 200
        return len(captured)

    v1 = current(people.org)
    write_reflection(people.employee, v1, {})
    hr.get(page_url(people.org))
    small = queries()
    template = v1
    for i in range(5):
        template = hr_call(people, services.template_area_update, area=areas_of(template)[0],
                           title=f"Round {i}").template
        write_reflection(people.employee, template, {})
    assert queries() == small


def test_line_breaks_in_a_question_become_spaces_but_an_introduction_keeps_them(people):
    v1 = current(people.org)
    hr_call(people, services.template_prompt_update, prompt=prompt(v1, "success", "location"),
            text="  Where would you\r\nlike   to work? ", help_text="Near\nhome?")
    hr_call(people, services.template_area_update, area=area(v1, "success"),
            intro="First line.\r\nSecond line.")
    edited = prompt(v1, "success", "location")
    assert (edited.text, edited.help_text) == ("Where would you like to work?", "Near home?")
    assert area(v1, "success").intro == "First line.\nSecond line."
