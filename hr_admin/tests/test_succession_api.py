"""The succession API: positions with their bench for HR and leaders, a manager's own
nominations only, 404 for employees, 400 with field messages."""

import pytest
from django.urls import reverse

from hr_admin.models import KeyPosition, Readiness, SuccessorNomination
from organizations.factories import MembershipFactory
from skills.factories import FrameworkFactory, RoleProfileFactory

from .factories_succession import KeyPositionFactory, SuccessorNominationFactory

pytestmark = pytest.mark.django_db

SECRET = "Quietly the strongest candidate"


@pytest.fixture
def role(people):
    return RoleProfileFactory(framework=FrameworkFactory(organization=people.org),
                              title="Engineering Manager")


@pytest.fixture
def position(people, role):
    return KeyPositionFactory(role=role, title="Head of Platform", incumbent=people.manager)


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_hr_lists_positions_with_their_bench(people, login, position):
    SuccessorNominationFactory(position=position, readiness=Readiness.READY_NOW)
    SuccessorNominationFactory(position=position, readiness=Readiness.THREE_PLUS)
    response = login(people.hr).get(api("succession-position-list", people.org))
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["name"] == "Head of Platform"
    assert row["incumbent"]["id"] == people.manager.pk
    assert row["bench"] == {"ready_now": 1, "one_two_years": 0, "three_plus": 1, "total": 2,
                            "strength": "strong", "label": "Strong"}


def test_hr_creates_and_edits_a_position(people, login, role):
    client = login(people.hr)
    response = client.post(api("succession-position-list", people.org),
                           {"role": role.pk, "title": "Head of Data", "criticality": "critical"},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    position_id = response.json()["id"]
    response = client.patch(api("succession-position-detail", people.org,
                                position_id=position_id),
                            {"criticality": "medium", "is_active": False},
                            content_type="application/json")
    assert response.status_code == 200, response.json()
    assert (response.json()["criticality"], response.json()["is_active"]) == ("medium", False)
    assert KeyPosition.objects_unscoped.get().title == "Head of Data"


def test_bad_input_is_a_400_with_field_messages(people, login, other_people):
    foreign = RoleProfileFactory(framework=FrameworkFactory(organization=other_people.org))
    response = login(people.hr).post(api("succession-position-list", people.org),
                                     {"role": foreign.pk, "criticality": "urgent"},
                                     content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"role", "criticality"}


def test_a_position_shows_its_successors(people, login, position):
    SuccessorNominationFactory(position=position, candidate=people.employee, notes=SECRET,
                               readiness=Readiness.READY_NOW)
    body = login(people.leader).get(api("succession-position-detail", people.org,
                                        position_id=position.pk)).json()
    assert body["successors"][0]["candidate"]["id"] == people.employee.pk
    assert body["successors"][0]["notes"] == SECRET
    assert body["successors"][0]["skills_readiness"] is None


def test_a_manager_nominates_and_lists_only_their_own(people, login, position):
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    SuccessorNominationFactory(position=position, nominated_by=other_manager, notes=SECRET)
    client = login(people.manager)
    positions = client.get(api("succession-position-list", people.org)).json()["results"]
    assert positions == [{"id": position.pk, "name": "Head of Platform", "team": None}]
    response = client.post(api("succession-nomination-list", people.org), {
        "position": position.pk, "candidate": people.employee.pk, "readiness": "one_two_years",
        "notes": "Steady."}, content_type="application/json")
    assert response.status_code == 201, response.json()
    listed = client.get(api("succession-nomination-list", people.org)).json()["results"]
    assert [n["notes"] for n in listed] == ["Steady."]
    assert client.get(api("succession-position-detail", people.org,
                          position_id=position.pk)).status_code == 404


def test_a_manager_cannot_nominate_outside_their_line_through_the_api(people, login, position):
    elsewhere = MembershipFactory(organization=people.org, manager=people.leader)
    response = login(people.manager).post(api("succession-nomination-list", people.org), {
        "position": position.pk, "candidate": elsewhere.pk, "readiness": "ready_now"},
        content_type="application/json")
    assert response.status_code == 400
    assert "candidate" in response.json()["errors"]
    assert not SuccessorNomination.objects_unscoped.exists()


def test_another_manager_gets_404_for_a_nomination_they_did_not_write(people, login, position):
    made = SuccessorNominationFactory(position=position, candidate=people.employee,
                                      nominated_by=people.manager, notes=SECRET)
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    client = login(other_manager)
    path = api("succession-nomination-detail", people.org, nomination_id=made.pk)
    assert client.get(path).status_code == 404
    assert client.patch(path, {"readiness": "ready_now"},
                        content_type="application/json").status_code == 404
    assert client.delete(path).status_code == 404
    assert SECRET not in client.get(api("succession-nomination-list", people.org)).content.decode()


def test_the_author_changes_and_withdraws_their_nomination(people, login, position):
    made = SuccessorNominationFactory(position=position, candidate=people.employee,
                                      nominated_by=people.manager)
    client = login(people.manager)
    path = api("succession-nomination-detail", people.org, nomination_id=made.pk)
    response = client.patch(path, {"readiness": "ready_now"}, content_type="application/json")
    assert response.json()["readiness"] == "ready_now"
    assert client.delete(path).status_code == 204
    assert not SuccessorNomination.objects_unscoped.exists()


def test_employees_get_404_from_every_succession_endpoint(people, login, position):
    made = SuccessorNominationFactory(position=position, nominated_by=people.hr)
    client = login(people.employee)
    for path in (api("succession-position-list", people.org),
                 api("succession-nomination-list", people.org),
                 api("succession-position-detail", people.org, position_id=position.pk),
                 api("succession-nomination-detail", people.org, nomination_id=made.pk)):
        assert client.get(path).status_code == 404, path
        assert client.post(path, {}, content_type="application/json").status_code == 404, path


def test_hr_never_reads_a_nomination_about_themselves(people, login, position):
    made = SuccessorNominationFactory(position=position, candidate=people.hr, notes=SECRET)
    client = login(people.hr)
    assert client.get(api("succession-nomination-detail", people.org,
                          nomination_id=made.pk)).status_code == 404
    assert SECRET not in client.get(api("succession-nomination-list", people.org)).content.decode()
