"""A large organisation with a few years of history, for benchmarks that need realistic tables.

``generate_organization(members=50_000)`` makes a fresh organisation the way a mature customer's
looks: a team tree three levels deep (eight divisions, their departments, about one team per 25
people), a manager line of five to twelve reports per manager, start dates over ten years, a
skills framework with role profiles and ratings, career conversations and their outcomes over
the last 18 months, reflections, development plans, career moves, internal opportunities, key
positions with successors, Office Career Champions and one closed health-check survey with its
final scores.

The shape (who manages whom, who has which role, which moves happened) is decided in Python
from ``random.Random``; the tables with several rows per member (skill ratings, conversations,
outcomes, reflections, development actions) are filled by ``INSERT … SELECT`` in the database
after ``setseed``. Both are seeded, so the same ``members`` and ``seed`` give the same
organisation (dated relative to the day it is generated). Nothing goes through services or
signals and no password is hashed: the point is speed, about half a minute for 50,000 members
on two cores.

Needs Django set up and a PostgreSQL connection that may write every organisation's rows (the
bench database's owner); ``python -m bench`` provides both.
"""

from __future__ import annotations

import math
import random
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from careers.models import ActionKind
from careers.services.templates import reflection_template_current
from conversations.models import MemberCadence
from hr_admin import health_suppression
from hr_admin.models import (
    Champion,
    Criticality,
    KeyPosition,
    MetricGoal,
    Move,
    MoveKind,
    MoveSource,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    Readiness,
    ScoreSlice,
    SuccessorNomination,
    Survey,
    SurveyMode,
    SurveyScore,
    SurveyStatus,
)
from organizations.models import Membership, Organization, Team, User
from organizations.services import organization_create
from skills.models import (
    Framework,
    Importance,
    Level,
    MemberRole,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    Track,
)

TIME_ZONE = "Europe/London"
#: Rows per INSERT statement of ``bulk_create``.
BATCH = 5000
#: People per team at the bottom of the tree; non-leaf teams hold their head and a few staff.
TEAM_SIZE = 26
MIN_REPORTS, MAX_REPORTS = 5, 12
HISTORY_YEARS = 10
#: How far back moves, completed actions and filled openings go.
RECENT_DAYS = 730
CONVERSATION_DAYS = 540
HEALTH_CHECK_TITLE = "Career health check"
#: The smallest organisation the shape works for (heads of eight divisions and their staff).
MIN_MEMBERS = 50

FAMILIES = ("Engineering", "Product", "Commercial", "Operations", "Corporate")
# Division, share of the people, job family of its role profiles, names of its departments.
DIVISIONS = (
    ("Engineering", 0.30, "Engineering",
     ("Platform", "Product Engineering", "Infrastructure", "Mobile", "Security", "Data")),
    ("Product", 0.10, "Product", ("Product Management", "Design", "Research", "Analytics")),
    ("Sales", 0.18, "Commercial", ("EMEA", "Americas", "APAC", "Partnerships")),
    ("Marketing", 0.07, "Commercial", ("Brand", "Demand Generation", "Product Marketing")),
    ("Customer", 0.13, "Operations", ("Support", "Success", "Onboarding")),
    ("Operations", 0.10, "Operations", ("Supply", "Facilities", "Procurement", "Logistics")),
    ("Finance", 0.05, "Corporate", ("Accounting", "Planning", "Tax")),
    ("People", 0.07, "Corporate", ("People Partners", "Talent", "Learning", "People Operations")),
)
TEAM_WORDS = ("Atlas", "Beacon", "Comet", "Delta", "Ember", "Fjord", "Granite", "Harbour",
              "Iris", "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchid", "Pulsar",
              "Quartz", "Ridge", "Summit", "Tundra", "Umber", "Vega", "Willow", "Zephyr")
FIRST = ("Ada", "Alan", "Amara", "Ana", "Arjun", "Beatriz", "Carlos", "Chen", "Chloe", "Dario",
         "Elena", "Emeka", "Fatima", "Francois", "Grace", "Hana", "Ibrahim", "Ines", "James",
         "Jin", "Julia", "Kofi", "Lea", "Liam", "Lucia", "Mateo", "Mei", "Mohammed", "Nadia",
         "Noah", "Olga", "Omar", "Priya", "Rafael", "Sara", "Sofia", "Tomas", "Yuki", "Zanele")
LAST = ("Adeyemi", "Alvarez", "Bauer", "Bernard", "Chen", "Costa", "Dubois", "Fernandez",
        "Garcia", "Haddad", "Ivanova", "Jensen", "Kim", "Kowalski", "Laurent", "Martin",
        "Moreau", "Nakamura", "Novak", "Okafor", "Patel", "Petit", "Rossi", "Santos", "Schmidt",
        "Singh", "Tanaka", "Thomas", "Torres", "Wang", "Williams", "Yilmaz", "Zhang")
LANGUAGES = ("",) * 16 + ("en", "en", "fr", "es")

LEVELS = ("Aware", "Working", "Practitioner", "Expert", "Leading")
# Category, its skills; the first two categories are asked of everyone, "Leadership" of
# managers, the others of one job family each.
SKILLS = (
    ("Core", ("Communication", "Collaboration", "Problem Solving", "Customer Focus",
              "Adaptability", "Planning")),
    ("Leadership", ("Coaching", "Delegation", "Giving Feedback", "Strategic Thinking",
                    "Change Leadership", "Hiring")),
    ("Engineering", ("Software Design", "Testing", "Cloud Infrastructure", "Security Practice",
                     "Data Modelling", "Code Review")),
    ("Product", ("Product Discovery", "User Research", "Roadmapping", "Interaction Design",
                 "Experimentation")),
    ("Commercial", ("Negotiation", "Account Planning", "Pipeline Management", "Storytelling",
                    "Market Analysis")),
    ("Operations", ("Process Improvement", "Vendor Management", "Service Delivery",
                    "Incident Handling", "Quality Assurance", "Scheduling")),
    ("Corporate", ("Financial Analysis", "Employment Law", "Budgeting", "Reporting",
                   "Stakeholder Management", "Compliance")),
)
GRADE_TITLES = {1: "Associate {}", 2: "{} Specialist", 3: "Senior {} Specialist",
                4: "{} Lead", 5: "{} Manager", 6: "{} Director"}
GRADE_TRACKS = {1: Track.INDIVIDUAL, 2: Track.INDIVIDUAL, 3: Track.SPECIALIST,
                4: Track.MANAGEMENT, 5: Track.MANAGEMENT, 6: Track.EXECUTIVE}

ACTION_TITLES = ("Complete an online course", "Shadow a senior colleague", "Lead a workshop",
                 "Read a book on the topic", "Join a cross-team project", "Attend a conference",
                 "Pair with a mentor every fortnight", "Present at the team meeting",
                 "Take a certification exam", "Run a small experiment")
