"""The success stories demo data, and what stories add to the career record."""

import pytest
from django.urls import reverse

from conversations.models import Notification, NotificationKind
from hr_admin import registrations_stories
from hr_admin.demo_stories import seed
from hr_admin.models import StoryStatus, SuccessStory
from hr_admin.tests.factories_stories import MoveFactory, SuccessStoryFactory
from organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_two_stories_and_asks_the_demo_employee_once(people):
    mover = MembershipFactory(organization=people.org)
    move = MoveFactory(member=mover)
    MembershipFactory.create_batch(3, organization=people.org)
    seed(organization=people.org)
    seed(organization=people.org)
    stories = SuccessStory.objects_unscoped.filter(organization=people.org)
    assert stories.count() == 3
    published = stories.filter(status=StoryStatus.PUBLISHED)
    assert published.count() == 2
    assert all(s.consent_given_at and s.published_at for s in published)
    assert published.filter(subject=mover, move=move).exists()
    waiting = stories.get(status=StoryStatus.AWAITING_CONSENT)
    assert waiting.subject == people.employee and waiting.consent_given_at is None
    told = Notification.objects_unscoped.get(recipient=people.employee,
                                             kind=NotificationKind.STORY)
    assert told.url.endswith(f"/hr/stories/{waiting.pk}/consent/")


def test_without_recorded_moves_the_stories_tell_a_whole_path(people):
    MembershipFactory.create_batch(3, organization=people.org)
    seed(organization=people.org)
    published = SuccessStory.objects_unscoped.filter(status=StoryStatus.PUBLISHED)
    assert published.count() == 2 and not published.filter(move__isnull=False).exists()


def test_the_career_record_has_the_stories_i_was_asked_about(people, login):
    registrations_stories.register()
    SuccessStoryFactory(subject=people.employee, awaiting=True, title="Asked about this one")
    SuccessStoryFactory(subject=people.employee, title="Not asked yet")
    page = login(people.employee).get(reverse("careers:record",
                                              kwargs={"org_slug": people.org.slug}))
    body = page.content.decode()
    assert "Asked about this one" in body and "Not asked yet" not in body
