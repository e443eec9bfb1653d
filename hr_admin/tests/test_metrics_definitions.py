"""Each leadership metric on a small organisation built by hand, with the expected figure worked
out in the test from the definition shown in the product."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from careers.factories import (
    DevelopmentActionFactory,
    ReflectionAnswerFactory,
    ReflectionFactory,
    ReflectionTemplateFactory,
)
from conversations.factories import (
    HeldConversationFactory,
    MemberCadenceFactory,
    OutcomeFactory,
)
from conversations.models import ConversationStatus
from hr_admin.metric_definitions import BY_KEY, format_value
from hr_admin.models import MoveKind, OpportunityKind, OpportunityStatus, Readiness
from hr_admin.services.metrics import ORGANIZATION, compute_figures, organization_today
from hr_admin.tests.factories_champions import ChampionFactory
from hr_admin.tests.factories_health_results import survey_with_questions
from hr_admin.tests.factories_opportunities import OpportunityFactory
from hr_admin.tests.factories_succession import (
    KeyPositionFactory,
    MoveFactory,
    SuccessorNominationFactory,
)
from organizations.factories import MembershipFactory, OrganizationFactory, TeamFactory
from organizations.models import Membership
from skills.factories import SkillRatingFactory

pytestmark = pytest.mark.django_db


class Org:
    """Engineering (with Platform under it) and Sales; people are added per test."""

    def __init__(self, cadence: int = 90):
        self.org = OrganizationFactory(slug="metrics-hand", conversation_cadence_days=cadence)
        self.engineering = TeamFactory(organization=self.org, name="Engineering")
        self.platform = TeamFactory(organization=self.org, name="Platform",
                                    parent=self.engineering)
        self.sales = TeamFactory(organization=self.org, name="Sales")
        self.boss = self.member(None, started_days_ago=2000)

    def member(self, team, *, manager=None, started_days_ago=400, **extra):
        return MembershipFactory(
            organization=self.org, team=team, manager=manager,
            started_on=timezone.localdate() - timedelta(days=started_days_ago), **extra)

    def figures(self):
        return compute_figures(organization=self.org, day=organization_today(self.org))

    def value(self, metric: str, scope=ORGANIZATION):
        if scope is not ORGANIZATION:
            scope = scope.pk
        return self.figures()[(scope, metric)].value


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def held(member, days_ago: float, **extra):
    return HeldConversationFactory(member=member, partner=member.manager or member,
                                   scheduled_at=ago(days_ago), held_at=ago(days_ago), **extra)


def test_conversation_coverage_counts_members_held_within_their_own_cadence():
    o = Org(cadence=90)
    a = o.member(o.platform, manager=o.boss)
    b = o.member(o.platform, manager=o.boss)
    c = o.member(o.sales, manager=o.boss)
    d = o.member(o.sales, manager=o.boss)
    held(a, 10)  # covered
    held(b, 120)  # outside 90 days
    held(c, 50)
    MemberCadenceFactory(organization=o.org, member=c, days=30)  # outside their own 30 days
    held(d, 50)
    MemberCadenceFactory(organization=o.org, member=d, days=60)  # inside their 60 days
    HeldConversationFactory(member=o.boss, partner=a, scheduled_at=ago(5), held_at=None,
                            status=ConversationStatus.SCHEDULED)  # not held: does not count
    # Covered: a and d, of 5 active members (the boss included).
    assert o.value("conversation_coverage") == pytest.approx(2 / 5 * 100)
    # Platform: a of a, b; Engineering has Platform under it: the same.
    assert o.value("conversation_coverage", o.platform) == pytest.approx(50)
    assert o.value("conversation_coverage", o.engineering) == pytest.approx(50)
    assert o.value("conversation_coverage", o.sales) == pytest.approx(50)


def test_overdue_conversations_follow_the_cadence_from_last_held_else_start_date():
    o = Org(cadence=90)
    held(o.member(o.sales, manager=o.boss), 100)  # overdue: held 100 days ago
    held(o.member(o.sales, manager=o.boss), 20)  # not overdue
    o.member(o.sales, manager=o.boss, started_days_ago=30)  # new joiner, not yet due
    o.member(o.sales, manager=o.boss, started_days_ago=200)  # never held since joining: overdue
    inactive = o.member(o.sales, manager=o.boss, started_days_ago=300)
    inactive.is_active = False
    inactive.save()
    # The boss has no manager: never overdue, whatever their dates.
    assert o.value("overdue_conversations") == 2
    assert o.value("overdue_conversations", o.sales) == 2
    assert o.value("overdue_conversations", o.engineering) == 0


def test_conversation_quality_is_the_mean_of_every_rating_given_in_the_last_year():
    o = Org()
    a = o.member(o.platform, manager=o.boss)
    OutcomeFactory(organization=o.org, conversation=held(a, 10),
                   direction=5, self_insight=4, options=3, confidence=4)
    # Two of four rated: they count as two ratings.
    OutcomeFactory(organization=o.org, conversation=held(a, 40),
                   direction=2, self_insight=None, options=None, confidence=3)
    OutcomeFactory(organization=o.org, conversation=held(a, 400),  # older than 12 months
                   direction=1, self_insight=1, options=1, confidence=1)
    expected = (5 + 4 + 3 + 4 + 2 + 3) / 6
    assert o.value("conversation_quality") == pytest.approx(expected)
    assert format_value(BY_KEY["conversation_quality"], expected) == "3.5"
    assert o.value("conversation_quality", o.sales) is None


def test_reflection_participation_is_members_who_wrote_an_answer_this_year():
    o = Org()
    a = o.member(o.platform)
    b = o.member(o.platform)
    o.member(o.sales)
    template = ReflectionTemplateFactory(organization=o.org)
    for member, text in ((a, "I want to lead."), (b, "")):  # b's answer is blank
        ReflectionAnswerFactory(organization=o.org, text=text, reflection=ReflectionFactory(
            organization=o.org, member=member, template=template))
    # 1 of 4 active members (the boss included).
    assert o.value("reflection_participation") == pytest.approx(25)
    assert o.value("reflection_participation", o.platform) == pytest.approx(50)
    assert o.value("reflection_participation", o.sales) == pytest.approx(0)


def test_plan_coverage_counts_open_actions_and_actions_done_this_year():
    o = Org()
    a, b, c, d = (o.member(o.sales) for _ in range(4))
    DevelopmentActionFactory(organization=o.org, member=a, status="in_progress")
    DevelopmentActionFactory(organization=o.org, member=b, status="done", completed_at=ago(30))
    DevelopmentActionFactory(organization=o.org, member=c, status="done", completed_at=ago(500))
    DevelopmentActionFactory(organization=o.org, member=d, status="cancelled")
    # a and b, of 5 active members.
    assert o.value("plan_coverage") == pytest.approx(40)


def test_training_hours_per_member_divides_done_hours_by_active_members():
    o = Org()
    a = o.member(o.platform)
    o.member(o.platform)
    o.member(o.sales)
    DevelopmentActionFactory(organization=o.org, member=a, status="done", hours=6,
                             completed_at=ago(10))
    DevelopmentActionFactory(organization=o.org, member=a, status="done", hours=4,
                             completed_at=ago(100))
    DevelopmentActionFactory(organization=o.org, member=a, status="done", hours=50,
                             completed_at=ago(400))  # older than 12 months
    DevelopmentActionFactory(organization=o.org, member=a, status="in_progress", hours=20)
    # 10 hours over 4 active members; Platform: 10 hours over its 2 members.
    assert o.value("training_hours") == pytest.approx(2.5)
    assert o.value("training_hours", o.platform) == pytest.approx(5)
    assert o.value("training_hours", o.engineering) == pytest.approx(5)
    assert o.value("training_hours", o.sales) == pytest.approx(0)


def test_skills_validated_is_the_share_of_ratings_a_manager_validated():
    o = Org()
    a = o.member(o.sales)
    left = o.member(o.sales)
    SkillRatingFactory(organization=o.org, member=a, self_level=3, validated_level=3)
    SkillRatingFactory(organization=o.org, member=a, self_level=2, validated_level=None)
    SkillRatingFactory(organization=o.org, member=a, self_level=4, validated_level=None)
    SkillRatingFactory(organization=o.org, member=a, self_level=None, validated_level=2)
    SkillRatingFactory(organization=o.org, member=left, self_level=1, validated_level=1)
    left.is_active = False
    left.save()
    # a's ratings only: 2 validated of 4.
    assert o.value("skills_validated") == pytest.approx(50)


def test_internal_fill_rate_is_role_openings_filled_by_insiders():
    o = Org()
    poster = o.member(o.sales)

    def opening(**extra):
        return OpportunityFactory(organization=o.org, posted_by=poster,
                                  kind=OpportunityKind.ROLE, team=o.sales, **extra)

    opening(status=OpportunityStatus.FILLED, filled_internally=True, filled_at=ago(10))
    opening(status=OpportunityStatus.FILLED, filled_internally=True, filled_at=ago(100))
    opening(status=OpportunityStatus.FILLED, filled_internally=False, filled_at=ago(20))
    opening(status=OpportunityStatus.FILLED, filled_internally=False, filled_at=ago(500))
    opening(status=OpportunityStatus.OPEN)
    OpportunityFactory(organization=o.org, posted_by=poster, kind=OpportunityKind.GIG,
                       status=OpportunityStatus.FILLED, filled_internally=True,
                       filled_at=ago(5))  # a gig is not a role opening
    assert o.value("internal_fill_rate") == pytest.approx(2 / 3 * 100)
    assert o.value("internal_fill_rate", o.sales) == pytest.approx(2 / 3 * 100)
    assert o.value("internal_fill_rate", o.platform) is None


def test_internal_promotion_rate_and_mobility_are_moves_per_active_member():
    o = Org()
    a, b, c = (o.member(o.platform) for _ in range(3))
    today = timezone.localdate()
    MoveFactory(organization=o.org, member=a, kind=MoveKind.PROMOTION,
                effective_on=today - timedelta(days=30))
    MoveFactory(organization=o.org, member=b, kind=MoveKind.PROMOTION,
                effective_on=today - timedelta(days=400))  # too long ago
    MoveFactory(organization=o.org, member=b, kind=MoveKind.LATERAL,
                effective_on=today - timedelta(days=60))
    MoveFactory(organization=o.org, member=c, kind=MoveKind.CROSS_FUNCTIONAL,
                effective_on=today)
    MoveFactory(organization=o.org, member=c, kind=MoveKind.HIRE,
                effective_on=today - timedelta(days=200))
    # 4 active members: 1 promotion, 2 lateral or cross-functional moves.
    assert o.value("internal_promotion_rate") == pytest.approx(25)
    assert o.value("internal_mobility") == pytest.approx(50)
    assert o.value("internal_mobility", o.platform) == pytest.approx(2 / 3 * 100)


def test_bench_strength_is_key_positions_with_a_ready_now_successor():
    o = Org()
    ready, later, gone = o.member(o.sales), o.member(o.sales), o.member(o.sales)
    gone.is_active = False
    gone.save()
    covered = KeyPositionFactory(organization=o.org, role__organization=o.org, team=o.sales)
    SuccessorNominationFactory(organization=o.org, position=covered, candidate=ready,
                               readiness=Readiness.READY_NOW)
    thin = KeyPositionFactory(organization=o.org, role__organization=o.org, team=o.sales)
    SuccessorNominationFactory(organization=o.org, position=thin, candidate=later,
                               readiness=Readiness.ONE_TWO_YEARS)
    left = KeyPositionFactory(organization=o.org, role__organization=o.org, team=o.platform)
    SuccessorNominationFactory(organization=o.org, position=left, candidate=gone,
                               readiness=Readiness.READY_NOW)  # successor left: not ready
    KeyPositionFactory(organization=o.org, role__organization=o.org, is_active=False)
    assert o.value("bench_strength") == pytest.approx(1 / 3 * 100)
    assert o.value("bench_strength", o.sales) == pytest.approx(50)
    assert o.value("bench_strength", o.engineering) == pytest.approx(0)


def test_regretted_leavers_count_marked_exits_and_stay_empty_while_unknown():
    o = Org()
    today = timezone.localdate()
    a, b, c = (o.member(o.sales) for _ in range(3))
    for person in (a, b, c):
        person.is_active = False
        person.save()
    assert o.value("regretted_leavers") is None
    MoveFactory(organization=o.org, member=a, kind=MoveKind.EXIT, regretted=None,
                effective_on=today - timedelta(days=10))
    assert o.value("regretted_leavers") is None  # an exit nobody marked: not known
    MoveFactory(organization=o.org, member=b, kind=MoveKind.EXIT, regretted=False,
                effective_on=today - timedelta(days=20))
    assert o.value("regretted_leavers") == 0
    MoveFactory(organization=o.org, member=c, kind=MoveKind.EXIT, regretted=True,
                effective_on=today - timedelta(days=30))
    MoveFactory(organization=o.org, member=a, kind=MoveKind.EXIT, regretted=True,
                effective_on=today - timedelta(days=500))  # too long ago
    figure = o.figures()[(ORGANIZATION, "regretted_leavers")]
    assert (figure.value, figure.denominator) == (1, 2)
    assert o.value("regretted_leavers", o.sales) == 1


def test_health_index_and_enps_come_from_the_latest_closed_survey_with_suppression():
    from hr_admin.models import ScoreSlice, SurveyScore, SurveyStatus

    o = Org()
    now = timezone.now()

    def score(survey, kind, key, measure, value, respondents, suppressed=""):
        SurveyScore.objects_unscoped.create(
            organization=o.org, survey=survey, slice_kind=kind, slice_key=key,
            measure=measure, value=value, respondents=respondents, suppressed=suppressed,
            is_final=True, computed_at=now)

    older = survey_with_questions(o.org, status=SurveyStatus.CLOSED)
    older.closed_at = now - timedelta(days=200)
    older.save()
    score(older, ScoreSlice.OVERALL, "", "index", 55.0, 40)
    latest = survey_with_questions(o.org, status=SurveyStatus.CLOSED)
    score(latest, ScoreSlice.OVERALL, "", "index", 68.5, 42)
    score(latest, ScoreSlice.OVERALL, "", "enps", 12.0, 42)
    score(latest, ScoreSlice.TEAM, str(o.sales.pk), "index", 71.0, 12)
    score(latest, ScoreSlice.TEAM, str(o.platform.pk), "index", None, None,
          suppressed="threshold")
    survey_with_questions(o.org, status=SurveyStatus.OPEN)  # open: no figure yet
    assert o.value("health_index") == pytest.approx(68.5)
    assert o.value("career_enps") == pytest.approx(12)
    assert format_value(BY_KEY["career_enps"], 12.0) == "+12"
    assert o.value("health_index", o.sales) == pytest.approx(71)
    # Suppressed for its few respondents: no figure, and no figure made up from its children.
    assert o.value("health_index", o.platform) is None
    assert (o.engineering.pk, "health_index") not in o.figures()


def test_champions_counts_active_confirmed_champions():
    o = Org()
    ChampionFactory(organization=o.org, member=o.member(o.platform))
    ChampionFactory(organization=o.org, member=o.member(o.sales))
    ChampionFactory(organization=o.org, member=o.member(o.sales), ended_at=ago(3))
    left = o.member(o.sales)
    ChampionFactory(organization=o.org, member=left)
    left.is_active = False
    left.save()
    assert o.value("champions") == 2
    assert o.value("champions", o.engineering) == 1
    assert o.value("champions", o.sales) == 1


def test_a_managers_population_narrows_every_activity_figure():
    o = Org()
    manager = o.member(o.sales, manager=o.boss)
    mine = o.member(o.sales, manager=manager)
    o.member(o.sales, manager=manager)
    other = o.member(o.sales, manager=o.boss)
    held(mine, 5)
    held(other, 5)
    reports = Membership.objects_unscoped.filter(organization=o.org, manager=manager)
    figures = compute_figures(organization=o.org, day=organization_today(o.org),
                              members=reports, by_team=False)
    assert figures[(ORGANIZATION, "conversation_coverage")].value == pytest.approx(50)
    assert (ORGANIZATION, "health_index") not in figures
