"""Demo data for hr_admin: career moves.

Runs for each demo organisation when ``seed_demo`` sends ``demo_organization_seeded`` (after the
skills demo has given people their role profiles; inside its transaction and
``cross_organization``). Every member gets their hire on their start date. About one in seven
with a career path into their current role moved along it over the past two years (a
promotion, a lateral or a cross-functional move, from another team for the latter), and a few
changed team within their function; the demo employee was promoted fourteen months ago. Acme
also has four former members, each with a hire and an exit.

Idempotent: a member who already has any move gets none (so moves recorded through the
application are left alone), and former members are looked up by email. Choices come from
``random.Random`` seeded per organisation and person, so every installation gets the same
history (dated relative to the day it is seeded).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations import tenancy
from organizations.models import Membership, Organization, Team, User
from skills.demo import role_title_for
from skills.models import CareerPath, MemberRole, RoleProfile

from .models import Move, MoveKind, MoveSource
from .services.moves import moves_bulk_create, root_team_id

SEED = "trellis-moves-demo"
#: Share of members with a path into their role who moved along it.
PATH_MOVE_SHARE = 0.15
#: Share of the others who changed team within their function.
TEAM_MOVE_SHARE = 0.06
#: How far back moves (other than hires) go.
HISTORY_DAYS = 730

# People who have left: first name, last name, job title, team, their manager's job title, and
# how many days ago they started and left. Titles and teams are those of ``seed_demo`` (the same
# messages), read in the organisation's language.
FORMER_MEMBERS = {
    "acme": (
        ("Marta", "Kowalczyk", _("Account Executive"), _("EMEA"),
         _("Sales Manager, UK & Ireland"), 1500, 120),
        ("Tobias", "Lindgren", _("Software Engineer"), _("Product Engineering"),
         _("Engineering Manager, Growth"), 1100, 260),
        ("Aisha", "Bello", _("Customer Support Specialist"), _("Operations"),
         _("Customer Support Manager, EMEA"), 900, 400),
        ("Hugo", "Renard", _("Marketing Specialist"), _("Marketing"),
         _("Brand & Content Manager"), 1300, 560),
    ),
}


def seed(sender, organization, **kwargs) -> None:
    """Receiver of ``demo_organization_seeded``; idempotent."""
    seed_organization_moves(organization)


def seed_organization_moves(organization: Organization) -> dict:
    """The moves of one demo organisation that are still missing. Returns how many were made."""
    org = organization
    with tenancy.organization_scope(org):
        formers = _former_members(org)
        roles = {r.pk: r for r in RoleProfile.objects.for_org(org)}
        titles = {r.title: r for r in roles.values()}
        paths_into: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for from_id, to_id, kind in (CareerPath.objects.for_org(org).order_by("pk")
                                     .values_list("from_role_id", "to_role_id", "kind")):
            paths_into[to_id].append((from_id, kind))
        role_of = dict(MemberRole.objects.for_org(org).values_list("member_id", "role_id"))
        teams = {t.pk: t for t in Team.objects.for_org(org).order_by("pk")}
        moved = set(Move.objects.for_org(org).values_list("member_id", flat=True).distinct())
        members = list(Membership.objects.for_org(org).select_related("user")
                       .order_by("pk"))
        today = timezone.localdate()
        rows: list[Move] = []
        for member in members:
            if member.pk in moved:
                continue
            rng = random.Random(f"{SEED}:{org.slug}:{member.user.email}")
            if member.pk in formers:
                started, left = formers[member.pk]
                role = titles.get(role_title_for(member.job_title, set(titles)) or "")
                rows += _former_story(member, role, started, left)
                continue
            role = roles.get(role_of.get(member.pk))
            rows += _story(member, role, roles, paths_into, teams, rng, today)
        made = moves_bulk_create(organization=org, moves=rows)
    return {"moves": made, "former_members": len(formers)}


def _move(member, kind, on, *, from_role=None, to_role=None, from_team=None, to_team=None):
    return Move(member=member, kind=kind, effective_on=on, from_role=from_role,
                to_role=to_role, from_grade=from_role.grade if from_role else "",
                to_grade=to_role.grade if to_role else "", from_team_id=from_team,
                to_team_id=to_team, source=MoveSource.DEMO)


def _story(member: Membership, role: RoleProfile | None, roles: dict, paths_into: dict,
           teams: dict, rng: random.Random, today: date) -> list[Move]:
    started = member.started_on or today - timedelta(days=400)
    earliest = max(started + timedelta(days=180), today - timedelta(days=HISTORY_DAYS))
    latest = today - timedelta(days=30)
    can_move = earliest < latest
    team_id = member.team_id

    def when() -> date:
        return earliest + timedelta(days=rng.randrange((latest - earliest).days))

    if member.user.email.startswith("employee@") and role is not None and can_move:
        earlier = [roles[f] for f, kind in paths_into.get(role.pk, ()) if kind == "promotion"]
        if earlier:
            on = max(earliest, today - timedelta(days=425))
            return [_move(member, MoveKind.HIRE, started, to_role=earlier[0], to_team=team_id),
                    _move(member, MoveKind.PROMOTION, on, from_role=earlier[0], to_role=role,
                          from_team=team_id, to_team=team_id)]
    draw = rng.random()
    paths = paths_into.get(role.pk, []) if role is not None else []
    if can_move and paths and draw < PATH_MOVE_SHARE:
        from_id, kind = paths[rng.randrange(len(paths))]
        from_role = roles[from_id]
        from_team = team_id
        if kind == MoveKind.CROSS_FUNCTIONAL:
            elsewhere = [t for t in teams.values()
                         if root_team_id(t, teams) != root_team_id(teams.get(team_id), teams)]
            if elsewhere:
                from_team = elsewhere[rng.randrange(len(elsewhere))].pk
        return [_move(member, MoveKind.HIRE, started, to_role=from_role, to_team=from_team),
                _move(member, kind, when(), from_role=from_role, to_role=role,
                      from_team=from_team, to_team=team_id)]
    if can_move and team_id in teams and draw > 1 - TEAM_MOVE_SHARE:
        home = root_team_id(teams[team_id], teams)
        siblings = [t for t in teams.values()
                    if t.pk != team_id and root_team_id(t, teams) == home]
        if siblings:
            from_team = siblings[rng.randrange(len(siblings))].pk
            return [_move(member, MoveKind.HIRE, started, to_role=role, to_team=from_team),
                    _move(member, MoveKind.LATERAL, when(), from_role=role, to_role=role,
                          from_team=from_team, to_team=team_id)]
    return [_move(member, MoveKind.HIRE, started, to_role=role, to_team=team_id)]


def _former_story(member: Membership, role: RoleProfile | None, started: date,
                  left: date) -> list[Move]:
    return [_move(member, MoveKind.HIRE, started, to_role=role, to_team=member.team_id),
            _move(member, MoveKind.EXIT, left, from_role=role, from_team=member.team_id)]


def _former_members(org: Organization) -> dict[int, tuple[date, date]]:
    """Acme's leavers, created once (inactive, under their last manager, in their team): their
    membership id → (start, exit) dates."""
    spec = FORMER_MEMBERS.get(org.slug, ())
    if not spec:
        return {}
    today = timezone.localdate()
    teams = {t.name: t for t in Team.objects.for_org(org)}
    managers = {}
    for m in Membership.objects.for_org(org).filter(
            job_title__in=[str(row[4]) for row in spec]).order_by("pk"):
        managers.setdefault(m.job_title, m)
    found = {}
    for first, last, title, team, manager_title, started_ago, left_ago in spec:
        email = f"{first}.{last}@{org.slug}.test".lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, first_name=first,
                                            last_name=last, language=org.default_language)
        started = today - timedelta(days=started_ago)
        membership = Membership.objects_unscoped.filter(organization=org, user=user).first()
        if membership is None:
            membership = Membership.objects_unscoped.create(
                organization=org, user=user, job_title=str(title), team=teams.get(str(team)),
                manager=managers.get(str(manager_title)), is_active=False, started_on=started)
        found[membership.pk] = (membership.started_on or started,
                                today - timedelta(days=left_ago))
    return found
