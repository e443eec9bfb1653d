"""Framework import and export: formats, round trips, validation and the HR pages."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import AuditEvent
from skills.data import example_framework_bytes
from skills.models import (
    CareerPath,
    Framework,
    LearningResource,
    Level,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillLevelDescriptor,
)
from skills.services.interchange import framework_export, framework_import

pytestmark = pytest.mark.django_db


def load(org, data=None, fmt="json", dry_run=False, actor=None):
    return framework_import(organization=org, actor=actor, data=data or example_framework_bytes(),
                            fmt=fmt, dry_run=dry_run)


def dump(org) -> dict:
    """Everything of an organisation's frameworks, by natural keys, ids left out."""
    def rows(model):
        return model.objects_unscoped.filter(organization=org)

    categories = {c.pk: c for c in rows(SkillCategory)}

    def path(category_id):
        names = []
        while category_id:
            names.insert(0, categories[category_id].name)
            category_id = categories[category_id].parent_id
        return tuple(names)

    return {
        "frameworks": sorted(rows(Framework).values_list("name", "description")),
        "levels": sorted(rows(Level).values_list("framework__name", "rank", "name",
                                                 "descriptor")),
        "categories": sorted((c.framework.name, path(c.pk)) for c in categories.values()),
        "skills": sorted(
            (s.framework.name, s.name, path(s.category_id), s.description, s.is_emerging,
             s.emerging_note, s.emerging_since, s.is_retired, s.external_uri)
            for s in rows(Skill).select_related("framework")
        ),
        "descriptors": sorted(rows(SkillLevelDescriptor).values_list(
            "skill__name", "level__rank", "description")),
        "resources": sorted(rows(LearningResource).values_list(
            "skill__name", "title", "url", "kind", "hours")),
        "roles": sorted(rows(RoleProfile).values_list(
            "framework__name", "title", "family", "track", "grade", "description", "is_active",
            "external_uri")),
        "requirements": sorted(rows(RoleRequirement).values_list(
            "role__title", "skill__name", "min_level", "importance")),
        "paths": sorted(rows(CareerPath).values_list(
            "from_role__title", "to_role__title", "kind", "typical_months", "notes")),
    }


def awkward_edits(org):
    """Data that tests the formats' corners: escapes, formulas, blanks, decimals, retired."""
    framework = Framework.objects_unscoped.get(organization=org)
    engineering = SkillCategory.objects_unscoped.get(organization=org, name="Engineering")
    odd = SkillCategory.objects_unscoped.create(organization=org, framework=framework,
                                                name="A > B \\ C", parent=engineering)
    skill = Skill.objects_unscoped.create(
        organization=org, framework=framework, category=odd, name="=SUM(A1:A2)",
        description="Line one,\n“quoted”, with ; semicolons\nand 'quotes'", is_retired=True,
        external_uri="http://data.europa.eu/esco/skill/abc",
    )
    LearningResource.objects_unscoped.create(organization=org, skill=skill, title="+1 tip",
                                             kind="video", hours=Decimal("1.5"))
    Skill.objects_unscoped.filter(organization=org, name="Programming").update(
        description="-leading dash", category=None)
    RoleProfile.objects_unscoped.filter(organization=org, title="Staff Engineer").update(
        is_active=False, grade="")


# --- The example framework ----------------------------------------------------------------------


def test_example_framework_is_loaded_through_the_import_with_the_promised_size(people):
    # When
    report = load(people.org, actor=people.hr)

    # Then
    assert report.ok and report.applied, report.errors
    org = people.org
    assert Level.objects_unscoped.filter(organization=org).count() == 7
    assert Skill.objects_unscoped.filter(organization=org).count() >= 30
    assert Skill.objects_unscoped.filter(organization=org, is_emerging=True).count() >= 2
    assert SkillCategory.objects_unscoped.filter(organization=org, parent__isnull=False).exists()
    roles = RoleProfile.objects_unscoped.filter(organization=org)
    assert roles.count() >= 12
    assert len(set(roles.values_list("family", flat=True))) >= 3
    assert CareerPath.objects_unscoped.filter(organization=org).count() >= 12
    assert set(CareerPath.objects_unscoped.filter(organization=org)
               .values_list("kind", flat=True)) == {"promotion", "lateral", "cross_functional"}
    assert SkillLevelDescriptor.objects_unscoped.filter(organization=org).exists()
    assert LearningResource.objects_unscoped.filter(organization=org).count() >= 30
    assert AuditEvent.objects_unscoped.filter(organization=org,
                                              action="skills.framework_imported").count() == 1


