"""The health-check action plan: HR admins and leaders create, change, complete and remove
actions; owners are told and see theirs on their home page; everyone else gets 404."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import Notification
from hr_admin import registrations_health_quick
from hr_admin.models import HealthAction
from hr_admin.services import health_actions as actions
from hr_admin.services import health_quick as quick
from organizations import tenancy
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent

from .health_quick_answers import answers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _panels():
    registrations_health_quick.register()


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def make_action(people, **fields):
    with tenancy.organization_scope(people.org):
        return actions.health_action_create(organization=people.org, actor=people.hr,
                                            **{"title": "Run a workshop", **fields})


def test_create_from_a_strategy_prefills_and_links_it(people, login):
    with tenancy.organization_scope(people.org):
        survey = quick.quick_assessment_create(organization=people.org, actor=people.leader,
                                               answers=answers())
    client = login(people.leader)
    page = client.get(url("health_action_create", people.org)
                      + f"?survey={survey.pk}&dimension=hr_tools&strategy=hr-paths")
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Publish career paths and skills profiles"
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(url("health_action_create", people.org)
                           + f"?survey={survey.pk}", {
                               "title": "Publish paths for engineering", "notes": "Start small",
                               "owner": people.manager.pk, "due_on": due.isoformat(),
                               "dimension": "hr_tools", "strategy": "hr-paths",
                               "survey": survey.pk})
    assert response.status_code == 302
    with tenancy.organization_scope(people.org):
        action = HealthAction.objects.for_org(people.org).get()
        assert (action.survey, action.dimension, action.strategy, action.owner, action.due_on) \
            == (survey, "hr_tools", "hr-paths", people.manager, due)
        note = Notification.objects.for_org(people.org).get(recipient=people.manager)
        assert note.kind == "people" and "Publish paths for engineering" in note.title
        assert AuditEvent.objects_unscoped.filter(action="hr.health_action_created").exists()
    listing = client.get(url("health_actions", people.org)).content.decode()
    assert "Publish paths for engineering" in listing
    assert "HR tools and processes" in listing


def test_bad_input_re_renders_with_field_errors(people, login):
    client = login(people.hr)
    response = client.post(url("health_action_create", people.org),
                           {"title": "  ", "dimension": "skills", "strategy": "hr-paths"})
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    with tenancy.organization_scope(people.org):
        assert not HealthAction.objects.for_org(people.org).exists()


def test_another_organisations_member_cannot_own_an_action(people, other_people, login):
    response = login(people.hr).post(url("health_action_create", people.org),
                                     {"title": "Mentoring", "owner": other_people.hr.pk})
    assert response.status_code == 400
    assert "owner" in response.context["form"].errors


def test_edit_reassigns_and_tells_the_new_owner(people, login):
    action = make_action(people, owner=people.manager)
    client = login(people.leader)
    response = client.post(url("health_action_edit", people.org, health_action_id=action.pk),
                           {"title": "Run two workshops", "owner": people.employee.pk,
                            "dimension": "conversations"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner, action.dimension) == ("Run two workshops",
                                                              people.employee, "conversations")
    with tenancy.organization_scope(people.org):
        assert Notification.objects.for_org(people.org).filter(
            recipient=people.employee, kind="people").count() == 1


def test_done_toggle_and_delete(people, login):
    action = make_action(people)
    client = login(people.hr)
    client.post(url("health_action_done", people.org, health_action_id=action.pk), {"done": "1"})
    action.refresh_from_db()
    assert action.is_done
    client.post(url("health_action_done", people.org, health_action_id=action.pk), {"done": "0"})
    action.refresh_from_db()
    assert not action.is_done
    assert client.get(url("health_action_done", people.org,
                          health_action_id=action.pk)).status_code == 405
    confirm = client.get(url("health_action_delete", people.org, health_action_id=action.pk))
    assert "Remove “Run a workshop”?" in confirm.content.decode()
    client.post(url("health_action_delete", people.org, health_action_id=action.pk))
    with tenancy.organization_scope(people.org):
        assert not HealthAction.objects.for_org(people.org).exists()


def test_overdue_actions_are_highlighted_and_grouped_by_dimension(people, login):
    make_action(people, title="Late one", dimension="skills",
                due_on=timezone.localdate() - timedelta(days=2))
    make_action(people, title="On time", dimension="managers",
                due_on=timezone.localdate() + timedelta(days=2))
    body = login(people.hr).get(url("health_actions", people.org)).content.decode()
    assert body.index("Managers support development") < body.index("Skills and learning")
    late = body[body.index("Late one") - 600:body.index("Late one")]
    assert "hq-action--overdue" in late
    on_time = body[body.index("On time") - 600:body.index("On time")]
    assert "hq-action--overdue" not in on_time
    assert "Overdue since" in body


def test_empty_plan_says_what_to_do(people, login):
    body = login(people.leader).get(url("health_actions", people.org)).content.decode()
    assert "No actions yet" in body and url("health_quick", people.org) in body


def test_list_costs_the_same_queries_for_few_and_many(people, login):
    client = login(people.hr)
    make_action(people, owner=people.manager, dimension="skills")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("health_actions", people.org)).status_code == 200
    for i in range(6):
        owner = MembershipFactory(organization=people.org)
        make_action(people, title=f"Action {i}", owner=owner,
                    dimension=["skills", "managers", ""][i % 3],
                    due_on=timezone.localdate() - timedelta(days=i))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("health_actions", people.org)).status_code == 200
    assert len(few) == len(many)


@pytest.mark.parametrize("role", ["employee", "manager"])
def test_others_find_no_action_plan(people, login, role):
    action = make_action(people)
    client = login(people.by_role()[role])
    for name in ("health_actions", "health_action_create"):
        assert client.get(url(name, people.org)).status_code == 404
    for name in ("health_action_edit", "health_action_delete"):
        assert client.get(url(name, people.org, health_action_id=action.pk)).status_code == 404
    assert client.post(url("health_action_done", people.org,
                           health_action_id=action.pk)).status_code == 404
    assert client.get(api("health-action-list", people.org)).status_code == 404
    assert client.delete(api("health-action-detail", people.org,
                             health_action_id=action.pk)).status_code == 404
    action.refresh_from_db()
    assert not action.is_done


def test_another_organisations_action_is_404(people, other_people, login):
    with tenancy.organization_scope(other_people.org):
        theirs = actions.health_action_create(organization=other_people.org,
                                              actor=other_people.hr, title="Theirs")
    client = login(people.hr)
    assert client.get(url("health_action_edit", people.org,
                          health_action_id=theirs.pk)).status_code == 404
    assert client.post(url("health_action_done", people.org,
                           health_action_id=theirs.pk)).status_code == 404
    assert client.get(api("health-action-detail", people.org,
                          health_action_id=theirs.pk)).status_code == 404


def test_owner_sees_their_actions_at_home_and_marks_them_done(people, login):
    mine = make_action(people, title="Hold three career conversations", owner=people.employee,
                       due_on=timezone.localdate() - timedelta(days=1))
    make_action(people, title="Someone else's", owner=people.manager)
    client = login(people.employee)
    home = client.get(reverse("organizations:home", kwargs={"org_slug": people.org.slug}))
    body = home.content.decode()
    assert "Health-check actions you own" in body
    assert "Hold three career conversations" in body and "Someone else" not in body
    assert "Overdue since" in body
    response = client.post(url("health_action_done", people.org, health_action_id=mine.pk),
                           {"done": "1", "next": "/"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.is_done
    home = client.get(reverse("organizations:home", kwargs={"org_slug": people.org.slug}))
    assert "Health-check actions you own" not in home.content.decode()


def test_members_without_actions_see_no_panel(people, login):
    home = login(people.manager).get(reverse("organizations:home",
                                             kwargs={"org_slug": people.org.slug}))
    assert "Health-check actions you own" not in home.content.decode()


def test_api_crud_with_field_errors(people, login):
    client = login(people.leader)
    bad = client.post(api("health-action-list", people.org),
                      {"title": "", "dimension": "nope"}, content_type="application/json")
    assert bad.status_code == 400
    assert {"title", "dimension"} <= set(bad.json()["errors"])
    created = client.post(api("health-action-list", people.org),
                          {"title": "Name champions", "owner": people.hr.pk,
                           "dimension": "recognition", "strategy": "rec-champions",
                           "due_on": "2030-01-31"}, content_type="application/json")
    assert created.status_code == 201
    action_id = created.json()["id"]
    assert created.json()["owner_name"] == people.hr.display_name
    detail = api("health-action-detail", people.org, health_action_id=action_id)
    mismatch = client.patch(detail, {"strategy": "hr-paths"}, content_type="application/json")
    assert mismatch.status_code == 400 and "strategy" in mismatch.json()["errors"]
    done = client.patch(detail, {"is_done": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["is_done"] is True
    assert done.json()["title"] == "Name champions"
    listed = client.get(api("health-action-list", people.org)).json()
    assert [a["id"] for a in listed["results"]] == [action_id]
    assert client.delete(detail).status_code == 204
    assert client.get(detail).status_code == 404
