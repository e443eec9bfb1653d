"""Nominating, deciding and ending Office Career Champions, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conversations.models import Notification, NotificationKind
from hr_admin.models import Champion, ChampionNomination, NominationStatus
from hr_admin.services import champions as services
from hr_admin.tests.factories_champions import ChampionFactory, ChampionNominationFactory
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db

SAW = "Spent an hour every week with our two new joiners for three months."


def nominate(people, *, actor=None, nominee=None, evidence=None):
    return services.champion_nominate(
        organization=people.org, actor=actor or people.employee,
        nominee=nominee or people.manager,
        evidence={"mentoring": SAW} if evidence is None else evidence)


def errors_of(excinfo) -> dict:
    return {k: v[0] for k, v in excinfo.value.message_dict.items()}


# --- Nominating ---------------------------------------------------------------------------------


def test_a_member_nominates_a_colleague_with_what_they_saw(people):
    nomination = nominate(people, evidence={"mentoring": SAW, "conversations": "  Monthly "
                                            "career conversations with each of us.  "})
    assert (nomination.nominee, nomination.nominated_by, nomination.status) == (
        people.manager, people.employee, NominationStatus.PENDING)
    assert nomination.evidence == {"mentoring": SAW,
                                   "conversations": "Monthly career conversations with each "
                                                    "of us."}
    assert AuditEvent.objects_unscoped.filter(action="champions.nominated",
                                              subject=people.manager).exists()


def test_nobody_nominates_themselves(people):
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, nominee=people.employee)
    assert "someone other than yourself" in errors_of(excinfo)["nominee"]


def test_at_least_one_criterion_with_evidence_is_required(people):
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, evidence={})
    assert errors_of(excinfo) == {
        "evidence": "Tick at least one of the five criteria and say what you saw."}
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, evidence={"mentoring": "  ", "advocacy": "Nice"})
    assert errors_of(excinfo) == {
        "evidence.mentoring": "Say what you saw: a moment when they did this.",
        "evidence.advocacy": "Say a little more: what did they do, and when?"}
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, evidence={"kindness": SAW})
    assert "Unknown criterion: kindness" in errors_of(excinfo)["evidence"]
    assert not ChampionNomination.objects_unscoped.exists()


def test_every_problem_is_reported_at_once(people):
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, nominee=people.employee, evidence={"mentoring": ""})
    assert set(errors_of(excinfo)) == {"nominee", "evidence.mentoring"}


def test_one_open_nomination_per_nominator_and_nominee(people):
    first = nominate(people)
    with pytest.raises(ValidationError) as excinfo:
        nominate(people)
    assert "already nominated" in errors_of(excinfo)["nominee"]
    # Someone else may still nominate the same colleague, and after a decision so may they.
    nominate(people, actor=people.leader)
    services.champion_nominee_decide(organization=people.org, actor=people.hr,
                                     nominee=people.manager, decision="declined",
                                     note="Not this round.")
    again = nominate(people)
    assert again.pk != first.pk


def test_a_current_champion_or_a_former_member_is_not_nominated(people):
    ChampionFactory(member=people.manager)
    with pytest.raises(ValidationError) as excinfo:
        nominate(people)
    assert "already an Office Career Champion" in errors_of(excinfo)["nominee"]
    gone = MembershipFactory(organization=people.org, is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, nominee=gone)
    assert "no longer an active member" in errors_of(excinfo)["nominee"]


def test_a_member_of_another_organisation_cannot_be_nominated(people, other_people):
    with pytest.raises(ValidationError) as excinfo:
        nominate(people, nominee=other_people.manager)
    assert errors_of(excinfo)["nominee"] == "Choose the colleague you are nominating."


def test_the_nominator_withdraws_a_waiting_nomination_and_only_they_can(people):
    nomination = nominate(people)
    with pytest.raises(PermissionDenied):
        services.champion_nomination_withdraw(organization=people.org, actor=people.hr,
                                              nomination=nomination)
    services.champion_nomination_withdraw(organization=people.org, actor=people.employee,
                                          nomination=nomination)
    assert not ChampionNomination.objects_unscoped.exists()


def test_a_decided_nomination_cannot_be_withdrawn(people):
    nomination = ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee,
                                           status=NominationStatus.CONFIRMED)
    with pytest.raises(ValidationError):
        services.champion_nomination_withdraw(organization=people.org, actor=people.employee,
                                              nomination=nomination)


# --- Deciding -----------------------------------------------------------------------------------


def test_hr_confirms_and_the_nominee_and_every_nominator_are_told(
        people, django_capture_on_commit_callbacks):
    nominate(people)
    nominate(people, actor=people.leader, evidence={"conversations": SAW})
    with django_capture_on_commit_callbacks(execute=True):
        champion = services.champion_nominee_decide(
            organization=people.org, actor=people.hr, nominee=people.manager,
            decision="confirmed")
    assert champion.member == people.manager and champion.ended_at is None
    assert champion.confirmed_by == people.hr
    assert set(ChampionNomination.objects_unscoped.values_list("status", flat=True)) == {
        NominationStatus.CONFIRMED}
    told = Notification.objects_unscoped.filter(kind=NotificationKind.CHAMPION)
    assert {n.recipient_id for n in told} == {people.manager.pk, people.employee.pk,
                                              people.leader.pk}
    mine = told.get(recipient=people.manager)
    assert mine.title == "You are now an Office Career Champion"
    assert "2 colleagues nominated you" in mine.body
    assert mine.url.endswith(f"/hr/champions/{champion.pk}/")


def test_declining_needs_a_note_which_only_the_nominators_read(
        people, django_capture_on_commit_callbacks):
    nominate(people)
    with pytest.raises(ValidationError) as excinfo:
        services.champion_nominee_decide(organization=people.org, actor=people.hr,
                                         nominee=people.manager, decision="declined")
    assert "note" in errors_of(excinfo)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.champion_nominee_decide(
            organization=people.org, actor=people.hr, nominee=people.manager,
            decision="declined", note="Let us look again after the reorganisation.")
    assert result is None and not Champion.objects_unscoped.exists()
    told = Notification.objects_unscoped.get(kind=NotificationKind.CHAMPION)
    assert told.recipient == people.employee
    assert told.body == "Let us look again after the reorganisation."


def test_only_hr_decides_and_never_about_themselves(people):
    nominate(people)
    nominate(people, actor=people.employee, nominee=people.hr)
    with pytest.raises(PermissionDenied):
        services.champion_nominee_decide(organization=people.org, actor=people.leader,
                                         nominee=people.manager, decision="confirmed")
    with pytest.raises(PermissionDenied):
        services.champion_nominee_decide(organization=people.org, actor=people.hr,
                                         nominee=people.hr, decision="confirmed")
    assert not Champion.objects_unscoped.exists()


def test_nothing_to_decide_is_an_error(people):
    with pytest.raises(ValidationError):
        services.champion_nominee_decide(organization=people.org, actor=people.hr,
                                         nominee=people.manager, decision="confirmed")


def test_setting_one_nomination_aside_leaves_the_others_waiting(
        people, django_capture_on_commit_callbacks):
    kept = nominate(people)
    dropped = nominate(people, actor=people.leader)
    with django_capture_on_commit_callbacks(execute=True):
        services.champion_nomination_set_aside(organization=people.org, actor=people.hr,
                                               nomination=dropped,
                                               note="This reads as a joke; please resubmit.")
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.status, dropped.status) == (NominationStatus.PENDING, NominationStatus.DECLINED)
    told = Notification.objects_unscoped.get(kind=NotificationKind.CHAMPION)
    assert told.recipient == people.leader


# --- Champions ----------------------------------------------------------------------------------


def test_the_champion_writes_their_statement_and_nobody_else_does(people):
    champion = ChampionFactory(member=people.manager, statement="")
    services.champion_statement_update(organization=people.org, actor=people.manager,
                                       champion=champion, statement="  Ask me anything.  ")
    champion.refresh_from_db()
    assert champion.statement == "Ask me anything."
    with pytest.raises(PermissionDenied):
        services.champion_statement_update(organization=people.org, actor=people.hr,
                                           champion=champion, statement="Edited by HR")
    with pytest.raises(ValidationError) as excinfo:
        services.champion_statement_update(organization=people.org, actor=people.manager,
                                           champion=champion, statement="x" * 4001)
    assert "under 4,000 characters" in errors_of(excinfo)["statement"]


def test_hr_ends_a_term_and_the_champion_is_told(people, django_capture_on_commit_callbacks):
    champion = ChampionFactory(member=people.manager)
    with pytest.raises(PermissionDenied):
        services.champion_end(organization=people.org, actor=people.leader, champion=champion)
    with django_capture_on_commit_callbacks(execute=True):
        services.champion_end(organization=people.org, actor=people.hr, champion=champion)
    champion.refresh_from_db()
    assert champion.ended_at is not None
    assert Notification.objects_unscoped.get(recipient=people.manager).title == \
        "Your term as Office Career Champion has ended"
    with pytest.raises(ValidationError):
        services.champion_end(organization=people.org, actor=people.hr, champion=champion)
    # Once the term has ended, colleagues can nominate them again.
    assert nominate(people).nominee == people.manager
