"""Success stories through real URLs: the stories page, writing and consent, the home panel,
who sees a draft, and the queries each list costs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.models import Notification
from hr_admin import registrations_stories
from hr_admin.models import StoryStatus, SuccessStory
from hr_admin.tests.factories_stories import MoveFactory, SuccessStoryFactory
from organizations.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

BODY = ("Three years in support, a six-week gig with the platform team, and now she builds "
        "the tools her old team uses every day.")


@pytest.fixture(autouse=True)
def _panels():
    registrations_stories.register()


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def home(org):
    return reverse("organizations:home", kwargs={"org_slug": org.slug})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


# --- Who sees a story ---------------------------------------------------------------------------


def test_an_employee_cannot_see_anothers_draft(people, login):
    colleague = MembershipFactory(organization=people.org)
    draft = SuccessStoryFactory(subject=colleague, awaiting=True, title="A draft in the works")
    client = login(people.employee)
    for name in ("story", "story_consent", "story_edit"):
        assert client.get(url(name, people.org, story_id=draft.pk)).status_code == 404
    assert client.post(url("story_publish", people.org, story_id=draft.pk)).status_code == 404
    assert "A draft in the works" not in text(client.get(url("stories", people.org)))
    # Its own member, once asked, and HR and leaders do see it.
    assert login(colleague).get(url("story", people.org, story_id=draft.pk)).status_code == 200
    for member in (people.hr, people.leader):
        assert login(member).get(url("story", people.org, story_id=draft.pk)).status_code == 200


def test_the_member_does_not_see_a_draft_before_they_are_asked(people, login):
    draft = SuccessStoryFactory(subject=people.employee)
    assert login(people.employee).get(url("story", people.org,
                                          story_id=draft.pk)).status_code == 404


def test_everyone_reads_a_published_story_and_the_stories_page(people, login):
    story = SuccessStoryFactory(subject=people.manager, published=True, title="Up the ladder")
    client = login(people.employee)
    assert "Up the ladder" in text(client.get(url("stories", people.org)))
    response = client.get(url("story", people.org, story_id=story.pk))
    assert response.status_code == 200 and story.body[:40] in text(response)
    assert "Write a story" not in text(client.get(url("stories", people.org)))
    assert client.get(url("story_create", people.org)).status_code == 403


# --- The home panel -----------------------------------------------------------------------------


def test_the_home_panel_shows_published_stories_only(people, login):
    SuccessStoryFactory(subject=people.manager, published=True, title="Published and proud")
    SuccessStoryFactory(subject=people.leader, awaiting=True, title="Still waiting for consent")
    SuccessStoryFactory(subject=people.hr, status=StoryStatus.WITHDRAWN, title="Withdrawn one")
    for member in (people.employee, people.hr):
        page = text(login(member).get(home(people.org)))
        assert "Published and proud" in page
        assert "Still waiting for consent" not in page and "Withdrawn one" not in page
        assert url("stories", people.org) in page


def test_with_nothing_published_employees_see_no_panel_and_writers_a_prompt(people, login):
    SuccessStoryFactory(subject=people.manager, awaiting=True)
    assert "stories-panel-title" not in text(login(people.employee).get(home(people.org)))
    page = text(login(people.leader).get(home(people.org)))
    assert "No stories published yet" in page and url("story_create", people.org) in page


def test_the_home_panel_costs_the_same_queries_for_one_or_many_stories(people, login):
    client = login(people.employee)
    SuccessStoryFactory(subject=people.manager, published=True,
                        move=MoveFactory(member=people.manager))
    client.get(home(people.org))
    few = count_queries(client, home(people.org))
    for _ in range(8):
        member = MembershipFactory(organization=people.org)
        SuccessStoryFactory(subject=member, published=True, move=MoveFactory(member=member))
    assert count_queries(client, home(people.org)) == few
    panels = client.get(home(people.org)).context["panels"]["main"]
    panel = next(p for p in panels if p["template"] == "hr_admin/stories/_home_panel.html")
    assert len(panel["context"]["stories"]) == 3


# --- Lists --------------------------------------------------------------------------------------


def test_the_stories_page_costs_the_same_queries_for_two_or_twenty_stories(people, login):
    def add(n, **kwargs):
        for _ in range(n):
            member = MembershipFactory(organization=people.org,
                                       team=TeamFactory(organization=people.org))
            SuccessStoryFactory(subject=member, move=MoveFactory(member=member), **kwargs)

    add(2, published=True)
    add(2, awaiting=True)
    hr = login(people.hr)
    employee = login(people.employee)
    paths = [(employee, url("stories", people.org)), (hr, url("stories", people.org)),
             (hr, url("stories", people.org) + "?view=in_progress")]
    few = [count_queries(client, path) for client, path in paths]
    add(18, published=True)
    add(18, awaiting=True)
    assert [count_queries(client, path) for client, path in paths] == few


def test_hr_and_leaders_see_the_stories_in_progress_by_status(people, login):
    SuccessStoryFactory(subject=people.employee, title="Draft one")
    SuccessStoryFactory(subject=people.manager, awaiting=True, title="Asked one")
    response = login(people.leader).get(url("stories", people.org) + "?view=in_progress")
    page = text(response)
    assert "Draft one" in page and "Asked one" in page
    response = login(people.leader).get(url("stories", people.org)
                                        + "?view=in_progress&status=awaiting_consent")
    assert [s.title for s in response.context["page"].object_list] == ["Asked one"]
    # Not for employees: the tab falls back to published stories.
    response = login(people.employee).get(url("stories", people.org) + "?view=in_progress")
    assert response.context["view"] == "published"
    assert "Draft one" not in text(response)


# --- Writing, consent and publishing ------------------------------------------------------------


def test_hr_writes_a_story_about_a_members_move_through_the_pages(people, login):
    move = MoveFactory(member=people.employee)
    client = login(people.hr)
    chooser = client.get(url("story_create", people.org) + "?q="
                         + people.employee.user.last_name)
    assert people.employee in chooser.context["found"]
    form = client.get(url("story_create", people.org) + f"?member={people.employee.pk}")
    assert "Promotion" in text(form)
    response = client.post(url("story_create", people.org), {
        "subject": people.employee.pk, "move": move.pk, "title": "From support to platform",
        "body": BODY}, follow=True)
    story = SuccessStory.objects_unscoped.get()
    assert response.redirect_chain[-1][0] == url("story", people.org, story_id=story.pk)
    assert messages_of(response)[0].startswith("Draft saved.")
    assert (story.subject, story.move, story.status) == (people.employee, move,
                                                         StoryStatus.DRAFT)


def test_bad_input_comes_back_with_messages(people, login):
    other_move = MoveFactory(member=people.manager)
    response = login(people.hr).post(url("story_create", people.org), {
        "subject": people.employee.pk, "move": other_move.pk, "title": "", "body": "Short"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"move", "title"}
    response = login(people.hr).post(url("story_create", people.org), {
        "subject": people.employee.pk, "title": "A title", "body": "Short"})
    assert response.status_code == 400
    assert "Say a little more" in response.context["form"].errors["body"][0]
    assert "Short</textarea>" in text(response)
    response = login(people.hr).post(url("story_create", people.org), {
        "subject": people.hr.pk, "title": "About me", "body": BODY})
    assert response.status_code == 400 and "subject" in response.context["form"].errors
    assert not SuccessStory.objects_unscoped.exists()


def test_publishing_without_consent_is_refused_on_the_page(people, login):
    story = SuccessStoryFactory(subject=people.employee, awaiting=True)
    client = login(people.hr)
    detail = client.get(url("story", people.org, story_id=story.pk))
    assert detail.context["can_publish"] is False
    assert "Publishing needs" in text(detail)
    response = client.post(url("story_publish", people.org, story_id=story.pk), follow=True)
    assert "has not agreed yet" in messages_of(response)[0]
    story.refresh_from_db()
    assert story.status == StoryStatus.AWAITING_CONSENT and story.published_at is None


def test_the_full_path_ask_consent_publish_then_withdraw(
        people, login, django_capture_on_commit_callbacks):
    story = SuccessStoryFactory(subject=people.employee, author=people.hr, title="Ask first")
    hr, member = login(people.hr), login(people.employee)
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(url("story_request_consent", people.org, story_id=story.pk),
                           follow=True)
    assert messages_of(response)[0].endswith("You will be told when they answer.")
    told = Notification.objects_unscoped.get(recipient=people.employee)
    consent_page = member.get(told.url)
    assert consent_page.status_code == 200
    assert "Ask first" in text(consent_page) and "I agree" in text(consent_page)
    response = member.post(told.url, {"decision": "give"}, follow=True)
    assert messages_of(response)[0].startswith("Thank you.")
    story.refresh_from_db()
    assert story.consent_given_at is not None
    hr.post(url("story_publish", people.org, story_id=story.pk))
    assert "Ask first" in text(login(people.manager).get(home(people.org)))
    response = member.post(told.url, {"decision": "withdraw"}, follow=True)
    assert messages_of(response) == ["Consent withdrawn. The story is no longer published."]
    story.refresh_from_db()
    assert story.status == StoryStatus.WITHDRAWN
    assert "Ask first" not in text(login(people.manager).get(home(people.org)))
    assert login(people.manager).get(url("story", people.org,
                                         story_id=story.pk)).status_code == 404


def test_the_member_declines_and_the_story_stays_unpublished(people, login):
    story = SuccessStoryFactory(subject=people.employee, awaiting=True)
    response = login(people.employee).post(url("story_consent", people.org, story_id=story.pk),
                                           {"decision": "decline"}, follow=True)
    assert messages_of(response)[0].startswith("Understood")
    story.refresh_from_db()
    assert story.status == StoryStatus.DECLINED and story.consent_withdrawn_at is not None


def test_only_the_member_uses_the_consent_page(people, login):
    story = SuccessStoryFactory(subject=people.employee, awaiting=True)
    assert login(people.hr).get(url("story_consent", people.org,
                                    story_id=story.pk)).status_code == 403
    assert login(people.hr).post(url("story_consent", people.org, story_id=story.pk),
                                 {"decision": "give"}).status_code == 403
    story.refresh_from_db()
    assert story.consent_given_at is None


def test_editing_a_published_story_unpublishes_it_until_the_member_agrees_again(people, login):
    story = SuccessStoryFactory(subject=people.employee, published=True)
    client = login(people.hr)
    form = client.get(url("story_edit", people.org, story_id=story.pk))
    assert "unpublishes the story" in text(form)
    response = client.post(url("story_edit", people.org, story_id=story.pk), {
        "move": "", "title": story.title, "body": BODY + " And she mentors now."}, follow=True)
    assert "ask for consent to the new words" in messages_of(response)[0]
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT and story.consent_given_at is None


def test_hr_deletes_a_story(people, login):
    story = SuccessStoryFactory(subject=people.employee)
    assert login(people.employee).get(url("story_delete", people.org,
                                          story_id=story.pk)).status_code == 404
    response = login(people.leader).post(url("story_delete", people.org, story_id=story.pk),
                                         follow=True)
    assert messages_of(response) == ["Story deleted."]
    assert not SuccessStory.objects_unscoped.exists()
