"""Writing, consenting to and publishing success stories, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conversations.models import Notification, NotificationKind
from hr_admin.models import StoryStatus, SuccessStory
from hr_admin.services import stories as services
from hr_admin.tests.factories_stories import MoveFactory, SuccessStoryFactory
from organizations.models import AuditEvent

pytestmark = pytest.mark.django_db

BODY = ("Three years in support, a six-week gig with the platform team, and now she builds "
        "the tools her old team uses every day.")


def errors_of(excinfo) -> dict:
    return {k: v[0] for k, v in excinfo.value.message_dict.items()}


def write(people, *, actor=None, subject=None, move=None, title="From support to platform"):
    return services.story_create(organization=people.org, actor=actor or people.hr,
                                 subject=subject or people.employee, move=move, title=title,
                                 body=BODY)


def ask(people, story):
    return services.story_request_consent(organization=people.org, actor=people.hr,
                                          story=story)


def give(people, story):
    return services.story_consent_give(organization=people.org, actor=people.employee,
                                       story=story)


def publish(people, story, actor=None):
    return services.story_publish(organization=people.org, actor=actor or people.leader,
                                  story=story)


# --- Writing ------------------------------------------------------------------------------------


def test_hr_or_a_leader_writes_a_draft_about_a_members_move(people):
    move = MoveFactory(member=people.employee)
    story = write(people, move=move)
    assert (story.status, story.subject, story.move, story.author) == (
        StoryStatus.DRAFT, people.employee, move, people.hr)
    assert write(people, actor=people.leader).author == people.leader


def test_employees_and_managers_do_not_write_stories(people):
    for actor in (people.employee, people.manager):
        with pytest.raises(PermissionDenied):
            write(people, actor=actor, subject=people.leader)


def test_a_story_is_about_someone_else_and_one_of_their_own_moves(people, other_people):
    with pytest.raises(ValidationError) as excinfo:
        write(people, subject=people.hr, move=MoveFactory(member=people.manager), title="")
    assert set(errors_of(excinfo)) == {"subject", "move", "title"}
    with pytest.raises(ValidationError) as excinfo:
        write(people, subject=other_people.employee)
    assert "subject" in errors_of(excinfo)
    assert not SuccessStory.objects_unscoped.exists()


# --- Consent and publishing ---------------------------------------------------------------------


def test_publishing_without_consent_is_refused_whatever_the_status(people):
    story = write(people)
    with pytest.raises(ValidationError) as excinfo:
        publish(people, story)
    assert errors_of(excinfo)["status"].startswith("Ask ")
    ask(people, story)
    with pytest.raises(ValidationError) as excinfo:
        publish(people, story)
    assert "has not agreed yet" in errors_of(excinfo)["status"]
    services.story_consent_decline(organization=people.org, actor=people.employee, story=story)
    with pytest.raises(ValidationError):
        publish(people, story)
    story.refresh_from_db()
    assert story.status == StoryStatus.DECLINED and story.published_at is None


def test_asking_for_consent_tells_the_member_in_app(people, django_capture_on_commit_callbacks):
    story = write(people)
    with django_capture_on_commit_callbacks(execute=True):
        ask(people, story)
    story.refresh_from_db()
    assert story.status == StoryStatus.AWAITING_CONSENT and story.consent_requested_at
    told = Notification.objects_unscoped.get(recipient=people.employee)
    assert told.kind == NotificationKind.STORY
    assert told.title == f"{people.hr.display_name} wrote a success story about you"
    assert told.url.endswith(f"/hr/stories/{story.pk}/consent/")
    with pytest.raises(ValidationError):
        ask(people, story)  # already waiting for an answer


def test_the_member_consents_with_the_time_recorded_and_then_it_can_be_published(
        people, django_capture_on_commit_callbacks):
    story = write(people)
    ask(people, story)
    with django_capture_on_commit_callbacks(execute=True):
        give(people, story)
    story.refresh_from_db()
    assert story.consent_given_at is not None and story.status == StoryStatus.DRAFT
    assert Notification.objects_unscoped.get(recipient=people.hr).title.endswith(
        "agreed: the story can be published")
    publish(people, story)
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED and story.published_at is not None


def test_only_the_member_answers_and_only_once_asked(people):
    story = write(people)
    with pytest.raises(ValidationError):
        give(people, story)  # not asked yet
    ask(people, story)
    for actor in (people.hr, people.manager):
        with pytest.raises(PermissionDenied):
            services.story_consent_give(organization=people.org, actor=actor, story=story)


def test_declining_is_recorded_with_its_time(people):
    story = write(people)
    ask(people, story)
    services.story_consent_decline(organization=people.org, actor=people.employee, story=story)
    story.refresh_from_db()
    assert story.status == StoryStatus.DECLINED and story.consent_withdrawn_at is not None
    assert story.consent_given_at is None
    assert AuditEvent.objects_unscoped.filter(action="stories.consent_declined").exists()
    # The member can change their mind.
    give(people, story)
    story.refresh_from_db()
    assert story.consent_given_at is not None


def test_withdrawing_consent_unpublishes_at_once(people, django_capture_on_commit_callbacks):
    story = write(people)
    ask(people, story)
    give(people, story)
    publish(people, story)
    with django_capture_on_commit_callbacks(execute=True):
        services.story_consent_withdraw(organization=people.org, actor=people.employee,
                                        story=story)
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN
    assert story.published_at is None and story.consent_given_at is None
    assert story.consent_withdrawn_at is not None
    with pytest.raises(ValidationError):
        publish(people, story)
    assert Notification.objects_unscoped.filter(
        recipient=people.hr, title__contains="withdrew consent").exists()


def test_withdrawal_wins_over_a_stale_copy_of_the_story(people):
    story = write(people)
    ask(people, story)
    give(people, story)
    stale = SuccessStory.objects_unscoped.get(pk=story.pk)  # loaded with consent
    services.story_consent_withdraw(organization=people.org, actor=people.employee, story=story)
    with pytest.raises(ValidationError):
        publish(people, stale)
    assert SuccessStory.objects_unscoped.get(pk=story.pk).status == StoryStatus.WITHDRAWN


def test_changing_the_words_after_consent_asks_again_and_unpublishes(people):
    story = write(people)
    ask(people, story)
    give(people, story)
    publish(people, story)
    services.story_update(organization=people.org, actor=people.hr, story=story,
                          title=story.title, body=BODY + " She also mentors two new joiners.")
    assert story.consent_reset
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT
    assert story.consent_given_at is None and story.published_at is None
    # Saving the same words changes nothing.
    services.story_update(organization=people.org, actor=people.hr, story=story,
                          title=story.title, body=story.body)
    assert not story.consent_reset


def test_a_published_story_can_be_taken_down_and_consent_stands(people):
    story = SuccessStoryFactory(subject=people.employee, published=True)
    services.story_unpublish(organization=people.org, actor=people.hr, story=story)
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT and story.consent_given_at is not None
    publish(people, story)
