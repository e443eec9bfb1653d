"""The champions directory, a champion's page, the nomination form and HR's queue, through real
URLs: who sees what, what a mistake looks like, and the queries each list costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.models import Notification, NotificationKind
from hr_admin import registrations_champions
from hr_admin.models import Champion, ChampionNomination, NominationStatus
from hr_admin.tests.factories_champions import ChampionFactory, ChampionNominationFactory
from organizations.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

SAW = "Spent an hour every week with our two new joiners for three months."
SECRET = "Quietly covered my shifts while my father was in hospital."


@pytest.fixture(autouse=True)
def _badges():
    registrations_champions.register()


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


# --- The directory and a champion's page --------------------------------------------------------


def test_everyone_sees_the_champions_their_statement_and_cited_criteria_but_not_who_cited(
        people, login):
    champion = ChampionFactory(member=people.manager, statement="Ask me about moving to Data.")
    ChampionNominationFactory(nominee=people.manager, nominated_by=people.leader,
                              status=NominationStatus.CONFIRMED,
                              evidence={"mentoring": SECRET})
    page = text(login(people.employee).get(url("champions", people.org)))
    assert people.manager.display_name in page
    assert "Ask me about moving to Data." in page
    assert "Mentoring and support" in page
    assert people.leader.display_name not in page
    assert SECRET not in page
    detail = login(people.employee).get(url("champion", people.org, champion_id=champion.pk))
    assert detail.status_code == 200
    assert SECRET not in text(detail) and people.leader.display_name not in text(detail)
    assert detail.context["citations"] is None


def test_the_champion_reads_what_colleagues_saw_without_their_names(people, login):
    champion = ChampionFactory(member=people.manager)
    ChampionNominationFactory(nominee=people.manager, nominated_by=people.leader,
                              status=NominationStatus.CONFIRMED, evidence={"mentoring": SECRET})
    ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee,
                              evidence={"advocacy": "Still waiting for HR to read this one."})
    page = text(login(people.manager).get(url("champion", people.org, champion_id=champion.pk)))
    assert SECRET in page
    assert people.leader.display_name not in page
    assert "Still waiting for HR" not in page


def test_an_ended_term_is_for_hr_and_the_former_champion_only(people, login):
    champion = ChampionFactory(member=people.manager)
    ChampionFactory(member=people.leader)
    login(people.hr).post(url("champion_end", people.org, champion_id=champion.pk), {"note": ""})
    champion.refresh_from_db()
    assert champion.ended_at is not None
    path = url("champion", people.org, champion_id=champion.pk)
    assert login(people.employee).get(path).status_code == 404
    assert login(people.manager).get(path).status_code == 200
    assert login(people.hr).get(path).status_code == 200
    assert people.manager.display_name not in text(login(people.employee).get(
        url("champions", people.org)))


def test_the_directory_costs_the_same_queries_for_two_or_twenty_champions(people, login):
    client = login(people.employee)
    for _ in range(2):
        member = MembershipFactory(organization=people.org, team=TeamFactory(
            organization=people.org))
        ChampionFactory(member=member)
        ChampionNominationFactory(nominee=member, status=NominationStatus.CONFIRMED)
    few = count_queries(client, url("champions", people.org))
    for _ in range(18):
        member = MembershipFactory(organization=people.org, team=TeamFactory(
            organization=people.org))
        ChampionFactory(member=member)
        ChampionNominationFactory(nominee=member, status=NominationStatus.CONFIRMED)
    assert count_queries(client, url("champions", people.org)) == few


def test_the_champion_says_how_they_can_help_and_nobody_else_can(people, login):
    champion = ChampionFactory(member=people.manager, statement="")
    path = url("champion_statement", people.org, champion_id=champion.pk)
    assert login(people.hr).get(path).status_code == 403
    response = login(people.manager).post(path, {"statement": "Book 30 minutes with me."},
                                          follow=True)
    assert messages_of(response) == ["Saved. Colleagues see it on the champions page."]
    assert "Book 30 minutes with me." in text(response)


# --- Nominating ---------------------------------------------------------------------------------


def test_the_form_offers_the_nominators_colleagues_near_them_and_never_themselves(
        people, login):
    response = login(people.employee).get(url("champion_nominate", people.org))
    offered = {m.pk for m in response.context["form"].people}
    assert people.manager.pk in offered  # their manager
    assert people.employee.pk not in offered


def test_finding_a_colleague_keeps_what_was_typed_and_shows_no_errors(people, login):
    far = MembershipFactory(organization=people.org,
                            user=UserFactory(first_name="Zora", last_name="Quintero"))
    response = login(people.employee).post(url("champion_nominate", people.org), {
        "q": "quinte", "find": "1", "criteria": ["mentoring"], "evidence_mentoring": SAW})
    assert response.status_code == 200
    page = text(response)
    assert "Zora Quintero" in page
    assert SAW in page
    assert "field__error" not in page
    assert far.pk in {m.pk for m in response.context["form"].people}


def test_a_search_never_finds_another_organisations_people(people, other_people, login):
    response = login(people.employee).get(url("champion_nominate", people.org) + "?q="
                                          + other_people.manager.user.last_name)
    assert other_people.manager.pk not in {m.pk for m in response.context["form"].people}


def test_a_nomination_without_evidence_comes_back_with_messages_and_what_was_typed(
        people, login):
    response = login(people.employee).post(url("champion_nominate", people.org), {
        "nominee": people.manager.pk, "criteria": ["mentoring", "advocacy"],
        "evidence_mentoring": "", "evidence_advocacy": "Nice"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["evidence_mentoring"] == ["Say what you saw: a moment when they did this."]
    assert form.errors["evidence_advocacy"] == ["Say a little more: what did they do, and when?"]
    assert "Nice</textarea>" in text(response)
    response = login(people.employee).post(url("champion_nominate", people.org), {
        "nominee": people.manager.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["criteria"] == [
        "Tick at least one of the five criteria and say what you saw."]
    response = login(people.employee).post(url("champion_nominate", people.org), {
        "criteria": ["mentoring"], "evidence_mentoring": SAW})
    assert response.context["form"].errors["nominee"] == [
        "Choose the colleague you are nominating."]
    assert not ChampionNomination.objects_unscoped.exists()


def test_nominating_oneself_or_another_organisations_member_is_refused(
        people, other_people, login):
    client = login(people.employee)
    for nominee in (people.employee, other_people.manager):
        response = client.post(url("champion_nominate", people.org), {
            "nominee": nominee.pk, "criteria": ["mentoring"], "evidence_mentoring": SAW})
        assert response.status_code == 400
        assert response.context["form"].errors["nominee"] == [
            "Choose a colleague from the list."]
    assert not ChampionNomination.objects_unscoped.exists()


def test_a_member_nominates_a_colleague_and_follows_it_under_their_nominations(people, login):
    client = login(people.employee)
    response = client.post(url("champion_nominate", people.org), {
        "nominee": people.manager.pk, "criteria": ["mentoring", "conversations"],
        "evidence_mentoring": SAW, "evidence_conversations": "Every month, with each of us.",
        "evidence_advocacy": "Typed, then unticked."}, follow=True)
    assert messages_of(response)[0].startswith("Thank you. Your nomination of")
    nomination = ChampionNomination.objects_unscoped.get()
    assert nomination.evidence == {"mentoring": SAW,
                                   "conversations": "Every month, with each of us."}
    assert [n.pk for n in response.context["mine"]] == [nomination.pk]
    assert "Waiting for HR" in text(response)
    again = client.post(url("champion_nominate", people.org), {
        "nominee": people.manager.pk, "criteria": ["mentoring"], "evidence_mentoring": SAW})
    assert again.status_code == 400
    assert "already nominated" in again.context["form"].errors["nominee"][0]


def test_the_nominator_withdraws_their_nomination_and_nobody_else_can(people, login):
    nomination = ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee)
    path = url("champion_nomination_withdraw", people.org, champion_nomination_id=nomination.pk)
    assert login(people.leader).get(path).status_code == 404
    assert login(people.manager).get(path).status_code == 404
    assert login(people.employee).get(path).status_code == 200
    response = login(people.employee).post(path, follow=True)
    assert messages_of(response) == ["Nomination withdrawn. HR no longer has it to decide."]
    assert not ChampionNomination.objects_unscoped.exists()


# --- HR's queue ---------------------------------------------------------------------------------


def test_hr_sees_nominees_grouped_with_how_many_nominated_them_and_the_criteria_cited(
        people, login):
    for _ in range(3):
        ChampionNominationFactory(nominee=people.manager, evidence={"mentoring": SAW})
    ChampionNominationFactory(nominee=people.manager, evidence={"advocacy": SAW})
    ChampionNominationFactory(nominee=people.leader, evidence={"commitment": SAW})
    ChampionNominationFactory(nominee=people.hr, evidence={"commitment": SAW})
    response = login(people.hr).get(url("champion_nominations", people.org))
    rows = response.context["page"].object_list
    assert [(r["nominee"], r["count"]) for r in rows] == [(people.manager, 4),
                                                          (people.leader, 1)]
    assert [(c["value"], c["count"]) for c in rows[0]["criteria"]] == [("mentoring", 3),
                                                                       ("advocacy", 1)]
    page = text(response)
    assert "4 colleagues" in page
    assert people.hr.display_name not in page.split("<main", 1)[1]  # not about themselves


def test_the_queue_and_a_nominees_page_are_hr_only(people, login):
    ChampionNominationFactory(nominee=people.manager)
    for member in (people.employee, people.manager, people.leader):
        client = login(member)
        assert client.get(url("champion_nominations", people.org)).status_code == 403
        assert client.get(url("champion_nominee", people.org,
                              member_id=people.manager.pk)).status_code == 403
    assert login(people.hr).get(url("champion_nominee", people.org,
                                    member_id=people.hr.pk)).status_code == 404


def test_the_queue_costs_the_same_queries_for_two_or_twenty_nominees(people, login):
    client = login(people.hr)
    for _ in range(2):
        ChampionNominationFactory(nominee=MembershipFactory(organization=people.org))
    few = count_queries(client, url("champion_nominations", people.org))
    for _ in range(18):
        nominee = MembershipFactory(organization=people.org, team=TeamFactory(
            organization=people.org))
        ChampionNominationFactory(nominee=nominee)
        ChampionNominationFactory(nominee=nominee, evidence={"advocacy": SAW})
    assert count_queries(client, url("champion_nominations", people.org)) == few


def test_hr_reads_each_nomination_with_its_author_and_confirms(
        people, login, django_capture_on_commit_callbacks):
    ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee,
                              evidence={"mentoring": SECRET})
    client = login(people.hr)
    page = text(client.get(url("champion_nominee", people.org, member_id=people.manager.pk)))
    assert SECRET in page and people.employee.display_name in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("champion_nominee_decide", people.org,
                                   member_id=people.manager.pk),
                               {"decision": "confirmed", "note": ""}, follow=True)
    champion = Champion.objects_unscoped.get()
    assert response.redirect_chain[-1][0] == url("champion", people.org, champion_id=champion.pk)
    assert messages_of(response)[0].startswith(f"{people.manager.display_name} is now an Office")
    assert Notification.objects_unscoped.filter(
        kind=NotificationKind.CHAMPION).count() == 2
    # The nominee's badge now shows on their profile and in the directory.
    profile = text(client.get(reverse("organizations:member_detail", kwargs={
        "org_slug": people.org.slug, "member_id": people.manager.pk})))
    assert "Career Champion" in profile
    directory = text(client.get(reverse("organizations:people",
                                        kwargs={"org_slug": people.org.slug})))
    assert url("champion", people.org, champion_id=champion.pk) in directory


def test_declining_without_a_note_comes_back_with_a_message(people, login):
    ChampionNominationFactory(nominee=people.manager)
    response = login(people.hr).post(url("champion_nominee_decide", people.org,
                                         member_id=people.manager.pk),
                                     {"decision": "declined", "note": ""})
    assert response.status_code == 400
    assert "Say why" in response.context["form"].errors["note"][0]
    assert ChampionNomination.objects_unscoped.get().status == NominationStatus.PENDING


def test_deciding_needs_post(people, login):
    ChampionNominationFactory(nominee=people.manager)
    response = login(people.hr).get(url("champion_nominee_decide", people.org,
                                        member_id=people.manager.pk))
    assert response.status_code == 405


def test_hr_sets_one_nomination_aside_with_a_note(people, login):
    nomination = ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee)
    path = url("champion_nomination_set_aside", people.org,
               champion_nomination_id=nomination.pk)
    assert login(people.hr).post(path, {"note": ""}).status_code == 400
    response = login(people.hr).post(path, {"note": "Please say what you saw."}, follow=True)
    assert messages_of(response)[0].startswith("Nomination set aside.")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DECLINED


def test_hrs_navigation_counts_the_people_waiting(people, login):
    ChampionNominationFactory(nominee=people.manager)
    ChampionNominationFactory(nominee=people.manager)
    ChampionNominationFactory(nominee=people.leader)
    response = login(people.hr).get(url("champions", people.org))
    entry = next(i for i in response.context["nav"]
                 if i["url"] == url("champion_nominations", people.org))
    assert entry["count"] == 2
    employee_nav = login(people.employee).get(url("champions", people.org)).context["nav"]
    assert url("champion_nominations", people.org) not in {i["url"] for i in employee_nav}
    assert url("champions", people.org) in {i["url"] for i in employee_nav}


def test_champion_badges_cost_the_people_directory_one_query_for_any_number(people, login):
    client = login(people.hr)
    directory = reverse("organizations:people", kwargs={"org_slug": people.org.slug})
    ChampionFactory(member=people.manager)
    client.get(directory)
    few = count_queries(client, directory)
    for _ in range(20):
        ChampionFactory(member=MembershipFactory(organization=people.org))
    response = client.get(directory)
    badged = [m for m in response.context["page"].object_list if m.badges]
    assert len(badged) == 21
    assert count_queries(client, directory) == few


def test_a_nominees_page_and_my_nominations_cost_the_same_queries_for_few_or_many(
        people, login):
    hr, employee = login(people.hr), login(people.employee)
    nominee_page = url("champion_nominee", people.org, member_id=people.manager.pk)
    mine_page = url("champion_nominate", people.org)
    ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee)
    few = (count_queries(hr, nominee_page), count_queries(employee, mine_page))
    for _ in range(12):
        ChampionNominationFactory(nominee=people.manager)
        ChampionNominationFactory(nominee=MembershipFactory(organization=people.org),
                                  nominated_by=people.employee)
    assert (count_queries(hr, nominee_page), count_queries(employee, mine_page)) == few