# --- Round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_into_an_empty_organisation_reproduces_the_framework(
    people, other_people, fmt
):
    # Given
    load(people.org)
    awkward_edits(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)

    # When
    data = framework_export(organization=people.org, framework=framework, fmt=fmt)
    report = load(other_people.org, data=data, fmt=fmt)

    # Then
    assert report.ok, report.errors
    assert dump(other_people.org) == dump(people.org)
    assert dump(people.org)["skills"]  # not two empty dumps


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_importing_the_same_file_twice_changes_nothing_the_second_time(people, fmt):
    # Given
    load(people.org)
    awkward_edits(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)
    data = framework_export(organization=people.org, framework=framework, fmt=fmt)
    before = dump(people.org)

    # When
    report = load(people.org, data=data, fmt=fmt)

    # Then
    assert report.ok and report.applied
    assert report.change_count == 0
    assert not report.framework_created
    assert dump(people.org) == before


def test_csv_export_defuses_spreadsheet_formulas(people):
    load(people.org)
    awkward_edits(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)

    text = framework_export(organization=people.org, framework=framework, fmt="csv").decode()

    assert "'=SUM(A1:A2)" in text
    assert "'+1 tip" in text
    assert "A \\> B \\\\ C" in text


def test_json_export_is_one_readable_document(people):
    load(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)

    document = json.loads(framework_export(organization=people.org, framework=framework,
                                           fmt="json"))

    assert document["format"] == "trellis-framework"
    assert [level["rank"] for level in document["levels"]] == [1, 2, 3, 4, 5, 6, 7]
    engineer = next(r for r in document["roles"] if r["title"] == "Software Engineer II")
    assert {"skill": "Programming", "min_level": 3, "importance": "core"} in \
        engineer["requirements"]


def test_export_runs_the_same_number_of_queries_whatever_the_size(people, other_people):
    small = Framework.objects_unscoped.create(organization=other_people.org, name="Small")
    Level.objects_unscoped.create(organization=other_people.org, framework=small, rank=1,
                                  name="One")
    load(people.org)
    big = Framework.objects_unscoped.get(organization=people.org)

    with CaptureQueriesContext(connection) as small_run:
        framework_export(organization=other_people.org, framework=small, fmt="csv")
    with CaptureQueriesContext(connection) as big_run:
        framework_export(organization=people.org, framework=big, fmt="csv")

    assert len(big_run) == len(small_run)


# --- Checking -------------------------------------------------------------------------------------

BAD_CSV = """record,name,rank,skill,role,title,track,kind,importance,min_level,from_role,to_role
framework,Broken,,,,,,,,,,
level,One,1,,,,,,,,,
level,Two,2,,,,,,,,,
skill,Listening,,,,,,,,,,
skill,Listening,,,,,,,,,,
role,,,,,Analyst,sideways,,,,,
role,,,,,Lead,,,,,,
requirement,,,Listening,Analyst,,,,vital,9,,
requirement,,,Juggling,Lead,,,,,1,,
resource,,,Listening,,A talk,,podcast,,,,
path,,,,,,,promotion,,,Analyst,Director
wizard,,,,,,,,,,,
"""


def test_csv_check_reports_every_problem_with_its_line_and_writes_nothing(people):
    # When
    report = load(people.org, data=BAD_CSV.encode(), fmt="csv", dry_run=False)

    # Then
    assert not report.ok and not report.applied
    found = {(p.where.line, p.where.column) for p in report.errors}
    assert (6, "name") in found            # duplicate skill
    assert (7, "track") in found           # bad track
    assert (9, "importance") in found      # bad importance
    assert (9, "min_level") in found       # unknown level
    assert (10, "skill") in found          # requirement naming an unknown skill
    assert (11, "kind") in found           # bad resource kind
    assert (12, "to_role") in found        # path to a missing role
    assert (13, "record") in found         # unknown kind of record
    messages = " ".join(p.message for p in report.errors)
    assert "Juggling" in messages and "Director" in messages
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()
    assert not Skill.objects_unscoped.filter(organization=people.org).exists()


def test_csv_line_numbers_count_lines_inside_quoted_cells(people):
    data = (b'record,name,rank,description\r\nframework,F,,\r\n'
            b'level,One,1,"two\nlines"\r\nlevel,Again,1,\r\n')

    report = load(people.org, data=data, fmt="csv", dry_run=True)

    assert [(p.where.line, p.where.column) for p in report.errors] == [(5, "rank")]


