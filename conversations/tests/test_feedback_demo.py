"""The feedback and recommendations demo data."""

import pytest

from conversations.demo_feedback import seed_feedback_demo
from conversations.models import (
    Feedback,
    Notification,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)

pytestmark = pytest.mark.django_db


def test_the_demo_manager_spotlights_the_demo_employee_and_recommends_them_once(people):
    seed_feedback_demo(organization=people.org)
    seed_feedback_demo(organization=people.org)
    feedback = Feedback.objects_unscoped.filter(organization=people.org)
    assert feedback.count() == 2
    assert {(f.author_id, f.member_id) for f in feedback} == {
        (people.manager.pk, people.employee.pk)}
    recommendation = Recommendation.objects_unscoped.get(organization=people.org)
    assert (recommendation.author, recommendation.member, recommendation.kind,
            recommendation.status) == (people.manager, people.employee,
                                       RecommendationKind.PROMOTION, RecommendationStatus.PENDING)
    assert people.employee.user.first_name in recommendation.rationale
    assert Notification.objects_unscoped.filter(recipient=people.employee).count() == 1


def test_an_organisation_without_the_demo_people_gets_nothing(other_people):
    other_people.employee.manager = None
    other_people.employee.save(update_fields=["manager"])
    seed_feedback_demo(organization=other_people.org)
    assert not Feedback.objects_unscoped.exists()
    assert not Recommendation.objects_unscoped.exists()
