"""Demo career moves: seeded with the demo organisations, plausible, deterministic and
idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from hr_admin.demo_moves import seed_organization_moves
from hr_admin.models import Move, MoveKind, MoveSource
from organizations.models import Membership, Organization
from organizations.tenancy import cross_organization

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", force=True, stdout=StringIO())


def moves_of(slug: str):
    return Move.objects_unscoped.filter(organization__slug=slug)


def snapshot(slug: str) -> list[tuple]:
    return sorted(moves_of(slug).values_list(
        "member__user__email", "kind", "effective_on", "from_role__title", "to_role__title",
        "from_team__name", "to_team__name"))


def test_acme_gets_a_plausible_history_once():
    # When
    seed()

    # Then: a hire for every member, on their start date, into their team
    acme = Organization.objects.get(slug="acme")
    members = Membership.objects_unscoped.filter(organization=acme)
    hires = moves_of("acme").filter(kind=MoveKind.HIRE)
    assert hires.count() == members.count()
    assert not hires.exclude(source=MoveSource.DEMO).exists()
    employee = members.get(user__email="employee@acme.test")
    hire = hires.get(member=employee)
    assert hire.effective_on == employee.started_on and hire.to_team_id == employee.team_id
    # some promotions, lateral and cross-functional moves, and exits of former members
    kinds = dict(moves_of("acme").values_list("kind").annotate(n=Count("pk")))
    assert kinds[MoveKind.PROMOTION] >= 5
    assert kinds[MoveKind.LATERAL] >= 3
    assert kinds[MoveKind.CROSS_FUNCTIONAL] >= 2
    assert kinds[MoveKind.EXIT] == 4
    leavers = members.filter(is_active=False)
    assert leavers.count() == 4 and all(m.manager_id and m.team_id for m in leavers)
    # the demo employee was promoted into their current role
    promotion = moves_of("acme").get(member=employee, kind=MoveKind.PROMOTION)
    assert promotion.to_role.title == "Software Engineer II"
    assert (promotion.from_grade, promotion.to_grade) == ("E1", "E2")
    # moves other than hires happened in the last two years, after the hire
    for move in moves_of("acme").exclude(kind=MoveKind.HIRE).select_related("member"):
        assert move.effective_on >= move.member.started_on

    # When: seeded again
    before = snapshot("acme")
    seed()

    # Then
    assert snapshot("acme") == before


def test_the_history_is_the_same_on_every_installation():
    # Given
    seed()
    first = snapshot("acme")

    # When: the moves are made again from nothing
    Move.objects_unscoped.all().delete()
    with cross_organization("test: reseed the demo moves"):
        for org in Organization.objects.all():
            seed_organization_moves(org)

    # Then
    assert snapshot("acme") == first
    assert moves_of("globex").filter(kind=MoveKind.HIRE).exists()
