"""The succession pages through real URLs: the overview and a position's bench for HR and
leaders, a manager's own nominations, and nothing at all for employees or other managers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hr_admin import registrations_succession
from hr_admin.models import Criticality, KeyPosition, Readiness, SuccessorNomination
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent
from skills.factories import FrameworkFactory, RoleProfileFactory, RoleRequirementFactory
from skills.factories import SkillFactory as SkillF
from skills.models import SkillRating

from .factories_succession import KeyPositionFactory, SuccessorNominationFactory

pytestmark = pytest.mark.django_db

SECRET = "Quietly the strongest candidate"


@pytest.fixture(autouse=True)
def _panels():
    registrations_succession.register()


@pytest.fixture
def role(people):
    return RoleProfileFactory(framework=FrameworkFactory(organization=people.org),
                              title="Engineering Manager", grade="M1")


@pytest.fixture
def position(people, role):
    return KeyPositionFactory(role=role, title="Head of Platform", incumbent=people.manager,
                              criticality=Criticality.CRITICAL, notes="Incumbent retires soon")


@pytest.fixture
def other_manager(people):
    manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=manager)
    return manager


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The overview -------------------------------------------------------------------------------


def test_hr_sees_every_position_with_incumbent_criticality_and_bench(people, login, position):
    SuccessorNominationFactory(position=position, candidate=people.employee,
                               readiness=Readiness.READY_NOW, nominated_by=people.manager)
    response = login(people.hr).get(url("succession", people.org))
    assert response.status_code == 200
    page = text(response)
    assert "Head of Platform" in page and people.manager.display_name in page
    assert "Critical" in page and "Thin" in page and "1 ready now" in page
    assert "At least one successor ready now, and two or more in all." in page


def test_the_overview_filters_on_criticality_and_weak_benches(people, login, role):
    strong = KeyPositionFactory(role=role, title="Solid seat")
    SuccessorNominationFactory(position=strong, readiness=Readiness.READY_NOW)
    SuccessorNominationFactory(position=strong, readiness=Readiness.THREE_PLUS)
    KeyPositionFactory(role=role, title="Medium empty", criticality=Criticality.MEDIUM)
    client = login(people.leader)
    weak = text(client.get(url("succession", people.org) + "?weak=on"))
    assert "Medium empty" in weak and "Solid seat" not in weak
    medium = text(client.get(url("succession", people.org) + "?criticality=medium"))
    assert "Medium empty" in medium and "Solid seat" not in medium


def test_the_overview_runs_the_same_queries_for_2_or_20_positions(people, login, role):
    client = login(people.hr)
    path = url("succession", people.org)

    def add(n):
        for i in range(n):
            incumbent = MembershipFactory(organization=people.org, manager=people.leader)
            position = KeyPositionFactory(role=role, incumbent=incumbent,
                                          criticality=Criticality.values[i % 3])
            for r in range(i % 4):
                SuccessorNominationFactory(position=position, readiness=Readiness.values[r % 3])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(2)
    small = queries()
    add(18)
    large = queries()
    assert small == large
    print(f"\nsuccession overview: {small} queries for 2 and for 20 positions")


def test_an_empty_overview_says_what_to_do(people, login):
    page = text(login(people.hr).get(url("succession", people.org)))
    assert "No key positions yet" in page and "Add a key position" in page


# --- Positions ----------------------------------------------------------------------------------


def test_hr_adds_a_position_then_lands_on_it(people, login, role):
    response = login(people.hr).post(url("succession_position_create", people.org), {
        "role": role.pk, "title": "Head of Platform", "team": "", "incumbent": people.manager.pk,
        "criticality": "critical", "notes": ""}, follow=True)
    position = KeyPosition.objects_unscoped.get()
    assert response.redirect_chain[-1][0] == url("succession_position", people.org,
                                                 position_id=position.pk)
    assert "Key position “Head of Platform” added." in messages_of(response)[0]
    assert "No successor yet" in text(response)


def test_bad_position_input_comes_back_with_field_messages(people, login):
    response = login(people.hr).post(url("succession_position_create", people.org), {
        "role": "", "criticality": "urgent", "title": "Keep me"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "role" in errors and "criticality" in errors
    assert 'value="Keep me"' in text(response)
    assert not KeyPosition.objects_unscoped.exists()


def test_a_position_shows_its_bench_with_skills_readiness(people, login, position, role):
    requirement = RoleRequirementFactory(role=role, skill=SkillF(framework=role.framework),
                                         min_level=4)
    SkillRating.objects_unscoped.create(organization=people.org, member=people.employee,
                                        skill=requirement.skill, validated_level=3)
    SuccessorNominationFactory(position=position, candidate=people.employee,
                               readiness=Readiness.READY_NOW, notes=SECRET,
                               nominated_by=people.manager)
    response = login(people.hr).get(url("succession_position", people.org,
                                        position_id=position.pk))
    page = text(response)
    assert SECRET in page and "Ready now" in page
    assert "Skills for Engineering Manager" in page and "75%" in page
    assert f"Nominated by {people.manager.display_name}" in page
    assert "Incumbent retires soon" in page
    assert AuditEvent.objects_unscoped.filter(action="hr.succession_viewed",
                                              actor=people.hr).exists()


def test_hr_nominates_from_the_position_page(people, login, position):
    client = login(people.hr)
    response = client.post(url("succession_nomination_create", people.org), {
        "from": "position", "position": position.pk, "candidate": people.employee.pk,
        "readiness": "one_two_years", "notes": "Leads the on-call redesign."}, follow=True)
    assert response.redirect_chain[-1][0] == url("succession_position", people.org,
                                                 position_id=position.pk)
    assert "nominated as a successor" in messages_of(response)[0]
    assert "Leads the on-call redesign." in text(response)


def test_a_bad_nomination_on_the_position_page_comes_back_there(people, login, position):
    response = login(people.hr).post(url("succession_nomination_create", people.org), {
        "from": "position", "position": position.pk, "candidate": people.manager.pk,
        "readiness": "ready_now", "notes": "Typed text"})
    assert response.status_code == 400
    assert "holds this position" in text(response)
    assert "Typed text</textarea>" in text(response)
    assert not SuccessorNomination.objects_unscoped.exists()


def test_retiring_a_position_takes_it_off_the_overview(people, login, position):
    client = login(people.hr)
    path = url("succession_position_retire", people.org, position_id=position.pk)
    assert "Retire “Head of Platform”?" in text(client.get(path))
    response = client.post(path, follow=True)
    assert "retired from succession planning" in messages_of(response)[0]
    assert "Head of Platform" not in text(client.get(url("succession", people.org)))
    assert "Head of Platform" in text(client.get(url("succession", people.org) + "?retired=on"))
    client.post(url("succession_position_restore", people.org, position_id=position.pk))
    position.refresh_from_db()
    assert position.is_active


def test_editing_a_position(people, login, position, role):
    client = login(people.leader)
    edit = url("succession_position_edit", people.org, position_id=position.pk)
    assert 'value="Head of Platform"' in text(client.get(edit))
    response = client.post(edit, {"role": role.pk, "title": "Platform lead", "team": "",
                                  "incumbent": "", "criticality": "medium", "notes": ""},
                           follow=True)
    assert "Changes to “Platform lead” saved." in messages_of(response)[0]
    position.refresh_from_db()
    assert (position.incumbent, position.criticality) == (None, "medium")


# --- A manager's nominations --------------------------------------------------------------------


def test_a_manager_is_sent_to_their_own_nominations(people, login, position):
    client = login(people.manager)
    response = client.get(url("succession", people.org))
    assert response.status_code == 302
    assert response["Location"] == url("succession_nominations", people.org)


def test_a_manager_nominates_a_report_and_sees_only_their_own(people, login, position,
                                                              other_manager):
    theirs = SuccessorNominationFactory(position=position, nominated_by=other_manager,
                                        notes=SECRET)
    client = login(people.manager)
    response = client.post(url("succession_nomination_create", people.org), {
        "position": position.pk, "candidate": people.employee.pk, "readiness": "three_plus",
        "notes": "Curious and steady."}, follow=True)
    assert response.redirect_chain[-1][0] == url("succession_nominations", people.org)
    page = text(response)
    assert "Curious and steady." in page and "Head of Platform" in page
    assert SECRET not in page and theirs.candidate.display_name not in page
    offered = {v for v, _l in response.context["form"].fields["candidate"].choices}
    assert offered == {"", people.employee.pk}


def test_a_manager_never_reaches_a_position_or_its_bench(people, login, position):
    SuccessorNominationFactory(position=position, candidate=people.employee,
                               nominated_by=people.manager)
    client = login(people.manager)
    for name in ("succession_position", "succession_position_edit",
                 "succession_position_retire", "succession_position_restore"):
        assert client.get(url(name, people.org, position_id=position.pk)).status_code == 404
        assert client.post(url(name, people.org, position_id=position.pk)).status_code == 404
    assert client.get(url("succession_position_create", people.org)).status_code == 404


def test_another_manager_cannot_open_a_nomination_they_did_not_write(people, login, position,
                                                                     other_manager):
    made = SuccessorNominationFactory(position=position, candidate=people.employee,
                                      nominated_by=people.manager, notes=SECRET)
    client = login(other_manager)
    for name in ("succession_nomination_edit", "succession_nomination_delete"):
        path = url(name, people.org, nomination_id=made.pk)
        assert client.get(path).status_code == 404
        assert client.post(path, {"readiness": "ready_now"}).status_code == 404
    page = text(client.get(url("succession_nominations", people.org)))
    assert SECRET not in page and "You have not nominated anyone yet" in page
    made.refresh_from_db()
    assert made.readiness == Readiness.ONE_TWO_YEARS


def test_the_author_changes_and_removes_their_nomination(people, login, position):
    made = SuccessorNominationFactory(position=position, candidate=people.employee,
                                      nominated_by=people.manager)
    client = login(people.manager)
    edit = url("succession_nomination_edit", people.org, nomination_id=made.pk)
    response = client.post(edit, {"readiness": "ready_now", "notes": "Now ready."}, follow=True)
    assert messages_of(response) == [f"Nomination of {people.employee.display_name} saved."]
    made.refresh_from_db()
    assert made.readiness == Readiness.READY_NOW
    response = client.post(url("succession_nomination_delete", people.org,
                               nomination_id=made.pk), follow=True)
    assert "is no longer a successor" in messages_of(response)[0]
    assert not SuccessorNomination.objects_unscoped.exists()


def test_the_nominations_page_runs_the_same_queries_for_2_or_20(people, login, role):
    client = login(people.manager)
    path = url("succession_nominations", people.org)

    def add(n):
        for _i in range(n):
            report = MembershipFactory(organization=people.org, manager=people.manager)
            SuccessorNominationFactory(position=KeyPositionFactory(role=role), candidate=report,
                                       nominated_by=people.manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(2)
    small = queries()
    add(18)
    assert queries() == small


# --- Invisible to employees and to the nominee --------------------------------------------------


def test_an_employee_gets_404_on_every_succession_page(people, login, position):
    made = SuccessorNominationFactory(position=position, nominated_by=people.hr)
    client = login(people.employee)
    paths = [url("succession", people.org), url("succession_position_create", people.org),
             url("succession_nominations", people.org),
             url("succession_nomination_create", people.org)]
    paths += [url(name, people.org, position_id=position.pk) for name in (
        "succession_position", "succession_position_edit", "succession_position_retire",
        "succession_position_restore")]
    paths += [url(name, people.org, nomination_id=made.pk) for name in (
        "succession_nomination_edit", "succession_nomination_delete")]
    for path in paths:
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


def test_the_nominee_never_sees_their_nomination_even_as_hr(people, login, position):
    made = SuccessorNominationFactory(position=position, candidate=people.hr,
                                      nominated_by=people.leader, notes=SECRET)
    client = login(people.hr)
    assert client.get(url("succession_nomination_edit", people.org,
                          nomination_id=made.pk)).status_code == 404
    page = text(client.get(url("succession_position", people.org, position_id=position.pk)))
    assert SECRET not in page and "No successor yet" in page


# --- The profile panel --------------------------------------------------------------------------


def profile(org, member):
    return reverse("organizations:member_detail", kwargs={"org_slug": org.slug,
                                                          "member_id": member.pk})


def test_hr_sees_positions_held_and_nominations_on_a_profile(people, login, position):
    SuccessorNominationFactory(position=position, candidate=people.employee,
                               readiness=Readiness.READY_NOW, nominated_by=people.manager)
    page = text(login(people.hr).get(profile(people.org, people.employee)))
    assert "su-panel-title" in page and "Head of Platform" in page and "Ready now" in page
    held = text(login(people.hr).get(profile(people.org, people.manager)))
    assert "Holds this key position" in held


def test_the_member_never_sees_the_succession_panel(people, login, position):
    SuccessorNominationFactory(position=position, candidate=people.employee, notes=SECRET)
    page = text(login(people.employee).get(profile(people.org, people.employee)))
    assert "su-panel-title" not in page and "Head of Platform" not in page


def test_a_manager_sees_only_what_they_nominated_on_a_reports_profile(people, login, position):
    SuccessorNominationFactory(position=position, candidate=people.employee,
                               nominated_by=people.hr)
    page = text(login(people.manager).get(profile(people.org, people.employee)))
    assert "su-panel-title" in page and "Head of Platform" not in page
    assert "Nominate " in page
