"""Health-check surveys: the question set, launch, answering once and anonymously, the scan
(opening, closing, invitations, reminders), pages and their permissions."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import Notification
from hr_admin import registrations_health, tasks_health
from hr_admin.models import (
    HealthQuestion,
    Survey,
    SurveyAnswer,
    SurveyComment,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from hr_admin.services import health_surveys as services
from organizations.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def draft(people, **kwargs):
    defaults = {"title": "Spring check", "opens_at": NOW - timedelta(minutes=1),
                "closes_at": NOW + timedelta(days=14)}
    return services.survey_create(organization=people.org, actor=people.hr,
                                  **{**defaults, **kwargs})


def launched(people, **kwargs):
    survey = draft(people, **kwargs)
    return services.survey_launch(organization=people.org, actor=people.hr, survey=survey)


def questions_of(survey, kind):
    return list(SurveyQuestion.objects.for_org(survey.organization)
                .filter(survey=survey, kind=kind))


def full_answers(survey, likert=4, enps=9):
    values = {q.pk: likert for q in questions_of(survey, "likert")}
    values.update({q.pk: enps for q in questions_of(survey, "enps")})
    return values


# --- The question set ---------------------------------------------------------------------------


def test_question_set_is_made_once_from_the_shipped_questions(people):
    first = services.question_set(organization=people.org)
    again = services.question_set(organization=people.org)
    assert [q.pk for q in first] == [q.pk for q in again]
    assert {q.key for q in first} >= {"conv-regular", "enps", "comment"}
    assert HealthQuestion.objects.for_org(people.org).count() == len(first)


def test_the_enps_question_cannot_be_retired(people):
    enps = next(q for q in services.question_set(organization=people.org) if q.kind == "enps")
    with pytest.raises(services.ValidationError):
        services.question_set_active(organization=people.org, actor=people.hr, question=enps,
                                     is_active=False)


def test_hr_rewords_adds_retires_and_reorders(people, login):
    client = login(people.hr)
    rows = services.question_set(organization=people.org)
    first, second = rows[0], rows[1]
    response = client.post(url("health_question_edit", people.org,
                               health_question_id=first.pk), {"text": "Reworded by HR"})
    assert response.status_code == 302
    client.post(url("health_question_retire", people.org, health_question_id=second.pk))
    client.post(url("health_question_create", people.org),
                {"kind": "likert", "dimension": "skills", "text": "I learn every week."})
    client.post(url("health_question_move", people.org, health_question_id=first.pk),
                {"direction": "down"})
    page = text(client.get(url("health_questions", people.org)))
    assert "Reworded by HR" in page and "I learn every week." in page
    order = [q.pk for q in HealthQuestion.objects.for_org(people.org).order_by("position")]
    assert order.index(first.pk) == 1
    second.refresh_from_db()
    assert not second.is_active
    bad = client.post(url("health_question_create", people.org),
                      {"kind": "likert", "dimension": "", "text": "No dimension"})
    assert bad.status_code == 400
    assert "Choose the dimension" in text(bad)


# --- Launch -------------------------------------------------------------------------------------


def test_launch_copies_questions_and_locks_thresholds(people):
    people.org.survey_anonymity_threshold = 7
    people.org.save()
    rows = services.question_set(organization=people.org)
    retired = rows[2]
    services.question_set_active(organization=people.org, actor=people.hr, question=retired,
                                 is_active=False)
    survey = launched(people)
    asked = SurveyQuestion.objects.for_org(people.org).filter(survey=survey)
    assert asked.count() == len(rows) - 1
    assert not asked.filter(key=retired.key).exists()
    assert survey.status == SurveyStatus.OPEN
    assert (survey.min_group_size, survey.comment_min_group_size) == (7, 10)
    assert survey.invited_count == 4  # the four members of acme
    assert SurveyParticipation.objects.for_org(people.org).filter(survey=survey).count() == 4

    people.org.survey_anonymity_threshold = 3
    people.org.save()
    services.question_update(organization=people.org, actor=people.hr, question=rows[0],
                             text="Changed after launch")
    survey.refresh_from_db()
    assert survey.min_group_size == 7
    assert not asked.filter(text="Changed after launch").exists()


def test_audience_of_chosen_teams_includes_sub_teams(people):
    eng = TeamFactory(organization=people.org, name="Engineering")
    platform = TeamFactory(organization=people.org, name="Platform", parent=eng)
    people.employee.team = platform
    people.employee.save()
    people.manager.team = eng
    people.manager.save()
    survey = launched(people, teams=[eng])
    invited = set(SurveyParticipation.objects.for_org(people.org).filter(survey=survey)
                  .values_list("member_id", flat=True))
    assert invited == {people.employee.pk, people.manager.pk}


def test_draft_dates_are_checked(people):
    with pytest.raises(services.ValidationError) as e:
        draft(people, opens_at=NOW + timedelta(days=3), closes_at=NOW + timedelta(days=2))
    assert "closes_at" in e.value.message_dict
    with pytest.raises(services.ValidationError) as e:
        draft(people, closes_at=NOW - timedelta(days=1))
    assert "closes_at" in e.value.message_dict


# --- Answering ----------------------------------------------------------------------------------


def test_a_response_keeps_no_member_and_no_time(people):
    team = TeamFactory(organization=people.org, name="Sales")
    people.employee.team = team
    people.employee.started_on = date.today() - timedelta(days=800)
    people.employee.save()
    survey = launched(people)
    comment = questions_of(survey, "comment")[0]
    services.response_submit(organization=people.org, member=people.employee, survey=survey,
                             answers=full_answers(survey), comments={comment.pk: "More gigs"})
    response = SurveyResponse.objects.for_org(people.org).get(survey=survey)
    fields = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert fields == {"id", "organization", "survey", "team", "tenure_band"}
    assert (response.team_id, response.tenure_band) == (team.pk, "1to3")
    for model in (SurveyAnswer, SurveyComment):
        names = {f.name for f in model._meta.concrete_fields}
        assert not names & {"member", "membership", "created_at", "updated_at", "participation"}
        assert not any(f.get_internal_type() in ("DateTimeField", "DateField")
                       for f in model._meta.concrete_fields)
    assert not {f.name for f in SurveyComment._meta.concrete_fields} & {"response"}
    assert SurveyAnswer.objects.for_org(people.org).filter(response=response).count() == \
        len(questions_of(survey, "likert")) + 1
    survey.refresh_from_db()
    assert survey.response_count == 1
    assert SurveyParticipation.objects.for_org(people.org).get(
        survey=survey, member=people.employee).has_responded


def test_only_invited_members_answer_and_only_once(people, login):
    team = TeamFactory(organization=people.org, name="Ops")
    people.manager.team = team
    people.manager.save()
    survey = launched(people, teams=[team])
    likert = questions_of(survey, "likert")[0]
    outsider = login(people.employee)
    assert outsider.get(url("health_answer", people.org, survey_id=survey.pk)).status_code == 404
    client = login(people.manager)
    page = client.get(url("health_answer", people.org, survey_id=survey.pk))
    assert page.status_code == 200
    assert "stored without your name" in text(page) and "Strongly agree" in text(page)
    response = client.post(url("health_answer", people.org, survey_id=survey.pk),
                           {f"q{likert.pk}": "5"}, follow=True)
    assert "your answers are in" in text(response)
    again = client.post(url("health_answer", people.org, survey_id=survey.pk),
                        {f"q{likert.pk}": "1"}, follow=True)
    assert "already answered" in text(again)
    assert SurveyResponse.objects.for_org(people.org).filter(survey=survey).count() == 1
    assert list(SurveyAnswer.objects.for_org(people.org).values_list("value", flat=True)) == [5]


def test_values_outside_the_scale_are_field_errors(people, login):
    survey = launched(people)
    likert, enps = questions_of(survey, "likert")[0], questions_of(survey, "enps")[0]
    with pytest.raises(services.ValidationError) as e:
        services.response_submit(organization=people.org, member=people.employee,
                                 survey=survey, answers={likert.pk: 6, enps.pk: 11})
    assert set(e.value.message_dict) == {f"q{likert.pk}", f"q{enps.pk}"}
    assert not SurveyResponse.objects.for_org(people.org).exists()
    page = login(people.employee).post(url("health_answer", people.org, survey_id=survey.pk),
                                       {f"q{likert.pk}": "9"})
    assert page.status_code == 400
    assert not SurveyParticipation.objects.for_org(people.org).filter(has_responded=True).exists()


# --- The scan: open, close, invitations, reminders ----------------------------------------------


def test_scan_opens_and_closes_surveys_by_date(people, django_capture_on_commit_callbacks):
    later = draft(people, title="Later", opens_at=NOW + timedelta(hours=2),
                  closes_at=NOW + timedelta(days=3))
    later = services.survey_launch(organization=people.org, actor=people.hr, survey=later)
    assert later.status == SurveyStatus.DRAFT and later.launched_at
    ending = launched(people, title="Ending")
    Survey.objects.for_org(people.org).filter(pk=ending.pk).update(
        closes_at=NOW - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks_health.health_surveys_scan_organization(people.org.pk)
    ending.refresh_from_db()
    later.refresh_from_db()
    assert ending.status == SurveyStatus.CLOSED and ending.closed_at
    assert later.status == SurveyStatus.DRAFT
    Survey.objects.for_org(people.org).filter(pk=later.pk).update(
        opens_at=NOW - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        tasks_health.health_surveys_scan_organization(people.org.pk)
    later.refresh_from_db()
    assert later.status == SurveyStatus.OPEN
    # The invitations of the survey that just opened went out.
    assert SurveyParticipation.objects.for_org(people.org).filter(
        survey=later, invited_at__isnull=False).count() == 4


def test_global_scan_fans_out_to_organisations_with_due_work(people, other_people,
                                                             django_capture_on_commit_callbacks):
    launched(people)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_health.health_surveys_scan() == 1
    assert len(mail.outbox) == 4
    assert {m.to[0] for m in mail.outbox} == {m.user.email for m in people.by_role().values()}


def test_invitations_once_with_notification_and_email_in_the_members_language(
        people, django_capture_on_commit_callbacks):
    people.employee.user.language = "fr"
    people.employee.user.save()
    survey = launched(people)
    with django_capture_on_commit_callbacks(execute=True):
        tasks_health.health_surveys_scan_organization(people.org.pk)
        tasks_health.health_surveys_scan_organization(people.org.pk)
    assert len(mail.outbox) == 4
    french = next(m for m in mail.outbox if m.to == [people.employee.user.email])
    assert french.extra_headers["Content-Language"] == "fr"
    assert Notification.objects.for_org(people.org).filter(kind="people").count() == 4
    link = url("health_answer", people.org, survey_id=survey.pk)
    assert link in french.body


def test_reminders_only_to_non_responders_once_per_window_at_most_twice(
        people, django_capture_on_commit_callbacks):
    people.employee.user.language = "es"
    people.employee.user.save()
    survey = launched(people)
    with django_capture_on_commit_callbacks(execute=True):
        tasks_health.health_surveys_scan_organization(people.org.pk)
    services.response_submit(organization=people.org, member=people.manager, survey=survey,
                             answers=full_answers(survey))
    rows = SurveyParticipation.objects.for_org(people.org).filter(survey=survey)
    rows.update(invited_at=NOW - timedelta(days=4))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks_health.health_surveys_scan_organization(people.org.pk)
        tasks_health.health_surveys_scan_organization(people.org.pk)
    reminded = {m.to[0] for m in mail.outbox}
    assert people.manager.user.email not in reminded
    assert len(mail.outbox) == 3
    languages = {m.to[0]: m.extra_headers["Content-Language"] for m in mail.outbox}
    assert languages[people.employee.user.email] == "es"
    assert languages[people.hr.user.email] == "en"
    # A second worker on the same participation sends nothing.
    pending = rows.filter(has_responded=False).first()
    assert tasks_health.health_survey_remind(people.org.pk, pending.pk) is False
    # Three days later, a second reminder; after that, none.
    for _ in range(2):
        rows.filter(has_responded=False).update(reminded_at=NOW - timedelta(days=4))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            tasks_health.health_surveys_scan_organization(people.org.pk)
        sent = len(mail.outbox)
    assert sent == 0
    assert set(rows.filter(has_responded=False).values_list("reminder_count", flat=True)) == {2}
    assert rows.get(member=people.manager).reminder_count == 0


def test_closing_by_hand_queues_final_scoring_after_commit(people, login,
                                                          django_capture_on_commit_callbacks):
    from hr_admin import tasks_scoring

    survey = launched(people)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = login(people.hr).post(url("health_survey_close", people.org,
                                              survey_id=survey.pk), follow=True)
    assert "Survey closed" in text(response)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    expected = 1 if hasattr(getattr(tasks_scoring, "health_survey_score", None), "delay") else 0
    assert len(callbacks) == expected


# --- Pages and permissions ----------------------------------------------------------------------


def test_hr_creates_and_launches_from_the_pages(people, login):
    client = login(people.hr)
    home = client.get(url("health", people.org))
    assert home.status_code == 200 and "No survey yet" in text(home)
    opens = timezone.localtime(NOW + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    closes = timezone.localtime(NOW + timedelta(days=15)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("health_survey_create", people.org),
                           {"title": "Autumn check", "opens_at": opens, "closes_at": closes})
    survey = Survey.objects.for_org(people.org).get(title="Autumn check")
    assert response.status_code == 302
    bad = client.post(url("health_survey_create", people.org),
                      {"title": "Bad", "opens_at": closes, "closes_at": opens})
    assert bad.status_code == 400 and "close after it opens" in text(bad)
    launch = client.post(url("health_survey_launch", people.org, survey_id=survey.pk),
                         follow=True)
    assert "4 people will be invited when it opens" in text(launch)
    assert "Autumn check" in text(client.get(url("health", people.org)))


def test_employees_get_404_and_leaders_read_only(people, login):
    survey = launched(people)
    employee, leader = login(people.employee), login(people.leader)
    for name, kwargs in [("health", {}), ("health_questions", {}),
                         ("health_survey_create", {}), ("health_survey", {"survey_id": survey.pk})]:
        assert employee.get(url(name, people.org, **kwargs)).status_code == 404
    assert leader.get(url("health", people.org)).status_code == 200
    assert leader.get(url("health_survey", people.org, survey_id=survey.pk)).status_code == 200
    assert leader.get(url("health_survey_create", people.org)).status_code == 403
    assert leader.post(url("health_survey_close", people.org,
                           survey_id=survey.pk)).status_code == 403


def test_another_organisations_survey_is_404(people, other_people, login):
    services.question_set(organization=other_people.org)
    foreign = services.survey_launch(
        organization=other_people.org, actor=other_people.hr,
        survey=services.survey_create(organization=other_people.org, actor=other_people.hr,
                                      title="Theirs", opens_at=NOW,
                                      closes_at=NOW + timedelta(days=3)))
    client = login(people.hr)
    for name in ("health_survey", "health_answer", "health_survey_edit"):
        assert client.get(url(name, people.org, survey_id=foreign.pk)).status_code == 404
    assert client.post(url("health_survey_close", people.org,
                           survey_id=foreign.pk)).status_code == 404


def test_participation_shows_counts_and_hides_small_teams(people, login):
    people.org.survey_anonymity_threshold = 3
    people.org.save()
    big, small, third = (TeamFactory(organization=people.org, name="Big team"),
                         TeamFactory(organization=people.org, name="Small team"),
                         TeamFactory(organization=people.org, name="Third team"))
    members = [MembershipFactory(organization=people.org, team=big) for _ in range(4)]
    members += [MembershipFactory(organization=people.org, team=small) for _ in range(2)]
    # Without the third team, the total minus the big team would give the small team's count away.
    members += [MembershipFactory(organization=people.org, team=third) for _ in range(3)]
    survey = launched(people)
    for member in members:
        services.response_submit(organization=people.org, member=member, survey=survey,
                                 answers=full_answers(survey))
    page = text(login(people.leader).get(url("health_survey", people.org, survey_id=survey.pk)))
    assert "Big team" in page and "Small team" in page
    assert "fewer than 3" in page  # the small team
    assert "hidden, or the smaller teams could be worked out" in page  # the third team
    assert "100%" in page  # the big team: 4 of 4
    for member in members:
        assert member.user.email not in page and member.display_name not in page


def test_survey_list_query_count_does_not_grow(people, login):
    client = login(people.hr)
    launched(people, title="One")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("health", people.org)).status_code == 200
        return len(ctx)

    few = count()
    for i in range(6):
        draft(people, title=f"Draft {i}")
    assert count() == few


def test_participation_query_count_does_not_grow(people, login):
    client = login(people.hr)
    teams = [TeamFactory(organization=people.org, name="T1")]
    MembershipFactory(organization=people.org, team=teams[0])
    survey = launched(people)

    def count(s):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("health_survey", people.org, survey_id=s.pk)).status_code == 200
        return len(ctx)

    few = count(survey)
    for i in range(5):
        team = TeamFactory(organization=people.org, name=f"Team {i}")
        for _ in range(3):
            MembershipFactory(organization=people.org, team=team,
                              user=UserFactory())
    services.survey_close(organization=people.org, actor=people.hr, survey=survey)
    bigger = launched(people, title="Bigger")
    assert count(bigger) == few


def test_home_panel_invites_until_answered(people, login):
    registrations_health.register()
    survey = launched(people, title="Panel survey")
    client = login(people.employee)
    home = reverse("organizations:home", kwargs={"org_slug": people.org.slug})
    assert "waiting for your answers" in text(client.get(home))
    services.response_submit(organization=people.org, member=people.employee, survey=survey,
                             answers=full_answers(survey))
    assert "waiting for your answers" not in text(client.get(home))
