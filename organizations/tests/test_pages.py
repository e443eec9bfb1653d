from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from organizations.factories import InvitationFactory, MembershipFactory, TeamFactory
from organizations.models import AuditEvent, Invitation, Membership, Organization, User

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"org_slug": org.slug, **kwargs})


# --- Home pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["employee", "manager", "hr", "leader"])
def test_each_role_reaches_its_organisation_home(people, login, role):
    member = people.by_role()[role]
    response = login(member).get(url("home", people.org))
    assert response.status_code == 200
    assert member.user.first_name in response.content.decode()


def test_signed_in_member_of_one_organisation_lands_on_its_home(people, login):
    response = login(people.employee).get("/")
    assert response.status_code == 302
    assert response["Location"] == url("home", people.org)


def test_member_of_two_organisations_chooses_between_them(people, other_people, login):
    MembershipFactory(organization=other_people.org, user=people.employee.user)
    response = login(people.employee).get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Acme" in body and "Globex" in body


def test_manager_home_lists_their_reports(people, login):
    response = login(people.manager).get(url("home", people.org))
    assert people.employee.user.last_name in response.content.decode()


def test_unknown_organisation_is_a_clear_404(people, login):
    response = login(people.employee).get("/o/no-such-org/")
    assert response.status_code == 404
    assert "not found" in response.content.decode().lower()


def test_inactive_member_gets_404(people, login):
    people.employee.is_active = False
    people.employee.save()
    assert login(people.employee).get(url("home", people.org)).status_code == 404


# --- People directory ---------------------------------------------------------------------------


def test_people_directory_is_for_hr_and_leaders(people, login):
    assert login(people.hr).get(url("people", people.org)).status_code == 200
    assert login(people.leader).get(url("people", people.org)).status_code == 200
    assert login(people.employee).get(url("people", people.org)).status_code == 403


def test_people_search_finds_by_name_and_job_title(people, login):
    people.employee.user.last_name = "Zanzibar"
    people.employee.user.save()
    client = login(people.hr)
    body = client.get(url("people", people.org), {"q": "zanzi"}).content.decode()
    assert "Zanzibar" in body
    assert people.manager.user.last_name not in body
    body = client.get(url("people", people.org), {"q": "HR Business"}).content.decode()
    assert people.hr.user.last_name in body


def test_a_new_job_title_is_found_at_once(people, login):
    client = login(people.hr)
    before = client.get(url("people", people.org), {"q": "keeper"}).content.decode()
    assert "Zookeeper" not in before
    people.employee.job_title = "Head Zookeeper"
    people.employee.save()
    body = client.get(url("people", people.org), {"q": "keeper"}).content.decode()
    assert "Head Zookeeper" in body and people.employee.user.last_name in body


def test_people_directory_paginates(people, login):
    MembershipFactory.create_batch(30, organization=people.org)
    response = login(people.hr).get(url("people", people.org), {"page": 2})
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 34 - 25


def test_people_directory_runs_the_same_queries_for_5_or_60_members(
    people, login, django_assert_num_queries
):
    client = login(people.hr)
    client.get(url("people", people.org))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url("people", people.org)).status_code == 200
    team = TeamFactory(organization=people.org)
    MembershipFactory.create_batch(56, organization=people.org, team=team, manager=people.manager)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url("people", people.org)).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_my_team_lists_direct_reports_in_bounded_queries(people, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people.manager)
    client.get(url("my_team", people.org))
    with CaptureQueriesContext(connection) as small:
        response = client.get(url("my_team", people.org))
    assert people.employee.user.last_name in response.content.decode()
    MembershipFactory.create_batch(40, organization=people.org, manager=people.manager)
    with CaptureQueriesContext(connection) as large:
        client.get(url("my_team", people.org))
    assert len(large) == len(small)


def test_my_team_is_for_managers(people, login):
    assert login(people.employee).get(url("my_team", people.org)).status_code == 403


def test_invitation_list_runs_the_same_queries_for_3_or_40_invitations(people, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people.hr)
    InvitationFactory.create_batch(3, organization=people.org, invited_by=people.hr)
    client.get(url("invitations", people.org))
    with CaptureQueriesContext(connection) as small:
        client.get(url("invitations", people.org))
    InvitationFactory.create_batch(37, organization=people.org, invited_by=people.hr)
    with CaptureQueriesContext(connection) as large:
        client.get(url("invitations", people.org))
    assert len(large) == len(small)


