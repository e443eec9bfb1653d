"""The career moves API: the organisation's list and counts for HR and leaders, recording and
removing (HR), a member's history for those who may read it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from hr_admin.models import Move, MoveKind
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from skills.factories import FrameworkFactory, MemberRoleFactory, RoleProfileFactory

from .factories_succession import MoveFactory

pytestmark = pytest.mark.django_db


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def roles(people):
    framework = FrameworkFactory(organization=people.org)
    return (RoleProfileFactory(framework=framework, title="Analyst", grade="D1"),
            RoleProfileFactory(framework=framework, title="Senior Analyst", grade="D2"))


def test_leaders_list_moves_and_counts(people, login):
    MoveFactory(member=people.employee, kind=MoveKind.PROMOTION, effective_on=date(2025, 4, 1))
    MoveFactory(member=people.manager, kind=MoveKind.HIRE, effective_on=date(2024, 1, 1))
    client = login(people.leader)
    body = client.get(api("move-list", people.org) + "?start=2025-01-01").json()
    assert [m["kind_label"] for m in body["results"]] == ["Promotion"]
    counts = client.get(api("move-counts", people.org)).json()
    assert {c["kind"]: c["count"] for c in counts}["hire"] == 1


def test_bad_filters_are_a_400(people, login):
    client = login(people.hr)
    response = client.get(api("move-list", people.org) + "?kind=jump")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]
    response = client.get(api("move-list", people.org) + "?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 400
    assert response.json()["errors"]["end"] == ["Choose an end on or after the start."]


def test_hr_records_a_move_and_removes_it(people, login, roles):
    analyst, senior = roles
    MemberRoleFactory(member=people.employee, role=analyst)
    client = login(people.hr)
    response = client.post(api("move-list", people.org), {
        "member": people.employee.pk, "to_role": senior.pk,
        "effective_on": timezone.localdate().isoformat()},
        content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["from_grade"], body["to_grade"]) == ("promotion", "D1", "D2")
    assert client.delete(api("move-detail", people.org, move_id=body["id"])).status_code == 204
    assert not Move.objects_unscoped.exists()


def test_a_move_that_changes_nothing_is_a_400(people, login):
    response = login(people.hr).post(api("move-list", people.org),
                                     {"member": people.employee.pk},
                                     content_type="application/json")
    assert response.status_code == 400
    assert "to_role" in response.json()["errors"]


def test_only_hr_records_or_removes(people, login):
    move = MoveFactory(member=people.employee)
    client = login(people.leader)
    assert client.post(api("move-list", people.org), {"member": people.employee.pk},
                       content_type="application/json").status_code == 403
    assert client.delete(api("move-detail", people.org, move_id=move.pk)).status_code == 403
    assert login(people.employee).get(api("move-list", people.org)).status_code == 403


def test_a_members_history_is_for_them_their_managers_hr_and_leaders(people, login):
    MoveFactory(member=people.employee, kind=MoveKind.HIRE)
    path = api("member-moves", people.org, member_id=people.employee.pk)
    for viewer in (people.employee, people.manager, people.hr, people.leader):
        assert login(viewer).get(path).json()["count"] == 1
    stranger = MembershipFactory(organization=people.org, manager=people.leader,
                                 team=TeamFactory(organization=people.org))
    assert login(stranger).get(path).status_code == 404
    manager_path = api("member-moves", people.org, member_id=people.manager.pk)
    assert login(people.employee).get(manager_path).status_code == 404


# --- Regretted leavers --------------------------------------------------------------------------


def test_hr_records_an_exit_as_regretted_and_reads_the_mark(people, login):
    leaver = MembershipFactory(organization=people.org, is_active=False, started_on=None)
    client = login(people.hr)
    response = client.post(api("move-list", people.org), {
        "member": leaver.pk, "kind": "exit", "regretted": True},
        content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["regretted"] is True
    detail = client.get(api("move-detail", people.org, move_id=response.json()["id"]))
    assert detail.json()["regretted"] is True
    listed = client.get(api("move-list", people.org)).json()["results"]
    assert [m["regretted"] for m in listed] == [True]


def test_regretted_is_refused_for_a_move_that_is_not_an_exit(people, login, roles):
    analyst, senior = roles
    MemberRoleFactory(member=people.employee, role=analyst)
    response = login(people.hr).post(api("move-list", people.org), {
        "member": people.employee.pk, "to_role": senior.pk, "regretted": False},
        content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["regretted"]
    assert not Move.objects_unscoped.exists()


def test_hr_changes_the_mark_of_an_exit(people, login):
    leaver = MembershipFactory(organization=people.org, is_active=False)
    move = MoveFactory(member=leaver, kind=MoveKind.EXIT)
    client = login(people.hr)
    path = api("move-detail", people.org, move_id=move.pk)
    for value in (False, True, None):
        response = client.patch(path, {"regretted": value}, content_type="application/json")
        assert response.status_code == 200, response.json()
        assert response.json()["regretted"] is value
        move.refresh_from_db()
        assert move.regretted is value
    assert AuditEvent.objects_unscoped.filter(action="hr.move_regretted_set").count() == 3
    response = client.patch(path, {}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["regretted"]


def test_the_mark_is_hrs_and_for_exits_only(people, other_people, login):
    promotion = MoveFactory(member=people.employee, kind=MoveKind.PROMOTION)
    hr = login(people.hr)
    response = hr.patch(api("move-detail", people.org, move_id=promotion.pk),
                        {"regretted": True}, content_type="application/json")
    assert response.status_code == 400 and "regretted" in response.json()["errors"]
    leaver = MembershipFactory(organization=people.org, is_active=False)
    exit_move = MoveFactory(member=leaver, kind=MoveKind.EXIT)
    path = api("move-detail", people.org, move_id=exit_move.pk)
    assert login(people.leader).patch(path, {"regretted": True},
                                      content_type="application/json").status_code == 403
    foreign = MoveFactory(member=MembershipFactory(organization=other_people.org,
                                                   is_active=False), kind=MoveKind.EXIT)
    assert hr.patch(api("move-detail", people.org, move_id=foreign.pk), {"regretted": True},
                    content_type="application/json").status_code == 404
    assert not Move.objects_unscoped.filter(regretted__isnull=False).exists()
