"""Privacy canaries for recommendations and feedback, over every GET route of every app.

A recommendation (its rationale, HR's decision note) is read by its author, HR and leaders, and
never by the member it is about, whatever their role, nor by another manager. Feedback is read by
the member, its author and the member's line manager, never by HR, leaders or another manager.
Unique strings are written where only those people may read them; then every page and API route
(discovered from the URL configuration) is fetched as everyone else, with the ids of the very
objects that hold the canaries, and no response may contain them.
"""

import pytest
from django.urls import reverse

from conversations.factories import (
    AgendaTopicFactory,
    CareerPartnerFactory,
    ConversationFactory,
    FeedbackFactory,
    RecommendationFactory,
)
from conversations.models import ConversationStatus, RecommendationKind, RecommendationStatus
from organizations.factories import MembershipFactory
from skills.factories import FrameworkFactory, RoleProfileFactory
from tests.routes import ID_SOURCES, get_every_route

pytestmark = pytest.mark.django_db

RATIONALE = "CANARY-rec-5d1e-rationale"
NOTE = "CANARY-rec-5d1e-decision-note"
ABOUT_HR = "CANARY-rec-5d1e-about-hr"
FEEDBACK = "CANARY-fb-9b2c-feedback"


@pytest.fixture
def canaries(people):
    """The manager recommends the employee twice (one pending, one accepted with a note); the
    leader recommends the HR admin; the manager gives the employee feedback from a conversation.
    Another manager, with a report of their own, sits beside the first."""
    from conversations import registrations_feedback

    registrations_feedback.register()
    org = people.org
    role = RoleProfileFactory(framework=FrameworkFactory(organization=org), title="Next role")
    pending = RecommendationFactory(member=people.employee, kind=RecommendationKind.ROLE,
                                    role=role, rationale=f"{RATIONALE} pending")
    RecommendationFactory(member=people.employee, rationale=f"{RATIONALE} decided",
                          status=RecommendationStatus.ACCEPTED, decided_by=people.hr,
                          decision_note=NOTE)
    about_hr = RecommendationFactory(member=people.hr, author=people.leader,
                                     rationale=ABOUT_HR)
    conversation = ConversationFactory(member=people.employee, partner=people.manager,
                                       status=ConversationStatus.HELD)
    feedback = FeedbackFactory(member=people.employee, conversation=conversation,
                               text=f"{FEEDBACK} from a conversation")
    other_manager = MembershipFactory(organization=org, manager=people.leader)
    MembershipFactory(organization=org, manager=other_manager)
    ids = ID_SOURCES(people)
    partner = CareerPartnerFactory(member=people.employee)
    topic = AgendaTopicFactory(conversation=conversation)
    # The conversation routes' arguments, until tests/routes.py knows them.
    for name, value in (("conversation_id", conversation.pk), ("partner_id", partner.pk),
                        ("topic_id", topic.pk)):
        ids.setdefault(name, value)
    ids.update(org_slug=org.slug, member_id=people.employee.pk, feedback_id=feedback.pk,
               recommendation_id=pending.pk)
    about_hr_ids = {**ids, "member_id": people.hr.pk, "recommendation_id": about_hr.pk}
    return {"ids": (ids, about_hr_ids), "other_manager": other_manager, "pending": pending}


def _walk(client, id_sets, forbidden):
    leaks, errors, fetched = [], [], 0
    for values in id_sets:
        for url, response in get_every_route(client, values):
            fetched += 1
            if response.status_code >= 500:
                errors.append((url, response.status_code))
            body = b"".join(response) if response.streaming else response.content
            for canary in forbidden:
                if canary.encode() in body:
                    leaks.append((canary, url, response.status_code))
    return fetched, errors, leaks


@pytest.mark.parametrize("who, forbidden", [
    ("employee", (RATIONALE, NOTE, ABOUT_HR)),
    ("other_manager", (RATIONALE, NOTE, ABOUT_HR, FEEDBACK)),
    ("hr", (ABOUT_HR, FEEDBACK)),
    ("leader", (FEEDBACK,)),
])
def test_recommendations_and_feedback_never_reach_who_may_not_read_them(
        people, canaries, login, who, forbidden):
    member = canaries["other_manager"] if who == "other_manager" else people.by_role()[who]
    fetched, errors, leaks = _walk(login(member), canaries["ids"], forbidden)
    assert fetched > 100
    assert errors == []
    assert leaks == []


def test_the_walk_can_find_the_canaries_where_they_belong(people, canaries, login):
    slug = people.org.slug
    detail = reverse("conversations:recommendation",
                     kwargs={"org_slug": slug, "recommendation_id": canaries["pending"].pk})
    for reader in (people.manager, people.hr, people.leader):
        assert RATIONALE in login(reader).get(detail).content.decode()
    queue = reverse("conversations:recommendations", kwargs={"org_slug": slug})
    assert NOTE.encode() not in login(people.hr).get(queue).content  # lists show no notes
    about_hr = reverse("conversations:recommendation", kwargs={
        "org_slug": slug, "recommendation_id": canaries["ids"][1]["recommendation_id"]})
    assert ABOUT_HR in login(people.leader).get(about_hr).content.decode()
    feedback = reverse("conversations:feedback", kwargs={"org_slug": slug})
    assert FEEDBACK in login(people.employee).get(feedback).content.decode()
    profile = reverse("organizations:member_detail",
                      kwargs={"org_slug": slug, "member_id": people.employee.pk})
    assert FEEDBACK in login(people.manager).get(profile).content.decode()
