"""Reflection participation: completion for HR, aggregates for leaders, never what was written.

DESIGN.md's privacy matrix: HR sees completion status only, leaders aggregates only. The canary
tests write a unique string in answers and assert that no participation page or API response of
HR or a leader carries it.
"""

import json
import re
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.factories import ReflectionAnswerFactory, ReflectionFactory
from careers.models import ReflectionPrompt
from careers.selectors import participation as selectors
from careers.services import templates as template_services
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db


def current(org):
    return template_services.reflection_template_current(organization=org)


def prompts_of(template) -> dict:
    return {(p.area.key, p.key): p for p in
            ReflectionPrompt.objects_unscoped.filter(area__template=template)
            .select_related("area")}


def reflect(member, template, answered: list, text: str = "An answer."):
    """A reflection of ``member`` with an answer to each ``(area key, prompt key)``."""
    reflection = ReflectionFactory(member=member, template=template)
    prompts = prompts_of(template)
    for key in answered:
        ReflectionAnswerFactory(reflection=reflection, prompt=prompts[key], text=text)
    return reflection


def page(org):
    return reverse("careers:participation", kwargs={"org_slug": org.slug})


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/career/participation/{path}"


def more_members(org, n, **fields):
    return [MembershipFactory(organization=org, **fields) for _ in range(n)]


def row_of(org, member):
    return selectors.participation_members(organization=org).get(pk=member.pk)


# --- Per member: counts from the latest reflection -----------------------------------------------


def test_each_member_gets_counts_from_their_latest_reflection(people):
    template = current(people.org)
    older = reflect(people.employee, template, [("where-i-am", "current-job"),
                                                ("success", "location"),
                                                ("strategies", "actions")])
    latest = reflect(people.employee, template, [("where-i-am", "current-job"),
                                                 ("where-i-am", "in-the-way"),
                                                 ("what-matters", "values")])
    ReflectionAnswerFactory(reflection=latest, prompt=prompts_of(template)[("success", "outcomes")],
                            text="")
    assert older.created_at <= latest.created_at
    row = row_of(people.org, people.employee)
    assert (row.reflection_count, row.latest_reflection_id) == (2, latest.pk)
    assert (row.areas_answered, row.areas_total) == (2, 8)
    assert (row.prompts_answered, row.prompts_total) == (3, 27)
    assert row.participation == selectors.Status.IN_PROGRESS
    assert row.latest_updated_at is not None


def test_statuses_run_from_not_started_to_every_area_answered(people):
    template = current(people.org)
    reflect(people.manager, template, [])
    every_area = [(p.area.key, p.key) for p in prompts_of(template).values()
                  if p.position == 0]
    reflect(people.hr, template, every_area)
    statuses = {m.pk: m.participation for m in
                selectors.participation_members(organization=people.org)}
    assert statuses == {
        people.employee.pk: "not_started",
        people.leader.pk: "not_started",
        people.manager.pk: "started",
        people.hr.pk: "complete",
    }
    complete = selectors.participation_members(organization=people.org, status="complete")
    assert list(complete) == [people.hr]


def test_counts_follow_the_version_the_reflection_was_written_against(people):
    v1 = current(people.org)
    reflect(people.employee, v1, [("success", "location")])
    v2 = template_services.template_area_add(organization=people.org, actor=people.hr,
                                             title="My network").template
    reflect(people.manager, v2, [("success", "location")])
    assert row_of(people.org, people.employee).areas_total == 8
    assert row_of(people.org, people.manager).areas_total == 9


# --- Aggregates ---------------------------------------------------------------------------------


def test_aggregates_count_started_half_and_the_distribution(people):
    template = current(people.org)
    extra = more_members(people.org, 6)
    keys = list(dict.fromkeys((p.area.key, p.key) for p in prompts_of(template).values()
                              if p.position == 0))
    reflect(people.employee, template, keys[:4])   # half of 8
    reflect(people.manager, template, keys[:1])
    reflect(extra[0], template, keys[:3])
    reflect(extra[1], template, keys)              # all 8
    reflect(extra[2], template, [])
    summary = selectors.participation_summary(organization=people.org)
    assert not summary.too_few
    assert summary.members == 10
    assert (summary.started, summary.started_share) == (5, 50)
    assert (summary.half, summary.complete) == (2, 1)
    assert {b.key: b.count for b in summary.buckets} == {"none": 6, "few": 1, "some": 2,
                                                          "most": 1}