REFLECTION_ANSWERS = (
    "I enjoy the problems I work on, less the pace of the last quarter.",
    "Learning from people around me matters more than the title.",
    "I would like to try leading a small team within two years.",
    "My strengths are explaining complex things simply and staying calm.",
    "I want more variety: a project with another department would help.",
    "Flexibility and a team I trust are what keep me here.",
    "I am not sure yet; I would like to talk options through with my manager.",
    "Becoming a recognised expert in my field, inside or outside management.",
)


@dataclass(frozen=True)
class Generated:
    """What ``generate_organization`` made: the organisation, two people to sign in as (a
    leader who is not an HR admin and an HR admin who is not a leader), how many teams and
    members it has and how long it took."""

    organization: Organization
    leader: Membership
    hr: Membership
    teams: int
    members: int
    seconds: float


@dataclass
class _Node:
    name: str
    level: int  # 0 division (root), 1 department, 2 team
    division: int
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    people: list[int] = field(default_factory=list)  # indexes into _Plan.people; head first
    pk: int | None = None


@dataclass
class _Person:
    node: _Node
    grade: int = 1
    is_head: bool = False
    is_leader: bool = False
    is_hr_admin: bool = False
    is_active: bool = True
    manager: int | None = None
    has_role: bool = True
    started_on: date | None = None
    title: str = ""
    first: str = ""
    last: str = ""
    email: str = ""
    language: str = ""
    pk: int | None = None  # membership id
    role: int | None = None  # role profile id


@dataclass
class _Plan:
    """The organisation's shape before anything is written."""

    nodes: list[_Node]
    people: list[_Person]
    ceo: int
    hr: int


# --- The shape -----------------------------------------------------------------------------------


