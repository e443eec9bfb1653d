"""The public quick check at /health-check/: no account, results from the visitor's own answers,
and the answers kept when the visitor goes on to create an organisation."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hr_admin.models import PublicHealthCheck, Survey, SurveyMode, SurveyResponse, SurveyStatus
from hr_admin.services import health_quick as quick
from organizations.factories import UserFactory

from .health_quick_answers import ENPS_SHOWN, INDEX_SHOWN, answers, form_data

pytestmark = pytest.mark.django_db


def test_intro_invites_anyone_to_take_the_check(client):
    response = client.get(reverse("health_public:intro"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Does your organisation help people" in body
    assert reverse("health_public:questions") in body
    assert "Employees own their careers" in body


def test_landing_page_links_to_the_check(client):
    assert reverse("health_public:intro") in client.get("/").content.decode()


def test_questionnaire_shows_every_dimension_and_question(client):
    response = client.get(reverse("health_public:questions"))
    body = response.content.decode()
    assert "Managers support development" in body
    assert "My manager takes a genuine interest in my career." in body
    assert "How likely are you to recommend this organisation" in body
    assert body.count('type="radio"') == 24 * 5 + 11


def test_questionnaire_follows_the_browser_language(client):
    response = client.get(reverse("health_public:questions"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response.wsgi_request.LANGUAGE_CODE == "fr"


def test_missing_answers_re_render_with_errors_and_keep_the_rest(client):
    data = form_data(enps=None)
    del data["mgr-interest"]
    response = client.post(reverse("health_public:questions"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"mgr-interest", "enps"}
    body = response.content.decode()
    assert "Please correct the 2 fields marked below" in body
    assert 'name="conv-regular" value="5" id="id_conv-regular_4" checked' in body
    assert not PublicHealthCheck.objects.exists()


def test_out_of_range_answer_is_refused(client):
    response = client.post(reverse("health_public:questions"), form_data(**{"conv-regular": 7}))
    assert response.status_code == 400
    assert "conv-regular" in response.context["form"].errors


def test_submit_keeps_the_answers_and_shows_the_results(client):
    response = client.post(reverse("health_public:questions"),
                           form_data(comment="More mentoring, please"),
                           HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response.url == reverse("health_public:results")
    check = PublicHealthCheck.objects.get()
    assert check.answers == answers(comment="More mentoring, please")
    assert check.language == "es"
    token = client.session[quick.SESSION_KEY]
    assert token not in check.token_hash and len(check.token_hash) == 64

    body = client.get(reverse("health_public:results"), HTTP_ACCEPT_LANGUAGE="en"
                      ).content.decode()
    assert f'data-testid="hq-index">{INDEX_SHOWN}<small>' in body
    assert f'data-testid="hq-enps">{ENPS_SHOWN}<' in body
    # Weak dimensions come with their strategies; strong ones do not.
    assert "Post every opening internally first" in body
    assert "Publish career paths and skills profiles" in body
    assert "Protect time for learning" in body
    assert "Set a rhythm for career conversations" not in body
    assert 'data-dimension="hr_tools"' in body
    assert "Create your organisation with these answers" in body


def test_results_without_a_check_go_back_to_the_intro(client):
    response = client.get(reverse("health_public:results"))
    assert response.status_code == 302 and response.url == reverse("health_public:intro")


def test_another_visitor_does_not_see_my_results(client):
    client.post(reverse("health_public:questions"), form_data())
    assert Client().get(reverse("health_public:results")).status_code == 302


def test_start_sends_visitors_to_sign_up_and_members_to_the_new_organisation(client):
    response = client.get(reverse("health_public:start"))
    assert response.url.startswith(reverse("account_signup"))
    assert "next=%2Forganizations%2Fnew%2F" in response.url
    client.force_login(UserFactory())
    assert client.get(reverse("health_public:start")).url == reverse("organization_new")


def test_creating_an_organisation_claims_the_check(client, people, login):
    client.post(reverse("health_public:questions"), form_data(comment="Keep it up"))
    user = UserFactory(email="founder@newco.test")
    client.force_login(user)
    response = client.post("/organizations/new/", {"name": "Newco", "slug": "newco",
                                                   "default_language": "en",
                                                   "time_zone": "UTC"})
    assert response.status_code == 302

    check = PublicHealthCheck.objects.get()
    assert check.claimed_at is not None
    survey = Survey.objects_unscoped.get(pk=check.claimed_by_id)
    assert survey.mode == SurveyMode.QUICK and survey.status == SurveyStatus.CLOSED
    assert survey.organization.slug == "newco"
    assert quick.SESSION_KEY not in client.session
    from organizations import tenancy

    with tenancy.organization_scope(survey.organization):
        responses = SurveyResponse.objects.for_org(survey.organization).filter(survey=survey)
        assert responses.count() == 1
        assert survey.questions.count() == 26

    result = client.get(reverse("hr_admin:health_quick_result",
                                kwargs={"org_slug": "newco", "survey_id": survey.pk}))
    body = result.content.decode()
    assert result.status_code == 200
    assert f'data-testid="hq-index">{INDEX_SHOWN}<small>' in body
    assert f'data-testid="hq-enps">{ENPS_SHOWN}<' in body
    assert "Keep it up" in body


def test_an_organisation_created_without_a_check_has_no_quick_assessment(client):
    client.force_login(UserFactory())
    client.post("/organizations/new/", {"name": "Plain", "slug": "plain",
                                        "default_language": "en", "time_zone": "UTC"})
    assert Survey.objects_unscoped.filter(organization__slug="plain").count() == 0
    assert Survey.objects_unscoped.count() == 0


def test_a_check_is_claimed_once(client):
    client.post(reverse("health_public:questions"), form_data())
    token = client.session[quick.SESSION_KEY]
    client.force_login(UserFactory())
    client.post("/organizations/new/", {"name": "One", "slug": "one-co",
                                        "default_language": "en", "time_zone": "UTC"})
    check = PublicHealthCheck.objects.get()
    from organizations.models import Membership, Organization

    org = Organization.objects.get(slug="one-co")
    from organizations import tenancy

    with tenancy.organization_scope(org):
        founder = Membership.objects.for_org(org).get()
        assert quick.public_check_claim(token=token, organization=org, founder=founder) is None
    assert check.claimed_by_id is not None


def test_purge_deletes_only_old_unclaimed_checks():
    old, _ = quick.public_check_submit(answers=answers(), language="en")
    fresh, _ = quick.public_check_submit(answers=answers(), language="en")
    PublicHealthCheck.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=31))
    call_command("health_public_purge")
    assert list(PublicHealthCheck.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_public_api_submit_scores_and_reports_bad_answers(client):
    url = reverse("health_public:api-submit")
    bad = client.post(url, {"answers": {"conv-regular": 9}}, content_type="application/json")
    assert bad.status_code == 400
    assert "conv-regular" in bad.json()["errors"]["answers"]
    assert "enps" in bad.json()["errors"]["answers"]
    good = client.post(url, {"answers": answers()}, content_type="application/json")
    assert good.status_code == 201
    assert round(good.json()["index"], 2) == 58.33
    assert good.json()["enps"] == 100
    assert good.json()["weakest"] == ["hr_tools", "opportunities"]
    assert client.get(reverse("health_public:results")).status_code == 200


def test_signing_up_keeps_the_pending_check_for_the_new_organisation(client):
    client.post(reverse("health_public:questions"), form_data())
    token = client.session[quick.SESSION_KEY]
    response = client.post(f"{reverse('account_signup')}?next=/organizations/new/", {
        "email": "newcomer@newco.test", "password1": "grow-Careers-2026!",
        "password2": "grow-Careers-2026!", "first_name": "Nora", "last_name": "New"})
    assert response.status_code == 302
    assert client.session[quick.SESSION_KEY] == token
    assert quick.public_check_for_token(token) is not None


def test_signing_up_with_an_organisation_name_creates_it_with_the_check_claimed(client):
    client.post(reverse("health_public:questions"), form_data())
    response = client.post(reverse("account_signup"), {
        "email": "founder@sprout.test", "password1": "grow-Careers-2026!",
        "password2": "grow-Careers-2026!", "first_name": "Sam", "last_name": "Sprout",
        "organization_name": "Sprout Labs"})
    assert response.status_code == 302
    check = PublicHealthCheck.objects.get()
    assert check.claimed_at is not None
    survey = Survey.objects_unscoped.get(pk=check.claimed_by_id)
    assert survey.organization.name == "Sprout Labs" and survey.mode == SurveyMode.QUICK
