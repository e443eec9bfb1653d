"""The Office Career Champions API: nominating, HR's list and decision, the champions."""

import pytest
from django.urls import reverse

from hr_admin.models import Champion, ChampionNomination, NominationStatus
from hr_admin.tests.factories_champions import ChampionFactory, ChampionNominationFactory

pytestmark = pytest.mark.django_db

SAW = "Spent an hour every week with our two new joiners for three months."


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_a_member_nominates_a_colleague(people, login):
    response = login(people.employee).post(
        api("champion-nomination-list", people.org),
        {"nominee": people.manager.pk, "evidence": {"mentoring": SAW}},
        content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["nominee"] == {"id": people.manager.pk, "name": people.manager.display_name}
    assert body["evidence"] == {"mentoring": SAW}
    assert body["status"] == "pending"


def test_bad_nominations_are_400_with_messages_by_field(people, other_people, login):
    client = login(people.employee)
    response = client.post(api("champion-nomination-list", people.org),
                           {"nominee": people.manager.pk,
                            "evidence": {"mentoring": "", "advocacy": SAW}},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "evidence.mentoring": ["Say what you saw: a moment when they did this."]}
    response = client.post(api("champion-nomination-list", people.org),
                           {"nominee": people.manager.pk, "evidence": {}},
                           content_type="application/json")
    assert response.json()["errors"] == {
        "evidence": ["Tick at least one of the five criteria and say what you saw."]}
    for nominee in (people.employee, other_people.manager):
        response = client.post(api("champion-nomination-list", people.org),
                               {"nominee": nominee.pk, "evidence": {"mentoring": SAW}},
                               content_type="application/json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["nominee"]
    assert not ChampionNomination.objects_unscoped.exists()


def test_a_member_lists_only_their_own_nominations_and_hr_every_other(people, login):
    mine = ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee)
    other = ChampionNominationFactory(nominee=people.leader, nominated_by=people.manager)
    about_hr = ChampionNominationFactory(nominee=people.hr, nominated_by=people.manager)
    ids = {r["id"] for r in login(people.employee).get(
        api("champion-nomination-list", people.org)).json()["results"]}
    assert ids == {mine.pk}
    ids = {r["id"] for r in login(people.hr).get(
        api("champion-nomination-list", people.org)).json()["results"]}
    assert ids == {mine.pk, other.pk}
    assert login(people.hr).get(api("champion-nomination-detail", people.org,
                                    champion_nomination_id=about_hr.pk)).status_code == 404
    assert login(people.manager).get(api("champion-nomination-detail", people.org,
                                         champion_nomination_id=mine.pk)).status_code == 404


def test_the_nominator_withdraws_through_the_api(people, login):
    mine = ChampionNominationFactory(nominee=people.manager, nominated_by=people.employee)
    response = login(people.employee).delete(api("champion-nomination-detail", people.org,
                                                 champion_nomination_id=mine.pk))
    assert response.status_code == 204
    assert not ChampionNomination.objects_unscoped.exists()


def test_hr_lists_nominees_and_confirms_one(people, login):
    ChampionNominationFactory(nominee=people.manager, evidence={"mentoring": SAW})
    ChampionNominationFactory(nominee=people.manager,
                              evidence={"mentoring": SAW, "advocacy": SAW})
    assert login(people.employee).get(api("champion-nominee-list", people.org)).status_code == 403
    client = login(people.hr)
    rows = client.get(api("champion-nominee-list", people.org)).json()["results"]
    assert [(r["nominee"]["id"], r["count"]) for r in rows] == [(people.manager.pk, 2)]
    assert [(c["criterion"], c["count"]) for c in rows[0]["criteria"]] == [
        ("mentoring", 2), ("advocacy", 1)]
    response = client.post(api("champion-nominee-decide", people.org,
                               member_id=people.manager.pk),
                           {"outcome": "confirmed"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["champion"]["member"]["id"] == people.manager.pk
    assert response.json()["champion"]["cited_by"] == 2
    assert Champion.objects_unscoped.get().member == people.manager


def test_declining_without_a_note_is_400(people, login):
    ChampionNominationFactory(nominee=people.manager)
    response = login(people.hr).post(api("champion-nominee-decide", people.org,
                                         member_id=people.manager.pk),
                                     {"outcome": "declined", "note": ""},
                                     content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["note"]
    response = login(people.hr).post(api("champion-nominee-decide", people.org,
                                         member_id=people.manager.pk),
                                     {"outcome": "maybe"}, content_type="application/json")
    assert list(response.json()["errors"]) == ["outcome"]


def test_the_champions_list_and_citations_only_for_the_champion(people, login):
    champion = ChampionFactory(member=people.manager, statement="Ask me.")
    ChampionNominationFactory(nominee=people.manager, status=NominationStatus.CONFIRMED,
                              evidence={"mentoring": SAW})
    rows = login(people.employee).get(api("champion-list", people.org)).json()["results"]
    assert [(r["id"], r["statement"], r["cited_by"]) for r in rows] == [
        (champion.pk, "Ask me.", 1)]
    assert rows[0]["cited"][0]["criterion"] == "mentoring"
    path = api("champion-detail", people.org, champion_id=champion.pk)
    assert login(people.employee).get(path).json()["citations"] is None
    assert login(people.manager).get(path).json()["citations"] == [
        {"criterion": "mentoring",
         "label": "Mentors and supports people to get the best out of them", "quotes": [SAW]}]


def test_the_champion_edits_their_statement_and_hr_ends_the_term(people, login):
    champion = ChampionFactory(member=people.manager, statement="")
    path = api("champion-detail", people.org, champion_id=champion.pk)
    assert login(people.employee).patch(path, {"statement": "Hi"},
                                        content_type="application/json").status_code == 403
    response = login(people.manager).patch(path, {"statement": "Ask me about Data."},
                                           content_type="application/json")
    assert response.json()["statement"] == "Ask me about Data."
    assert login(people.employee).post(api("champion-end", people.org, champion_id=champion.pk),
                                       {}, content_type="application/json").status_code == 403
    response = login(people.hr).post(api("champion-end", people.org, champion_id=champion.pk),
                                     {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["ended_at"] is not None
    assert login(people.employee).get(path).status_code == 404
