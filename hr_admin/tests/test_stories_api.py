"""The success stories API: writing, consent, publishing, and who reads what."""

import pytest
from django.urls import reverse

from hr_admin.models import StoryStatus, SuccessStory
from hr_admin.tests.factories_stories import MoveFactory, SuccessStoryFactory

pytestmark = pytest.mark.django_db

BODY = ("Three years in support, a six-week gig with the platform team, and now she builds "
        "the tools her old team uses every day.")


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_hr_writes_asks_and_publishes_once_the_member_agrees(people, login):
    move = MoveFactory(member=people.employee)
    hr, member = login(people.hr), login(people.employee)
    response = post(hr, api("story-list", people.org), {
        "subject": people.employee.pk, "move": move.pk, "title": "From support to platform",
        "body": BODY})
    assert response.status_code == 201
    story_id = response.json()["id"]
    assert response.json()["move"]["kind"] == "promotion"
    refused = post(hr, api("story-publish", people.org, story_id=story_id))
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["status"]
    assert post(hr, api("story-request-consent", people.org,
                        story_id=story_id)).json()["status"] == "awaiting_consent"
    answered = post(member, api("story-consent", people.org, story_id=story_id),
                    {"answer": "give"})
    assert answered.json()["has_consent"] is True
    published = post(hr, api("story-publish", people.org, story_id=story_id))
    assert published.status_code == 200 and published.json()["status"] == "published"
    rows = login(people.manager).get(api("story-list", people.org)).json()["results"]
    assert [r["id"] for r in rows] == [story_id]
    withdrawn = post(member, api("story-consent", people.org, story_id=story_id),
                     {"answer": "withdraw"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert login(people.manager).get(api("story-list", people.org)).json()["results"] == []


def test_bad_stories_are_400_with_messages_by_field(people, other_people, login):
    hr = login(people.hr)
    response = post(hr, api("story-list", people.org), {
        "subject": other_people.employee.pk, "title": "", "body": BODY})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"subject", "title"}
    response = post(hr, api("story-list", people.org), {
        "subject": people.employee.pk, "move": MoveFactory(member=people.manager).pk,
        "title": "T", "body": "Short"})
    assert set(response.json()["errors"]) == {"move", "body"}
    assert not SuccessStory.objects_unscoped.exists()


def test_an_employee_cannot_read_or_write_drafts(people, login):
    draft = SuccessStoryFactory(subject=people.manager, awaiting=True)
    client = login(people.employee)
    assert client.get(api("story-detail", people.org, story_id=draft.pk)).status_code == 404
    assert post(client, api("story-consent", people.org, story_id=draft.pk),
                {"answer": "give"}).status_code == 404
    assert client.get(api("story-list", people.org) + "?view=in_progress").status_code == 403
    assert post(client, api("story-list", people.org), {
        "subject": people.manager.pk, "title": "T", "body": BODY}).status_code == 403


def test_the_member_lists_the_stories_about_them_once_asked(people, login):
    asked = SuccessStoryFactory(subject=people.employee, awaiting=True)
    SuccessStoryFactory(subject=people.employee)  # not asked yet
    rows = login(people.employee).get(api("story-list", people.org)
                                      + "?view=about_me").json()["results"]
    assert [r["id"] for r in rows] == [asked.pk]


def test_editing_clears_consent_and_deleting_removes_it(people, login):
    story = SuccessStoryFactory(subject=people.employee, published=True)
    hr = login(people.hr)
    response = hr.patch(api("story-detail", people.org, story_id=story.pk),
                        {"body": BODY + " New ending."}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["has_consent"]) == ("draft", False)
    assert login(people.employee).delete(api("story-detail", people.org,
                                             story_id=story.pk)).status_code == 404
    assert hr.delete(api("story-detail", people.org, story_id=story.pk)).status_code == 204
    assert not SuccessStory.objects_unscoped.filter(status=StoryStatus.DRAFT).exists()
