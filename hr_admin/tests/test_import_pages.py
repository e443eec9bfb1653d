"""The people import's pages, through real URLs, as each role."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hr_admin.models import ImportStatus, Move, PeopleImport
from hr_admin.views.people_import import PAGE_SIZE
from organizations.models import Membership

from .factories_import import check, counts, csv_file, member

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"hr_admin:{name}", kwargs={"org_slug": org.slug, **kwargs})


def upload(client, org, text, name="hris.csv", **options):
    data = {"file": SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text,
                                       content_type="text/csv"),
            "send_invitations": "on", **{k: "on" for k, v in options.items() if v}}
    return client.post(url("people_import", org), data)


def test_hr_sees_the_upload_form_the_columns_and_the_template_link(people, login):
    response = login(people.hr).get(url("people_import", people.org))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Check the file" in body and "manager email" in body and "role profile" in body
    assert url("people_import_template", people.org) in body
    assert "Create teams that do not exist yet" in body
    assert "No import yet" in body


def test_the_template_downloads_as_csv(people, login):
    response = login(people.hr).get(url("people_import_template", people.org))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().startswith("email,first name,last name,job title,team path")


def test_the_navigation_has_the_people_import_for_hr_only(people, login):
    home = reverse("organizations:home", kwargs={"org_slug": people.org.slug})
    link = url("people_import", people.org)

    assert link in login(people.hr).get(home).content.decode()
    assert link not in login(people.leader).get(home).content.decode()


def test_a_clean_file_shows_what_applying_would_do_and_writes_nothing(people, login):
    before = counts(people.org)
    text = csv_file("new.one@acme.test,New,One,Engineer,Sales,manager@acme.test,,no,no,,")

    response = upload(login(people.hr), people.org, text, create_teams=True)

    run = PeopleImport.objects_unscoped.get(organization=people.org)
    assert response.status_code == 302 and response["Location"] == \
        url("people_import_detail", people.org, import_id=run.pk)
    page = login(people.hr).get(response["Location"]).content.decode()
    assert "Ready to apply" in page and "Apply these changes" in page
    assert "new.one@acme.test" in page and "Sales" in page
    assert counts(people.org) == before


def test_a_file_with_problems_lists_them_with_line_and_column(people, login):
    text = csv_file("bad-address,Ann,Able,,,,,,,,", "bob@acme.test,Bob,B,,,,,perhaps,,,")

    response = upload(login(people.hr), people.org, text)
    page = login(people.hr).get(response["Location"]).content.decode()

    assert "Problems to correct" in page and "Nothing was written" in page
    assert "“bad-address” is not a valid email address." in page
    assert "“perhaps” is not yes or no." in page
    assert "Apply these changes" not in page
    run = PeopleImport.objects_unscoped.get(organization=people.org)
    problems = login(people.hr).get(url("people_import_problems", people.org, import_id=run.pk))
    lines = problems.content.decode().splitlines()
    assert lines[0] == "line,column,problem"
    assert lines[1].startswith("2,email,") and lines[2].startswith("3,hr,")


def test_many_problems_are_paginated(people, login):
    text = csv_file(*(f"bad{i},A,B,,,,,,,," for i in range(150)))
    upload(login(people.hr), people.org, text)
    run = PeopleImport.objects_unscoped.get(organization=people.org)

    first = login(people.hr).get(url("people_import_detail", people.org, import_id=run.pk))
    second = login(people.hr).get(url("people_import_detail", people.org, import_id=run.pk),
                                  {"page": 2})

    assert "“bad99” is not a valid" in first.content.decode()
    assert "“bad100” is not" not in first.content.decode()
    assert "“bad149” is not a valid" in second.content.decode()
    assert "150 problems" in first.content.decode()


def test_a_file_that_is_not_utf8_is_refused_by_the_form(people, login):
    response = upload(login(people.hr), people.org, "email,name\nzoë@acme.test,Zoë\n".encode(
        "latin-1"))

    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()
    assert not PeopleImport.objects_unscoped.exists()


def test_deactivating_without_a_full_file_is_a_field_error(people, login):
    response = upload(login(people.hr), people.org, csv_file("hr@acme.test,,,,,,,,,,"),
                      deactivate_missing=True)

    assert response.status_code == 400
    assert "Only a file that lists everyone" in response.content.decode()


def test_applying_from_the_page_shows_progress_then_the_result(
        people, login, django_capture_on_commit_callbacks):
    run = check(people, csv_file("new.one@acme.test,New,One,Engineer,,,,,,,"))
    client = login(people.hr)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url("people_import_apply", people.org, import_id=run.pk))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.QUEUED
    waiting = client.get(url("people_import_detail", people.org, import_id=run.pk))
    body = waiting.content.decode()
    assert "Applying the file" in body and 'role="progressbar"' in body
    assert url("people_import_status", people.org, import_id=run.pk) in body
    assert "js/import-progress" in body
    status = client.get(url("people_import_status", people.org, import_id=run.pk)).json()
    assert status["status"] == "queued" and status["finished"] is False

    for callback in queued:
        callback()

    status = client.get(url("people_import_status", people.org, import_id=run.pk)).json()
    assert status == {**status, "status": "applied", "percent": 100, "finished": True,
                      "processed_rows": 1, "total_rows": 1}
    done = client.get(url("people_import_detail", people.org, import_id=run.pk)).content.decode()
    assert "What was done" in done and "The members now match the file." in done
    assert member(people.org, "new.one@acme.test").job_title == "Engineer"


def test_the_status_endpoint_reports_progress_while_applying(people, login):
    run = check(people, csv_file(*(f"p{i}@acme.test,P,{i},,,,,,,," for i in range(4))))
    PeopleImport.objects_unscoped.filter(pk=run.pk).update(
        status=ImportStatus.APPLYING, processed_rows=1, summary={**run.summary,
                                                                 "phase": "people"})

    data = login(people.hr).get(url("people_import_status", people.org, import_id=run.pk)).json()

    assert (data["percent"], data["processed_rows"], data["total_rows"]) == (25, 1, 4)
    assert data["phase"] == "Updating people" and data["finished"] is False


def test_discard_and_check_again(people, login):
    run = check(people, csv_file("new.one@acme.test,New,One,,,,Astronaut,,,,"))
    assert run.status == ImportStatus.INVALID
    from skills.factories import RoleProfileFactory

    RoleProfileFactory(framework__organization=people.org, title="Astronaut")
    client = login(people.hr)

    client.post(url("people_import_recheck", people.org, import_id=run.pk))
    run.refresh_from_db()
    assert run.status == ImportStatus.VALIDATED and run.problems == []

    client.post(url("people_import_discard", people.org, import_id=run.pk))
    run.refresh_from_db()
    assert run.status == ImportStatus.DISCARDED and run.content == ""
    page = client.get(url("people_import_detail", people.org, import_id=run.pk)).content.decode()
    assert "was discarded" in page


def test_actions_answer_only_post(people, login):
    run = check(people, csv_file("new.one@acme.test,New,One,,,,,,,,"))
    for name in ("people_import_apply", "people_import_discard", "people_import_recheck"):
        response = login(people.hr).get(url(name, people.org, import_id=run.pk))
        assert response.status_code == 405, name


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_everyone_but_hr_gets_404_on_every_import_page(people, login, role):
    run = check(people, csv_file("new.one@acme.test,New,One,,,,,,,,"))
    client = login(people.by_role()[role])
    pages = [url("people_import", people.org), url("people_import_template", people.org)] + [
        url(name, people.org, import_id=run.pk)
        for name in ("people_import_detail", "people_import_status", "people_import_problems",
                     "people_import_apply", "people_import_discard", "people_import_recheck")]

    for page in pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page).status_code == 404, page
    run.refresh_from_db()
    assert run.status == ImportStatus.VALIDATED


def test_another_organisations_run_is_404(people, other_people, login):
    theirs = check(other_people, csv_file("new.one@globex.test,New,One,,,,,,,,"))

    for name in ("people_import_detail", "people_import_status", "people_import_apply"):
        response = login(people.hr).post(url(name, people.org, import_id=theirs.pk))
        assert response.status_code == 404


def test_the_list_of_imports_runs_the_same_queries_for_3_or_30_runs(people, login):
    client = login(people.hr)
    text = csv_file("new.one@acme.test,New,One,,,,,,,,")
    for _ in range(3):
        check(people, text)
    client.get(url("people_import", people.org))
    with CaptureQueriesContext(connection) as few:
        client.get(url("people_import", people.org))
    for _ in range(27):
        check(people, text)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("people_import", people.org))

    assert response.status_code == 200
    assert response.content.decode().count("<strong>hris.csv</strong>") == PAGE_SIZE
    assert len(many.captured_queries) == len(few.captured_queries)


def test_nothing_changes_for_members_when_an_employee_tries_to_apply(people, login):
    run = check(people, csv_file("new.one@acme.test,New,One,,,,,,,,"))

    login(people.employee).post(url("people_import_apply", people.org, import_id=run.pk))

    assert not Membership.objects_unscoped.filter(user__email="new.one@acme.test").exists()
    assert not Move.objects_unscoped.exists()


def test_hr_home_shows_a_checked_import_waiting_to_be_applied(people, login):
    run = check(people, csv_file("new.one@acme.test,New,One,,,,,,,,"))
    home = reverse("organizations:home", kwargs={"org_slug": people.org.slug})

    hr_home = login(people.hr).get(home).content.decode()
    leader_home = login(people.leader).get(home).content.decode()

    detail = url("people_import_detail", people.org, import_id=run.pk)
    assert "is checked and waits to be applied" in hr_home and detail in hr_home
    assert detail not in leader_home