def test_inactive_members_are_not_counted(people):
    template = current(people.org)
    gone = more_members(people.org, 1, is_active=False)[0]
    reflect(gone, template, [("success", "location")])
    more_members(people.org, 2)
    summary = selectors.participation_summary(organization=people.org)
    assert (summary.members, summary.started) == (6, 0)
    assert gone not in selectors.participation_members(organization=people.org)


def test_small_teams_are_counted_together_and_a_small_remainder_joins_the_smallest_team(people):
    big = TeamFactory(organization=people.org, name="Engineering")
    medium = TeamFactory(organization=people.org, name="Sales")
    small = TeamFactory(organization=people.org, name="Legal")
    more_members(people.org, 7, team=big)
    more_members(people.org, 5, team=medium)
    more_members(people.org, 2, team=small)
    for member in (people.employee, people.manager, people.hr, people.leader):
        member.team = big
        member.save()
    # Legal (2) is too small on its own and would be recoverable: Sales joins it.
    groups = selectors.participation_summary(organization=people.org).groups
    assert [(g.name, g.members, g.is_other) for g in groups] == [
        ("Engineering", 11, False), ("Other teams", 7, True)]
    more_members(people.org, 4, team=small)
    groups = selectors.participation_summary(organization=people.org).groups
    assert [(g.name, g.members) for g in groups] == [("Engineering", 11), ("Legal", 6),
                                                      ("Sales", 5)]


def test_no_group_is_shown_when_it_could_single_someone_out(people):
    team = TeamFactory(organization=people.org, name="Everyone")
    more_members(people.org, 3, team=team)
    summary = selectors.participation_summary(organization=people.org)
    # 3 in a team, 4 without: both small, so they form one group, which says nothing new.
    assert summary.members == 7 and summary.groups == []


def test_an_organisation_of_fewer_than_five_active_members_shows_no_aggregate(people):
    reflect(people.employee, current(people.org), [("success", "location")])
    summary = selectors.participation_summary(organization=people.org)
    assert summary.too_few and summary.members == 4
    assert summary.started == 0 and summary.buckets == [] and summary.groups == []


# --- Who sees what ------------------------------------------------------------------------------


def test_hr_sees_each_members_counts_and_the_aggregates(people, login):
    more_members(people.org, 2)
    reflect(people.employee, current(people.org), [("where-i-am", "current-job"),
                                                   ("success", "location")])
    response = login(people.hr).get(page(people.org))
    assert response.status_code == 200
    body = response.content.decode()
    assert people.employee.display_name in body
    assert "2 of 8" in body and "2 of 27" in body
    assert "Started a reflection" in body and "Areas answered" in body
    assert "bar-chart" in body


def test_hr_searches_members_by_name_and_filters_by_status(people, login):
    reflect(people.employee, current(people.org), [("success", "location")])
    people.employee.user.last_name = "Oyelaran-Whitcombe"  # a name nobody else shares
    people.employee.user.save(update_fields=["last_name"])
    client = login(people.hr)
    body = client.get(page(people.org), {"q": "Oyelaran"}).content.decode()
    assert people.employee.display_name in body
    assert people.manager.display_name not in body
    body = client.get(page(people.org), {"status": "not_started"}).content.decode()
    assert people.manager.display_name in body and people.employee.display_name not in body
    partial = client.get(page(people.org), {"q": "zzz-nobody"}, HTTP_HX_REQUEST="true")
    assert "No one matches your search" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_hr_reading_participation_is_audit_logged(people, login):
    login(people.hr).get(page(people.org))
    event = AuditEvent.objects_unscoped.get(action="careers.participation_viewed")
    assert event.actor == people.hr
    assert set(event.detail["members"]) == {people.employee.pk, people.manager.pk, people.hr.pk,
                                            people.leader.pk}


def test_a_leader_sees_only_aggregates_no_row_per_member(people, login):
    extra = more_members(people.org, 3)
    reflect(people.employee, current(people.org), [("success", "location")])
    client = login(people.leader)
    response = client.get(page(people.org), {"q": people.employee.user.last_name})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Started a reflection" in body
    for member in (people.employee, people.manager, *extra):
        assert member.display_name not in body
    assert "<table" not in body
    assert not AuditEvent.objects_unscoped.filter(action="careers.participation_viewed").exists()
    assert client.get(api(people.org, "members/")).status_code == 403
    data = client.get(api(people.org)).json()
    assert data["members"] == 7 and data["started"] == 1
    assert "results" not in data


