"""Query budgets: every GET route of an organisation costs the same number of SQL queries whether
the organisation holds a handful of rows or many.

Routes are discovered from the URL configuration (as the tenant matrix does), so a new page or
API endpoint gets a budget the day it is added. Each route is fetched as the first role (leader,
HR admin, manager, employee) that gets a 200 on it: once with small data (``ID_SOURCES``'s one
object of each kind plus ``grow(SMALL)``: a few of everything for each of the four people) and
once after ``grow(GROWTH)`` has added many more of everything, linked to the same people, so
that the lists the pages show really get longer. The test fails listing every route whose count
(or status) changed: a count that grows with the data is an N+1 query; fix it in the selector or
view (``select_related``, ``prefetch_related``, an annotation), not here.

The summary printed says how many routes were measured and as whom, how many responses did get
longer at large data (those that did not are listed: a budget only proves something where the
data reaches the page), and which routes no role gets a 200 on (POST-only routes, redirects,
routes whose ids ``ID_SOURCES`` points at an object of another kind), with their statuses.
"""

import random
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hr_admin.models import Survey, SurveyMode
from tests.routes import ID_SOURCES, fill, tenant_routes

pytestmark = pytest.mark.django_db

# The order roles are tried in; a route is measured as the first of them that gets a 200.
ROLES = ("leader", "hr", "manager", "employee")
# How many of each kind the small data holds beside ``ID_SOURCES``'s one (so that every role has
# a few of its own rows, not none), and how many more the large data adds: far past a page.
SMALL = 4
GROWTH = 60


def _get(client, route: str, url: str):
    if route.startswith("api/"):
        return client.get(url, HTTP_ACCEPT="application/json")
    return client.get(url)


def _count(client, route: str, url: str) -> tuple[int, int, int]:
    """``(status, number of SQL queries, bytes of the body)`` of one GET."""
    # The log is capped (9,000 entries): a full one would make every count zero.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = _get(client, route, url)
    return response.status_code, len(queries), len(response.content)