# --- Profiles and audit -------------------------------------------------------------------------


def test_hr_reading_a_profile_is_audit_logged(people, login):
    response = login(people.hr).get(url("member_detail", people.org,
                                        member_id=people.employee.pk))
    assert response.status_code == 200
    event = AuditEvent.objects_unscoped.get(action="member.profile_viewed")
    assert (event.actor, event.subject) == (people.hr, people.employee)


def test_employee_cannot_open_a_colleagues_profile(people, login):
    colleague = MembershipFactory(organization=people.org, manager=people.manager)
    response = login(people.employee).get(url("member_detail", people.org,
                                              member_id=colleague.pk))
    assert response.status_code == 404


def test_manager_can_open_a_report_two_levels_down(people, login):
    grand_report = MembershipFactory(organization=people.org, manager=people.employee)
    response = login(people.manager).get(url("member_detail", people.org,
                                             member_id=grand_report.pk))
    assert response.status_code == 200


def test_hr_edits_a_member_and_sees_confirmation(people, login):
    team = TeamFactory(organization=people.org, name="Platform")
    response = login(people.hr).post(
        url("member_edit", people.org, member_id=people.employee.pk),
        {"first_name": "Ada", "last_name": "Lovelace", "job_title": "Staff Engineer",
         "team": team.pk, "manager": people.manager.pk, "is_active": "on"},
        follow=True,
    )
    assert "saved" in response.content.decode()
    people.employee.refresh_from_db()
    assert (people.employee.job_title, people.employee.team) == ("Staff Engineer", team)