@pytest.mark.parametrize("who", ["employee", "manager"])
def test_other_members_may_not_see_participation(people, login, who):
    client = login(people.by_role()[who])
    assert client.get(page(people.org)).status_code == 403
    assert client.get(api(people.org)).status_code == 403
    assert client.get(api(people.org, "members/")).status_code == 403


def test_the_api_gives_hr_each_members_counts(people, login):
    reflect(people.employee, current(people.org), [("where-i-am", "current-job"),
                                                   ("where-i-am", "in-the-way")])
    data = login(people.hr).get(api(people.org, "members/")).json()
    rows = {r["member"]["id"]: r for r in data["results"]}
    assert rows[people.employee.pk] == {
        "member": {"id": people.employee.pk, "name": people.employee.display_name},
        "team": None, "status": "in_progress", "reflection_count": 1,
        "areas_answered": 1, "areas_total": 8, "prompts_answered": 2, "prompts_total": 27,
        "last_updated_at": rows[people.employee.pk]["last_updated_at"],
    }
    assert rows[people.manager.pk]["status"] == "not_started"
    bad = login(people.hr).get(api(people.org, "members/"), {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_no_participation_page_or_api_answer_carries_what_a_member_wrote(people, login):
    canary = f"CANARY-{secrets.token_hex(8)}"
    more_members(people.org, 3)
    template = current(people.org)
    reflect(people.employee, template, [("where-i-am", "current-job"),
                                        ("skills-qualities", "weaknesses")], text=canary)
    reflect(people.manager, template, [("success", "location")], text=f"{canary} manager")
    reads = [
        (page(people.org), {}), (page(people.org), {"q": people.employee.user.last_name}),
        (page(people.org), {"status": "in_progress"}), (api(people.org), {}),
        (api(people.org, "members/"), {}), (api(people.org, "members/"), {"q": canary}),
    ]
    for who in ("hr", "leader"):
        client = login(people.by_role()[who])
        for url, params in reads:
            response = client.get(url, params)
            assert response.status_code in (200, 403), (who, url)
            assert canary not in response.content.decode(), (who, url, params)
        partial = client.get(page(people.org), HTTP_HX_REQUEST="true")
        assert canary not in partial.content.decode()
    assert canary not in json.dumps([e.detail for e in AuditEvent.objects_unscoped.all()])


def test_participation_never_selects_an_answer_text(people):
    reflect(people.employee, current(people.org), [("success", "location")])
    with CaptureQueriesContext(connection) as captured:
        list(selectors.participation_members(organization=people.org))
        selectors.participation_summary(organization=people.org)
    # The text column only appears to tell an empty answer from a written one, never selected.
    mentions = [m for q in captured.captured_queries
                for m in re.findall(r'"text"[^,)]{0,8}', q["sql"])]
    assert mentions and set(mentions) == {"\"text\" = ''"}


# --- Bounded queries ----------------------------------------------------------------------------


def _grow(people, n):
    template = current(people.org)
    teams = [TeamFactory(organization=people.org) for _ in range(3)]
    for i, member in enumerate(more_members(people.org, n)):
        member.team = teams[i % 3]
        member.save()
        if i % 2:
            reflect(member, template, [("success", "location"), ("where-i-am", "current-job")])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["hr", "leader"])
def test_the_participation_page_runs_the_same_queries_for_3_or_30_members(people, login, who):
    client = login(people.by_role()[who])
    _grow(people, 3)
    client.get(page(people.org))
    small = _queries(client, page(people.org))
    _grow(people, 27)
    assert _queries(client, page(people.org)) == small


def test_the_participation_api_runs_the_same_queries_for_3_or_30_members(people, login):
    client = login(people.hr)
    _grow(people, 3)
    client.get(api(people.org, "members/"))
    small = (_queries(client, api(people.org, "members/")), _queries(client, api(people.org)))
    _grow(people, 27)
    assert (_queries(client, api(people.org, "members/")), _queries(client, api(people.org))) \
        == small
