"""The recommendations pages: a manager writes and withdraws, HR decides from its queue, leaders
read; the profile panel. Through real URLs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations import registrations_feedback
from conversations.factories import RecommendationFactory
from conversations.models import (
    Notification,
    Recommendation,
    RecommendationKind,
    RecommendationStatus,
)
from organizations.factories import MembershipFactory
from organizations.models import AuditEvent
from skills.factories import FrameworkFactory, RoleProfileFactory

pytestmark = pytest.mark.django_db

WHY = "Ran the platform migration end to end and coached two new joiners through it."


@pytest.fixture(autouse=True)
def _panels():
    registrations_feedback.register()


@pytest.fixture
def role(people):
    return RoleProfileFactory(framework=FrameworkFactory(organization=people.org),
                              title="Staff Engineer")


def url(name, org, **kwargs):
    return reverse(f"conversations:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The manager --------------------------------------------------------------------------------


def test_a_manager_with_nothing_written_yet_is_shown_the_form(people, login):
    response = login(people.manager).get(url("recommendations", people.org))
    assert response.status_code == 200
    page = text(response)
    assert "You have not recommended anyone yet" in page
    assert 'id="recommend"' in page
    offered = {value for value, _label in response.context["form"].fields["member"].choices}
    assert offered == {"", people.employee.pk}


def test_a_manager_recommends_a_report_and_hr_is_told(
        people, login, role, django_capture_on_commit_callbacks):
    client = login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("recommendation_create", people.org), {
            "member": people.employee.pk, "kind": RecommendationKind.ROLE, "role": role.pk,
            "opportunity": "", "rationale": WHY}, follow=True)
    made = Recommendation.objects_unscoped.get()
    assert response.redirect_chain[-1][0] == url("recommendation", people.org,
                                                 recommendation_id=made.pk)
    assert "Recommendation sent to HR." in messages_of(response)[0]
    assert (made.kind, made.role, made.author) == (RecommendationKind.ROLE, role, people.manager)
    assert WHY in text(response)
    assert Notification.objects_unscoped.filter(recipient=people.hr).exists()
    listed = text(client.get(url("recommendations", people.org)))
    assert "Staff Engineer" in listed and "Waiting for HR" in listed


def test_bad_input_comes_back_with_field_messages(people, login):
    response = login(people.manager).post(url("recommendation_create", people.org), {
        "member": people.employee.pk, "kind": RecommendationKind.ROLE, "role": "",
        "rationale": "Short"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["role"] == ["Choose the role profile you recommend them for."]
    assert "Say a little more" in errors["rationale"][0]
    assert "Short</textarea>" in text(response)
    assert not Recommendation.objects_unscoped.exists()


def test_a_report_of_another_manager_is_not_a_valid_choice(people, login):
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    their_report = MembershipFactory(organization=people.org, manager=other_manager)
    response = login(people.manager).post(url("recommendation_create", people.org), {
        "member": their_report.pk, "kind": RecommendationKind.PROMOTION, "rationale": WHY})
    assert response.status_code == 400
    assert "Select a valid choice" in response.context["form"].errors["member"][0]


def test_an_employee_with_no_reports_has_no_recommendations_page(people, login):
    assert login(people.employee).get(url("recommendations", people.org)).status_code == 403


def test_the_author_withdraws_a_pending_recommendation(people, login):
    made = RecommendationFactory(member=people.employee, rationale=WHY)
    client = login(people.manager)
    path = url("recommendation_withdraw", people.org, recommendation_id=made.pk)
    assert client.get(path).status_code == 200
    response = client.post(path, follow=True)
    assert "Recommendation withdrawn." in messages_of(response)[0]
    made.refresh_from_db()
    assert made.status == RecommendationStatus.WITHDRAWN


def test_hr_cannot_withdraw_a_managers_recommendation(people, login):
    made = RecommendationFactory(member=people.employee)
    path = url("recommendation_withdraw", people.org, recommendation_id=made.pk)
    assert login(people.hr).post(path).status_code == 403


# --- HR's queue ---------------------------------------------------------------------------------


def test_hr_sees_the_pending_queue_and_filters_by_status(people, login):
    RecommendationFactory(member=people.employee, rationale=WHY)
    RecommendationFactory(member=people.employee, rationale="Declined one, with its reasons.",
                          status=RecommendationStatus.DECLINED)
    client = login(people.hr)
    pending = client.get(url("recommendations", people.org))
    assert pending.status_code == 200
    assert pending.context["view"] == "queue"
    assert WHY[:40] in text(pending)
    assert "Declined one" not in text(pending)
    assert "Review and decide" in text(pending)
    declined = text(client.get(url("recommendations", people.org) + "?status=declined"))
    assert "Declined one" in declined and WHY[:40] not in declined
    everything = text(client.get(url("recommendations", people.org) + "?status="))
    assert "Declined one" in everything and WHY[:40] in everything
    assert AuditEvent.objects_unscoped.filter(
        action="conversations.recommendations_listed", actor=people.hr).exists()


def test_hr_decides_and_the_author_is_told(people, login, django_capture_on_commit_callbacks):
    made = RecommendationFactory(member=people.employee, rationale=WHY)
    client = login(people.hr)
    detail = client.get(url("recommendation", people.org, recommendation_id=made.pk))
    assert 'id="decide"' in text(detail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("recommendation_decide", people.org,
                                   recommendation_id=made.pk),
                               {"decision": "accepted", "decision_note": "In the March round."},
                               follow=True)
    assert messages_of(response) == [
        f"Recommendation accepted. {people.manager.display_name}, who wrote it, has been told."]
    made.refresh_from_db()
    assert (made.status, made.decided_by) == (RecommendationStatus.ACCEPTED, people.hr)
    notification = Notification.objects_unscoped.get(recipient=people.manager)
    page = text(login(people.manager).get(notification.url))
    assert "In the March round." in page


def test_a_decision_without_a_note_comes_back_with_a_message(people, login):
    made = RecommendationFactory(member=people.employee)
    response = login(people.hr).post(url("recommendation_decide", people.org,
                                         recommendation_id=made.pk),
                                     {"decision": "declined", "decision_note": ""})
    assert response.status_code == 400
    assert "decision_note" in response.context["decision_form"].errors
    made.refresh_from_db()
    assert made.status == RecommendationStatus.PENDING


def test_leaders_read_the_queue_but_do_not_decide(people, login):
    made = RecommendationFactory(member=people.employee, rationale=WHY)
    client = login(people.leader)
    page = text(client.get(url("recommendations", people.org)))
    assert WHY[:40] in page
    assert "Review and decide" not in page
    detail = text(client.get(url("recommendation", people.org, recommendation_id=made.pk)))
    assert WHY in detail and 'id="decide"' not in detail
    response = client.post(url("recommendation_decide", people.org, recommendation_id=made.pk),
                           {"decision": "accepted", "decision_note": "Yes."})
    assert response.status_code == 403


def test_a_manager_who_is_also_hr_has_both_tabs(people, login):
    people.manager.is_hr_admin = True
    people.manager.save(update_fields=["is_hr_admin"])
    response = login(people.manager).get(url("recommendations", people.org) + "?view=mine")
    assert response.context["views"] == ["queue", "mine"]
    assert response.context["view"] == "mine"


# --- Who may open one ---------------------------------------------------------------------------


def test_the_member_concerned_never_finds_it_even_as_hr(people, login):
    about_employee = RecommendationFactory(member=people.employee)
    about_hr = RecommendationFactory(member=people.hr, author=people.leader)
    for member, made in ((people.employee, about_employee), (people.hr, about_hr)):
        client = login(member)
        for name in ("recommendation", "recommendation_withdraw", "recommendation_decide"):
            path = url(name, people.org, recommendation_id=made.pk)
            assert client.get(path).status_code in (404,), (member, name)
            assert client.post(path).status_code == 404


def test_another_manager_does_not_find_it(people, login):
    made = RecommendationFactory(member=people.employee)
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    client = login(other_manager)
    assert client.get(url("recommendation", people.org,
                          recommendation_id=made.pk)).status_code == 404
    listed = client.get(url("recommendations", people.org))
    assert listed.status_code == 200
    assert list(listed.context["items"]) == []


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["hr", "manager"])
def test_the_list_runs_the_same_queries_for_3_or_30_recommendations(people, login, role, who):
    client = login(people.by_role()[who])
    path = url("recommendations", people.org) + "?status="

    def add(n):
        for i in range(n):
            report = MembershipFactory(organization=people.org, manager=people.manager)
            RecommendationFactory(member=report, role=role if i % 2 else None,
                                  status=RecommendationStatus.values[i % 4],
                                  decided_by=people.hr if i % 4 in (1, 2) else None)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(3)
    small = queries()
    add(27)
    large = queries()
    assert small == large
    print(f"\nrecommendations page ({who}): {small} queries for 3 and for 30")


# --- The profile panel --------------------------------------------------------------------------


def profile(org, member):
    return reverse("organizations:member_detail", kwargs={"org_slug": org.slug,
                                                          "member_id": member.pk})


def test_a_manager_recommends_from_a_reports_profile(people, login):
    RecommendationFactory(member=people.employee, rationale=WHY)
    page = text(login(people.manager).get(profile(people.org, people.employee)))
    assert "Recommend " in page
    assert f"?view=mine&amp;member={people.employee.pk}#recommend" in page
    assert "Waiting for HR" in page


def test_hr_sees_every_recommendation_about_a_member_on_their_profile(people, login):
    RecommendationFactory(member=people.employee)
    page = text(login(people.hr).get(profile(people.org, people.employee)))
    assert "Every recommendation about" in page
    assert "Waiting for HR" in page


def test_the_member_sees_no_recommendations_panel_on_their_own_profile(people, login):
    RecommendationFactory(member=people.employee, rationale=WHY)
    page = text(login(people.employee).get(profile(people.org, people.employee)))
    assert "cf-rec-panel-title" not in page
    assert "Waiting for HR" not in page
    assert WHY not in page
