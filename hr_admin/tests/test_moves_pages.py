"""Career moves: the list with its filters and chart, recording a move by hand, removing one,
the career history panel of a profile, and the career record. Through real URLs."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hr_admin import registrations_moves
from hr_admin.models import Move, MoveKind, MoveSource, Opportunity, OpportunityKind
from hr_admin.services import moves as services
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from organizations.personal_data import personal_data_export
from skills.factories import FrameworkFactory, MemberRoleFactory, RoleProfileFactory
from skills.models import MemberRole

from .factories_succession import MoveFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _panels():
    registrations_moves.register()


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org)


@pytest.fixture
def junior(framework):
    return RoleProfileFactory(framework=framework, title="Software Engineer II", grade="E2")


@pytest.fixture
def senior(framework):
    return RoleProfileFactory(framework=framework, title="Senior Software Engineer", grade="E3")


@pytest.fixture
def teams(people):
    engineering = TeamFactory(organization=people.org, name="Engineering")
    return {
        "platform": TeamFactory(organization=people.org, name="Platform", parent=engineering),
        "data": TeamFactory(organization=people.org, name="Data", parent=engineering),
        "sales": TeamFactory(organization=people.org, name="Sales"),
    }


@pytest.fixture
def placed(people, junior, teams):
    people.employee.team = teams["platform"]
    people.employee.started_on = TODAY - timedelta(days=900)
    people.employee.save(update_fields=["team", "started_on"])
    MemberRoleFactory(member=people.employee, role=junior)
    return people.employee


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def profile(org, member):
    return reverse("organizations:member_detail", kwargs={"org_slug": org.slug,
                                                          "member_id": member.pk})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_last_year_with_counts_by_kind(people, login, placed, junior, senior,
                                                          teams):
    MoveFactory(member=placed, kind=MoveKind.PROMOTION, effective_on=TODAY - timedelta(days=20),
                from_role=junior, to_role=senior, from_grade="E2", to_grade="E3",
                to_team=teams["platform"])
    MoveFactory(member=placed, kind=MoveKind.HIRE, effective_on=TODAY - timedelta(days=900),
                to_role=junior)
    MoveFactory(member=people.manager, kind=MoveKind.LATERAL,
                effective_on=TODAY - timedelta(days=40), from_team=teams["sales"],
                to_team=teams["data"])
    response = login(people.leader).get(url("moves", people.org))
    assert response.status_code == 200
    assert len(response.context["items"]) == 2
    page = text(response)
    assert "Senior Software Engineer" in page and "E2" in page and "E3" in page
    counts = {c["kind"]: c["count"] for c in response.context["counts"]}
    assert counts == {"hire": 0, "promotion": 1, "lateral": 1, "cross_functional": 0,
                      "assignment": 0, "exit": 0}
    everything = login(people.leader).get(url("moves", people.org) + "?start=")
    assert len(everything.context["items"]) == 3


def test_the_list_filters_by_kind_team_person_and_dates(people, login, placed, teams):
    MoveFactory(member=placed, kind=MoveKind.PROMOTION, effective_on=date(2025, 3, 1),
                to_team=teams["platform"])
    MoveFactory(member=people.manager, kind=MoveKind.LATERAL, effective_on=date(2025, 6, 1),
                from_team=teams["data"], to_team=teams["sales"])
    client = login(people.hr)
    base = url("moves", people.org) + "?start=2025-01-01"

    def listed(query):
        return {m.member_id for m in client.get(base + query).context["items"]}

    assert listed("&kind=promotion") == {placed.pk}
    assert listed(f"&team={teams['data'].pk}") == {people.manager.pk}
    assert listed(f"&q={placed.user.last_name}") == {placed.pk}
    assert listed("&end=2025-04-01") == {placed.pk}
    kinds = client.get(base + "&kind=promotion").context["counts"]
    assert {c["kind"]: c["count"] for c in kinds}["lateral"] == 1, "counts ignore the kind"


def test_a_period_ending_before_it_starts_is_a_field_error(people, login):
    response = login(people.hr).get(url("moves", people.org) + "?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 200
    assert "Choose an end on or after the start." in text(response)


def test_the_list_runs_the_same_queries_for_3_or_30_moves(people, login, junior, senior, teams):
    client = login(people.hr)
    path = url("moves", people.org)
    opportunity = Opportunity.objects_unscoped.create(
        organization=people.org, kind=OpportunityKind.GIG, title="Pricing gig")

    def add(n):
        for i in range(n):
            member = MembershipFactory(organization=people.org, manager=people.manager,
                                       team=teams["data"])
            kind = MoveKind.values[i % 6]
            MoveFactory(member=member, kind=kind,
                        effective_on=TODAY - timedelta(days=i), from_role=junior,
                        to_role=senior, from_team=teams["platform"], to_team=teams["data"],
                        opportunity=opportunity if i % 3 == 0 else None,
                        regretted=(i % 4 == 1) if kind == MoveKind.EXIT else None,
                        recorded_by=people.hr)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(3)
    small = queries()
    add(27)
    assert queries() == small
    print(f"\nmoves list: {small} queries for 3 and for 30")


def test_employees_and_managers_have_no_moves_list(people, login):
    for member in (people.employee, people.manager):
        assert login(member).get(url("moves", people.org)).status_code == 403
        assert login(member).get(url("move_create", people.org)).status_code == 403
    assert login(people.leader).get(url("move_create", people.org)).status_code == 403


# --- Recording by hand --------------------------------------------------------------------------


def test_hr_records_a_move_worked_out_as_a_promotion_and_the_profile_follows(
        people, login, placed, junior, senior, teams):
    client = login(people.hr)
    form = text(client.get(url("move_create", people.org) + f"?member={placed.pk}"))
    assert "Work it out" in form
    on = TODAY - timedelta(days=10)
    response = client.post(url("move_create", people.org), {
        "member": placed.pk, "kind": "", "to_role": senior.pk, "to_team": "",
        "effective_on": on.isoformat(), "update_profile": "on"}, follow=True)
    move = Move.objects_unscoped.get()
    assert (move.kind, move.source, move.effective_on) == (MoveKind.PROMOTION,
                                                           MoveSource.MANUAL, on)
    assert (move.from_role, move.to_role, move.to_team) == (junior, senior, teams["platform"])
    assert response.redirect_chain[-1][0] == profile(people.org, placed) + "#career-history"
    assert messages_of(response) == [f"Promotion of {placed.display_name} on "
                                     f"{on.isoformat()} recorded."]
    link = MemberRole.objects_unscoped.get(member=placed)
    assert (link.role, link.since) == (senior, on)
    assert Move.objects_unscoped.count() == 1, "no second move from the role change"


def test_a_team_change_across_functions_is_cross_functional(people, placed, teams):
    move = services.move_record_by_hand(organization=people.org, actor=people.hr, member=placed,
                                        kind=None, to_team=teams["sales"])
    assert move.kind == MoveKind.CROSS_FUNCTIONAL
    placed.refresh_from_db()
    assert placed.team == teams["sales"]


def test_recording_a_past_move_again_without_touching_the_profile(people, placed, junior,
                                                                  senior, teams):
    move = services.move_record_by_hand(
        organization=people.org, actor=people.hr, member=placed, kind=MoveKind.LATERAL,
        from_role=senior, from_team=teams["data"], to_role=junior, to_team=teams["platform"],
        effective_on=TODAY - timedelta(days=300), update_profile=False)
    assert (move.from_role, move.from_team, move.kind) == (senior, teams["data"],
                                                           MoveKind.LATERAL)
    assert MemberRole.objects_unscoped.get(member=placed).role == junior


def test_bad_moves_are_refused_with_field_messages(people, login, placed):
    client = login(people.hr)
    response = client.post(url("move_create", people.org), {
        "member": placed.pk, "kind": "", "to_role": "", "to_team": "",
        "effective_on": (TODAY + timedelta(days=2)).isoformat()})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "nothing changes" in errors["to_role"][0]
    assert "today or an earlier date" in errors["effective_on"][0]
    assert not Move.objects_unscoped.exists()
    with pytest.raises(ValidationError) as caught:
        services.move_record_by_hand(organization=people.org, actor=people.hr, member=placed,
                                     kind=MoveKind.EXIT)
    assert "still active" in caught.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as caught:
        services.move_record_by_hand(organization=people.org, actor=people.hr, member=placed,
                                     kind=MoveKind.ASSIGNMENT,
                                     effective_on=placed.started_on - timedelta(days=1))
    assert "started on" in caught.value.message_dict["effective_on"][0]


def test_a_hire_is_recorded_once(people, placed, junior):
    hire = services.move_record_by_hand(organization=people.org, actor=people.hr, member=placed,
                                        kind=MoveKind.HIRE, effective_on=placed.started_on)
    assert (hire.from_role, hire.to_role) == (None, junior)
    with pytest.raises(ValidationError) as caught:
        services.move_record_by_hand(organization=people.org, actor=people.hr, member=placed,
                                     kind=MoveKind.HIRE, effective_on=placed.started_on)
    assert "already recorded" in caught.value.message_dict["kind"][0]


def test_hr_removes_a_move_recorded_in_error(people, login, placed):
    move = MoveFactory(member=placed, kind=MoveKind.LATERAL)
    client = login(people.hr)
    path = url("move_delete", people.org, move_id=move.pk)
    assert "Remove this move?" in text(client.get(path))
    response = client.post(path, {"next": profile(people.org, placed)}, follow=True)
    assert response.redirect_chain[-1][0] == profile(people.org, placed)
    assert "removed from" in messages_of(response)[0]
    assert not Move.objects_unscoped.exists()
    assert AuditEvent.objects_unscoped.filter(action="hr.move_deleted").exists()


def test_only_hr_removes_a_move(people, login, placed):
    move = MoveFactory(member=placed)
    assert login(people.leader).post(url("move_delete", people.org,
                                         move_id=move.pk)).status_code == 403
    assert login(people.employee).post(url("move_delete", people.org,
                                           move_id=move.pk)).status_code == 403
    other = MembershipFactory(organization=people.org, manager=people.leader)
    assert login(other).get(url("move_delete", people.org, move_id=move.pk)).status_code == 404
    assert Move.objects_unscoped.exists()


# --- Career history panel -----------------------------------------------------------------------


def test_the_member_sees_their_career_history_on_their_profile(people, login, placed, junior,
                                                               senior):
    opportunity = Opportunity.objects_unscoped.create(
        organization=people.org, kind=OpportunityKind.PROJECT, title="Payments migration")
    MoveFactory(member=placed, kind=MoveKind.PROMOTION, from_role=junior, to_role=senior,
                from_grade="E2", to_grade="E3", effective_on=TODAY - timedelta(days=30))
    MoveFactory(member=placed, kind=MoveKind.ASSIGNMENT, opportunity=opportunity,
                effective_on=TODAY - timedelta(days=90))
    page = text(login(placed).get(profile(people.org, placed)))
    assert "Career history" in page and "Promotion" in page and "Project or gig" in page
    assert "Payments migration" in page and "Senior Software Engineer" in page
    assert "Record a move" not in page


@pytest.mark.parametrize("who", ["manager", "hr", "leader"])
def test_managers_in_the_line_hr_and_leaders_see_the_history(people, login, placed, who):
    MoveFactory(member=placed, kind=MoveKind.HIRE, effective_on=placed.started_on)
    viewer = people.by_role()[who]
    page = text(login(viewer).get(profile(people.org, placed)))
    assert "mv-panel-title" in page and "Hire" in page
    assert ("Record a move" in page) == (who == "hr")
    assert AuditEvent.objects_unscoped.filter(action="hr.moves_viewed", actor=viewer,
                                              subject=placed).exists()


def test_an_employee_looking_at_their_manager_sees_no_history(people, login, placed):
    MoveFactory(member=people.manager, kind=MoveKind.PROMOTION)
    page = text(login(placed).get(profile(people.org, people.manager)))
    assert "mv-panel-title" not in page


def test_the_panel_runs_the_same_queries_for_2_or_12_moves(people, login, placed, junior,
                                                            senior, teams):
    client = login(people.hr)
    path = profile(people.org, placed)

    def add(n):
        for i in range(n):
            MoveFactory(member=placed, kind=MoveKind.values[i % 6], from_role=junior,
                        to_role=senior, from_team=teams["data"], to_team=teams["platform"],
                        effective_on=TODAY - timedelta(days=i))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(2)
    small = queries()
    add(10)
    assert queries() == small


# --- Career record ------------------------------------------------------------------------------


def test_the_career_record_holds_the_members_moves(people, placed, junior, senior, teams):
    MoveFactory(member=placed, kind=MoveKind.PROMOTION, from_role=junior, to_role=senior,
                from_grade="E2", to_grade="E3", to_team=teams["platform"],
                effective_on=date(2025, 2, 3))
    MoveFactory(member=people.manager, kind=MoveKind.LATERAL)
    data = personal_data_export(organization=people.org, member=placed)
    assert data["sections"]["moves"] == [{
        "date": "2025-02-03", "kind": "promotion", "kind_label": "Promotion",
        "from_role": "Software Engineer II", "from_grade": "E2", "from_team": None,
        "to_role": "Senior Software Engineer", "to_grade": "E3", "to_team": "Platform",
        "opportunity": None, "filled_internally": False, "source": "Recorded by HR",
        "recorded_by": None, "recorded_at": data["sections"]["moves"][0]["recorded_at"]}]


# --- Regretted leavers --------------------------------------------------------------------------


@pytest.fixture
def leaver(people, teams):
    return MembershipFactory(organization=people.org, manager=people.manager,
                             team=teams["data"], is_active=False,
                             started_on=TODAY - timedelta(days=700))


def test_hr_records_an_exit_saying_it_was_regretted(people, login, leaver):
    client = login(people.hr)
    assert "Yes, regretted" in text(client.get(url("move_create", people.org)))
    on = TODAY - timedelta(days=5)
    response = client.post(url("move_create", people.org), {
        "member": leaver.pk, "kind": MoveKind.EXIT, "effective_on": on.isoformat(),
        "regretted": "yes"})
    assert response.status_code == 302
    move = Move.objects_unscoped.get()
    assert (move.kind, move.regretted, move.effective_on) == (MoveKind.EXIT, True, on)
    recorded = AuditEvent.objects_unscoped.get(action="hr.move_recorded")
    assert recorded.detail["regretted"] is True


@pytest.mark.parametrize("answer, stored", [("no", False), ("", None)])
def test_an_exit_may_be_not_regretted_or_not_known(people, leaver, login, answer, stored):
    login(people.hr).post(url("move_create", people.org), {
        "member": leaver.pk, "kind": MoveKind.EXIT, "effective_on": TODAY.isoformat(),
        "regretted": answer})
    assert Move.objects_unscoped.get().regretted is stored


@pytest.mark.parametrize("kind", [MoveKind.LATERAL, ""])
def test_only_an_exit_is_a_regretted_leaver(people, login, placed, teams, kind):
    response = login(people.hr).post(url("move_create", people.org), {
        "member": placed.pk, "kind": kind, "to_team": teams["data"].pk,
        "effective_on": TODAY.isoformat(), "regretted": "no"})
    assert response.status_code == 400
    assert "Only an exit" in response.context["form"].errors["regretted"][0]
    assert not Move.objects_unscoped.exists()
    with pytest.raises(ValidationError) as caught:
        services.move_record_by_hand(organization=people.org, actor=people.hr, member=placed,
                                     kind=MoveKind.LATERAL, to_team=teams["data"],
                                     regretted=True)
    assert "regretted" in caught.value.message_dict


def test_the_list_badges_regretted_exits_for_leaders(people, login, leaver):
    regretted = MoveFactory(member=leaver, kind=MoveKind.EXIT, regretted=True,
                            effective_on=TODAY - timedelta(days=3))
    other = MembershipFactory(organization=people.org, is_active=False)
    MoveFactory(member=other, kind=MoveKind.EXIT, regretted=False,
                effective_on=TODAY - timedelta(days=4))
    page = text(login(people.leader).get(url("moves", people.org)))
    assert page.count(">Regretted</span>") == 1
    assert f'id="move-{regretted.pk}"' in page
    assert 'name="regretted"' not in page, "leaders read the mark, HR sets it"


def test_hr_changes_the_mark_of_an_exit_from_its_row(people, login, leaver, placed):
    exit_move = MoveFactory(member=leaver, kind=MoveKind.EXIT,
                            effective_on=TODAY - timedelta(days=3))
    MoveFactory(member=placed, kind=MoveKind.LATERAL, effective_on=TODAY - timedelta(days=2))
    client = login(people.hr)
    listed = url("moves", people.org) + "?kind=exit"
    page = text(client.get(listed))
    assert page.count('name="regretted"') == 1, "a form on the exit's row only"
    assert f'for="regretted-{exit_move.pk}"' in page

    mark = url("move_regretted", people.org, move_id=exit_move.pk)
    response = client.post(mark, {"regretted": "yes", "next": listed}, follow=True)

    assert response.redirect_chain[-1][0] == f"{listed}#move-{exit_move.pk}"
    assert messages_of(response) == [f"{leaver.display_name}'s exit is marked as a regretted "
                                     "leaver."]
    exit_move.refresh_from_db()
    assert exit_move.regretted is True
    event = AuditEvent.objects_unscoped.get(action="hr.move_regretted_set")
    assert (event.actor, event.subject) == (people.hr, leaver)
    assert (event.detail["regretted"], event.detail["previous"]) == (True, None)
    assert ">Regretted</span>" in text(response)

    client.post(mark, {"regretted": ""})
    exit_move.refresh_from_db()
    assert exit_move.regretted is None


def test_the_mark_is_refused_for_other_kinds_and_bad_answers(people, login, placed):
    move = MoveFactory(member=placed, kind=MoveKind.PROMOTION)
    client = login(people.hr)
    mark = url("move_regretted", people.org, move_id=move.pk)
    response = client.post(mark, {"regretted": "yes"}, follow=True)
    assert "Only an exit" in messages_of(response)[0]
    response = client.post(mark, {"regretted": "maybe"}, follow=True)
    assert "Choose" in messages_of(response)[0]
    move.refresh_from_db()
    assert move.regretted is None
    assert not AuditEvent.objects_unscoped.filter(action="hr.move_regretted_set").exists()


def test_only_hr_marks_a_regretted_leaver(people, other_people, login, leaver):
    move = MoveFactory(member=leaver, kind=MoveKind.EXIT)
    data, mark = {"regretted": "yes"}, url("move_regretted", people.org, move_id=move.pk)
    assert login(people.leader).post(mark, data).status_code == 403
    assert login(people.employee).post(mark, data).status_code == 404
    assert login(people.manager).post(mark, data).status_code == 403
    assert login(people.hr).get(mark).status_code == 405
    foreign = MoveFactory(member=MembershipFactory(organization=other_people.org,
                                                   is_active=False), kind=MoveKind.EXIT)
    assert login(people.hr).post(url("move_regretted", people.org, move_id=foreign.pk),
                                 data).status_code == 404
    assert not Move.objects_unscoped.filter(regretted__isnull=False).exists()