def _plan(members: int, rng: random.Random, today: date, domain: str) -> _Plan:
    executive = _Node("Executive Office", 0, -1)
    nodes: list[_Node] = [executive]
    for d, (name, share, _family, departments) in enumerate(DIVISIONS):
        division = _Node(name, 0, d)
        nodes.append(division)
        leaves = max(1, round(members * share * 0.92 / TEAM_SIZE))
        n_departments = max(1, min(round(math.sqrt(leaves)), 4 * len(departments)))
        for i in range(n_departments):
            base = departments[i % len(departments)]
            label = base if i < len(departments) else f"{base} {i // len(departments) + 1}"
            department = _Node(label, 1, d, parent=division)
            division.children.append(department)
            nodes.append(department)
        for i in range(leaves):
            department = division.children[i % n_departments]
            k = len(department.children)
            word = TEAM_WORDS[k % len(TEAM_WORDS)]
            label = word if k < len(TEAM_WORDS) else f"{word} {k // len(TEAM_WORDS) + 1}"
            team = _Node(label, 2, d, parent=department)
            department.children.append(team)
            nodes.append(team)

    people: list[_Person] = []

    def add(node: _Node, **kwargs) -> int:
        people.append(_Person(node=node, **kwargs))
        node.people.append(len(people) - 1)
        return len(people) - 1

    ceo = add(executive, grade=6, is_head=True, is_leader=True, title="Chief Executive Officer")
    add(executive, grade=4, title="Chief of Staff")
    add(executive, grade=3, title="Executive Assistant")
    for node in nodes[1:]:
        if node.level == 2:
            continue
        add(node, grade=6 - node.level, is_head=True, is_leader=node.level == 0)
        # Enough staff to lead groups of the sub-teams' heads (see _arrange); three more in
        # all but the smallest organisations, whose upper levels would not fit otherwise.
        for _ in range(math.ceil((len(node.children) + MIN_REPORTS) / 10)
                       + (3 if members >= 100 else 0)):
            add(node, grade=rng.choice((3, 3, 4)))
    leaves = [n for n in nodes if n.level == 2]
    remaining = max(len(leaves), members - len(people))
    # Most teams are about TEAM_SIZE; one in twenty is tiny (below the survey threshold).
    weights = [rng.uniform(0.08, 0.2) if rng.random() < 0.05 else rng.uniform(0.6, 1.4)
               for _ in leaves]
    total = sum(weights)
    sizes = [max(1, int(remaining * w / total)) for w in weights]
    for i in range(remaining - sum(sizes)):
        sizes[i % len(sizes)] += 1
    for node, size in zip(leaves, sizes, strict=True):
        add(node, grade=4, is_head=True)
        for _ in range(size - 1):
            add(node, grade=rng.choice((1, 2, 2, 2, 3, 3)))
    del people[members:]  # rounding of the small sizes; never the heads of the upper levels
    for node in leaves:
        node.people = [i for i in node.people if i < members]

    # The manager line: CEO → division heads → department heads → team leads, with group leads
    # wherever one person would otherwise have more than MAX_REPORTS reports.
    for node in nodes:
        if not node.people:
            continue
        head, *staff = node.people
        if node is executive:
            pool = staff + [n.people[0] for n in nodes if n.level == 0 and n is not executive]
        else:
            pool = [c.people[0] for c in node.children if c.people] + staff
        _arrange(head, pool, set(staff), people)
    reports = defaultdict(int)
    for person in people:
        if person.manager is not None:
            reports[person.manager] += 1
    for i, person in enumerate(people):
        if reports[i] and not person.is_head:
            person.grade = max(person.grade, 3)

    # People who lead something get fitting titles; everyone else gets their role's.
    for i, person in enumerate(people):
        node = person.node
        family = FAMILIES[-1] if node.division < 0 else DIVISIONS[node.division][2]
        if not person.title:
            if person.is_head and node.level == 0:
                person.title = f"VP, {node.name}"
            elif person.is_head and node.level == 1:
                person.title = f"Head of {node.name}"
            elif person.is_head:
                person.title = f"Team Lead, {node.name}"
            else:
                person.title = GRADE_TITLES[person.grade].format(family)
        person.started_on = today - timedelta(days=rng.randrange(HISTORY_YEARS * 365))
        person.first, person.last = rng.choice(FIRST), rng.choice(LAST)
        person.email = f"{person.first}.{person.last}.{i}@{domain}".lower()
        person.language = rng.choice(LANGUAGES)
        person.has_role = rng.random() < 0.93 or person.is_head
    people[ceo].email = f"leader@{domain}"

    # HR admins: the head of the People division and a few people of its teams, the first of
    # whom is the returned HR admin (the founder, who is not a leader).
    people_division = next(n for n in nodes if n.level == 0 and n.name == "People")
    people_division_head = people_division.people[0]
    people[people_division_head].is_hr_admin = True
    hr_pool = [i for n in nodes if n.division == people_division.division and n.level == 2
               for i in n.people[1:]] or people_division.people[1:]
    hr = hr_pool[0]
    people[hr].email = f"hr@{domain}"
    people[hr].title = "HR Operations Manager"
    for i in rng.sample(hr_pool, min(len(hr_pool), max(3, members // 5000))):
        people[i].is_hr_admin = True
    people[hr].is_hr_admin = True

    # About 2 % have left: individual contributors only, so no one reports to a leaver.
    contributors = [i for i, p in enumerate(people)
                    if not reports[i] and not p.is_hr_admin and not p.is_leader]
    for i in rng.sample(contributors, min(len(contributors), round(members * 0.02))):
        people[i].is_active = False
    return _Plan(nodes=nodes, people=people, ceo=ceo, hr=hr)


def _arrange(head: int, pool: list[int], eligible: set[int], people: list[_Person]) -> None:
    """Put everyone in ``pool`` under ``head``: directly when they are few, else in groups of
    five to twelve, each led by one of the ``eligible`` (the team's own staff)."""
    if len(pool) <= MAX_REPORTS:
        for i in pool:
            people[i].manager = head
        return
    needed = min(MAX_REPORTS, math.ceil(len(pool) / 10))
    leads = [i for i in pool if i in eligible][:needed] or pool[:needed]
    chosen = set(leads)
    rest = [i for i in pool if i not in chosen]
    direct, rest = rest[:max(0, MIN_REPORTS - len(leads))], rest[max(0, MIN_REPORTS - len(leads)):]
    for i in leads + direct:
        people[i].manager = head
    for n, lead in enumerate(leads):
        _arrange(lead, rest[n::len(leads)], eligible, people)


# --- Writing helpers -----------------------------------------------------------------------------


def _set_column(model, column: str, sql_type: str, pairs: list[tuple]) -> None:
    """Set one column of many rows by id in one statement (``bulk_update`` builds a CASE per
    row; unnest of two arrays is a plain join)."""
    if not pairs:
        return
    # Table and column names come from the model; the values go as parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(column)
    ids, values = zip(*pairs, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {column} = v.value"
            f" FROM unnest(%s::bigint[], %s::{sql_type}[]) AS v(id, value) WHERE t.id = v.id",
            [list(ids), list(values)])


def _sql(statement: str, params: dict, seed: float) -> int:
    """Run one ``INSERT … SELECT`` after seeding ``random()``; returns the rows written.

    For the draws not to depend on the plan, every ``random()`` sits above a subquery sorted
    by id and fenced with ``OFFSET 0``: without the fence PostgreSQL pushes a ``WHERE
    random() < …`` down into the join, below the sort, and the rows drawn change with the
    statistics.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(statement, params)
        return cursor.rowcount


def _sql_seed(seed: int, salt: int) -> float:
    return ((seed * 7919 + salt * 104729) % 20001) / 10000.0 - 1.0


# --- Organisation, teams and people --------------------------------------------------------------


def _free_slug(members: int, seed: int) -> str:
    base = f"bench-{members}-{seed}"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _write_people(org: Organization, founder: User, plan: _Plan, adopted: date) -> None:
    for level in (0, 1, 2):
        nodes = [n for n in plan.nodes if n.level == level]
        teams = Team.objects_unscoped.bulk_create(
            [Team(organization=org, name=n.name, parent_id=n.parent.pk if n.parent else None)
             for n in nodes], batch_size=BATCH)
        for node, team in zip(nodes, teams, strict=True):
            node.pk = team.pk

    people = plan.people
    others = [i for i in range(len(people)) if i != plan.hr]
    users = User.objects.bulk_create(
        [User(email=people[i].email, password="!", first_name=people[i].first,
              last_name=people[i].last, language=people[i].language) for i in others],
        batch_size=BATCH)
    user_ids = {i: u.pk for i, u in zip(others, users, strict=True)}
    founder_membership = Membership.objects_unscoped.get(organization=org, user=founder)
    User.objects.filter(pk=founder.pk).update(first_name=people[plan.hr].first,
                                              last_name=people[plan.hr].last)
    memberships = Membership.objects_unscoped.bulk_create(
        [Membership(organization=org, user_id=user_ids[i], job_title=people[i].title,
                    team_id=people[i].node.pk, is_hr_admin=people[i].is_hr_admin,
                    is_leader=people[i].is_leader, is_active=people[i].is_active,
                    started_on=people[i].started_on) for i in others],
        batch_size=BATCH)
    for i, membership in zip(others, memberships, strict=True):
        people[i].pk = membership.pk
    hr = people[plan.hr]
    hr.pk = founder_membership.pk
    Membership.objects_unscoped.filter(pk=hr.pk).update(
        job_title=hr.title, team_id=hr.node.pk, is_hr_admin=True, is_leader=False,
        started_on=hr.started_on)
    _set_column(Membership, "manager_id", "bigint",
                [(p.pk, people[p.manager].pk) for p in people if p.manager is not None])
    # Joined Trellis when it was adopted two years ago, or on their first day if later: the
    # metrics count a member from the day they joined, so a snapshot of a past day needs it.
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE organizations_membership
               SET created_at = (greatest(started_on, %(adopted)s) + time '09:00')
                                AT TIME ZONE %(zone)s
             WHERE organization_id = %(org)s
        """, {"org": org.pk, "adopted": adopted, "zone": TIME_ZONE})


# --- Skills --------------------------------------------------------------------------------------


def _write_skills(org: Organization, plan: _Plan, rng: random.Random, today: date) -> dict:
    framework = Framework.objects_unscoped.create(
        organization=org, name="Career framework",
        description="Skills every role is described with, at five levels.")
    Level.objects_unscoped.bulk_create([
        Level(organization=org, framework=framework, rank=r, name=name)
        for r, name in enumerate(LEVELS, start=1)])
    categories = SkillCategory.objects_unscoped.bulk_create([
        SkillCategory(organization=org, framework=framework, name=name) for name, _s in SKILLS])
    skills_by_category: dict[str, list[Skill]] = {}
    for category, (name, names) in zip(categories, SKILLS, strict=True):
        skills_by_category[name] = Skill.objects_unscoped.bulk_create([
            Skill(organization=org, framework=framework, category=category, name=skill,
                  is_emerging=skill in ("Experimentation", "Cloud Infrastructure"))
            for skill in names])
    roles: dict[tuple[str, int], RoleProfile] = {}
    for family in FAMILIES:
        for grade in range(1, 7):
            roles[(family, grade)] = RoleProfile(
                organization=org, framework=framework, title=GRADE_TITLES[grade].format(family),
                family=family, track=GRADE_TRACKS[grade], grade=str(grade))
    RoleProfile.objects_unscoped.bulk_create(list(roles.values()))
    requirements = []
    for (family, grade), role in roles.items():
        wanted = (rng.sample(skills_by_category["Core"], 2)
                  + rng.sample(skills_by_category[family], 2)
                  + (rng.sample(skills_by_category["Leadership"], 1) if grade >= 4 else
                     rng.sample(skills_by_category[family], 1)))
        for n, skill in enumerate(dict.fromkeys(wanted)):
            requirements.append(RoleRequirement(
                organization=org, role=role, skill=skill, min_level=min(5, 1 + grade * 2 // 3),
                importance=Importance.CORE if n < 3 else Importance.DESIRABLE))
    RoleRequirement.objects_unscoped.bulk_create(requirements)

    links = []
    for person in plan.people:
        family = FAMILIES[-1] if person.node.division < 0 else DIVISIONS[person.node.division][2]
        role = roles[(family, person.grade)]
        person.role = role.pk
        if person.has_role:
            since = max(person.started_on, today - timedelta(days=rng.randrange(3 * 365)))
            links.append(MemberRole(organization=org, member_id=person.pk, role=role,
                                    since=since))
    MemberRole.objects_unscoped.bulk_create(links, batch_size=BATCH)
    return {"roles": roles, "skills": [s.pk for group in skills_by_category.values()
                                       for s in group]}


def _write_ratings(org: Organization, now: datetime, seed: int) -> int:
    # Most of each member's role requirements, and the odd skill outside them: about six each.
    return _sql("""
        INSERT INTO skills_skillrating (organization_id, member_id, skill_id, self_level,
                                        validated_level, updated_at)
        SELECT %(org)s, r.member_id, r.skill_id, r.self_level,
               CASE WHEN random() < 0.55
                    THEN greatest(1, least(5, r.self_level + floor(random() * 3)::int - 1)) END,
               %(now)s - random() * interval '700 days'
          FROM (SELECT c.member_id, c.skill_id,
                       greatest(1, least(5, coalesce(c.min_level, 2)
                                            + floor(random() * 3)::int - 1)) AS self_level
                  FROM (SELECT m.id AS member_id, s.id AS skill_id, rr.min_level,
                               rr.id IS NOT NULL AS required
                          FROM organizations_membership m
                          LEFT JOIN skills_memberrole mr ON mr.member_id = m.id
                         CROSS JOIN skills_skill s
                          LEFT JOIN skills_rolerequirement rr
                                 ON rr.role_id = mr.role_id AND rr.skill_id = s.id
                         WHERE m.organization_id = %(org)s AND s.organization_id = %(org)s
                         ORDER BY m.id, s.id OFFSET 0) c
                 WHERE random() < CASE WHEN c.required THEN 0.85 ELSE 0.04 END) r
    """, {"org": org.pk, "now": now}, _sql_seed(seed, 1))


# --- Conversations -------------------------------------------------------------------------------


def _write_conversations(org: Organization, plan: _Plan, rng: random.Random, now: datetime,
                         seed: int, days: int = CONVERSATION_DAYS) -> int:
    # Zero to four per member with a manager, over the last 18 months and the next month: most
    # of the past ones held, some cancelled, a few never logged; the future ones scheduled.
    written = _sql("""
        INSERT INTO conversations_conversation (
            organization_id, member_id, partner_id, partner_kind, scheduled_at,
            duration_minutes, location, video_url, status, held_at, cancelled_at,
            cancel_reason, shared_notes, scheduled_by_id, created_at, updated_at)
        SELECT %(org)s, c.member_id, c.manager_id, 'manager', c.at, c.minutes, '', '',
               c.status,
               CASE WHEN c.status = 'held' THEN c.at + c.minutes * interval '1 minute' END,
               CASE WHEN c.status = 'cancelled' THEN c.at - interval '2 days' END,
               CASE WHEN c.status = 'cancelled' THEN 'Moved to next month' ELSE '' END,
               CASE WHEN c.status = 'held' AND random() < 0.5
                    THEN 'Talked about next steps and a stretch project.' ELSE '' END,
               c.manager_id, c.at - interval '12 days', least(%(now)s, c.at + interval '1 day')
          FROM (SELECT s.member_id, s.manager_id, s.at,
                       (ARRAY[30, 45, 45, 60])[1 + floor(random() * 4)::int] AS minutes,
                       CASE WHEN s.at > %(now)s
                            THEN CASE WHEN random() < 0.05 THEN 'cancelled' ELSE 'scheduled' END
                            ELSE CASE WHEN random() < 0.88 THEN 'held'
                                      WHEN random() < 0.75 THEN 'cancelled'
                                      ELSE 'scheduled' END
                       END AS status
                  FROM (SELECT p.member_id, p.manager_id,
                               date_trunc('hour', %(now)s - %(past)s * interval '1 day'
                                   + random() * %(span)s * interval '1 day') AS at
                          FROM (SELECT m.member_id, m.manager_id, n
                                  FROM (SELECT o.member_id, o.manager_id,
                                               floor(random() * 5)::int AS k
                                          FROM (SELECT id AS member_id, manager_id
                                                  FROM organizations_membership
                                                 WHERE organization_id = %(org)s
                                                   AND manager_id IS NOT NULL
                                                 ORDER BY id OFFSET 0) o) m
                                 CROSS JOIN LATERAL generate_series(1, m.k) AS n
                                 ORDER BY m.member_id, n OFFSET 0) p) s) c
    """, {"org": org.pk, "now": now, "past": days, "span": days + 30},
        _sql_seed(seed, 2))
    # Outcomes of about 60 % of the held ones, rated the day after, mostly favourably.
    _sql("""
        INSERT INTO conversations_outcome (organization_id, conversation_id, direction,
                                           self_insight, options, confidence, comment, rated_at)
        SELECT %(org)s, c.id,
               (ARRAY[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + floor(random() * 10)::int],
               (ARRAY[2, 3, 3, 4, 4, 4, 4, 5, 5, 5])[1 + floor(random() * 10)::int],
               (ARRAY[1, 2, 2, 3, 3, 3, 4, 4, 5, 5])[1 + floor(random() * 10)::int],
               (ARRAY[2, 3, 3, 4, 4, 4, 5, 5, 5, 5])[1 + floor(random() * 10)::int],
               '', least(%(now)s, c.held_at + interval '1 day')
          FROM (SELECT id, held_at FROM conversations_conversation
                 WHERE organization_id = %(org)s AND status = 'held'
                 ORDER BY id OFFSET 0) c
         WHERE random() < 0.6
    """, {"org": org.pk, "now": now}, _sql_seed(seed, 3))
    # A few members on their own cadence, set by their manager.
    chosen = rng.sample([p for p in plan.people if p.manager is not None],
                        max(2, len(plan.people) // 500))
    MemberCadence.objects_unscoped.bulk_create([
        MemberCadence(organization=org, member_id=p.pk, days=rng.choice((60, 60, 180)),
                      set_by_id=plan.people[p.manager].pk) for p in chosen])
    return written


# --- Careers -------------------------------------------------------------------------------------


def _write_careers(org: Organization, roles_and_skills: dict, now: datetime, seed: int) -> None:
    template = reflection_template_current(organization=org)
    params = {"org": org.pk, "now": now, "template": template.pk,
              "answers": list(REFLECTION_ANSWERS), "n_answers": len(REFLECTION_ANSWERS),
              "skills": roles_and_skills["skills"], "n_skills": len(roles_and_skills["skills"]),
              "titles": list(ACTION_TITLES), "n_titles": len(ACTION_TITLES),
              "kinds": list(ActionKind.values), "n_kinds": len(ActionKind.values)}
    # A reflection for about 40 % of members, started in the last two years.
    _sql("""
        INSERT INTO careers_reflection (organization_id, member_id, template_id, title,
                                        created_at, updated_at)
        SELECT %(org)s, r.id, %(template)s, '', r.at,
               least(%(now)s, r.at + random() * interval '60 days')
          FROM (SELECT m.id, %(now)s - random() * interval '730 days' AS at
                  FROM (SELECT id FROM organizations_membership
                         WHERE organization_id = %(org)s ORDER BY id OFFSET 0) m
                 WHERE random() < 0.4) r
    """, params, _sql_seed(seed, 4))
    # About three answered prompts in each.
    _sql("""
        WITH prompts AS (
            SELECT p.id FROM careers_reflectionprompt p
              JOIN careers_reflectionarea a ON a.id = p.area_id
             WHERE a.template_id = %(template)s)
        INSERT INTO careers_reflectionanswer (organization_id, reflection_id, prompt_id, text,
                                              updated_at)
        SELECT %(org)s, x.reflection_id, x.prompt_id,
               (%(answers)s::text[])[1 + floor(random() * %(n_answers)s)::int],
               x.created_at + (x.updated_at - x.created_at) * random()
          FROM (SELECT r.id AS reflection_id, p.id AS prompt_id, r.created_at, r.updated_at
                  FROM careers_reflection r CROSS JOIN prompts p
                 WHERE r.organization_id = %(org)s
                 ORDER BY r.id, p.id OFFSET 0) x
         WHERE random() < (SELECT 3.0 / greatest(1, count(*)) FROM prompts)
    """, params, _sql_seed(seed, 5))
    # Development plans: about 60 % of members, one to five actions each (three on average);
    # done ones in the last two years, with their hours.
    _sql("""
        INSERT INTO careers_developmentaction (
            organization_id, member_id, title, kind, skill_id, due_date, hours, status,
            evidence, completed_at, shared_with_manager, created_at)
        SELECT %(org)s, a.member_id,
               (%(titles)s::text[])[1 + floor(random() * %(n_titles)s)::int],
               (%(kinds)s::text[])[1 + floor(random() * %(n_kinds)s)::int],
               CASE WHEN random() < 0.8
                    THEN (%(skills)s::bigint[])[1 + floor(random() * %(n_skills)s)::int] END,
               (a.created_at + interval '30 days' + random() * interval '150 days')::date,
               round((1 + random() * 39)::numeric, 1),
               a.status, '', a.done_at, random() < 0.85, a.created_at
          FROM (SELECT d.member_id, d.status,
                       CASE WHEN d.status = 'done' THEN d.done_at END AS done_at,
                       CASE WHEN d.status = 'done'
                            THEN d.done_at - random() * interval '120 days'
                            ELSE %(now)s - random() * interval '400 days' END AS created_at
                  FROM (SELECT p.member_id,
                               %(now)s - random() * interval '730 days' AS done_at,
                               (ARRAY['planned', 'planned', 'planned', 'in_progress',
                                      'in_progress', 'done', 'done', 'done', 'done',
                                      'cancelled'])[1 + floor(random() * 10)::int] AS status
                          FROM (SELECT m.id AS member_id, n
                                  FROM (SELECT o.id, 1 + floor(random() * 5)::int AS k
                                          FROM (SELECT id FROM organizations_membership
                                                 WHERE organization_id = %(org)s
                                                 ORDER BY id OFFSET 0) o
                                         WHERE random() < 0.6) m
                                 CROSS JOIN LATERAL generate_series(1, m.k) AS n
                                 ORDER BY m.id, n OFFSET 0) p) d) a
    """, params, _sql_seed(seed, 6))


# --- HR: moves, opportunities, succession, champions, survey -------------------------------------


def _write_moves(org: Organization, plan: _Plan, roles: dict, rng: random.Random,
                 today: date) -> int:
    people, hr_pk = plan.people, plan.people[plan.hr].pk
    leaves_by_division = defaultdict(list)
    for node in plan.nodes:
        if node.level == 2:
            leaves_by_division[node.division].append(node.pk)
    divisions = sorted(leaves_by_division)
    recent = today - timedelta(days=RECENT_DAYS)
    moves = []

    def move(person: _Person, kind: str, on: date, **kwargs) -> None:
        moves.append(Move(organization=org, member_id=person.pk, kind=kind, effective_on=on,
                          recorded_by_id=hr_pk, **kwargs))

    for person in people:
        family_grade = (FAMILIES[-1] if person.node.division < 0
                        else DIVISIONS[person.node.division][2], person.grade)
        role = roles[family_grade]
        if person.started_on >= recent:
            move(person, MoveKind.HIRE, person.started_on, to_role=role, to_grade=role.grade,
                 to_team_id=person.node.pk, source=MoveSource.IMPORT)
        earliest = max(recent, person.started_on + timedelta(days=180))
        span = (today - earliest).days
        if not person.is_active:
            on = max(person.started_on, today - timedelta(days=rng.randrange(RECENT_DAYS)))
            move(person, MoveKind.EXIT, on, from_role=role, from_grade=role.grade,
                 from_team_id=person.node.pk, source=MoveSource.IMPORT,
                 regretted=rng.choice((True, False, False, None)))
            continue
        if span <= 30:
            continue
        on = earliest + timedelta(days=rng.randrange(span))
        draw = rng.random()
        if draw < 0.05 and person.grade > 1:
            lower = roles[(family_grade[0], person.grade - 1)]
            move(person, MoveKind.PROMOTION, on, from_role=lower, to_role=role,
                 from_grade=lower.grade, to_grade=role.grade, from_team_id=person.node.pk,
                 to_team_id=person.node.pk, is_internal_fill=rng.random() < 0.5)
        elif draw < 0.075 and person.node.division >= 0:
            source = rng.choice(leaves_by_division[person.node.division])
            move(person, MoveKind.LATERAL, on, from_role=role, to_role=role,
                 from_grade=role.grade, to_grade=role.grade, from_team_id=source,
                 to_team_id=person.node.pk, is_internal_fill=rng.random() < 0.5)
        elif draw < 0.085 and person.node.division >= 0:
            other = rng.choice([d for d in divisions if d != person.node.division])
            other_role = roles[(DIVISIONS[other][2], person.grade)]
            move(person, MoveKind.CROSS_FUNCTIONAL, on, from_role=other_role, to_role=role,
                 from_grade=other_role.grade, to_grade=role.grade,
                 from_team_id=rng.choice(leaves_by_division[other]), to_team_id=person.node.pk,
                 is_internal_fill=rng.random() < 0.5)
    Move.objects_unscoped.bulk_create(moves, batch_size=BATCH)
    return len(moves)


def _write_opportunities(org: Organization, plan: _Plan, roles: dict, rng: random.Random,
                         now: datetime) -> None:
    people = plan.people
    active = [p for p in people if p.is_active]
    managers = [p for p in people if p.is_head]
    leaves = [n for n in plan.nodes if n.level == 2]
    role_list = list(roles.values())
    made, created = [], []
    for n in range(max(4, len(people) // 100)):
        kind = rng.choices(OpportunityKind.values, weights=(50, 25, 15, 10))[0]
        status = rng.choices(OpportunityStatus.values, weights=(8, 35, 42, 15))[0]
        team = rng.choice(leaves)
        role = rng.choice(role_list) if kind == OpportunityKind.ROLE else None
        opening = Opportunity(
            organization=org, kind=kind, team_id=team.pk, role=role, status=status,
            title=f"{role.title}, {team.name}" if role else f"{kind.title()} {n + 1}: {team.name}",
            description="An opening posted for the benchmark organisation.",
            posted_by_id=rng.choice(managers).pk,
            time_share=rng.choice((10, 20, 50)) if kind != OpportunityKind.ROLE else None,
            duration_weeks=rng.choice((4, 8, 12)) if kind != OpportunityKind.ROLE else None)
        opened = now - timedelta(days=rng.randrange(60))
        if status == OpportunityStatus.FILLED:
            opening.filled_at = now - timedelta(days=rng.randrange(RECENT_DAYS),
                                                hours=rng.randrange(24))
            opening.filled_internally = kind != OpportunityKind.ROLE or rng.random() < 0.6
            if opening.filled_internally:
                opening.filled_by_id = rng.choice(active).pk
            opened = opening.filled_at - timedelta(days=rng.randint(20, 90))
        elif status == OpportunityStatus.CLOSED:
            opened = now - timedelta(days=rng.randint(60, RECENT_DAYS))
        opening.starts_on = (opened + timedelta(days=rng.randint(30, 90))).date()
        opening.closes_on = (opened + timedelta(days=rng.randint(14, 30))).date()
        made.append(opening)
        created.append(opened)
    Opportunity.objects_unscoped.bulk_create(made, batch_size=BATCH)
    _set_column(Opportunity, "created_at", "timestamptz",
                [(o.pk, at) for o, at in zip(made, created, strict=True)])


def _write_succession(org: Organization, plan: _Plan, rng: random.Random,
                      now: datetime) -> None:
    people, hr_pk = plan.people, plan.people[plan.hr].pk
    reports_of = defaultdict(list)
    for person in people:
        if person.manager is not None and person.is_active:
            reports_of[person.manager].append(person)
    holders = [i for i, p in enumerate(people) if p.is_head and p.role is not None]
    chosen = rng.sample(holders, min(len(holders), max(2, len(people) // 200)))
    positions, created = [], []
    for i in chosen:
        holder = people[i]
        positions.append(KeyPosition(
            organization=org, role_id=holder.role, team_id=holder.node.pk, incumbent_id=holder.pk,
            title=holder.title, criticality=rng.choices(Criticality.values, weights=(3, 5, 2))[0],
            created_by_id=hr_pk, is_active=rng.random() < 0.95))
        created.append(now - timedelta(days=rng.randrange(3 * 365)))
    KeyPosition.objects_unscoped.bulk_create(positions, batch_size=BATCH)
    _set_column(KeyPosition, "created_at", "timestamptz",
                [(p.pk, at) for p, at in zip(positions, created, strict=True)])
    nominations = []
    for i, position in zip(chosen, positions, strict=True):
        holder = people[i]
        candidates = reports_of[i]
        by = people[holder.manager].pk if holder.manager is not None else hr_pk
        for candidate in rng.sample(candidates, min(len(candidates), rng.randint(0, 4))):
            nominations.append(SuccessorNomination(
                organization=org, position=position, candidate_id=candidate.pk,
                readiness=rng.choices(Readiness.values, weights=(30, 45, 25))[0],
                nominated_by_id=by))
    SuccessorNomination.objects_unscoped.bulk_create(nominations, batch_size=BATCH)


def _write_champions(org: Organization, plan: _Plan, rng: random.Random, today: date,
                     now: datetime) -> None:
    people, hr_pk = plan.people, plan.people[plan.hr].pk
    active = [p for p in people if p.is_active]
    picked = rng.sample(active, min(len(active), max(2, len(people) // 250) * 11 // 10))
    champions = []
    for n, person in enumerate(picked):
        since = max(person.started_on, today - timedelta(days=rng.randrange(RECENT_DAYS)))
        ended = None
        if n % 11 == 10:  # one in eleven stepped down
            ended = now - timedelta(days=rng.randrange(max(1, (today - since).days)))
        champions.append(Champion(
            organization=org, member_id=person.pk, since=since, confirmed_by_id=hr_pk,
            statement="Happy to talk careers, mentoring and internal moves.", ended_at=ended))
    Champion.objects_unscoped.bulk_create(champions, batch_size=BATCH)


def _write_survey(org: Organization, plan: _Plan, rng: random.Random, now: datetime) -> None:
    """One closed organisation-wide survey with its final index and career eNPS, overall and
    per team, suppressed as ``health_suppression`` decides for small teams."""
    people = plan.people
    k = org.survey_anonymity_threshold
    closed = now - timedelta(days=40)
    invited_by_team = defaultdict(int)
    for person in people:
        if person.is_active:
            invited_by_team[person.node.pk] += 1
    answered = {team: round(n * rng.uniform(0.55, 0.9)) for team, n in invited_by_team.items()}
    answered = {team: n for team, n in answered.items() if n}
    survey = Survey.objects_unscoped.create(
        organization=org, mode=SurveyMode.SURVEY, title="Career culture check",
        status=SurveyStatus.CLOSED, opens_at=closed - timedelta(days=21), closes_at=closed,
        min_group_size=k, invited_count=sum(invited_by_team.values()),
        response_count=sum(answered.values()), created_by_id=people[plan.hr].pk,
        launched_at=closed - timedelta(days=21), closed_at=closed, scored_at=closed)
    reasons = health_suppression.suppress_partition(answered, k)
    rows = []

    def score(kind, key, measure, respondents, value, mean=None, reason=""):
        if reason:
            respondents = value = mean = None
        rows.append(SurveyScore(
            organization=org, survey=survey, slice_kind=kind, slice_key=key, measure=measure,
            respondents=respondents, value=value, mean=mean, suppressed=reason, is_final=True,
            computed_at=closed))

    index_sum = enps_sum = 0.0
    for team, n in sorted(answered.items()):
        index = rng.uniform(45, 80)
        enps = rng.uniform(-35, 45)
        index_sum += index * n
        enps_sum += enps * n
        score(ScoreSlice.TEAM, str(team), "index", n, index, reason=reasons[team])
        score(ScoreSlice.TEAM, str(team), "enps", n, enps, mean=6 + enps / 25,
              reason=reasons[team])
    total = sum(answered.values())
    score(ScoreSlice.OVERALL, "", "index", total, index_sum / total)
    score(ScoreSlice.OVERALL, "", "enps", total, enps_sum / total, mean=6 + enps_sum / total / 25)
    score(ScoreSlice.OVERALL, "", "response_rate", total, 100 * total / survey.invited_count)
    SurveyScore.objects_unscoped.bulk_create(rows, batch_size=BATCH)


def _write_goals(org: Organization, plan: _Plan, today: date) -> None:
    """The leaders' targets for this year, for the organisation and each division."""
    ceo = plan.people[plan.ceo].pk
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    goals = [MetricGoal(organization=org, metric=metric, comparison=comparison, target=target,
                        starts_on=start, ends_on=end, created_by_id=ceo)
             for metric, comparison, target in (
                 ("conversation_coverage", "at_least", 80), ("internal_fill_rate", "at_least", 50),
                 ("training_hours", "at_least", 20),
                 ("overdue_conversations", "at_most", max(5, len(plan.people) // 4)),
                 ("internal_promotion_rate", "at_least", 8))]
    goals += [MetricGoal(organization=org, metric="conversation_coverage", target=75,
                         team_id=node.pk, starts_on=start, ends_on=end, created_by_id=ceo)
              for node in plan.nodes if node.level == 0 and node.division >= 0]
    MetricGoal.objects_unscoped.bulk_create(goals)


def _write_check_ins(org: Organization, now: datetime, seed: int) -> int:
    """Skills check-ins against each member's role over the last two years: about half the
    members with a role have one (a few a second, older one); most are validated by their
    manager, some wait for the manager, a few are drafts. Each copies the role's requirements
    as its items, with the member's and (once validated) the manager's levels."""
    written = _sql("""
        INSERT INTO skills_checkin (organization_id, member_id, role_id, role_title, status,
                                    created_at, submitted_at, validated_at, validated_by_id,
                                    manager_comment)
        SELECT %(org)s, c.member_id, c.role_id, c.title, c.status, c.at,
               CASE WHEN c.status <> 'draft' THEN c.at + interval '3 days' END,
               CASE WHEN c.status = 'validated' THEN c.at + interval '10 days' END,
               CASE WHEN c.status = 'validated' THEN c.manager_id END,
               CASE WHEN c.status = 'validated' AND random() < 0.4
                    THEN 'Good progress; let us pick one skill to stretch next.' ELSE '' END
          FROM (SELECT s.member_id, s.role_id, s.title, s.manager_id,
                       %(now)s - (s.n * 300 + random() * 280) * interval '1 day' AS at,
                       CASE WHEN s.manager_id IS NULL OR random() < 0.05 THEN 'draft'
                            WHEN random() < 0.15 THEN 'submitted'
                            ELSE 'validated' END AS status
                  FROM (SELECT m.member_id, m.role_id, m.title, m.manager_id, n
                          FROM (SELECT o.*, CASE WHEN random() < 0.15 THEN 2 ELSE 1 END AS k
                                  FROM (SELECT mb.id AS member_id, mr.role_id, rp.title,
                                               mb.manager_id
                                          FROM organizations_membership mb
                                          JOIN skills_memberrole mr ON mr.member_id = mb.id
                                          JOIN skills_roleprofile rp ON rp.id = mr.role_id
                                         WHERE mb.organization_id = %(org)s AND mb.is_active
                                         ORDER BY mb.id OFFSET 0) o
                                 WHERE random() < 0.5) m
                         CROSS JOIN LATERAL generate_series(0, m.k - 1) AS n
                         ORDER BY m.member_id, n OFFSET 0) s) c
    """, {"org": org.pk, "now": now}, _sql_seed(seed, 7))
    _sql("""
        INSERT INTO skills_checkinitem (organization_id, check_in_id, skill_id, skill_name,
                                        required_level, importance, self_level, manager_level,
                                        comment)
        SELECT %(org)s, x.check_in_id, x.skill_id, x.name, x.min_level, x.importance,
               x.self_level,
               CASE WHEN x.status = 'validated'
                    THEN greatest(1, least(5, x.self_level + floor(random() * 3)::int - 1)) END,
               ''
          FROM (SELECT y.*, greatest(1, least(5, coalesce(y.min_level, 2)
                                                 + floor(random() * 3)::int - 1)) AS self_level
                  FROM (SELECT c.id AS check_in_id, c.status, rr.skill_id, sk.name,
                               rr.min_level, rr.importance
                          FROM skills_checkin c
                          JOIN skills_rolerequirement rr ON rr.role_id = c.role_id
                          JOIN skills_skill sk ON sk.id = rr.skill_id
                         WHERE c.organization_id = %(org)s
                         ORDER BY c.id, rr.skill_id OFFSET 0) y) x
    """, {"org": org.pk}, _sql_seed(seed, 8))
    return written


def generate_health_check(org: Organization, *, respondents: int, seed: int = 1,
                          questions: int = 30) -> Survey:
    """A finished health check of ``org`` with real answers, ready to be scored.

    One closed survey of the shipped question set, repeated up to ``questions`` scored
    questions (the eNPS question last), every active member invited, ``respondents`` of them
    (chosen at random, at most all) answering every question: their team and tenure band are
    theirs, their answers drawn in the database in one ``INSERT … SELECT`` (seeded). The
    scores are not computed here: run ``health_scoring.survey_score(final=True)``.
    """
    from hr_admin import health_content
    from hr_admin.models import HealthQuestionKind, SurveyQuestion

    now = timezone.now()
    closed = now - timedelta(days=10)
    hr = (Membership.objects_unscoped.filter(organization=org, is_hr_admin=True, is_active=True)
          .order_by("pk").first())
    invited = Membership.objects_unscoped.filter(organization=org, is_active=True).count()
    respondents = min(respondents, invited)
    likert = [q for q in health_content.QUESTIONS if q[2] == HealthQuestionKind.LIKERT]
    enps = [q for q in health_content.QUESTIONS if q[2] == HealthQuestionKind.ENPS]
    repeats = -(-(questions - 1) // len(likert))
    chosen = (likert * repeats)[:questions - 1] + enps[:1]
    with transaction.atomic():
        survey = Survey.objects_unscoped.create(
            organization=org, mode=SurveyMode.SURVEY, title=HEALTH_CHECK_TITLE,
            status=SurveyStatus.CLOSED, opens_at=closed - timedelta(days=21), closes_at=closed,
            min_group_size=org.survey_anonymity_threshold, invited_count=invited,
            response_count=respondents, created_by=hr, launched_at=closed - timedelta(days=21),
            closed_at=closed)
        SurveyQuestion.objects_unscoped.bulk_create([
            SurveyQuestion(organization=org, survey=survey,
                           key=key if n < len(likert) or kind != HealthQuestionKind.LIKERT
                           else f"{key}-{n}",
                           dimension=dim, kind=kind, text=str(text)[:300], position=n)
            for n, (key, dim, kind, text) in enumerate(chosen)])
        params = {"org": org.pk, "survey": survey.pk, "respondents": respondents,
                  "invited_at": closed - timedelta(days=21), "today": timezone.localdate(now)}
        _sql("""
            INSERT INTO hr_admin_surveyparticipation (organization_id, survey_id, member_id,
                                                      has_responded, invited_at, reminder_count)
            SELECT %(org)s, %(survey)s, p.id, p.rank <= %(respondents)s, %(invited_at)s, 0
              FROM (SELECT o.id, row_number() OVER (ORDER BY o.draw, o.id) AS rank
                      FROM (SELECT id, random() AS draw FROM organizations_membership
                             WHERE organization_id = %(org)s AND is_active
                             ORDER BY id OFFSET 0) o) p
        """, params, _sql_seed(seed, 9))
        _sql("""
            INSERT INTO hr_admin_surveyresponse (id, organization_id, survey_id, team_id,
                                                 tenure_band)
            SELECT gen_random_uuid(), %(org)s, %(survey)s, m.team_id,
                   CASE WHEN m.started_on IS NULL THEN 'unknown'
                        WHEN m.started_on > %(today)s - 365 THEN 'lt1'
                        WHEN m.started_on > %(today)s - 3 * 365 THEN '1to3'
                        WHEN m.started_on > %(today)s - 5 * 365 THEN '3to5'
                        ELSE 'gt5' END
              FROM hr_admin_surveyparticipation p
              JOIN organizations_membership m ON m.id = p.member_id
             WHERE p.survey_id = %(survey)s AND p.has_responded
        """, params, _sql_seed(seed, 10))
        # A team's answers lean one way or the other, so the results differ between teams.
        _sql("""
            INSERT INTO hr_admin_surveyanswer (id, organization_id, response_id, question_id,
                                               value)
            SELECT gen_random_uuid(), %(org)s, x.response_id, x.question_id,
                   CASE WHEN x.kind = 'enps'
                        THEN greatest(0, least(10, round(x.lean * 4 + 6 + random() * 6 - 3)))
                        ELSE greatest(1, least(5, round(x.lean * 2 + 3.3 + random() * 3 - 1.5)))
                   END
              FROM (SELECT r.id AS response_id, q.id AS question_id, q.kind,
                           sin(coalesce(r.team_id, 0) * 1.7) * 0.5 AS lean
                      FROM hr_admin_surveyresponse r
                     CROSS JOIN hr_admin_surveyquestion q
                     WHERE r.survey_id = %(survey)s AND q.survey_id = %(survey)s
                     ORDER BY r.id, q.id OFFSET 0) x
        """, params, _sql_seed(seed, 11))
        # Scoring aggregates a million rows: without statistics the planner guesses badly.
        with connection.cursor() as cursor:
            for table in ("hr_admin_surveyparticipation", "hr_admin_surveyresponse",
                          "hr_admin_surveyanswer", "hr_admin_surveyquestion"):
                cursor.execute(f"ANALYZE {table}")
    return survey


def analyze_tables() -> None:
    """Refresh the planner's statistics of every table the generator writes."""
    with connection.cursor() as cursor:
        for table in TOUCHED_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


TOUCHED_TABLES = (
    "organizations_team", "organizations_user", "organizations_membership", "skills_skill",
    "skills_roleprofile", "skills_rolerequirement", "skills_memberrole", "skills_skillrating",
    "conversations_conversation", "conversations_outcome", "conversations_membercadence",
    "careers_reflection", "careers_reflectionanswer", "careers_developmentaction",
    "hr_admin_move", "hr_admin_opportunity", "hr_admin_keyposition",
    "hr_admin_successornomination", "hr_admin_champion", "hr_admin_survey",
    "hr_admin_surveyscore", "hr_admin_metricgoal", "skills_checkin", "skills_checkinitem",
    "hr_admin_surveyquestion", "hr_admin_surveyparticipation", "hr_admin_surveyresponse",
    "hr_admin_surveyanswer",
)


def generate_organization(members: int = 50_000, *, seed: int = 1, slug: str | None = None,
                          conversation_days: int = CONVERSATION_DAYS, check_ins: bool = False,
                          analyze: bool = True) -> Generated:
    """Make a fresh organisation of ``members`` members (at least 50) with its history.

    Deterministic for a given ``members`` and ``seed``; ``slug`` defaults to
    ``bench-<members>-<seed>`` (with a suffix when taken). Everyone's email is at
    ``<slug>.example``; the returned leader is ``leader@…`` (the chief executive) and the HR
    admin ``hr@…`` (who created the organisation). Statistics are refreshed at the end, as
    autovacuum would have done long before anyone reads tables this size; ``analyze=False``
    leaves that to the caller (``seed_scale`` makes hundreds of small organisations and
    analyses once). ``conversation_days`` is how far back conversations go; ``check_ins`` adds
    skills check-ins (``_write_check_ins``).
    """
    if members < MIN_MEMBERS:
        raise ValueError(f"generate at least {MIN_MEMBERS} members")
    started = time.perf_counter()
    rng = random.Random(f"trellis-bench:{members}:{seed}")
    zone = zoneinfo.ZoneInfo(TIME_ZONE)
    now = timezone.now()
    today = timezone.localtime(now, zone).date()
    with transaction.atomic():
        slug = slug or _free_slug(members, seed)
        domain = f"{slug}.example"
        founder = User.objects.create_user(email=f"hr@{domain}", password=None)
        org = organization_create(name=f"Bench {members:,} ({seed})", slug=slug,
                                  founder=founder, time_zone=TIME_ZONE)
        plan = _plan(members, rng, today, domain)
        _write_people(org, founder, plan, adopted=today - timedelta(days=RECENT_DAYS))
        roles_and_skills = _write_skills(org, plan, rng, today)
        _write_ratings(org, now, seed)
        _write_conversations(org, plan, rng, now, seed, conversation_days)
        _write_careers(org, roles_and_skills, now, seed)
        _write_moves(org, plan, roles_and_skills["roles"], rng, today)
        _write_opportunities(org, plan, roles_and_skills["roles"], rng, now)
        _write_succession(org, plan, rng, now)
        _write_champions(org, plan, rng, today, now)
        _write_survey(org, plan, rng, now)
        _write_goals(org, plan, today)
        if check_ins:
            _write_check_ins(org, now, seed)
    if analyze:
        analyze_tables()
    leader = Membership.objects_unscoped.select_related("user").get(
        organization=org, pk=plan.people[plan.ceo].pk)
    hr = Membership.objects_unscoped.select_related("user").get(
        organization=org, pk=plan.people[plan.hr].pk)
    return Generated(organization=org, leader=leader, hr=hr,
                     teams=sum(1 for n in plan.nodes if n.pk is not None),
                     members=len(plan.people), seconds=time.perf_counter() - started)