def test_csv_without_a_framework_row_or_with_unknown_columns_is_refused(people):
    report = load(people.org, data=b"record,name,colour\nlevel,One,blue\n", fmt="csv",
                  dry_run=True)

    found = {(p.where.line, p.where.column) for p in report.errors}
    assert (1, "colour") in found
    assert any("no framework row" in p.message for p in report.errors)


def test_json_check_reports_problems_by_json_pointer(people):
    document = {
        "name": "Broken",
        "levels": [{"rank": 1, "name": "One"}, {"rank": "two", "name": "Two"}],
        "categories": [{"name": "Craft", "children": [{"name": "Wood"}]}],
        "skills": [
            {"name": "Carving", "category": ["Craft", "Stone"],
             "resources": [{"title": "Book", "kind": "scroll"}]},
            {"name": "Carving", "descriptors": [{"level": 5, "description": "x"}]},
        ],
        "roles": [{"title": "Carver", "track": "solo",
                   "requirements": [{"skill": "Painting", "min_level": 1}]}],
        "paths": [{"from_role": "Carver", "to_role": "Master", "kind": "leap"}],
        "colour": "blue",
    }

    report = load(people.org, data=json.dumps(document).encode(), fmt="json", dry_run=True)

    pointers = {p.where.pointer for p in report.errors}
    assert {
        "/colour", "/levels/1/rank", "/skills/0/category", "/skills/0/resources/0/kind",
        "/skills/1/name", "/skills/1/descriptors/0/level", "/roles/0/track",
        "/roles/0/requirements/0/skill", "/paths/0/to_role", "/paths/0/kind",
    } <= pointers
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_invalid_json_is_reported_with_its_line(people):
    report = load(people.org, data=b'{\n  "name": "x",\n  oops\n}', fmt="json", dry_run=True)

    assert not report.ok
    assert report.errors[0].where.line == 3


def test_dry_run_reports_what_would_be_created_and_writes_nothing(people):
    report = load(people.org, dry_run=True)

    assert report.ok and not report.applied
    assert report.framework_created
    assert report.created["level"] == 7
    assert report.created["skill"] >= 30
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_import_updates_a_framework_of_the_same_name_in_place_and_keeps_what_the_file_omits(
    people,
):
    # Given
    load(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)
    own = Skill.objects_unscoped.create(organization=people.org, framework=framework,
                                        name="Our own skill")
    data = (
        b"record,name,description,rank,emerging,emerging_note\r\n"
        b"framework,Trellis example framework,Changed,,,\r\n"
        b"skill,Programming,Now with tests,,no,\r\n"
        b"skill,Origami,Folding paper,,yes,Paper is back\r\n"
    )

    # When
    report = load(people.org, data=data, fmt="csv")

    # Then
    assert report.ok, report.errors
    assert (report.created["skill"], report.updated["skill"]) == (1, 1)
    assert report.updated["framework"] == 1
    assert Framework.objects_unscoped.filter(organization=people.org).count() == 1
    framework.refresh_from_db()
    assert framework.description == "Changed"
    programming = Skill.objects_unscoped.get(organization=people.org, name="Programming")
    assert programming.description == "Now with tests"
    assert programming.category is None  # the file says it has no category
    assert Skill.objects_unscoped.filter(pk=own.pk).exists()
    assert RoleRequirement.objects_unscoped.filter(organization=people.org,
                                                   skill=programming).exists()


def test_a_role_title_taken_by_another_framework_is_a_problem(people):
    load(people.org)
    data = b"record,name,title\r\nframework,Second,\r\nrole,,Data Analyst\r\n"

    report = load(people.org, data=data, fmt="csv", dry_run=True)

    assert [(p.where.line, p.where.column) for p in report.errors] == [(3, "title")]
    assert "Trellis example framework" in report.errors[0].message


def test_a_skill_that_becomes_emerging_on_import_has_its_notices_queued(
    people, django_capture_on_commit_callbacks, mailoutbox
):
    from skills.models import EmergingSkillNotice, MemberRole

    load(people.org)
    role = RoleProfile.objects_unscoped.get(organization=people.org, title="Software Engineer II")
    MemberRole.objects_unscoped.create(organization=people.org, member=people.employee,
                                       role=role)
    data = (b"record,name,emerging,emerging_note\r\nframework,Trellis example framework,,\r\n"
            b"skill,Software design,yes,More of it\r\n")

    with django_capture_on_commit_callbacks(execute=True):
        load(people.org, data=data, fmt="csv")

    assert list(EmergingSkillNotice.objects_unscoped.values_list("member", "skill__name")) == [
        (people.employee.pk, "Software design")]
    assert [m.to for m in mailoutbox] == [[people.employee.user.email]]


