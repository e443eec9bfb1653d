"""The organisations REST API, through real URLs, as each role and as scripts with API tokens."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from organizations import services
from organizations.factories import (
    InvitationFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)
from organizations.models import AuditEvent, Invitation, Team

pytestmark = pytest.mark.django_db


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/{path}"


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def reload(obj):
    obj.refresh_from_db()
    return obj


def token_client(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries.captured_queries), response.json()


# --- me/ ----------------------------------------------------------------------------------------


def test_me_describes_the_callers_membership_roles_and_organisation(people, login):
    team = TeamFactory(organization=people.org, name="Platform")
    people.manager.team = team
    people.manager.save()

    response = login(people.manager).get(api(people.org, "me/"))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == people.manager.pk
    assert body["email"] == "manager@acme.test"
    assert body["first_name"] == people.manager.user.first_name
    assert body["job_title"] == "Engineering Manager"
    assert body["team"] == {"id": team.pk, "name": "Platform"}
    assert body["manager"] == {"id": people.leader.pk, "name": people.leader.display_name}
    assert body["roles"] == ["employee", "manager"]
    assert body["organization"] == {"slug": "acme", "name": "Acme", "default_language": "en",
                                    "time_zone": "UTC"}


def test_me_lists_hr_and_leader_roles(people, login):
    assert login(people.hr).get(api(people.org, "me/")).json()["roles"] == ["employee", "hr"]
    assert login(people.leader).get(api(people.org, "me/")).json()["roles"] == [
        "employee", "manager", "leader"
    ]


def test_organisation_the_caller_does_not_belong_to_is_404_in_the_one_error_format(
    people, other_people, login
):
    response = login(people.hr).get(api(other_people.org, "me/"))

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
    assert response.json()["errors"] == {}


def test_unknown_organisation_and_foreign_organisation_answer_alike(people, other_people, login):
    client = login(people.hr)
    foreign = client.get(api(other_people.org, "members/"))
    unknown = client.get("/api/v1/o/no-such-org/members/")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()


def test_anonymous_caller_is_told_to_authenticate(people, client):
    response = client.get(api(people.org, "me/"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert set(response.json()) == {"detail", "errors"}


def test_inactive_member_gets_404(people, login):
    people.employee.is_active = False
    people.employee.save()
    assert login(people.employee).get(api(people.org, "me/")).status_code == 404


# --- members/ -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hr", "leader"])
def test_hr_admins_and_leaders_see_everyone_in_member_list(people, other_people, login, role):
    response = login(people.by_role()[role]).get(api(people.org, "members/"))

    assert response.status_code == 200
    assert response.json()["count"] == 4
    assert ids(response) == {m.pk for m in people.by_role().values()}


def test_manager_sees_only_themselves_their_manager_and_reports_in_member_list(people, login):
    MembershipFactory(organization=people.org, manager=people.employee)  # not a direct report

    response = login(people.manager).get(api(people.org, "members/"))

    assert ids(response) == {people.manager.pk, people.leader.pk, people.employee.pk}


def test_employee_sees_only_themselves_and_their_manager_in_member_list(people, login):
    response = login(people.employee).get(api(people.org, "members/"))
    assert ids(response) == {people.employee.pk, people.manager.pk}


def test_member_list_is_ordered_by_last_name_with_team_and_manager(people, login):
    team = TeamFactory(organization=people.org, name="Platform")
    for member, last_name in [(people.employee, "Abbott"), (people.manager, "Zuniga"),
                              (people.hr, "Moreau"), (people.leader, "Baker")]:
        member.user.last_name = last_name
        member.user.save()
    people.employee.team = team
    people.employee.save()

    rows = login(people.hr).get(api(people.org, "members/")).json()["results"]

    assert [r["last_name"] for r in rows] == ["Abbott", "Baker", "Moreau", "Zuniga"]
    assert rows[0]["team"] == {"id": team.pk, "name": "Platform"}
    assert rows[0]["manager"] == {"id": people.manager.pk, "name": people.manager.display_name}
    assert rows[0]["email"] == "employee@acme.test"


def test_member_list_searches_name_email_and_job_title(people, login):
    people.employee.user.last_name = "Zanzibar"
    people.employee.user.save()
    client = login(people.hr)

    assert ids(client.get(api(people.org, "members/"), {"q": "zanzi"})) == {people.employee.pk}
    assert ids(client.get(api(people.org, "members/"), {"q": "hr business"})) == {people.hr.pk}
    assert ids(client.get(api(people.org, "members/"), {"q": "leader@acme"})) == {
        people.leader.pk
    }


def test_search_never_widens_what_a_member_may_see(people, login):
    response = login(people.employee).get(api(people.org, "members/"), {"q": "HR Business"})
    assert response.json()["count"] == 0


def test_member_list_filters_by_team(people, login):
    team = TeamFactory(organization=people.org)
    people.manager.team = team
    people.manager.save()

    response = login(people.leader).get(api(people.org, "members/"), {"team": team.pk})

    assert ids(response) == {people.manager.pk}


def test_member_list_rejects_a_team_of_another_organisation(people, other_people, login):
    foreign_team = TeamFactory(organization=other_people.org)

    response = login(people.hr).get(api(people.org, "members/"), {"team": foreign_team.pk})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["team"][0]


def test_only_hr_admins_see_inactive_members(people, login):
    leaver = MembershipFactory(organization=people.org, is_active=False)
    url = api(people.org, "members/")

    assert leaver.pk in ids(login(people.hr).get(url))
    assert ids(login(people.hr).get(url, {"is_active": "false"})) == {leaver.pk}
    assert leaver.pk not in ids(login(people.hr).get(url, {"is_active": "true"}))
    assert leaver.pk not in ids(login(people.leader).get(url))
    assert ids(login(people.leader).get(url, {"is_active": "false"})) == set()


def test_member_list_is_paginated(people, login):
    client = login(people.hr)

    first = client.get(api(people.org, "members/"), {"page_size": 3}).json()
    second = client.get(api(people.org, "members/"), {"page_size": 3, "page": 2}).json()

    assert first["count"] == 4
    assert len(first["results"]) == 3 and len(second["results"]) == 1
    assert first["next"] is not None and second["next"] is None


def test_member_list_query_count_does_not_grow_with_members(people, login):
    client = login(people.hr)
    url = api(people.org, "members/")

    def add(n):
        for _ in range(n):
            MembershipFactory(organization=people.org, manager=people.manager,
                              team=TeamFactory(organization=people.org))

    add(3)
    client.get(url)  # warm caches that are not per-row (content types, session)
    few, body = count_queries(client, url)
    add(27)
    many, body_many = count_queries(client, url)

    assert body["count"] == 7 and body_many["count"] == 34
    assert few == many


def test_member_list_query_count_does_not_grow_with_a_managers_reports(people, login):
    client = login(people.manager)
    url = api(people.org, "members/")
    for _ in range(3):
        MembershipFactory(organization=people.org, manager=people.manager)
    client.get(url)
    few, body = count_queries(client, url)
    for _ in range(27):
        MembershipFactory(organization=people.org, manager=people.manager)
    many, body_many = count_queries(client, url)

    assert (body["count"], body_many["count"]) == (6, 33)
    assert few == many


# --- members/<id>/ ------------------------------------------------------------------------------


def profile_views():
    return AuditEvent.objects_unscoped.filter(action="member.profile_viewed")


def test_manager_reads_their_report_and_the_read_is_audited(people, login):
    response = login(people.manager).get(api(people.org, f"members/{people.employee.pk}/"))

    assert response.status_code == 200
    assert response.json()["email"] == "employee@acme.test"
    event = profile_views().get()
    assert (event.actor_id, event.subject_id) == (people.manager.pk, people.employee.pk)


def test_hr_admin_reading_a_member_is_audited(people, login):
    login(people.hr).get(api(people.org, f"members/{people.manager.pk}/"))
    assert profile_views().filter(actor=people.hr, subject=people.manager).count() == 1


def test_reading_your_own_record_is_not_audited(people, login):
    response = login(people.employee).get(api(people.org, f"members/{people.employee.pk}/"))
    assert response.status_code == 200
    assert not profile_views().exists()


def test_employee_cannot_read_a_colleague_outside_their_line(people, login):
    response = login(people.employee).get(api(people.org, f"members/{people.hr.pk}/"))
    assert response.status_code == 404
    assert not profile_views().exists()


def test_member_of_another_organisation_is_404_even_for_hr(people, other_people, login):
    client = login(people.hr)
    for method in ("get", "patch", "post", "delete"):
        response = getattr(client, method)(
            api(people.org, f"members/{other_people.employee.pk}/"),
            content_type="application/json",
        )
        assert response.status_code == 404, method


def test_hr_admin_updates_job_team_manager_and_name(people, login):
    team = TeamFactory(organization=people.org, name="Data")

    response = patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"), {
        "job_title": "Data Engineer", "team": team.pk, "manager": people.leader.pk,
        "first_name": "Ada", "last_name": "Lovelace",
    })

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["team"] == {"id": team.pk, "name": "Data"}
    assert body["manager"]["id"] == people.leader.pk
    assert (body["first_name"], body["last_name"]) == ("Ada", "Lovelace")
    employee = reload(people.employee)
    assert (employee.job_title, employee.team_id, employee.manager_id) == (
        "Data Engineer", team.pk, people.leader.pk)
    assert reload(employee.user).last_name == "Lovelace"


def test_patch_changes_only_the_fields_sent(people, login):
    patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
          {"is_leader": True})

    employee = reload(people.employee)
    assert employee.is_leader is True
    assert employee.job_title == "Software Engineer"
    assert employee.manager_id == people.manager.pk


def test_hr_admin_can_clear_team_and_deactivate_a_member(people, login):
    people.employee.team = TeamFactory(organization=people.org)
    people.employee.save()

    response = patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
                     {"team": None, "is_active": False})

    assert response.status_code == 200
    employee = reload(people.employee)
    assert (employee.team_id, employee.is_active) == (None, False)


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_admins_may_update_a_member(people, login, role):
    response = patch(login(people.by_role()[role]),
                     api(people.org, f"members/{people.employee.pk}/"),
                     {"job_title": "Chief Everything"})

    assert response.status_code == 403
    assert reload(people.employee).job_title == "Software Engineer"


def test_patch_with_another_organisations_team_is_400_and_changes_nothing(
    people, other_people, login
):
    own_team = TeamFactory(organization=people.org)
    people.employee.team = own_team
    people.employee.save()
    foreign_team = TeamFactory(organization=other_people.org)

    response = patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
                     {"team": foreign_team.pk, "job_title": "Spy"})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["team"][0]
    employee = reload(people.employee)
    assert (employee.team_id, employee.job_title) == (own_team.pk, "Software Engineer")


def test_patch_with_another_organisations_manager_is_400(people, other_people, login):
    response = patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
                     {"manager": other_people.manager.pk})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["manager"][0]
    assert reload(people.employee).manager_id == people.manager.pk


def test_a_member_cannot_be_their_own_manager(people, login):
    response = patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
                     {"manager": people.employee.pk})
    assert response.status_code == 400
    assert "manager" in response.json()["errors"]


def test_a_loop_in_the_manager_line_is_refused_with_the_services_message(people, login):
    response = patch(login(people.hr), api(people.org, f"members/{people.leader.pk}/"),
                     {"manager": people.employee.pk})

    assert response.status_code == 400
    assert response.json()["errors"]["manager"] == [
        "This would make a loop in the manager line."
    ]
    assert reload(people.leader).manager_id is None


def test_hr_admin_cannot_remove_their_own_role_or_deactivate_themselves(people, login):
    response = patch(login(people.hr), api(people.org, f"members/{people.hr.pk}/"),
                     {"is_hr_admin": False, "is_active": False})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"is_hr_admin", "is_active"}
    hr = reload(people.hr)
    assert hr.is_hr_admin and hr.is_active


def test_invalid_member_update_gets_field_messages(people, login):
    response = patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
                     {"job_title": "x" * 200, "is_leader": "perhaps"})

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == {"job_title", "is_leader"}


def test_member_update_is_audited(people, login):
    patch(login(people.hr), api(people.org, f"members/{people.employee.pk}/"),
          {"job_title": "Staff Engineer"})
    assert AuditEvent.objects_unscoped.filter(action="membership.updated", actor=people.hr,
                                              subject=people.employee).exists()


# --- teams/ -------------------------------------------------------------------------------------


def test_every_member_lists_the_organisations_teams_with_member_counts(
    people, other_people, login
):
    parent = TeamFactory(organization=people.org, name="Engineering")
    child = TeamFactory(organization=people.org, name="Platform", parent=parent)
    TeamFactory(organization=other_people.org, name="Globex team")
    people.employee.team = child
    people.employee.save()

    response = login(people.employee).get(api(people.org, "teams/"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["name"] for r in rows] == ["Engineering", "Platform"]
    assert rows[1]["parent"] == {"id": parent.pk, "name": "Engineering"}
    assert rows[1]["member_count"] == 1 and rows[0]["member_count"] == 0


def test_team_list_query_count_does_not_grow_with_teams(people, login):
    client = login(people.employee)
    url = api(people.org, "teams/")
    root = TeamFactory(organization=people.org)

    def add(n):
        for _ in range(n):
            team = TeamFactory(organization=people.org, parent=root)
            MembershipFactory(organization=people.org, team=team)

    add(2)
    client.get(url)
    few, body = count_queries(client, url)
    add(27)
    many, body_many = count_queries(client, url)

    assert (body["count"], body_many["count"]) == (3, 30)
    assert few == many


def test_any_member_reads_one_team(people, login):
    team = TeamFactory(organization=people.org, name="Sales")
    response = login(people.employee).get(api(people.org, f"teams/{team.pk}/"))
    assert response.status_code == 200
    assert response.json() == {"id": team.pk, "name": "Sales", "parent": None,
                               "member_count": 0}


def test_hr_admin_creates_a_team_under_a_parent(people, login):
    parent = TeamFactory(organization=people.org, name="Engineering")

    response = post(login(people.hr), api(people.org, "teams/"),
                    {"name": "  Mobile  ", "parent": parent.pk})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Mobile"
    assert body["parent"] == {"id": parent.pk, "name": "Engineering"}
    assert Team.objects.for_org(people.org).filter(name="Mobile", parent=parent).exists()


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_admins_create_teams(people, login, role):
    response = post(login(people.by_role()[role]), api(people.org, "teams/"), {"name": "Rogue"})
    assert response.status_code == 403
    assert not Team.objects.for_org(people.org).exists()


def test_team_needs_a_name(people, login):
    response = post(login(people.hr), api(people.org, "teams/"), {"name": "   "})
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_team_parent_from_another_organisation_is_400(people, other_people, login):
    foreign = TeamFactory(organization=other_people.org)

    response = post(login(people.hr), api(people.org, "teams/"),
                    {"name": "Mobile", "parent": foreign.pk})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["parent"][0]
    assert not Team.objects.for_org(people.org).exists()


def test_duplicate_team_name_under_the_same_parent_is_400(people, login):
    TeamFactory(organization=people.org, name="Sales")
    response = post(login(people.hr), api(people.org, "teams/"), {"name": "Sales"})
    assert response.status_code == 400
    assert Team.objects.for_org(people.org).filter(name="Sales").count() == 1


def test_hr_admin_renames_and_moves_a_team(people, login):
    engineering = TeamFactory(organization=people.org, name="Engineering")
    team = TeamFactory(organization=people.org, name="Mobil")

    response = patch(login(people.hr), api(people.org, f"teams/{team.pk}/"),
                     {"name": "Mobile", "parent": engineering.pk})

    assert response.status_code == 200, response.json()
    assert response.json()["parent"] == {"id": engineering.pk, "name": "Engineering"}
    team = reload(team)
    assert (team.name, team.parent_id) == ("Mobile", engineering.pk)


def test_team_cannot_be_moved_under_its_own_sub_team(people, login):
    top = TeamFactory(organization=people.org, name="Top")
    middle = TeamFactory(organization=people.org, name="Middle", parent=top)
    bottom = TeamFactory(organization=people.org, name="Bottom", parent=middle)
    client = login(people.hr)

    under_descendant = patch(client, api(people.org, f"teams/{top.pk}/"), {"parent": bottom.pk})
    under_itself = patch(client, api(people.org, f"teams/{top.pk}/"), {"parent": top.pk})

    assert under_descendant.status_code == under_itself.status_code == 400
    assert "parent" in under_descendant.json()["errors"]
    assert reload(top).parent_id is None


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_admins_change_or_delete_teams(people, login, role):
    team = TeamFactory(organization=people.org, name="Sales")
    client = login(people.by_role()[role])

    assert patch(client, api(people.org, f"teams/{team.pk}/"), {"name": "X"}).status_code == 403
    assert client.delete(api(people.org, f"teams/{team.pk}/")).status_code == 403
    assert reload(team).name == "Sales"


def test_hr_admin_deletes_an_empty_team(people, login):
    team = TeamFactory(organization=people.org)
    response = login(people.hr).delete(api(people.org, f"teams/{team.pk}/"))
    assert response.status_code == 204
    assert not Team.objects.for_org(people.org).filter(pk=team.pk).exists()


def test_team_with_members_is_not_deleted(people, login):
    team = TeamFactory(organization=people.org)
    people.employee.team = team
    people.employee.save()

    response = login(people.hr).delete(api(people.org, f"teams/{team.pk}/"))

    assert response.status_code == 400
    assert "members" in response.json()["detail"]
    assert reload(people.employee).team_id == team.pk


def test_team_with_sub_teams_is_not_deleted(people, login):
    team = TeamFactory(organization=people.org)
    TeamFactory(organization=people.org, parent=team)

    response = login(people.hr).delete(api(people.org, f"teams/{team.pk}/"))

    assert response.status_code == 400
    assert "sub-teams" in response.json()["detail"]
    assert Team.objects.for_org(people.org).filter(pk=team.pk).exists()


def test_team_of_another_organisation_is_404_for_every_method(people, other_people, login):
    foreign = TeamFactory(organization=other_people.org, name="Globex team")
    client = login(people.hr)
    url = api(people.org, f"teams/{foreign.pk}/")

    assert client.get(url).status_code == 404
    assert patch(client, url, {"name": "Stolen"}).status_code == 404
    assert client.delete(url).status_code == 404
    assert post(client, url).status_code == 404
    assert reload(foreign).name == "Globex team"


# --- invitations/ -------------------------------------------------------------------------------


def test_hr_admin_lists_invitations_without_tokens(people, other_people, login):
    mine = InvitationFactory(organization=people.org, email="new@acme.test")
    InvitationFactory(organization=other_people.org)

    response = login(people.hr).get(api(people.org, "invitations/"))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["status"] == "pending"
    assert not {"token", "token_hash"} & set(rows[0])


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_admins_see_and_send_invitations(people, login, role):
    client = login(people.by_role()[role])

    assert client.get(api(people.org, "invitations/")).status_code == 403
    response = post(client, api(people.org, "invitations/"), {"email": "x@example.test"})
    assert response.status_code == 403
    assert not Invitation.objects.for_org(people.org).exists()


def test_hr_admin_invites_someone_and_the_link_is_emailed_not_returned(
    people, login, django_capture_on_commit_callbacks
):
    team = TeamFactory(organization=people.org, name="Platform")

    with django_capture_on_commit_callbacks() as callbacks:
        response = post(login(people.hr), api(people.org, "invitations/"), {
            "email": "New.Person@Example.test", "first_name": "New", "job_title": "Designer",
            "team": team.pk, "manager": people.manager.pk, "is_leader": True,
        })

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "new.person@example.test"
    assert body["status"] == "pending"
    assert body["team"] == {"id": team.pk, "name": "Platform"}
    assert body["invited_by"]["id"] == people.hr.pk
    assert not {"token", "token_hash"} & set(body)
    invitation = Invitation.objects.for_org(people.org).get(pk=body["id"])
    assert (invitation.manager_id, invitation.is_leader) == (people.manager.pk, True)
    assert len(callbacks) == 1  # the email is sent once the invitation is committed


def test_inviting_a_current_member_is_400_on_the_email_field(people, login):
    response = post(login(people.hr), api(people.org, "invitations/"),
                    {"email": "employee@acme.test"})

    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_invitation_needs_a_valid_email(people, login):
    response = post(login(people.hr), api(people.org, "invitations/"), {"email": "not-an-email"})
    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_invitation_with_another_organisations_team_or_manager_is_400(
    people, other_people, login
):
    foreign_team = TeamFactory(organization=other_people.org)

    response = post(login(people.hr), api(people.org, "invitations/"), {
        "email": "new@example.test", "team": foreign_team.pk, "manager": other_people.hr.pk,
    })

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"team", "manager"}
    assert not Invitation.objects.for_org(people.org).exists()


def test_hr_admin_reads_one_invitation(people, login):
    invitation = InvitationFactory(organization=people.org, email="new@acme.test")
    response = login(people.hr).get(api(people.org, f"invitations/{invitation.pk}/"))
    assert response.status_code == 200
    assert response.json()["email"] == "new@acme.test"


def test_hr_admin_revokes_an_invitation(people, login):
    invitation = InvitationFactory(organization=people.org)
    client = login(people.hr)

    response = client.delete(api(people.org, f"invitations/{invitation.pk}/"))

    assert response.status_code == 204
    assert reload(invitation).revoked_at is not None
    after = client.get(api(people.org, f"invitations/{invitation.pk}/")).json()
    assert after["status"] == "revoked"


def test_hr_admin_resends_an_invitation_with_a_fresh_link(
    people, login, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(organization=people.org)
    old_hash = invitation.token_hash

    with django_capture_on_commit_callbacks() as callbacks:
        response = post(login(people.hr), api(people.org, f"invitations/{invitation.pk}/resend/"))

    assert response.status_code == 200
    assert response.json()["id"] == invitation.pk
    assert reload(invitation).token_hash != old_hash
    assert len(callbacks) == 1


def test_revoked_invitation_cannot_be_resent(people, login):
    invitation = InvitationFactory(organization=people.org)
    client = login(people.hr)
    client.delete(api(people.org, f"invitations/{invitation.pk}/"))

    response = post(client, api(people.org, f"invitations/{invitation.pk}/resend/"))

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_members_who_are_not_hr_cannot_read_revoke_or_resend_an_invitation(people, login, role):
    invitation = InvitationFactory(organization=people.org)
    client = login(people.by_role()[role])

    assert client.get(api(people.org, f"invitations/{invitation.pk}/")).status_code == 403
    assert client.delete(api(people.org, f"invitations/{invitation.pk}/")).status_code == 403
    assert post(client, api(people.org, f"invitations/{invitation.pk}/resend/")).status_code == 403
    assert reload(invitation).revoked_at is None


@pytest.mark.parametrize("role", ["employee", "hr"])
def test_invitation_of_another_organisation_is_404_for_every_role_and_method(
    people, other_people, login, role
):
    foreign = InvitationFactory(organization=other_people.org)
    client = login(people.by_role()[role])

    assert client.get(api(people.org, f"invitations/{foreign.pk}/")).status_code == 404
    assert client.delete(api(people.org, f"invitations/{foreign.pk}/")).status_code == 404
    assert post(client, api(people.org, f"invitations/{foreign.pk}/resend/")).status_code == 404
    assert reload(foreign).revoked_at is None


def test_invitation_list_query_count_does_not_grow_with_invitations(people, login):
    client = login(people.hr)
    url = api(people.org, "invitations/")

    def add(n):
        for _ in range(n):
            InvitationFactory(organization=people.org, team=TeamFactory(organization=people.org),
                              manager=people.manager, invited_by=people.hr)

    add(3)
    client.get(url)
    few, body = count_queries(client, url)
    add(27)
    many, body_many = count_queries(client, url)

    assert (body["count"], body_many["count"]) == (3, 30)
    assert few == many


# --- Personal API tokens ------------------------------------------------------------------------


def test_personal_token_reads_and_writes_like_the_session(people, login):
    _token, secret = services.api_token_create(user=people.hr.user, name="HRIS sync")
    client = token_client(secret)

    assert client.get(api(people.org, "me/")).json()["id"] == people.hr.pk
    assert client.get(api(people.org, "members/")).json()["count"] == 4
    assert client.get(api(people.org, "teams/")).status_code == 200
    assert client.get(api(people.org, "invitations/")).status_code == 200
    response = patch(client, api(people.org, f"members/{people.employee.pk}/"),
                     {"job_title": "Staff Engineer"})
    assert response.status_code == 200
    assert reload(people.employee).job_title == "Staff Engineer"


def test_personal_token_keeps_the_roles_of_its_owner(people):
    _token, secret = services.api_token_create(user=people.employee.user, name="script")
    client = token_client(secret)

    assert ids(client.get(api(people.org, "members/"))) == {people.employee.pk, people.manager.pk}
    assert post(client, api(people.org, "teams/"), {"name": "Rogue"}).status_code == 403


def test_revoked_token_is_401(people):
    token, secret = services.api_token_create(user=people.hr.user, name="old script")
    services.api_token_revoke(token=token)

    response = token_client(secret).get(api(people.org, "members/"))

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_unknown_token_is_401(people):
    assert token_client("trl_not-a-real-token").get(api(people.org, "me/")).status_code == 401


def test_token_of_someone_outside_the_organisation_is_404(people, other_people):
    _token, secret = services.api_token_create(user=other_people.hr.user, name="script")
    assert token_client(secret).get(api(people.org, "members/")).status_code == 404


def test_token_of_a_user_in_no_organisation_is_404(people):
    _token, secret = services.api_token_create(user=UserFactory(), name="script")
    assert token_client(secret).get(api(people.org, "me/")).status_code == 404
