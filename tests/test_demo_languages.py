"""``seed_demo --language``: the demo organisations and every demo text in one language.

The French and Spanish catalogues are filled in separately, so the texts are compared with the
messages as the catalogue gives them under ``translation.override("es")`` (the English text
until a translation exists): what matters here is that every module writes the translation of
its own messages, in the organisation's language, and that people's names are left alone. A few
messages are given a Spanish translation here, so that the test tells English and Spanish apart
whatever the catalogue holds.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext, trans_real

from careers.demo import STORY_NOW
from careers.models import CareerGoal, DevelopmentAction, ReflectionAnswer
from conversations.demo import STAR_PRIVATE_NOTE
from conversations.demo_feedback import FEEDBACK
from conversations.models import Feedback, PrivateNote
from hr_admin.demo_champions import STATEMENT
from hr_admin.demo_metrics import ORGANIZATION_GOALS
from hr_admin.demo_opportunities import OPENINGS
from hr_admin.demo_stories import AWAITING
from hr_admin.demo_succession import POSITIONS
from hr_admin.models import Champion, KeyPosition, MetricGoal, Opportunity, SuccessStory
from organizations.management.commands.seed_demo import ACME, Position
from organizations.models import Membership, Organization, Team, User
from organizations.tests.test_commands import snapshot
from skills.models import CheckIn, MemberRole

pytestmark = pytest.mark.django_db

#: Translations of a few demo messages, whatever the Spanish catalogue says.
SPANISH = {
    "Software Engineer": "Ingeniera de software",
    "Platform": "Plataforma",
    "Engineering": "Ingeniería",
    "Lead a cross-team project": "Liderar un proyecto entre equipos",
    "System design course": "Curso de diseño de sistemas",
}


@pytest.fixture
def spanish(monkeypatch):
    """The Spanish catalogue, with ``SPANISH`` in it."""
    catalogue = trans_real.translation("es")
    original = catalogue.gettext
    monkeypatch.setattr(catalogue, "gettext", lambda message: SPANISH.get(message)
                        or original(message))


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out, **options)
    return out.getvalue()


def in_spanish(message) -> str:
    with translation.override("es"):
        return str(message)


def demo_position(position: Position, role: str) -> Position | None:
    if position.demo == role:
        return position
    for report in position.reports:
        found = demo_position(report, role)
        if found is not None:
            return found
    return None


def test_seeding_in_spanish_writes_every_demo_text_in_spanish(monkeypatch, spanish):
    # Given: the environment asks for French, the option for Spanish (the option wins)
    monkeypatch.setenv("DEMO_LANGUAGE", "fr")

    # When
    seed(language="es")

    # Then: the organisations and their people are Spanish-speaking
    acme = Organization.objects.get(slug="acme")
    assert acme.default_language == "es"
    assert Organization.objects.get(slug="globex").default_language == "es"
    demo_users = User.objects.filter(email__endswith=".test",
                                     memberships__organization__slug__in=["acme", "globex"])
    assert demo_users.count() > 200
    assert set(demo_users.values_list("language", flat=True)) == {"es"}

    # job titles and team names, while names stay as they are
    employee = Membership.objects_unscoped.select_related("user", "team").get(
        user__email="employee@acme.test")
    position = demo_position(ACME.top, "employee")
    assert employee.job_title == in_spanish(position.title) == "Ingeniera de software"
    assert employee.team.name == in_spanish(position.team) == "Plataforma"
    assert employee.team.parent.name == "Ingeniería"
    assert (employee.user.first_name, employee.user.last_name) == position.name
    team_names = set(Team.objects_unscoped.filter(organization=acme).values_list("name",
                                                                                 flat=True))
    assert {in_spanish(name) for name, _children in ACME.teams} <= team_names

    # the demo employee's reflection, goal and plan; their manager's note and feedback
    answers = ReflectionAnswer.objects_unscoped.filter(reflection__member=employee)
    assert answers.filter(text=in_spanish(STORY_NOW["where-i-am"]["current-job"])).exists()
    with translation.override("es"):
        goal, action = gettext("Lead a cross-team project"), gettext("System design course")
    assert goal == "Liderar un proyecto entre equipos"
    assert CareerGoal.objects_unscoped.filter(member=employee, title=goal).exists()
    assert DevelopmentAction.objects_unscoped.filter(member=employee, title=action).exists()
    assert PrivateNote.objects_unscoped.filter(conversation__member=employee,
                                               text=in_spanish(STAR_PRIVATE_NOTE)).exists()
    assert Feedback.objects_unscoped.filter(member=employee,
                                            text=in_spanish(FEEDBACK[0][2])).exists()

    # HR's and leaders' demo: an opening, a key position, a story, a champion, a goal's note
    assert Opportunity.objects_unscoped.filter(organization=acme,
                                               title=in_spanish(OPENINGS[0]["title"])).exists()
    assert KeyPosition.objects_unscoped.filter(organization=acme,
                                               title=in_spanish(POSITIONS[0][0])).exists()
    story = SuccessStory.objects_unscoped.get(organization=acme, subject=employee)
    assert story.title == in_spanish(AWAITING[0])
    assert story.body == in_spanish(AWAITING[1]).format(name=employee.user.first_name)
    assert Champion.objects_unscoped.filter(organization=acme,
                                            statement=in_spanish(STATEMENT)).exists()
    assert MetricGoal.objects_unscoped.filter(
        organization=acme, note=in_spanish(ORGANIZATION_GOALS[0][4])).exists()

    # translated job titles still find their role profiles (the framework's own titles)
    assert MemberRole.objects_unscoped.get(member=employee).role.title == "Software Engineer II"
    assert CheckIn.objects_unscoped.filter(member=employee).exists()

    # When: run again, in another language
    before = snapshot()
    seed(language="fr")

    # Then: nothing is added or rewritten, and the organisations keep their language
    assert snapshot() == before
    assert Organization.objects.get(slug="acme").default_language == "es"


def test_an_unknown_demo_language_is_refused_before_anything_is_seeded(monkeypatch):
    monkeypatch.setenv("DEMO_LANGUAGE", "de")
    with pytest.raises(CommandError, match="de"):
        seed()
    assert not Organization.objects.filter(slug__in=["acme", "globex"]).exists()
