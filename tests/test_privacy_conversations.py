"""Privacy canaries of career conversations: a private note reaches its author alone, and the
employee's preparation reaches the employee alone.

A unique string is written in the manager's private note on a conversation, and another in the
employee's preparation and private note; then every GET route of every app (pages and API,
discovered from the URL configuration) is fetched as each other role of the same organisation,
with the ids of the very objects that hold the canaries, and no response may contain them.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations import registrations_conversations
from conversations.factories import CareerPartnerFactory, ConversationFactory
from conversations.models import Conversation
from conversations.services import conversations as services
from organizations.factories import MembershipFactory
from tests.routes import ID_SOURCES, get_every_route, tenant_routes

pytestmark = pytest.mark.django_db

NOTE_CANARY = "CANARY-5d1e8b-private-note"
PREP_CANARY = "CANARY-9a4c2f-preparation"


@pytest.fixture
def canaries(people):
    """A conversation of the employee with their manager, under way: the manager's private
    note holds one canary, the employee's preparation and private note the other. The shared
    parts (notes, a topic, an agreed action) hold ordinary text."""
    registrations_conversations.register()
    ids = ID_SOURCES(people)
    org, employee, manager = people.org, people.employee, people.manager
    conversation = ConversationFactory(member=employee, partner=manager)
    topic = services.topic_add(organization=org, actor=employee, conversation=conversation,
                               text="Shared topic")
    services.preparation_save(organization=org, actor=employee, conversation=conversation,
                              journey=f"{PREP_CANARY} journey", to_ask=PREP_CANARY,
                              to_share=PREP_CANARY)
    services.private_note_save(organization=org, actor=employee, conversation=conversation,
                               text=f"{PREP_CANARY} in the employee's private note")
    services.private_note_save(organization=org, actor=manager, conversation=conversation,
                               text=f"{NOTE_CANARY} in the manager's private note")
    services.shared_notes_save(organization=org, actor=manager, conversation=conversation,
                               text="Shared notes both see")
    Conversation.objects_unscoped.filter(pk=conversation.pk).update(
        scheduled_at=timezone.now() - timezone.timedelta(minutes=5))
    conversation.refresh_from_db()
    services.agreed_action_add(organization=org, actor=manager, conversation=conversation,
                               title="Agreed action both see")
    mentor = MembershipFactory(organization=org)
    partnership = CareerPartnerFactory(member=employee, partner=mentor)
    ids.update(org_slug=org.slug, member_id=employee.pk, conversation_id=conversation.pk,
               topic_id=topic.pk, partner_id=partnership.pk)
    # Arguments of routes that tests/routes.py does not fill yet get an absent id (404).
    for route, _pattern in tenant_routes():
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            ids.setdefault(name, 999_999_999)
    return ids, conversation


def _walk(client, ids, canary):
    leaks, errors, fetched = [], [], 0
    for url, response in get_every_route(client, ids):
        fetched += 1
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        body = b"".join(response) if response.streaming else response.content
        if canary.encode() in body:
            leaks.append((url, response.status_code))
    return fetched, errors, leaks


@pytest.mark.parametrize("role", ["employee", "hr", "leader"])
def test_a_managers_private_note_never_reaches_anyone_else(people, canaries, login, role):
    ids, _conversation = canaries
    fetched, errors, leaks = _walk(login(people.by_role()[role]), ids, NOTE_CANARY)
    assert fetched > 100
    assert errors == []
    assert leaks == []


@pytest.mark.parametrize("role", ["manager", "hr", "leader"])
def test_the_employees_preparation_and_private_note_never_reach_anyone_else(
        people, canaries, login, role):
    ids, _conversation = canaries
    fetched, errors, leaks = _walk(login(people.by_role()[role]), ids, PREP_CANARY)
    assert fetched > 100
    assert errors == []
    assert leaks == []


def test_each_author_does_see_their_own_words_so_the_walk_can_find_text(people, canaries,
                                                                        login):
    _ids, conversation = canaries
    detail = reverse("conversations:detail", kwargs={"org_slug": people.org.slug,
                                                     "conversation_id": conversation.pk})
    manager_page = login(people.manager).get(detail).content.decode()
    employee_page = login(people.employee).get(detail).content.decode()
    assert NOTE_CANARY in manager_page
    assert PREP_CANARY in employee_page
    for page in (manager_page, employee_page):
        assert "Shared notes both see" in page
        assert "Agreed action both see" in page
