"""HR's recommendations queue: the list oldest first with the member's current role, deciding,
recording the move in the same step, and who may see any of it (pages and service)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.factories import RecommendationFactory
from conversations.models import Notification, RecommendationKind, RecommendationStatus
from hr_admin.models import Move, MoveKind, MoveSource
from hr_admin.services.recommendation_decisions import recommendation_decide_with_move
from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from skills.factories import FrameworkFactory, MemberRoleFactory, RoleProfileFactory
from skills.models import MemberRole

pytestmark = pytest.mark.django_db

WHY = "Ran the platform migration end to end and coached two new joiners through it."


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org)


@pytest.fixture
def engineer(framework):
    return RoleProfileFactory(framework=framework, title="Software Engineer II", grade="E2")


@pytest.fixture
def senior(framework):
    return RoleProfileFactory(framework=framework, title="Senior Software Engineer", grade="E3")


@pytest.fixture
def placed(people, engineer):
    """The employee, in a team, holding Software Engineer II since last year."""
    people.employee.team = TeamFactory(organization=people.org, name="Platform")
    people.employee.started_on = timezone.localdate() - timedelta(days=800)
    people.employee.save(update_fields=["team", "started_on"])
    MemberRoleFactory(member=people.employee, role=engineer,
                      since=timezone.localdate() - timedelta(days=400))
    return people.employee


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- The queue ----------------------------------------------------------------------------------


def test_hr_sees_pending_recommendations_oldest_first_with_what_they_weigh(
        people, login, placed, senior):
    newer = RecommendationFactory(member=placed, role=senior, rationale="Newer " + WHY)
    older = RecommendationFactory(member=placed, role=senior, rationale="Older " + WHY)
    older.created_at = timezone.now() - timedelta(days=20)
    older.save(update_fields=["created_at"])
    RecommendationFactory(member=placed, rationale="Declined already, for reasons.",
                          status=RecommendationStatus.DECLINED)
    response = login(people.hr).get(url("recommendations", people.org))
    assert response.status_code == 200
    assert [r.pk for r in response.context["items"]] == [older.pk, newer.pk]
    page = text(response)
    assert "Software Engineer II" in page and "Grade E2" in page
    assert "Senior Software Engineer" in page and "Grade E3" in page
    assert people.manager.display_name in page and "waiting 20 days" in page
    assert "Declined already" not in page and "Review and decide" in page
    assert AuditEvent.objects_unscoped.filter(action="hr.recommendations_listed",
                                              actor=people.hr).exists()


def test_the_queue_filters_by_status_and_kind(people, login, placed, senior):
    RecommendationFactory(member=placed, kind=RecommendationKind.OPPORTUNITY,
                          opportunity="Payments migration", rationale=WHY)
    RecommendationFactory(member=placed, role=senior, rationale="Declined one " + WHY,
                          status=RecommendationStatus.DECLINED)
    client = login(people.hr)
    opportunities = text(client.get(url("recommendations", people.org) + "?kind=opportunity"))
    assert "Payments migration" in opportunities
    declined = text(client.get(url("recommendations", people.org) + "?status=declined"))
    assert "Declined one" in declined and "Payments migration" not in declined


def test_leaders_read_the_queue_but_do_not_decide(people, login, placed, senior):
    made = RecommendationFactory(member=placed, role=senior, rationale=WHY)
    client = login(people.leader)
    page = text(client.get(url("recommendations", people.org)))
    assert WHY[:40] in page and "Review and decide" not in page
    detail = text(client.get(url("recommendation", people.org, recommendation_id=made.pk)))
    assert WHY in detail and 'id="decide"' not in detail
    response = client.post(url("recommendation_decide", people.org, recommendation_id=made.pk),
                           {"decision": "accepted", "decision_note": "Yes."})
    assert response.status_code == 403


def test_the_queue_runs_the_same_queries_for_3_or_30(people, login, senior, framework):
    client = login(people.hr)
    path = url("recommendations", people.org) + "?status="

    def add(n):
        for i in range(n):
            report = MembershipFactory(organization=people.org, manager=people.manager,
                                       team=TeamFactory(organization=people.org))
            MemberRoleFactory(member=report, role=RoleProfileFactory(framework=framework))
            RecommendationFactory(member=report, role=senior if i % 2 else None,
                                  status=RecommendationStatus.values[i % 4])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(3)
    small = queries()
    add(27)
    assert queries() == small
    print(f"\nrecommendations queue: {small} queries for 3 and for 30")


# --- Deciding -----------------------------------------------------------------------------------


def test_accepting_a_promotion_records_the_move_in_one_step(
        people, login, placed, senior, engineer, django_capture_on_commit_callbacks):
    made = RecommendationFactory(member=placed, kind=RecommendationKind.PROMOTION, role=senior,
                                 rationale=WHY)
    client = login(people.hr)
    detail = text(client.get(url("recommendation", people.org, recommendation_id=made.pk)))
    assert 'id="decide"' in detail and "Record the move" in detail
    effective = timezone.localdate() - timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("recommendation_decide", people.org,
                                   recommendation_id=made.pk), {
            "decision": "accepted", "decision_note": "In the March round.",
            "record_move": "on", "role": senior.pk, "effective_on": effective.isoformat()},
            follow=True)
    assert response.redirect_chain[-1][0] == url("recommendations", people.org)
    assert messages_of(response)[0].startswith("Recommendation accepted and the move recorded")
    made.refresh_from_db()
    assert made.status == RecommendationStatus.ACCEPTED
    link = MemberRole.objects_unscoped.get(member=placed)
    assert (link.role, link.since) == (senior, effective)
    move = Move.objects_unscoped.get(member=placed)
    assert (move.kind, move.source, move.recommendation, move.effective_on) == (
        MoveKind.PROMOTION, MoveSource.RECOMMENDATION, made, effective)
    assert (move.from_role, move.to_role, move.from_grade, move.to_grade) == (
        engineer, senior, "E2", "E3")
    assert Notification.objects_unscoped.filter(recipient=people.manager).exists()


def test_accepting_without_recording_changes_no_role(people, login, placed, senior, engineer):
    made = RecommendationFactory(member=placed, role=senior, rationale=WHY)
    login(people.hr).post(url("recommendation_decide", people.org, recommendation_id=made.pk),
                          {"decision": "accepted", "decision_note": "Next cycle."})
    made.refresh_from_db()
    assert made.status == RecommendationStatus.ACCEPTED
    assert MemberRole.objects_unscoped.get(member=placed).role == engineer
    assert not Move.objects_unscoped.exists()


def test_a_bad_move_leaves_the_recommendation_undecided(people, login, placed, senior):
    made = RecommendationFactory(member=placed, kind=RecommendationKind.PROMOTION, role=None,
                                 rationale=WHY)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(people.hr).post(url("recommendation_decide", people.org,
                                         recommendation_id=made.pk), {
        "decision": "accepted", "decision_note": "", "record_move": "on", "role": "",
        "effective_on": tomorrow.isoformat()})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"decision_note", "role", "effective_on"}
    assert "today or an earlier date" in errors["effective_on"][0]
    made.refresh_from_db()
    assert made.status == RecommendationStatus.PENDING
    assert not Move.objects_unscoped.exists()
    assert "Waiting for HR" in text(response)


def test_a_move_error_alone_rolls_the_decision_back(people, placed, engineer):
    made = RecommendationFactory(member=placed, kind=RecommendationKind.ROLE, role=engineer,
                                 rationale=WHY)
    with pytest.raises(ValidationError) as caught:
        recommendation_decide_with_move(organization=people.org, actor=people.hr,
                                        recommendation=made, decision="accepted",
                                        decision_note="Go.", record_move=True)
    assert "already holds" in caught.value.message_dict["role"][0]
    assert made.status == RecommendationStatus.PENDING
    made.refresh_from_db()
    assert made.status == RecommendationStatus.PENDING


def test_a_role_recommendation_is_classified_like_any_move(people, placed, framework):
    analyst = RoleProfileFactory(framework=framework, title="Data Engineer", family="Data",
                                 grade="D2")
    made = RecommendationFactory(member=placed, kind=RecommendationKind.ROLE, role=analyst,
                                 rationale=WHY)
    _r, move = recommendation_decide_with_move(
        organization=people.org, actor=people.hr, recommendation=made, decision="accepted",
        decision_note="Welcome to Data.", record_move=True)
    assert move.kind == MoveKind.CROSS_FUNCTIONAL
    assert Move.objects_unscoped.count() == 1


def test_declining_ignores_the_move_fields(people, placed, senior):
    made = RecommendationFactory(member=placed, role=senior, rationale=WHY)
    _r, move = recommendation_decide_with_move(
        organization=people.org, actor=people.hr, recommendation=made, decision="declined",
        decision_note="Not this round.", record_move=True)
    assert move is None and made.status == RecommendationStatus.DECLINED


def test_an_opportunity_recommendation_offers_no_move(people, login, placed):
    made = RecommendationFactory(member=placed, kind=RecommendationKind.OPPORTUNITY,
                                 opportunity="Payments migration", rationale=WHY)
    page = text(login(people.hr).get(url("recommendation", people.org,
                                         recommendation_id=made.pk)))
    assert 'id="decide"' in page and 'name="record_move"' not in page


def test_hr_who_wrote_it_does_not_decide_it(people, login, placed, senior):
    made = RecommendationFactory(member=placed, role=senior, author=people.hr, rationale=WHY)
    client = login(people.hr)
    detail = text(client.get(url("recommendation", people.org, recommendation_id=made.pk)))
    assert "another HR admin decides it" in detail
    with pytest.raises(PermissionDenied):
        recommendation_decide_with_move(organization=people.org, actor=people.hr,
                                        recommendation=made, decision="accepted",
                                        decision_note="Me.")


# --- Invisible to employees, the member and other managers --------------------------------------


def test_employees_and_managers_have_no_queue(people, login, placed, senior):
    made = RecommendationFactory(member=placed, role=senior, rationale=WHY)
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    for member in (people.employee, people.manager, other_manager):
        client = login(member)
        assert client.get(url("recommendations", people.org)).status_code == 404
        for name in ("recommendation", "recommendation_decide"):
            path = url(name, people.org, recommendation_id=made.pk)
            assert client.get(path).status_code == 404, (member, name)
            assert client.post(path, {"decision": "accepted"}).status_code == 404


def test_the_member_never_finds_a_recommendation_about_them_even_as_hr(people, login, senior):
    about_hr = RecommendationFactory(member=people.hr, author=people.leader, role=senior,
                                     rationale=WHY)
    client = login(people.hr)
    assert WHY not in text(client.get(url("recommendations", people.org) + "?status="))
    path = url("recommendation", people.org, recommendation_id=about_hr.pk)
    assert client.get(path).status_code == 404


# --- The conversations pages point HR here ------------------------------------------------------


def test_hr_navigation_leads_to_the_queue_and_managers_keep_their_own(people, login):
    hr_page = text(login(people.hr).get(url("recommendations", people.org)))
    assert f'href="{url("recommendations", people.org)}"' in hr_page
    manager_home = text(login(people.manager).get(
        reverse("conversations:recommendations", kwargs={"org_slug": people.org.slug})))
    assert "My recommendations" in manager_home
    assert f'href="{url("recommendations", people.org)}"' not in manager_home


def test_the_old_queue_links_to_the_new_one(people, login):
    page = text(login(people.hr).get(
        reverse("conversations:recommendations", kwargs={"org_slug": people.org.slug})))
    assert "Open the recommendations queue" in page


# --- The API ------------------------------------------------------------------------------------


def api(name, org, **kwargs):
    return reverse(f"hr_admin-api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_api_queue_shows_the_current_role_and_decides_with_the_move(people, login, placed,
                                                                        senior):
    made = RecommendationFactory(member=placed, kind=RecommendationKind.PROMOTION, role=senior,
                                 rationale=WHY)
    client = login(people.hr)
    row = client.get(api("recommendation-queue", people.org)).json()["results"][0]
    assert row["member_current_role"]["title"] == "Software Engineer II"
    assert row["recommended_grade"] == "E3"
    response = client.post(api("recommendation-queue-decide", people.org,
                               recommendation_id=made.pk),
                           {"decision": "accepted", "decision_note": "Yes.", "record_move": True},
                           content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["recommendation"]["status"] == "accepted"
    assert body["move"]["kind"] == "promotion"
    assert body["recommendation"]["member_current_role"]["title"] == "Senior Software Engineer"


def test_the_api_decision_reports_every_problem(people, login, placed):
    made = RecommendationFactory(member=placed, kind=RecommendationKind.PROMOTION, role=None,
                                 rationale=WHY)
    response = login(people.hr).post(
        api("recommendation-queue-decide", people.org, recommendation_id=made.pk),
        {"decision": "accepted", "decision_note": "   ", "record_move": True},
        content_type="application/json")
    assert response.status_code == 400
    assert {"decision_note", "role"} <= set(response.json()["errors"])


def test_the_api_queue_is_404_for_employees_and_managers(people, login, placed, senior):
    made = RecommendationFactory(member=placed, role=senior, rationale=WHY)
    for member in (people.employee, people.manager):
        client = login(member)
        assert client.get(api("recommendation-queue", people.org)).status_code == 404
        assert client.get(api("recommendation-queued", people.org,
                              recommendation_id=made.pk)).status_code == 404
        assert client.post(api("recommendation-queue-decide", people.org,
                               recommendation_id=made.pk), {}).status_code == 404


def test_leaders_read_but_do_not_decide_through_the_api(people, login, placed, senior):
    made = RecommendationFactory(member=placed, role=senior, rationale=WHY)
    client = login(people.leader)
    assert client.get(api("recommendation-queued", people.org,
                          recommendation_id=made.pk)).json()["rationale"] == WHY
    assert client.post(api("recommendation-queue-decide", people.org, recommendation_id=made.pk),
                       {"decision": "accepted", "decision_note": "Yes."},
                       content_type="application/json").status_code == 403
