"""The people import's check and apply, through the services and the Celery task."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hr_admin.models import ImportStatus, Move, MoveKind, MoveSource, PeopleImport
from hr_admin.services import people_import as services
from hr_admin.tasks import people_import_apply
from organizations.factories import InvitationFactory, MembershipFactory, TeamFactory, UserFactory
from organizations.models import AuditEvent, Invitation
from skills.factories import CareerPathFactory, MemberRoleFactory
from skills.models import MemberRole

from .factories_import import (
    apply,
    check,
    check_and_apply,
    counts,
    csv_file,
    member,
    roles,
    snapshot,
)

pytestmark = pytest.mark.django_db


def by_line(run) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list] = {}
    for problem in run.problems:
        found.setdefault(problem["line"], []).append((problem["column"], problem["message"]))
    return found


def table_written(sql: str) -> str | None:
    words = sql.split()
    if words[0] == "UPDATE":
        return words[1].strip('"')
    if words[0] in ("INSERT", "DELETE"):
        return words[2].strip('"')
    return None


# --- The dry run ----------------------------------------------------------------------------------


def test_a_file_with_ten_kinds_of_error_reports_each_on_its_line_and_writes_nothing(people):
    roles(people.org, "Software Engineer II")
    TeamFactory(organization=people.org, name="Engineering")
    before = counts(people.org)
    text = csv_file(
        "not-an-email,Ann,Able,Engineer,Engineering,,,no,no,2024-01-02,en",               # 2
        "bob@acme.test,Bob,Brown,Engineer,Engineering,,,no,no,2024-01-02,en",             # 3
        "bob@acme.test,Bob,Again,Engineer,Engineering,,,no,no,2024-01-02,en",             # 4
        "cat@acme.test,Cat,Cole,Engineer,Engineering,ghost@acme.test,,no,no,,",           # 5
        "dan@acme.test,Dan,Dale,Engineer,Engineering,eve@acme.test,,no,no,,",             # 6
        "eve@acme.test,Eve,Ember,Engineer,Engineering,dan@acme.test,,no,no,,",            # 7
        "fay@acme.test,Fay,Fern,Engineer,Engineering,,Astronaut,no,no,,",                 # 8
        "gus@acme.test,Gus,Gray,Engineer,Engineering/Moonbase,,,no,no,,",                 # 9
        "hal@acme.test,Hal,Hart,Engineer,Engineering,,,maybe,no,,",                       # 10
        "ivy@acme.test,Ivy,Ingram,Engineer,Engineering,,,no,no,02/03/2024,",              # 11
        "jon@acme.test,Jon,Jude,Engineer,Engineering,,,no,no,,klingon",                   # 12
        "kim@acme.test,Kim,Kerr,Engineer,Engineering,kim@acme.test,,no,no,,",             # 13
    )

    run = check(people, text)

    assert run.status == ImportStatus.INVALID
    found = by_line(run)
    assert found[2] == [("email", "“not-an-email” is not a valid email address.")]
    assert found[4][0][0] == "email" and "also on line 3" in found[4][0][1]
    assert found[5][0][0] == "manager email" and "ghost@acme.test" in found[5][0][1]
    assert [c for c, _m in found[6]] == ["manager email"] and "loop" in found[6][0][1]
    assert [c for c, _m in found[7]] == ["manager email"] and "loop" in found[7][0][1]
    assert found[8][0][0] == "role profile" and "Astronaut" in found[8][0][1]
    assert found[9][0][0] == "team path" and "“Moonbase” under “Engineering”" in found[9][0][1]
    assert found[10] == [("hr", "“maybe” is not yes or no.")]
    assert found[11][0][0] == "start date" and "YYYY-MM-DD" in found[11][0][1]
    assert found[12][0][0] == "language" and "klingon" in found[12][0][1]
    assert found[13] == [("manager email", "A person cannot be their own manager.")]
    assert 3 not in found
    assert run.summary["problem_count"] == len(run.problems) == 11
    assert counts(people.org) == before


def test_a_loop_through_a_member_not_in_the_file_reports_the_lines_on_it(people):
    # The file makes the leader report to the employee, whose line goes up to the leader.
    text = "email,job title,manager email\nleader@acme.test,Chief Executive,employee@acme.test\n"

    run = check(people, text)

    assert [(p["line"], p["column"]) for p in run.problems] == [(2, "manager email")]
    message = run.problems[0]["message"]
    assert "leader@acme.test → employee@acme.test → manager@acme.test → leader@acme.test" \
        in message


def test_missing_email_column_and_unknown_columns(people):
    run = check(people, "name;team;employee number\nAda Lovelace;Engineering;17\n")

    assert run.status == ImportStatus.INVALID
    assert run.problems[0]["line"] == 1 and "email" in run.problems[0]["message"]


def test_semicolons_a_byte_order_mark_aliases_and_case_are_understood(people):
    text = ("\ufeffE-Mail;Full Name;Position;Department;Line Manager;Start Date (YYYY-MM-DD);"
            "Employee number\n"
            "new.person@acme.test;Hopper, Grace;Engineer;;MANAGER@acme.test;2024-05-06;42\n")

    run = check(people, text)

    assert run.status == ImportStatus.VALIDATED, run.problems
    assert run.summary["created"] == 1
    assert run.summary["ignored_columns"] == ["Employee number"]
    assert run.summary["preview"]["created"][0]["name"] == "Grace Hopper"


def test_too_many_rows_is_a_problem(people, monkeypatch):
    monkeypatch.setattr(services, "MAX_ROWS", 3)
    text = csv_file(*(f"p{i}@acme.test,P,{i},,,,,,,," for i in range(5)))

    run = check(people, text)

    assert run.status == ImportStatus.INVALID
    assert any("more than 3 people" in p["message"] for p in run.problems)


def test_a_new_person_needs_a_first_name(people):
    run = check(people, csv_file("nameless@acme.test,,,,,,,,,,"))

    assert by_line(run)[2] == [("first name", "nameless@acme.test is new here: their first "
                                              "name is needed.")]


def test_the_dry_run_summary_lists_what_applying_does(people):
    role = roles(people.org, "Software Engineer II", "Senior Software Engineer")
    TeamFactory(organization=people.org, name="Engineering")
    MemberRoleFactory(member=people.employee, role=role["Software Engineer II"])
    InvitationFactory(organization=people.org, email="already.invited@acme.test")
    text = csv_file(
        "new.one@acme.test,New,One,Engineer,Engineering/Platform/API,manager@acme.test,"
        "Software Engineer II,no,no,2024-02-01,fr",
        "already.invited@acme.test,Invited,Before,Engineer,Engineering,manager@acme.test,,no,no,,",
        "employee@acme.test,,,Senior Engineer,Engineering,manager@acme.test,"
        "Senior Software Engineer,no,no,,",
        "manager@acme.test,,,Engineering Manager,Engineering,leader@acme.test,,no,no,,",
    )

    run = check(people, text, create_teams=True)

    assert run.status == ImportStatus.VALIDATED, run.problems
    summary = run.summary
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (2, 2, 0)
    assert summary["invitations"] == 1
    assert summary["teams_to_create"] == ["Engineering/Platform", "Engineering/Platform/API"]
    assert summary["updated_fields"]["job_title"] == 1
    assert summary["updated_fields"]["role"] == 1
    assert summary["updated_fields"]["team"] == 2
    # The manager had no team: placed in one, a lateral move (as a profile edit records it).
    assert summary["moves"] == {"hire": 2, "promotion": 1, "lateral": 1}
    # Nothing but the run was written.
    assert counts(people.org)["memberships"] == 4


def test_without_the_option_an_unknown_team_is_a_problem_with_it_a_team_to_create(people):
    text = csv_file("new.one@acme.test,New,One,,Sales/EMEA,,,,,,")

    assert check(people, text).status == ImportStatus.INVALID
    run = check(people, text, create_teams=True)
    assert run.status == ImportStatus.VALIDATED
    assert run.summary["teams_to_create"] == ["Sales", "Sales/EMEA"]


def test_deactivating_needs_a_full_file(people):
    with pytest.raises(Exception) as raised:
        check(people, csv_file("hr@acme.test,,,,,,,,,,"), deactivate_missing=True)
    assert "deactivate_missing" in raised.value.message_dict


def test_an_import_cannot_remove_the_importers_own_hr_role(people):
    run = check(people, "email,hr\nhr@acme.test,no\n")

    assert by_line(run)[2][0][0] == "hr"


def test_a_manager_who_would_be_deactivated_is_a_problem(people):
    text = "email,manager email\nemployee@acme.test,manager@acme.test\nhr@acme.test,\n"

    run = check(people, text, is_full=True, deactivate_missing=True)

    assert by_line(run)[2][0][0] == "manager email"
    assert "would be deactivated" in by_line(run)[2][0][1]


# --- Applying -------------------------------------------------------------------------------------


def test_applying_creates_members_with_their_manager_line_teams_roles_and_hires(
        people, django_capture_on_commit_callbacks):
    role = roles(people.org, "Engineering Manager", "Software Engineer II",
                 grades=["M1", "E2"])
    text = csv_file(
        # The report comes before their (new) manager: linked once both exist.
        "grace@acme.test,Grace,Hopper,Software Engineer,Engineering/Platform/API,"
        "ada@acme.test,Software Engineer II,no,no,2023-09-15,es",
        "ada@acme.test,Ada,Lovelace,Head of Platform,Engineering/Platform,leader@acme.test,"
        "Engineering Manager,yes,yes,2019-04-01,",
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = check_and_apply(people, text, create_teams=True)

    assert run.status == ImportStatus.APPLIED
    assert run.processed_rows == run.total_rows == 2
    assert run.content == "" and "preview" not in run.summary
    grace, ada = member(people.org, "grace@acme.test"), member(people.org, "ada@acme.test")
    assert grace.manager == ada and ada.manager == people.leader
    assert grace.team.name == "API" and grace.team.parent.name == "Platform"
    top = grace.team.parent.parent
    assert top.name == "Engineering" and top.parent is None
    assert ada.team == grace.team.parent
    assert (ada.is_hr_admin, ada.is_leader, grace.is_hr_admin) == (True, True, False)
    assert grace.started_on == date(2023, 9, 15) and grace.job_title == "Software Engineer"
    assert grace.user.language == "es" and ada.user.language == ""
    assert not grace.user.has_usable_password()
    assert MemberRole.objects_unscoped.get(member=grace).role == role["Software Engineer II"]
    hires = Move.objects_unscoped.filter(organization=people.org, kind=MoveKind.HIRE)
    assert {(m.member_id, m.effective_on, m.to_team_id, m.source) for m in hires} == {
        (grace.pk, date(2023, 9, 15), grace.team_id, MoveSource.IMPORT),
        (ada.pk, date(2019, 4, 1), ada.team_id, MoveSource.IMPORT),
    }
    invitations = Invitation.objects_unscoped.filter(organization=people.org)
    assert {i.email for i in invitations} == {"grace@acme.test", "ada@acme.test"}
    assert all(i.sent_at for i in invitations)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@acme.test", "grace@acme.test"]
    events = AuditEvent.objects_unscoped.filter(organization=people.org,
                                                action="hr.people_import_applied")
    assert events.count() == 1
    assert events.get().detail["created"] == 2


def test_reimporting_the_same_file_writes_nothing(people, django_capture_on_commit_callbacks):
    roles(people.org, "Engineering Manager", "Software Engineer II")
    text = csv_file(
        "grace@acme.test,Grace,Hopper,Software Engineer,Engineering/Platform,ada@acme.test,"
        "Software Engineer II,no,no,2023-09-15,es",
        "ada@acme.test,Ada,Lovelace,Head of Platform,Engineering,leader@acme.test,"
        "Engineering Manager,yes,no,2019-04-01,",
        "employee@acme.test,,,Software Engineer,Engineering/Platform,ada@acme.test,"
        "Software Engineer II,no,no,,",
        "hr@acme.test,,,HR Business Partner,,leader@acme.test,,yes,no,,",
        "leader@acme.test,,,Chief Executive,,,,no,yes,,",
        "manager@acme.test,,,Engineering Manager,Engineering,leader@acme.test,"
        "Engineering Manager,no,no,,",
    )
    with django_capture_on_commit_callbacks(execute=True):
        check_and_apply(people, text, create_teams=True, is_full=True, deactivate_missing=True)
    before, sent = snapshot(people.org), len(mail.outbox)
    events = AuditEvent.objects_unscoped.filter(organization=people.org).count()

    again = check(people, text, create_teams=True, is_full=True, deactivate_missing=True)
    assert again.summary["unchanged"] == 6
    assert again.summary["same_file_applied"]["id"] is not None
    with CaptureQueriesContext(connection) as queries, \
            django_capture_on_commit_callbacks(execute=True):
        assert apply(people, again) is True

    assert snapshot(people.org) == before
    assert len(mail.outbox) == sent
    assert AuditEvent.objects_unscoped.filter(organization=people.org).count() == events + 1
    written = {table_written(q["sql"]) for q in queries.captured_queries} - {None}
    assert written <= {"hr_admin_peopleimport", "organizations_auditevent"}, written
    assert again.summary["result"] == {}


def test_an_update_records_the_right_kind_of_move(people):
    role = roles(people.org, "Software Engineer II", "Senior Software Engineer",
                 "Data Analyst", grades=["E2", "E3", "D1"])
    role["Data Analyst"].family = "Data"
    role["Data Analyst"].save()
    engineering = TeamFactory(organization=people.org, name="Engineering")
    TeamFactory(organization=people.org, name="Platform", parent=engineering)
    TeamFactory(organization=people.org, name="Sales")
    for person in (people.employee, people.manager, people.hr):
        person.team = engineering
        person.save()
    MemberRoleFactory(member=people.employee, role=role["Software Engineer II"])
    MemberRoleFactory(member=people.manager, role=role["Software Engineer II"])
    MemberRoleFactory(member=people.hr, role=role["Software Engineer II"])
    text = ("email,team path,role profile\n"
            "employee@acme.test,Engineering,Senior Software Engineer\n"    # promotion
            "manager@acme.test,Engineering/Platform,Software Engineer II\n"  # lateral
            "hr@acme.test,Sales,Software Engineer II\n")                   # cross-functional

    check_and_apply(people, text)

    kinds = {m.member_id: m for m in Move.objects_unscoped.filter(organization=people.org)}
    assert kinds[people.employee.pk].kind == MoveKind.PROMOTION
    assert kinds[people.employee.pk].from_grade == "E2"
    assert kinds[people.employee.pk].to_grade == "E3"
    assert kinds[people.manager.pk].kind == MoveKind.LATERAL
    assert kinds[people.hr.pk].kind == MoveKind.CROSS_FUNCTIONAL
    assert kinds[people.hr.pk].from_team == engineering
    assert MemberRole.objects_unscoped.get(member=people.employee).role == \
        role["Senior Software Engineer"]


def test_a_career_path_between_the_roles_decides_the_kind(people):
    role = roles(people.org, "Analyst", "Engineer", grades=["A1", "E1"])
    CareerPathFactory(from_role=role["Analyst"], to_role=role["Engineer"], kind="lateral")
    MemberRoleFactory(member=people.employee, role=role["Analyst"])

    check_and_apply(people, "email,role profile\nemployee@acme.test,Engineer\n")

    assert Move.objects_unscoped.get(member=people.employee).kind == MoveKind.LATERAL


def test_a_first_role_profile_moves_nobody(people):
    roles(people.org, "Engineer")

    check_and_apply(people, "email,role profile\nemployee@acme.test,Engineer\n")

    assert MemberRole.objects_unscoped.get(member=people.employee).role.title == "Engineer"
    assert not Move.objects_unscoped.filter(organization=people.org).exists()


def test_a_full_import_deactivates_missing_members_with_an_exit_but_never_the_importer(people):
    team = TeamFactory(organization=people.org, name="Engineering")
    people.employee.team = team
    people.employee.save()
    open_invitation = InvitationFactory(organization=people.org, email="employee@acme.test")
    text = "email,manager email\nleader@acme.test,\nmanager@acme.test,leader@acme.test\n"

    run = check(people, text, is_full=True, deactivate_missing=True)
    assert run.summary["deactivated"] == 1 and run.summary["kept_active"] == 1
    apply(people, run)

    people.employee.refresh_from_db()
    people.hr.refresh_from_db()
    assert people.employee.is_active is False
    assert people.hr.is_active is True
    exit_move = Move.objects_unscoped.get(organization=people.org, kind=MoveKind.EXIT)
    assert exit_move.member == people.employee and exit_move.from_team == team
    open_invitation.refresh_from_db()
    assert open_invitation.revoked_at is not None
    assert run.summary["result"]["deactivated"] == 1


def test_a_full_file_without_deactivation_leaves_missing_members(people):
    run = check(people, "email\nleader@acme.test\n", is_full=True)

    assert run.summary["missing"] == 3 and run.summary["deactivated"] == 0


def test_a_former_member_in_the_file_comes_back_with_a_hire(people):
    people.employee.is_active = False
    people.employee.save()

    run = check_and_apply(people, "email,start date\nemployee@acme.test,2025-01-06\n")

    people.employee.refresh_from_db()
    assert people.employee.is_active and run.summary["result"]["reactivated"] == 1
    hire = Move.objects_unscoped.get(member=people.employee)
    assert (hire.kind, hire.effective_on) == (MoveKind.HIRE, date(2025, 1, 6))


def test_someone_with_an_account_elsewhere_joins_without_an_invitation(people, other_people):
    run = check_and_apply(people, "email,first name\nemployee@globex.test,Gina\n")

    joined = member(people.org, "employee@globex.test")
    assert joined.user == other_people.employee.user and joined.is_active
    assert run.summary["result"].get("invitations", 0) == 0
    assert not Invitation.objects_unscoped.filter(email="employee@globex.test").exists()


def test_no_invitation_when_the_run_says_so(people):
    check_and_apply(people, "email,first name\nquiet@acme.test,Quinn\n", send_invitations=False)

    assert member(people.org, "quiet@acme.test").user.first_name == "Quinn"
    assert not Invitation.objects_unscoped.filter(organization=people.org).exists()


def test_the_task_re_checks_and_fails_cleanly_when_the_organisation_changed(people):
    role = roles(people.org, "Engineer")
    run = check(people, csv_file("new@acme.test,New,Person,,,,Engineer,,,,"))
    assert run.status == ImportStatus.VALIDATED
    role["Engineer"].delete()
    before = counts(people.org)

    assert apply(people, run) is False

    assert run.status == ImportStatus.FAILED
    assert "no longer passes" in run.error
    assert run.problems[0]["column"] == "role profile"
    assert counts(people.org) == before
    # It can be checked again once fixed.
    assert run.content


def test_a_second_run_of_the_task_does_nothing(people):
    run = check_and_apply(people, csv_file("new@acme.test,New,Person,,,,,,,,"))
    before = counts(people.org)

    assert people_import_apply(people.org.pk, run.pk) is False

    assert counts(people.org) == before


def test_a_run_left_applying_by_a_dead_worker_is_finished_by_the_next_delivery(people):
    text = csv_file(*(f"p{i}@acme.test,P,{i},,,,,,,," for i in range(5)))
    run = check(people, text)
    services.people_import_queue(organization=people.org, actor=people.hr, people_import=run)
    # A worker created two of the five people, committed that chunk, then died.
    half = check(people, csv_file(*(f"p{i}@acme.test,P,{i},,,,,,,," for i in range(2))))
    services.people_import_queue(organization=people.org, actor=people.hr, people_import=half)
    people_import_apply(people.org.pk, half.pk)
    PeopleImport.objects_unscoped.filter(pk=run.pk).update(
        status=ImportStatus.APPLYING, started_at=timezone.now(), processed_rows=2)

    assert people_import_apply(people.org.pk, run.pk) is True

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    for i in range(5):
        assert member(people.org, f"p{i}@acme.test").is_active
    assert Move.objects_unscoped.filter(organization=people.org, kind=MoveKind.HIRE).count() == 5


def test_applying_updates_in_a_few_queries_per_chunk_not_per_row(people):
    lines = [f"p{i}@acme.test,P,{i},Engineer,Team {i % 3},,,,,," for i in range(60)]
    run = check(people, csv_file(*lines), create_teams=True)
    services.people_import_queue(organization=people.org, actor=people.hr, people_import=run)

    with CaptureQueriesContext(connection) as queries:
        people_import_apply(people.org.pk, run.pk)

    assert len(queries.captured_queries) < 60


def test_discarding_forgets_the_file(people):
    run = check(people, csv_file("new@acme.test,New,Person,,,,,,,,"))

    services.people_import_discard(organization=people.org, actor=people.hr, people_import=run)

    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED and run.content == ""
    with pytest.raises(Exception, match="checked file"):
        services.people_import_queue(organization=people.org, actor=people.hr,
                                     people_import=run)


def test_only_hr_admins_import(people):
    with pytest.raises(Exception, match="Only HR admins"):
        check(people, csv_file("new@acme.test,New,Person,,,,,,,,"), actor=people.manager)


def test_the_template_is_a_valid_file_once_its_role_profiles_exist(people):
    roles(people.org, "Engineering Manager", "Software Engineer II")

    run = check(people, services.template_csv(), create_teams=True)

    assert run.status == ImportStatus.VALIDATED, run.problems
    assert run.summary["created"] == 2


def test_existing_users_are_matched_whatever_the_case_of_the_address(people):
    UserFactory(email="mixed.case@example.test")
    MembershipFactory(organization=people.org, user__email="mixed.case@example.test")

    run = check(people, "email,job title\nMixed.Case@Example.TEST,Analyst\n")

    assert run.summary["updated"] == 1 and run.summary["created"] == 0


def test_an_earlier_invitation_cannot_undo_the_file_once_accepted(people):
    team = TeamFactory(organization=people.org, name="Sales")
    earlier = InvitationFactory(organization=people.org, email="pat@acme.test", team=team,
                                manager=people.leader, is_hr_admin=True, job_title="Seller")

    check_and_apply(people, "email,first name,job title,manager email\n"
                            "pat@acme.test,Pat,Analyst,manager@acme.test\n")

    earlier.refresh_from_db()
    assert (earlier.team, earlier.manager, earlier.is_hr_admin, earlier.job_title) == (
        None, None, False, "")
    assert earlier.accepted_at is None and earlier.revoked_at is None
    assert Invitation.objects_unscoped.filter(email="pat@acme.test").count() == 1
    pat = member(people.org, "pat@acme.test")
    assert (pat.job_title, pat.manager, pat.is_hr_admin) == ("Analyst", people.manager, False)


def test_a_run_whose_task_was_lost_is_queued_again_by_the_recovery_scan_and_applied_once(
        people):
    """Queued, but its message never reached a worker (on_commit callbacks are not run here,
    as a broker that lost it would not deliver it): after ten minutes the scan queues it again."""
    from datetime import timedelta

    from hr_admin.tasks import people_import_recover_scan

    run = check(people, csv_file("lost@acme.test,Lost,Message,Analyst,,,,no,no,,"))
    services.people_import_queue(organization=people.org, actor=people.hr, people_import=run)
    fresh = check(people, csv_file("late@acme.test,Late,Message,Analyst,,,,no,no,,"))
    services.people_import_queue(organization=people.org, actor=people.hr, people_import=fresh)
    PeopleImport.objects_unscoped.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(minutes=11))

    assert services.people_imports_stalled() == [(people.org.pk, run.pk)]
    assert people_import_recover_scan.apply().get() == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert member(people.org, "lost@acme.test").job_title == "Analyst"
    # Applied, it is no longer stalled; the run queued a moment ago is left to its own task.
    assert services.people_imports_stalled() == []
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.QUEUED
