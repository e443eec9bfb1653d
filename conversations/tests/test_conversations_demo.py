"""The conversations demo data: the demo employee's story, partial coverage elsewhere, and a
second run that adds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from careers.models import DevelopmentAction
from conversations.demo import seed_organization_conversations
from conversations.models import (
    AgendaTopic,
    AgreedAction,
    Conversation,
    ConversationStatus,
    Outcome,
    PrivateNote,
)
from conversations.selectors import conversations as selectors
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(people):
    return [MembershipFactory(organization=people.org, manager=people.manager,
                              started_on=timezone.localdate() - timedelta(days=500))
            for _ in range(12)]


def test_the_demo_employee_has_two_held_conversations_and_one_in_five_days(people, team):
    seed_organization_conversations(people.org)
    mine = list(Conversation.objects_unscoped.filter(member=people.employee)
                .order_by("scheduled_at"))
    assert [c.status for c in mine] == [ConversationStatus.HELD, ConversationStatus.HELD,
                                        ConversationStatus.SCHEDULED]
    assert all(c.partner == people.manager for c in mine)
    assert 5 <= (mine[2].scheduled_at.date() - timezone.localdate()).days <= 8
    assert Outcome.objects_unscoped.filter(conversation__in=mine[:2]).count() == 2
    assert AgreedAction.objects_unscoped.filter(conversation__in=mine).count() == 3
    assert DevelopmentAction.objects_unscoped.filter(member=people.employee).count() == 3
    carried = AgendaTopic.objects_unscoped.filter(conversation=mine[2],
                                                  carried_from__isnull=False)
    assert carried.count() == 1
    assert PrivateNote.objects_unscoped.get(conversation=mine[2]).author == people.manager


def test_coverage_is_partial_and_upcoming_slots_never_overlap(people, team):
    seed_organization_conversations(people.org)
    rows = selectors.team_overview(organization=people.org, manager=people.manager)
    summary = selectors.team_summary(rows)
    assert 0 < summary.overdue < summary.reports
    scheduled = list(Conversation.objects_unscoped.filter(status=ConversationStatus.SCHEDULED))
    assert scheduled
    for a in scheduled:
        for b in scheduled:
            shared = {a.member_id, a.partner_id} & {b.member_id, b.partner_id}
            if a.pk < b.pk and shared:
                a_end = a.scheduled_at + timedelta(minutes=a.duration_minutes)
                b_end = b.scheduled_at + timedelta(minutes=b.duration_minutes)
                assert a_end <= b.scheduled_at or b_end <= a.scheduled_at


def test_a_second_run_adds_nothing(people, team):
    first = seed_organization_conversations(people.org)
    assert first["conversations"] > 3
    assert seed_organization_conversations(people.org) == {"conversations": 0}