def grow(people, ids: dict, n: int = GROWTH, *, start: int = 0) -> None:
    """Add ``n`` more of every kind of row the pages list, tied to the same four people.

    New members report to the manager or the leader (so team pages, matrices and queues grow);
    each of the four people gets more reflections, goals, options, plan actions, ratings,
    partners, feedback, notifications and interests; the employee's conversation more topics,
    shared areas and agreed actions; HR and the leader more to review (imports, moves,
    opportunities and interests, key positions and nominations, champions and nominations,
    stories, surveys and quick checks, health actions, metric goals and snapshots, audit events,
    leavers). ``start`` numbers the rows (and dates the daily ones) of a second call after the
    first's.
    """
    from careers import models as ca
    from careers.factories import (
        CareerGoalFactory,
        CareerOptionFactory,
        DevelopmentActionFactory,
        OptionCriterionFactory,
        OptionRatingFactory,
        ReflectionFactory,
    )
    from careers.services.templates import reflection_template_current
    from conversations import models as cv
    from conversations.factories import (
        AgendaTopicFactory,
        AgreedActionFactory,
        CareerPartnerFactory,
        ConversationFactory,
        FeedbackFactory,
        HeldConversationFactory,
        NotificationFactory,
        OutcomeFactory,
        RecommendationFactory,
    )
    from hr_admin import models as hr
    from organizations.factories import InvitationFactory, MembershipFactory, TeamFactory
    from organizations.models import AuditEvent, Membership, Team
    from skills import models as sk
    from skills.factories import (
        CareerPathFactory,
        CheckInFactory,
        CheckInItemFactory,
        LearningResourceFactory,
        MemberRoleFactory,
        RoleProfileFactory,
        RoleRequirementFactory,
        SkillCategoryFactory,
        SkillFactory,
        SkillRatingFactory,
    )

    org = people.org
    rng = random.Random(10 + start)
    now = timezone.now()
    today = timezone.localdate()
    employee, manager, hr_admin, leader = (
        people.employee, people.manager, people.hr, people.leader)
    everyone = (employee, manager, hr_admin, leader)

    def make(model, **fields):
        return model.objects_unscoped.create(organization=org, **fields)

    framework = sk.Framework.objects_unscoped.get(pk=ids["framework_id"])
    role = sk.RoleProfile.objects_unscoped.get(pk=ids["role_id"])
    check_in = sk.CheckIn.objects_unscoped.get(pk=ids["check_in_id"])
    conversation = cv.Conversation.objects_unscoped.get(pk=ids["conversation_id"])
    opportunity = hr.Opportunity.objects_unscoped.get(pk=ids["opportunity_id"])
    position = hr.KeyPosition.objects_unscoped.get(pk=ids["position_id"])
    survey = hr.Survey.objects_unscoped.get(pk=ids["survey_id"])
    template = reflection_template_current(organization=org)
    areas = list(ca.ReflectionArea.objects_unscoped.filter(template=template))
    team = Team.objects_unscoped.get(pk=ids["team_id"])
    if start == 0:
        Membership.objects_unscoped.filter(pk__in=[employee.pk, manager.pk]).update(team=team)
        for level in range(2, 8):
            make(sk.Level, framework=framework, rank=level, name=f"Level {level}")
        # The employee holds ``role`` already; the others take it too, so that the gap views,
        # pathway and plan suggestions of whoever is measured grow with its requirements.
        for member in (manager, hr_admin, leader):
            MemberRoleFactory(member=member, role=role)

    teams = [TeamFactory(organization=org, parent=team if i % 2 else None) for i in range(n)]
    categories = [SkillCategoryFactory(framework=framework) for _ in range(max(1, n // 4))]
    skills = [SkillFactory(framework=framework, category=rng.choice(categories))
              for _ in range(n)]
    roles = [RoleProfileFactory(framework=framework) for _ in range(n)]
    newcomers = [
        MembershipFactory(organization=org, manager=manager if i % 3 else leader,
                          team=team if i % 2 else rng.choice(teams))
        for i in range(n)
    ]

    for i, skill in enumerate(skills):
        RoleRequirementFactory(role=role, skill=skill, min_level=1 + i % 5)
        RoleRequirementFactory(role=roles[i], skill=skill, min_level=1 + i % 5)
        LearningResourceFactory(skill=skill)
        CheckInItemFactory(check_in=check_in, skill=skill, required_level=1 + i % 5,
                           self_level=1 + i % 4)
        for member in (*everyone, newcomers[i]):
            SkillRatingFactory(member=member, skill=skill, self_level=1 + (i + member.pk) % 5)
    for i, other in enumerate(roles):
        CareerPathFactory(from_role=role, to_role=other)
        MemberRoleFactory(member=newcomers[i], role=rng.choice(roles))
        submitted = CheckInFactory(member=newcomers[i], role=other,
                                   status=sk.CheckInStatus.SUBMITTED)
        CheckInItemFactory(check_in=submitted, skill=skills[i], self_level=2)

    for i in range(n):
        day = start + i
        newcomer = newcomers[i]
        for member in everyone:
            ReflectionFactory(member=member, template=template)
            CareerPartnerFactory(member=member, partner=newcomer)
            FeedbackFactory(member=member, author=newcomer)
            CareerGoalFactory(member=member, target_role=roles[i], shared_with_manager=True)
            option = CareerOptionFactory(member=member, shared_with_manager=True)
            DevelopmentActionFactory(member=member, skill=skills[i], shared_with_manager=True)
            NotificationFactory(recipient=member)
            if i < 5:
                criterion = OptionCriterionFactory(member=member)
                OptionRatingFactory(option=option, criterion=criterion)
        reflection = ReflectionFactory(member=newcomer, template=template)
        for area in areas:
            make(ca.ReflectionShare, reflection=reflection, area=area)
        shared = ReflectionFactory(member=employee, template=template)
        make(cv.ConversationArea, conversation=conversation, reflection=shared, area=areas[0])
        AgreedActionFactory(conversation=conversation, created_by=manager,
                            action=DevelopmentActionFactory(member=employee))
        AgendaTopicFactory(conversation=conversation, author=employee)
        ConversationFactory(member=employee, partner=manager,
                            scheduled_at=now + timedelta(days=day + 1))
        ConversationFactory(member=newcomer, partner=newcomer.manager,
                            scheduled_at=now + timedelta(days=day + 1))
        held = HeldConversationFactory(member=newcomer, partner=newcomer.manager)
        OutcomeFactory(conversation=held)
        CareerPartnerFactory(member=newcomer, partner=manager)
        FeedbackFactory(member=newcomer, author=manager)
        RecommendationFactory(member=newcomer, author=manager)
        InvitationFactory(organization=org)

        make(hr.PeopleImport, uploaded_by=hr_admin, file_name=f"people-{day}.csv",
             content="email\n", total_rows=1)
        move = make(hr.Move, member=newcomer, kind=hr.MoveKind.LATERAL,
                    effective_on=today - timedelta(days=day), from_role=role, to_role=roles[i],
                    from_team=team, to_team=teams[i], recorded_by=hr_admin)
        make(hr.Move, member=employee, kind=hr.MoveKind.LATERAL,
             effective_on=today - timedelta(days=day), to_role=roles[i], to_team=teams[i])
        gig = make(hr.Opportunity, kind=hr.OpportunityKind.GIG, title=f"Gig {day}",
                   posted_by=leader if i % 2 else hr_admin, role=roles[i], team=teams[i],
                   time_share=20, duration_weeks=6)
        make(hr.OpportunitySkill, opportunity=gig, skill=skills[i], min_level=1)
        make(hr.OpportunitySkill, opportunity=opportunity, skill=skills[i], min_level=1)
        for target in (opportunity, gig):
            make(hr.OpportunityInterest, opportunity=target, member=newcomer,
                 message="Interested", approval=hr.ManagerApproval.PENDING)
        for member in everyone:
            make(hr.OpportunityInterest, opportunity=gig, member=member,
                 approval=hr.ManagerApproval.PENDING)
        key = make(hr.KeyPosition, role=roles[i], team=teams[i], incumbent=newcomer,
                   created_by=hr_admin)
        for target in (position, key):
            make(hr.SuccessorNomination, position=target, candidate=newcomer,
                 readiness=hr.Readiness.READY_NOW, nominated_by=manager)
        make(hr.ChampionNomination, nominee=manager, nominated_by=newcomer,
             evidence={"mentoring": "Evidence"})
        for member in (employee, leader):
            make(hr.ChampionNomination, nominee=newcomer, nominated_by=member,
                 evidence={"mentoring": "Evidence"})
        make(hr.Champion, member=newcomer, since=today, statement="Champion",
             confirmed_by=hr_admin)
        make(hr.SuccessStory, subject=newcomer, move=move, title=f"Story {day}", body="Body",
             author=hr_admin)
        make(hr.SuccessStory, subject=newcomer, move=move, title=f"Published story {day}",
             body="Body", author=leader, status=hr.StoryStatus.PUBLISHED, consent_given_at=now,
             published_at=now)
        make(hr.HealthQuestion, dimension="conversations", text=f"Question {day}")
        other_survey = make(hr.Survey, title=f"Survey {day}", status=hr.SurveyStatus.OPEN,
                            created_by=hr_admin, opens_at=now)
        make(hr.SurveyQuestion, survey=other_survey, dimension="conversations", kind="likert",
             text="Question")
        make(hr.SurveyQuestion, survey=survey, dimension="conversations", kind="likert",
             text=f"Question {day}")
        make(hr.SurveyParticipation, survey=survey, member=newcomer)
        make(hr.Survey, mode=hr.SurveyMode.QUICK, title=f"Quick check {day}", created_by=leader)
        make(hr.HealthAction, survey=survey, title=f"Health action {day}", owner=leader,
             created_by=hr_admin)
        make(hr.MetricGoal, metric="internal_promotion_rate", target=30.0, team=teams[i],
             starts_on=today, ends_on=today, created_by=leader)
        make(hr.MetricSnapshot, day=today - timedelta(days=day), metric="internal_promotion_rate",
             value=10.0 + day, numerator=1, denominator=10, computed_at=now)
        make(hr.MetricSnapshot, day=today, team=teams[i], metric="internal_promotion_rate",
             value=10.0 + day, numerator=1, denominator=10, computed_at=now)
        for actor in (hr_admin, manager):
            make(AuditEvent, actor=actor, action="member.viewed", subject=newcomer)
        if i % 4 == 0:
            leaver = MembershipFactory(organization=org, manager=manager, team=team,
                                       is_active=False)
            make(hr.Move, member=leaver, kind=hr.MoveKind.EXIT, effective_on=today,
                 from_team=team, recorded_by=hr_admin)


def _measure(people, clients, ids, roles=None):
    """GET every route; returns ``{(route, role): (status, queries, bytes)}``.

    Without ``roles`` each route is tried as each role in ``ROLES`` order until one gets a 200
    (or a 405: GET is not allowed on the route, whoever asks); with ``roles`` (route → role,
    from such a pass) each route is fetched as that role only.
    """
    results = {}
    values = {**ids, "org_slug": people.org.slug}
    quick = {**values, "survey_id": ids["quick_survey_id"]}
    for route, _pattern in tenant_routes():
        url = fill(route, quick if "health-check/quick/<int:survey_id>" in route else values)
        if roles is not None:
            if route in roles:
                results[route, roles[route]] = _count(clients[roles[route]], route, url)
            continue
        for role in ROLES:
            results[route, role] = _count(clients[role], route, url)
            if results[route, role][0] in (200, 405):
                break
    return results


def test_every_get_route_costs_the_same_number_of_queries_at_small_and_large_data(
    people, login, capsys
):
    started = time.monotonic()
    ids = ID_SOURCES(people)
    grow(people, ids, SMALL)
    # ``ID_SOURCES``'s survey is a full one; a quick self-assessment's result has routes too.
    ids["quick_survey_id"] = (
        Survey.objects_unscoped.filter(organization=people.org, mode=SurveyMode.QUICK)
        .values_list("pk", flat=True).first())
    clients = {role: login(member) for role, member in people.by_role().items()}
    for client in clients.values():
        # One request each first, so one-off work (the session, per-process caches) is not
        # counted against the first route measured.
        client.get(fill("o/<slug:org_slug>/", {"org_slug": people.org.slug}))
    tried = _measure(people, clients, ids)
    before = {key: result for key, result in tried.items() if result[0] == 200}
    roles = {route: role for route, role in before}
    grown = time.monotonic()
    grow(people, ids, GROWTH, start=SMALL)
    grown = time.monotonic() - grown
    after = _measure(people, clients, ids, roles)

    routes = [route for route, _pattern in tenant_routes()]
    not_measured = [route for route in routes if route not in roles]
    changed = [
        (route, role, before[route, role][:2], after[route, role][:2])
        for route, role in before
        if after[route, role][:2] != before[route, role][:2]
    ]
    same_size = [key for key in before if after[key][2] <= before[key][2]]
    by_role = {role: sum(1 for r in roles.values() if r == role) for role in ROLES}
    with capsys.disabled():
        print(
            f"\nquery budgets: {len(routes)} routes, {len(roles)} measured as the first role to "
            f"get a 200 ({', '.join(f'{role} {n}' for role, n in by_role.items())}), "
            f"{len(roles) - len(same_size)} of them with a longer response at large data; "
            f"{len(not_measured)} no "
            f"role gets 200 on; {len(changed)} changed with the data; "
            f"{time.monotonic() - started:.0f} s ({grown:.0f} s growing the data)"
        )
        for route, role in same_size:
            print(f"  response did not grow: {route} as {role}")
        for route in not_measured:
            codes = sorted({result[0] for (r, _role), result in tried.items() if r == route})
            print(f"  not measured: {route} {codes}")
    assert changed == [], "Query counts that change with the data:\n" + "\n".join(
        f"{route} as {role}: {b_status} {b_count} queries → {a_status} {a_count} queries"
        for route, role, (b_status, b_count), (a_status, a_count) in changed
    )
