"""The people import in the API, through real URLs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hr_admin.models import ImportStatus, PeopleImport

from .factories_import import check, counts, csv_file, member

pytestmark = pytest.mark.django_db

GOOD = csv_file("new.one@acme.test,New,One,Engineer,,manager@acme.test,,no,no,2024-03-04,fr")


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/hr/import/{path}"


def post_json(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_hr_checks_a_file_sent_as_json_content(people, login):
    before = counts(people.org)

    response = post_json(login(people.hr), api(people.org),
                         {"content": GOOD, "file_name": "hris.csv"})

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "validated" and data["file_name"] == "hris.csv"
    assert data["summary"]["created"] == 1 and data["summary"]["invitations"] == 1
    assert data["problem_count"] == 0 and data["result"] is None
    assert counts(people.org) == before


def test_hr_checks_a_file_sent_as_multipart(people, login):
    upload = SimpleUploadedFile("export.csv", ("\ufeff" + GOOD).encode(), "text/csv")

    response = login(people.hr).post(api(people.org), {"file": upload, "create_teams": "true"})

    assert response.status_code == 201, response.json()
    assert response.json()["file_name"] == "export.csv"
    assert response.json()["create_teams"] is True


def test_problems_come_with_line_and_column_a_page_at_a_time(people, login):
    client = login(people.hr)
    text = csv_file(*(f"bad{i},A,B,,,,,,,," for i in range(60)))
    run_id = post_json(client, api(people.org), {"content": text}).json()["id"]

    detail = client.get(api(people.org, f"{run_id}/")).json()
    problems = client.get(api(people.org, f"{run_id}/problems/")).json()
    second = client.get(api(people.org, f"{run_id}/problems/"), {"page": 2}).json()

    assert detail["status"] == "invalid" and detail["problem_count"] == 60
    assert problems["count"] == 60 and len(problems["results"]) == 50
    assert problems["results"][0] == {"line": 2, "column": "email",
                                      "message": "“bad0” is not a valid email address."}
    assert second["results"][-1]["line"] == 61


@pytest.mark.parametrize("payload, field", [
    ({}, "file"),
    ({"content": ""}, "content"),
    ({"content": "   \n"}, "content"),
    ({"content": GOOD, "deactivate_missing": True}, "deactivate_missing"),
    ({"content": GOOD, "is_full": "perhaps"}, "is_full"),
])
def test_bad_input_is_a_400_with_field_messages(people, login, payload, field):
    response = post_json(login(people.hr), api(people.org), payload)

    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not PeopleImport.objects_unscoped.exists()


def test_a_file_that_is_not_utf8_is_a_400(people, login):
    upload = SimpleUploadedFile("export.csv", "email\nzoë@acme.test\n".encode("latin-1"))

    response = login(people.hr).post(api(people.org), {"file": upload})

    assert response.status_code == 400
    assert "UTF-8" in response.json()["errors"]["file"][0]


def test_file_and_content_together_is_a_400(people, login):
    upload = SimpleUploadedFile("export.csv", GOOD.encode())

    response = login(people.hr).post(api(people.org), {"file": upload, "content": GOOD})

    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_applying_through_the_api(people, login, django_capture_on_commit_callbacks):
    client = login(people.hr)
    run_id = post_json(client, api(people.org), {"content": GOOD}).json()["id"]

    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, api(people.org, f"{run_id}/apply/"))

    assert response.status_code == 202 and response.json()["status"] == "queued"
    data = client.get(api(people.org, f"{run_id}/")).json()
    assert data["status"] == "applied" and data["percent"] == 100
    assert data["result"]["created"] == 1 and data["result"]["moves"] == 1
    assert member(people.org, "new.one@acme.test").user.language == "fr"


def test_applying_a_run_with_problems_is_a_400(people, login):
    run = check(people, csv_file("bad,A,B,,,,,,,,"))

    response = post_json(login(people.hr), api(people.org, f"{run.pk}/apply/"))

    assert response.status_code == 400
    run.refresh_from_db()
    assert run.status == ImportStatus.INVALID


def test_discard_through_the_api(people, login):
    run = check(people, GOOD)

    response = post_json(login(people.hr), api(people.org, f"{run.pk}/discard/"))

    assert response.status_code == 200 and response.json()["status"] == "discarded"


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_everyone_but_hr_gets_404(people, login, role):
    run = check(people, GOOD)
    client = login(people.by_role()[role])

    assert client.get(api(people.org)).status_code == 404
    assert post_json(client, api(people.org), {"content": GOOD}).status_code == 404
    for path in (f"{run.pk}/", f"{run.pk}/problems/"):
        assert client.get(api(people.org, path)).status_code == 404
    for path in (f"{run.pk}/apply/", f"{run.pk}/discard/", f"{run.pk}/recheck/"):
        assert post_json(client, api(people.org, path)).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportStatus.VALIDATED


def test_the_list_runs_the_same_queries_for_2_or_20_runs(people, login):
    client = login(people.hr)
    for _ in range(2):
        check(people, GOOD)
    with CaptureQueriesContext(connection) as few:
        client.get(api(people.org))
    for _ in range(18):
        check(people, GOOD)
    with CaptureQueriesContext(connection) as many:
        response = client.get(api(people.org))

    assert response.json()["count"] == 20
    assert len(many.captured_queries) == len(few.captured_queries)
