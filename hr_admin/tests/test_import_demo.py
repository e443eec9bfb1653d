"""The people import's demo data: a checked file waiting to be applied, a draft with five kinds
of problems, and a second seeding that adds nothing."""

import pytest

from hr_admin.demo_import import DRAFT_FILE, VALID_FILE, seed_organization_imports
from hr_admin.models import ImportStatus, PeopleImport
from organizations.factories import MembershipFactory, TeamFactory

from .factories_import import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(people):
    engineering = TeamFactory(organization=people.org, name="Engineering")
    platform = TeamFactory(organization=people.org, name="Platform", parent=engineering)
    TeamFactory(organization=people.org, name="Data", parent=engineering)
    for person in (people.manager, people.employee):
        person.team = platform
        person.save()
    for _ in range(3):
        MembershipFactory(organization=people.org, manager=people.manager, team=platform)
    return platform


def test_the_demo_hr_admin_has_a_file_to_apply_and_a_draft_with_problems(people, teams):
    before = counts(people.org)

    assert seed_organization_imports(people.org) == 2

    ready = PeopleImport.objects_unscoped.get(organization=people.org, file_name=VALID_FILE)
    assert ready.status == ImportStatus.VALIDATED, ready.problems
    assert (ready.summary["created"], ready.summary["updated"]) == (3, 2)
    assert ready.summary["moves"]["hire"] == 3
    draft = PeopleImport.objects_unscoped.get(organization=people.org, file_name=DRAFT_FILE)
    assert draft.status == ImportStatus.INVALID
    columns = {p["column"] for p in draft.problems}
    assert columns == {"manager email", "email", "role profile", "start date"}
    assert len(draft.problems) >= 5
    assert any("loop" in p["message"] for p in draft.problems)
    assert counts(people.org) == before


def test_seeding_again_adds_nothing(people, teams):
    seed_organization_imports(people.org)

    assert seed_organization_imports(people.org) == 0
    assert PeopleImport.objects_unscoped.filter(organization=people.org).count() == 2