# --- Pages ----------------------------------------------------------------------------------------


def url(name, org, **kwargs):
    return reverse(f"skills:{name}", kwargs={"org_slug": org.slug, **kwargs})


def upload(content: bytes, name: str):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_hr_checks_a_file_then_imports_it_without_choosing_it_again(people, login):
    client = login(people.hr)

    check = client.post(url("framework_import", people.org), {
        "file": upload(example_framework_bytes(), "example.json"), "fmt": "json",
        "action": "check",
    })
    body = check.content.decode()
    assert check.status_code == 200
    assert "Ready to import" in body
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()
    token = check.context["checked"]
    assert token

    imported = client.post(url("framework_import", people.org),
                           {"checked": token, "fmt": "json", "action": "import"})
    assert imported.status_code == 200
    assert "Imported" in imported.content.decode()
    assert Framework.objects_unscoped.filter(organization=people.org).count() == 1


def test_import_page_lists_problems_and_keeps_the_chosen_format(people, login):
    response = login(people.hr).post(url("framework_import", people.org), {
        "file": upload(BAD_CSV.encode(), "bad.csv"), "fmt": "csv", "action": "import",
    })

    body = response.content.decode()
    assert response.status_code == 200
    assert "The file has problems" in body
    assert "Juggling" in body
    assert response.context["form"]["fmt"].value() == "csv"
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_import_page_without_a_file_says_so(people, login):
    response = login(people.hr).post(url("framework_import", people.org),
                                     {"fmt": "json", "action": "check"})

    assert response.status_code == 200
    assert "Choose the file to import." in response.content.decode()


def test_hr_can_start_from_the_example_framework(people, login):
    response = login(people.hr).post(url("framework_import", people.org), {"action": "example"})

    assert response.status_code == 200
    assert Framework.objects_unscoped.get(organization=people.org).name == \
        "Trellis example framework"


@pytest.mark.parametrize("fmt,content_type", [("json", "application/json"),
                                              ("csv", "text/csv")])
def test_hr_downloads_a_framework(people, login, fmt, content_type):
    load(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)

    response = login(people.hr).get(
        url("framework_export", people.org, framework_id=framework.pk) + f"?format={fmt}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert f'filename="trellis-example-framework.{fmt}"' in response["Content-Disposition"]
    assert b"Software Engineer II" in response.content


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_reaches_import_and_export(people, login, role):
    load(people.org)
    framework = Framework.objects_unscoped.get(organization=people.org)
    client = login(people.by_role()[role])

    assert client.get(url("framework_import", people.org)).status_code == 403
    assert client.get(url("esco_import", people.org)).status_code == 403
    assert client.get(url("framework_export", people.org,
                          framework_id=framework.pk)).status_code == 403


def test_another_organisations_framework_is_not_found(people, other_people, login):
    load(other_people.org)
    foreign = Framework.objects_unscoped.get(organization=other_people.org)

    response = login(people.hr).get(url("framework_export", people.org,
                                        framework_id=foreign.pk))

    assert response.status_code == 404


def test_import_page_lists_frameworks_in_a_fixed_number_of_queries(people, login):
    client = login(people.hr)
    page = url("framework_import", people.org)
    client.get(page)
    with CaptureQueriesContext(connection) as none:
        client.get(page)
    load(people.org)
    Framework.objects_unscoped.create(organization=people.org, name="Another")
    with CaptureQueriesContext(connection) as two:
        response = client.get(page)

    assert "Another" in response.content.decode()
    assert len(two) == len(none)


# --- Commands -------------------------------------------------------------------------------------


def test_commands_import_the_example_and_round_trip_a_framework_through_a_file(
    people, other_people, tmp_path
):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("import_framework", "acme", "--example", "--actor", "hr@acme.test", stdout=out)
    assert "Imported." in out.getvalue()
    target = tmp_path / "framework.csv"
    call_command("export_framework", "acme", "--format", "csv", "--output", str(target),
                 stderr=StringIO())

    call_command("import_framework", "globex", "--file", str(target), stdout=StringIO())

    assert dump(other_people.org) == dump(people.org)


def test_import_command_reports_problems_and_writes_nothing(people, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_CSV)
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_framework", "acme", "--file", str(bad), stdout=StringIO(),
                     stderr=err)

    assert "line 10, column “skill”" in err.getvalue()
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()
