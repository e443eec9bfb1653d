"""Emerging-skill notices: who is told, one email each, and the member's notices page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.factories import MembershipFactory, UserFactory
from skills import tasks
from skills.models import (
    EmergingSkillNotice,
    Framework,
    Level,
    MemberRole,
    RoleProfile,
    RoleRequirement,
    Skill,
)
from skills.services import notices as notice_services

pytestmark = pytest.mark.django_db


def make_framework(org):
    """A framework with one emerging skill, a role that needs it and a role that does not."""
    framework = Framework.objects_unscoped.create(organization=org, name="Framework")
    Level.objects_unscoped.create(organization=org, framework=framework, rank=1, name="One")
    emerging = Skill.objects_unscoped.create(
        organization=org, framework=framework, name="Prompt design", is_emerging=True,
        emerging_note="Every team will use assistants.", description="Asking models well.",
    )
    other = Skill.objects_unscoped.create(organization=org, framework=framework, name="Typing")
    needs = RoleProfile.objects_unscoped.create(organization=org, framework=framework,
                                                title="Engineer")
    does_not = RoleProfile.objects_unscoped.create(organization=org, framework=framework,
                                                   title="Typist")
    RoleRequirement.objects_unscoped.create(organization=org, role=needs, skill=emerging,
                                            min_level=1)
    RoleRequirement.objects_unscoped.create(organization=org, role=needs, skill=other,
                                            min_level=1)
    RoleRequirement.objects_unscoped.create(organization=org, role=does_not, skill=other,
                                            min_level=1)
    return emerging, needs, does_not


def give_role(member, role):
    MemberRole.objects_unscoped.create(organization=member.organization, member=member,
                                       role=role)


@pytest.fixture
def setting(people, other_people):
    skill, needs, does_not = make_framework(people.org)
    give_role(people.employee, needs)
    give_role(people.manager, does_not)
    leaver = MembershipFactory(organization=people.org, is_active=False,
                               user=UserFactory(email="leaver@acme.test"))
    give_role(leaver, needs)
    # The same in the other organisation: none of it may be touched.
    _skill, other_needs, _ = make_framework(other_people.org)
    give_role(other_people.employee, other_needs)
    return skill


def notify(people, skill, capture):
    with capture(execute=True):
        return tasks.notify_emerging_skill.delay(people.org.pk, skill.pk).get()


def test_task_notices_only_active_members_whose_role_needs_the_skill(
    people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    # When
    notify(people, setting, django_capture_on_commit_callbacks)

    # Then
    assert list(EmergingSkillNotice.objects_unscoped.values_list("member_id", flat=True)) == [
        people.employee.pk]
    assert [m.to for m in mailoutbox] == [[people.employee.user.email]]
    assert "Prompt design" in mailoutbox[0].subject
    assert "Every team will use assistants." in mailoutbox[0].body
    assert "/o/acme/skills/notices/" in mailoutbox[0].body
    notice = EmergingSkillNotice.objects_unscoped.get()
    assert notice.emailed_at is not None and notice.read_at is None


def test_running_the_task_twice_sends_nothing_twice(
    people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    notify(people, setting, django_capture_on_commit_callbacks)

    notify(people, setting, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert EmergingSkillNotice.objects_unscoped.count() == 1


def test_a_member_who_takes_the_role_later_is_told_on_the_next_run_only(
    people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    notify(people, setting, django_capture_on_commit_callbacks)
    role = RoleProfile.objects_unscoped.get(organization=people.org, title="Engineer")
    give_role(people.hr, role)

    notify(people, setting, django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [[people.employee.user.email], [people.hr.user.email]]


def test_an_email_claimed_by_another_worker_is_not_sent_again(
    people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    notify(people, setting, django_capture_on_commit_callbacks)
    notice = EmergingSkillNotice.objects_unscoped.get()

    sent = tasks.send_emerging_skill_notice.delay(people.org.pk, notice.pk).get()

    assert sent is False
    assert len(mailoutbox) == 1


def test_a_skill_that_is_not_emerging_or_is_retired_notifies_nobody(
    people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    Skill.objects_unscoped.filter(pk=setting.pk).update(is_emerging=False)
    notify(people, setting, django_capture_on_commit_callbacks)
    Skill.objects_unscoped.filter(pk=setting.pk).update(is_emerging=True, is_retired=True)
    notify(people, setting, django_capture_on_commit_callbacks)

    assert not EmergingSkillNotice.objects_unscoped.exists()
    assert mailoutbox == []


def test_another_organisations_skill_id_does_nothing(
    people, other_people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    foreign = Skill.objects_unscoped.get(organization=other_people.org, name="Prompt design")

    with django_capture_on_commit_callbacks(execute=True):
        count = tasks.notify_emerging_skill.delay(people.org.pk, foreign.pk).get()

    assert count == 0
    assert not EmergingSkillNotice.objects_unscoped.exists()
    assert mailoutbox == []


def test_each_email_is_written_in_the_recipients_language(
    people, setting, django_capture_on_commit_callbacks, monkeypatch
):
    people.employee.user.language = "fr"
    people.employee.user.save()
    languages = []
    original = tasks.translation.override

    def spy(language, *args, **kwargs):
        languages.append(language)
        return original(language, *args, **kwargs)

    monkeypatch.setattr(tasks.translation, "override", spy)

    notify(people, setting, django_capture_on_commit_callbacks)

    assert languages == ["fr"]


def test_without_a_language_of_their_own_members_get_the_organisations(
    people, setting, django_capture_on_commit_callbacks, monkeypatch
):
    people.org.default_language = "es"
    people.org.save()
    languages = []
    original = tasks.translation.override
    monkeypatch.setattr(tasks.translation, "override",
                        lambda lang, *a, **k: languages.append(lang) or original(lang, *a, **k))

    notify(people, setting, django_capture_on_commit_callbacks)

    assert languages == ["es"]


def test_members_whose_target_role_needs_the_skill_are_told_too(
    people, setting, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    monkeypatch.setattr(notice_services, "TARGET_ROLE_SOURCES", [])
    notice_services.register_target_role_source(
        lambda *, organization, skill: [people.leader.pk])

    notify(people, setting, django_capture_on_commit_callbacks)

    assert set(EmergingSkillNotice.objects_unscoped.values_list("member_id", flat=True)) == {
        people.employee.pk, people.leader.pk}


# --- The notices page -----------------------------------------------------------------------------


def url(name, org, **kwargs):
    return reverse(f"skills:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_member_sees_their_notices_and_marks_one_read(people, setting, login):
    notice_services.emerging_skill_notices_create(organization=people.org, skill=setting)
    notice = EmergingSkillNotice.objects_unscoped.get(member=people.employee)
    client = login(people.employee)

    page = client.get(url("notices", people.org))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Prompt design" in body and "Every team will use assistants." in body
    assert "Mark as read" in body

    response = client.post(url("notice_read", people.org, notice_id=notice.pk))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Mark as read" not in client.get(url("notices", people.org)).content.decode()


def test_member_marks_all_notices_read(people, setting, login):
    notice_services.emerging_skill_notices_create(organization=people.org, skill=setting)

    login(people.employee).post(url("notices", people.org), {"mark_all": "1"})

    assert not EmergingSkillNotice.objects_unscoped.filter(read_at__isnull=True).exists()


def test_a_member_without_notices_sees_an_empty_page(people, setting, login):
    response = login(people.manager).get(url("notices", people.org))

    assert response.status_code == 200
    assert "No emerging skills for you yet" in response.content.decode()


def test_someone_elses_notice_is_not_found(people, setting, login):
    notice_services.emerging_skill_notices_create(organization=people.org, skill=setting)
    notice = EmergingSkillNotice.objects_unscoped.get(member=people.employee)

    for member in (people.manager, people.hr):
        response = login(member).post(url("notice_read", people.org, notice_id=notice.pk))
        assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_notices_page_runs_a_fixed_number_of_queries(people, setting, login):
    client = login(people.employee)
    page = url("notices", people.org)
    notice_services.emerging_skill_notices_create(organization=people.org, skill=setting)
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        client.get(page)
    framework = Framework.objects_unscoped.get(organization=people.org)
    for n in range(5):
        skill = Skill.objects_unscoped.create(organization=people.org, framework=framework,
                                              name=f"New {n}", is_emerging=True)
        RoleRequirement.objects_unscoped.create(
            organization=people.org, role=RoleProfile.objects_unscoped.get(title="Engineer",
                                                                           organization=people.org),
            skill=skill, min_level=1)
        notice_services.emerging_skill_notices_create(organization=people.org, skill=skill)
    with CaptureQueriesContext(connection) as six:
        response = client.get(page)

    assert response.content.decode().count("Mark as read<") == 6
    assert len(six) == len(one)


def test_the_scan_makes_and_sends_notices_whose_task_was_lost_and_nothing_twice(
    people, setting, django_capture_on_commit_callbacks, mailoutbox
):
    """The skill was marked emerging but its noticing task never ran (lost with the broker's
    messages): the scan notices and emails the employee; another scan sends nothing more."""
    assert EmergingSkillNotice.objects_unscoped.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.emerging_skills_scan.apply().get() == 2  # ours and the other organisation's
    assert set(EmergingSkillNotice.objects_unscoped.filter(organization=people.org)
               .values_list("member_id", flat=True)) == {people.employee.pk}
    ours = [m for m in mailoutbox if m.to == [people.employee.user.email]]
    assert len(ours) == 1
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.emerging_skills_scan.apply().get()
    assert len(mailoutbox) == sent