def test_member_edit_refuses_a_manager_loop_and_saves_nothing(people, login):
    response = login(people.hr).post(
        url("member_edit", people.org, member_id=people.manager.pk),
        {"job_title": "Changed", "manager": people.employee.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "loop" in response.content.decode()
    people.manager.refresh_from_db()
    assert people.manager.job_title == "Engineering Manager"


def test_member_edit_refuses_another_organisations_team(people, other_people, login):
    foreign_team = TeamFactory(organization=other_people.org)
    response = login(people.hr).post(
        url("member_edit", people.org, member_id=people.employee.pk),
        {"job_title": "X", "team": foreign_team.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["team"]
    people.employee.refresh_from_db()
    assert people.employee.team is None


# --- Invitations --------------------------------------------------------------------------------


def test_hr_invites_a_colleague_who_receives_a_working_link(people, login, client,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(people.hr).post(
            url("invitations", people.org),
            {"email": "new.person@acme.test", "job_title": "Analyst",
             "manager": people.manager.pk},
            follow=True,
        )
    assert "Invitation sent to new.person@acme.test" in response.content.decode()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/join/" in line).strip()
    path = link[link.index("/o/"):]

    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, {"first_name": "New", "last_name": "Person",
                                  "password1": "correct-horse-42", "password2": "correct-horse-42"})
    assert response.status_code == 302
    member = Membership.objects.for_org(people.org).get(user__email="new.person@acme.test")
    assert (member.job_title, member.manager) == ("Analyst", people.manager)
    # The link works once.
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_expired_invitation_link_gets_a_clear_page(people, client):
    invitation = InvitationFactory(organization=people.org,
                                   expires_at=timezone.now() - timedelta(days=1))
    response = client.get(url("invitation_accept", people.org, token=invitation.token))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_invitation_with_missing_fields_re_renders_with_errors_and_saves_nothing(people, login):
    response = login(people.hr).post(url("invitations", people.org), {"job_title": "Analyst"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects_unscoped.filter(organization=people.org).exists()


def test_inviting_an_existing_member_is_refused(people, login):
    response = login(people.hr).post(url("invitations", people.org),
                                     {"email": people.employee.user.email})
    assert "already a member" in response.content.decode()


def test_accepting_with_mismatched_passwords_creates_nothing(people, client):
    invitation = InvitationFactory(organization=people.org)
    response = client.post(url("invitation_accept", people.org, token=invitation.token),
                           {"first_name": "A", "last_name": "B", "password1": "correct-horse-42",
                            "password2": "different-horse-42"})
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email=invitation.email).exists()


def test_hr_revokes_an_invitation_and_its_link_stops_working(people, login, client):
    invitation = InvitationFactory(organization=people.org)
    login(people.hr).post(url("invitation_revoke", people.org, invitation_id=invitation.pk))
    response = client.get(url("invitation_accept", people.org, token=invitation.token))
    assert response.status_code == 410


# --- Settings and organisation creation ---------------------------------------------------------


def test_hr_changes_settings_and_bad_values_are_refused(people, login):
    client = login(people.hr)
    response = client.post(url("settings", people.org), {
        "name": "Acme", "default_language": "fr", "time_zone": "Europe/Paris",
        "conversation_cadence_days": 60, "survey_anonymity_threshold": 2,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["survey_anonymity_threshold"]
    people.org.refresh_from_db()
    assert people.org.default_language == "en"
    response = client.post(url("settings", people.org), {
        "name": "Acme", "default_language": "fr", "time_zone": "Europe/Paris",
        "conversation_cadence_days": 60, "survey_anonymity_threshold": 5,
    }, follow=True)
    people.org.refresh_from_db()
    assert (people.org.default_language, people.org.time_zone) == ("fr", "Europe/Paris")


def test_settings_are_for_hr(people, login):
    assert login(people.leader).get(url("settings", people.org)).status_code == 403


def test_creating_an_organisation_refuses_reserved_and_taken_addresses(people, login):
    client = login(people.employee)
    response = client.post("/organizations/new/", {"name": "Admin", "slug": "admin",
                                                   "default_language": "en", "time_zone": "UTC"})
    assert response.context["form"].errors["slug"]
    response = client.post("/organizations/new/", {"name": "Acme 2", "slug": "acme",
                                                   "default_language": "en", "time_zone": "UTC"})
    assert "already taken" in str(response.context["form"].errors["slug"])
    response = client.post("/organizations/new/", {"name": "Initech", "slug": "initech",
                                                   "default_language": "en", "time_zone": "UTC"})
    assert response.status_code == 302
    org = Organization.objects.get(slug="initech")
    founder = Membership.objects.for_org(org).get()
    assert (founder.user, founder.is_hr_admin, founder.is_leader) == (
        people.employee.user, True, True)


def test_signing_up_with_an_organisation_name_creates_it(db, client):
    response = client.post("/accounts/signup/", {
        "email": "founder@initech.test", "first_name": "Bill", "last_name": "Lumbergh",
        "organization_name": "Initech", "password1": "tps-reports-2026",
        "password2": "tps-reports-2026",
    })
    assert response.status_code == 302
    org = Organization.objects.get(slug="initech")
    founder = Membership.objects.for_org(org).get()
    assert founder.user.email == "founder@initech.test"
    assert founder.is_hr_admin and founder.is_leader
    assert any("founder@initech.test" in m.to for m in mail.outbox)


# --- Sign-in ------------------------------------------------------------------------------------


def test_ten_wrong_passwords_lock_the_account_out_with_a_message(people, client):
    for _ in range(10):
        response = client.post("/accounts/login/", {"login": "employee@acme.test",
                                                    "password": "wrong"})
        assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"login": "employee@acme.test",
                                                "password": "trellis-demo"})
    assert "_auth_user_id" not in client.session


def test_demo_password_signs_in(people, client):
    response = client.post("/accounts/login/", {"login": "employee@acme.test",
                                                "password": "trellis-demo"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_healthz_reports_database_and_redis(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_the_session_check_says_who_is_signed_in_where_and_nothing_to_anyone_else(
        people, other_people, login, client):
    path = reverse("organizations:session_check", kwargs={"org_slug": people.org.slug})
    assert login(people.hr).get(path).json() == {
        "organization": people.org.slug, "member": people.hr.pk, "is_hr_admin": True,
        "is_leader": False}
    assert login(other_people.hr).get(path).status_code == 404
    assert client.get(path).status_code == 302


def test_malformed_ids_are_a_clear_404(people, login):
    client = login(people.hr)
    for path in ("/o/acme/people/abc/", "/o/acme/people/99999999/", "/api/v1/o/acme/members/x/"):
        response = client.get(path)
        assert response.status_code == 404, path


def test_new_api_token_is_shown_once_and_works(people, login, client):
    member_client = login(people.hr)
    response = member_client.post("/accounts/tokens/", {"name": "HRIS sync"}, follow=True)
    secret = response.context["new_secret"]
    assert secret.startswith("trl_") and secret in response.content.decode()
    assert member_client.get("/accounts/tokens/").context["new_secret"] is None
    api = client.get("/api/v1/o/acme/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200

