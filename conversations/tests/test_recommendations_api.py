"""The recommendations API, through real URLs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.factories import RecommendationFactory
from conversations.models import Notification, RecommendationKind, RecommendationStatus
from organizations.factories import MembershipFactory
from skills.factories import FrameworkFactory, RoleProfileFactory

pytestmark = pytest.mark.django_db

WHY = "Has led the team's hardest project this year and grown two people while doing it."


def api(name, org, **kwargs):
    return reverse(f"conversations-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


# --- Writing and reading ------------------------------------------------------------------------


@pytest.fixture
def role(people):
    return RoleProfileFactory(framework=FrameworkFactory(organization=people.org),
                              title="Lead Engineer")


def test_a_manager_recommends_and_reads_it_back(people, login, role):
    client = login(people.manager)
    response = post(client, api("recommendation-list", people.org), {
        "member": people.employee.pk, "kind": "promotion", "role": role.pk, "rationale": WHY})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["role"]["title"], body["description"]) == (
        "pending", "Lead Engineer", "a promotion to Lead Engineer")
    listed = client.get(api("recommendation-list", people.org)).json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]


def test_bad_recommendations_are_a_400_with_messages_by_field(people, login, role):
    client = login(people.manager)
    response = post(client, api("recommendation-list", people.org),
                    {"member": people.employee.pk, "kind": "opportunity", "rationale": WHY})
    assert response.status_code == 400
    assert "opportunity" in response.json()["errors"]
    response = post(client, api("recommendation-list", people.org),
                    {"member": people.hr.pk, "kind": "promotion", "rationale": WHY})
    assert response.status_code == 400
    assert "member" in response.json()["errors"]
    role.is_active = False
    role.save(update_fields=["is_active"])
    response = post(client, api("recommendation-list", people.org), {
        "member": people.employee.pk, "kind": "role", "role": role.pk, "rationale": WHY})
    assert "role" in response.json()["errors"]


def test_the_list_is_what_each_reader_may_see(people, login):
    about_employee = RecommendationFactory(member=people.employee)
    about_hr = RecommendationFactory(member=people.hr, author=people.leader)
    path = api("recommendation-list", people.org)
    ids = {who: {r["id"] for r in login(m).get(path).json()["results"]}
           for who, m in people.by_role().items()}
    assert ids == {"employee": set(), "manager": {about_employee.pk},
                   "hr": {about_employee.pk}, "leader": {about_employee.pk, about_hr.pk}}
    mine = login(people.leader).get(path + "?mine=true").json()["results"]
    assert [r["id"] for r in mine] == [about_hr.pk]
    pending = login(people.hr).get(path + "?status=accepted").json()
    assert pending["count"] == 0


def test_one_recommendation_is_404_for_the_member_and_other_managers(people, login):
    made = RecommendationFactory(member=people.employee, rationale=WHY)
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    path = api("recommendation-detail", people.org, recommendation_id=made.pk)
    for reader in (people.employee, other_manager):
        assert login(reader).get(path).status_code == 404
    for reader in (people.manager, people.hr, people.leader):
        assert login(reader).get(path).json()["rationale"] == WHY


def test_withdraw_and_decide_follow_the_roles(people, login, django_capture_on_commit_callbacks):
    made = RecommendationFactory(member=people.employee)
    decide = api("recommendation-decide", people.org, recommendation_id=made.pk)
    withdraw = api("recommendation-withdraw", people.org, recommendation_id=made.pk)
    assert post(login(people.leader), decide, {"decision": "accepted",
                                               "decision_note": "Yes"}).status_code == 403
    assert post(login(people.manager), decide, {"decision": "accepted",
                                                "decision_note": "Yes"}).status_code == 403
    assert post(login(people.hr), withdraw, {}).status_code == 403
    bad = post(login(people.hr), decide, {"decision": "withdrawn", "decision_note": ""})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"decision", "decision_note"}
    with django_capture_on_commit_callbacks(execute=True):
        done = post(login(people.hr), decide, {"decision": "declined",
                                               "decision_note": "Next cycle."})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["decided_by"]["id"]) == (
        "declined", people.hr.pk)
    assert Notification.objects_unscoped.filter(recipient=people.manager).exists()
    late = post(login(people.manager), withdraw, {})
    assert late.status_code == 400


def test_the_author_withdraws_through_the_api(people, login):
    made = RecommendationFactory(member=people.employee, kind=RecommendationKind.OPPORTUNITY,
                                 opportunity="Run the hack week")
    response = post(login(people.manager), api("recommendation-withdraw", people.org,
                                               recommendation_id=made.pk), {})
    assert response.status_code == 200
    assert response.json()["status"] == RecommendationStatus.WITHDRAWN


def test_the_queue_runs_the_same_queries_for_3_or_30(people, login, role):
    client = login(people.hr)
    path = api("recommendation-list", people.org)

    def add(n):
        for i in range(n):
            report = MembershipFactory(organization=people.org, manager=people.manager)
            RecommendationFactory(member=report, role=role if i % 2 else None,
                                  decided_by=people.hr if i % 3 else None)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(3)
    small = queries()
    add(27)
    assert queries() == small
