"""ESCO import: an organisation's own download of the ESCO CSV files, in ESCO's columns."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skills.models import Framework, Level, RoleProfile, RoleRequirement, Skill
from skills.services.interchange import framework_import_esco

pytestmark = pytest.mark.django_db

ESCO = "http://data.europa.eu/esco"
SKILL_COLUMNS = ["conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel",
                 "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote",
                 "definition", "inScheme", "description"]
OCCUPATION_COLUMNS = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
                      "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote",
                      "scopeNote", "definition", "inScheme", "description", "code"]
RELATION_COLUMNS = ["occupationUri", "relationType", "skillType", "skillUri"]


def csv_bytes(columns, rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode()


def skill_row(key, label, skill_type="skill/competence", reuse="cross-sector", **extra):
    return {
        "conceptType": "KnowledgeSkillCompetence", "conceptUri": f"{ESCO}/skill/{key}",
        "skillType": skill_type, "reuseLevel": reuse, "preferredLabel": label,
        "altLabels": f"{label} (alt)\nanother {label}", "status": "released",
        "modifiedDate": "2023-11-28T10:51:49.156Z",
        "inScheme": f"{ESCO}/concept-scheme/skills, {ESCO}/concept-scheme/member-skills",
        "description": f"What {label} means.", **extra,
    }


def occupation_row(key, label, isco, code):
    return {
        "conceptType": "Occupation", "conceptUri": f"{ESCO}/occupation/{key}",
        "iscoGroup": isco, "preferredLabel": label, "altLabels": f"{label} specialist",
        "status": "released", "modifiedDate": "2024-01-25T14:17:54.317Z",
        "inScheme": f"{ESCO}/concept-scheme/occupations",
        "description": f"{label.capitalize()}s do useful work.", "code": code,
    }


def relation(occupation, kind, skill, skill_type="skill/competence"):
    return {"occupationUri": f"{ESCO}/occupation/{occupation}", "relationType": kind,
            "skillType": skill_type, "skillUri": f"{ESCO}/skill/{skill}"}


SKILLS = [
    skill_row("a1", "manage budgets"),
    skill_row("b2", "programming languages", skill_type="knowledge", reuse="sector-specific"),
    skill_row("c3", "work in teams", reuse="transversal"),
    skill_row("d4", "develop software prototype", reuse="occupation-specific",
              description="", definition="Create a first, incomplete version."),
]
OCCUPATIONS = [
    occupation_row("o1", "software developer", "2512", "2512.4"),
    occupation_row("o2", "ICT project manager", "1330", "1330.1"),
]
RELATIONS = [
    relation("o1", "essential", "b2", "knowledge"),
    relation("o1", "essential", "d4"),
    relation("o1", "optional", "c3"),
    relation("o2", "essential", "a1"),
    relation("o2", "optional", "c3"),
]


def files(skills=SKILLS, occupations=OCCUPATIONS, relations=RELATIONS) -> dict:
    return {
        "skills_csv": csv_bytes(SKILL_COLUMNS, skills),
        "occupations_csv": None if occupations is None else csv_bytes(OCCUPATION_COLUMNS,
                                                                      occupations),
        "relations_csv": None if relations is None else csv_bytes(RELATION_COLUMNS, relations),
    }


def esco_import(org, dry_run=False, name="ESCO", level=3, **kwargs):
    return framework_import_esco(organization=org, actor=None, framework_name=name,
                                 default_level=level, dry_run=dry_run, **(kwargs or files()))


def test_esco_skills_occupations_and_relations_become_a_framework(people):
    # When
    report = esco_import(people.org)

    # Then
    assert report.ok, report.errors
    framework = Framework.objects_unscoped.get(organization=people.org, name="ESCO")
    assert Level.objects_unscoped.filter(framework=framework).count() == 7
    budgets = Skill.objects_unscoped.get(framework=framework, name="manage budgets")
    assert budgets.external_uri == f"{ESCO}/skill/a1"
    assert budgets.description == "What manage budgets means."
    assert budgets.category.name == "Cross-sector"
    assert budgets.category.parent.name == "Skills and competences"
    knowledge = Skill.objects_unscoped.get(framework=framework, name="programming languages")
    assert knowledge.category.parent.name == "Knowledge"
    prototype = Skill.objects_unscoped.get(framework=framework,
                                           name="develop software prototype")
    assert prototype.description == "Create a first, incomplete version."

    developer = RoleProfile.objects_unscoped.get(framework=framework, title="software developer")
    assert developer.external_uri == f"{ESCO}/occupation/o1"
    assert developer.family == "Professionals"
    assert developer.track == "individual"
    manager = RoleProfile.objects_unscoped.get(framework=framework, title="ICT project manager")
    assert (manager.family, manager.track) == ("Managers", "management")
    assert sorted(RoleRequirement.objects_unscoped.filter(role=developer).values_list(
        "skill__name", "importance", "min_level")) == [
        ("develop software prototype", "core", 3),
        ("programming languages", "core", 3),
        ("work in teams", "desirable", 3),
    ]


def test_esco_check_only_writes_nothing_and_says_what_it_would_create(people):
    report = esco_import(people.org, dry_run=True)

    assert report.ok and not report.applied
    assert (report.created["skill"], report.created["role"], report.created["requirement"]) == (
        4, 2, 5)
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_esco_problems_name_the_file_and_line_and_nothing_is_written(people):
    relations = [*RELATIONS, relation("o1", "vital", "a1"), relation("o9", "optional", "a1"),
                 relation("o1", "optional", "zz")]

    report = esco_import(people.org, **files(relations=relations))

    assert not report.ok
    found = {(p.where.file, p.where.line, p.where.column) for p in report.errors}
    name = "occupationSkillRelations_en.csv"
    assert found == {(name, 7, "relationType"), (name, 8, "occupationUri"),
                     (name, 9, "skillUri")}
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_esco_line_numbers_count_the_lines_of_multi_line_labels(people):
    skills = [*SKILLS, skill_row("e5", "")]

    report = esco_import(people.org, **files(skills=skills, occupations=None, relations=None))

    # Every row before it has a two-line altLabels cell: the header is line 1, rows take two.
    assert [(p.where.line, p.where.column) for p in report.errors] == [(10, "preferredLabel")]


def test_the_wrong_file_in_the_skills_place_is_refused(people):
    report = esco_import(people.org, skills_csv=csv_bytes(OCCUPATION_COLUMNS[:2], []),
                         occupations_csv=None, relations_csv=None)

    assert not report.ok
    assert "skills_en.csv" in report.errors[0].message


def test_importing_the_same_esco_release_again_changes_nothing(people):
    esco_import(people.org)

    report = esco_import(people.org)

    assert report.ok and report.applied
    assert report.change_count == 0


def test_a_newer_esco_release_updates_labels_and_keeps_local_decisions(people):
    # Given: HR flagged a skill as emerging and raised a requirement
    esco_import(people.org)
    skill = Skill.objects_unscoped.get(organization=people.org, external_uri=f"{ESCO}/skill/c3")
    skill.is_emerging = True
    skill.save()
    requirement = RoleRequirement.objects_unscoped.get(skill=skill,
                                                       role__title="software developer")
    requirement.min_level = 5
    requirement.save()
    renamed = [*SKILLS[:2], skill_row("c3", "work in a team", reuse="transversal"), SKILLS[3]]

    # When
    report = esco_import(people.org, **files(skills=renamed))

    # Then
    assert report.ok, report.errors
    skill.refresh_from_db()
    requirement.refresh_from_db()
    assert skill.name == "work in a team"
    assert skill.is_emerging
    assert requirement.min_level == 5
    assert Skill.objects_unscoped.filter(organization=people.org).count() == 4


def test_the_default_level_must_exist_in_the_framework(people):
    report = esco_import(people.org, level=9)

    assert not report.ok
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_skills_only_import_needs_no_occupations(people):
    report = esco_import(people.org, **files(occupations=None, relations=None))

    assert report.ok
    assert Skill.objects_unscoped.filter(organization=people.org).count() == 4
    assert not RoleProfile.objects_unscoped.filter(organization=people.org).exists()


def test_hr_imports_esco_files_from_the_page(people, login):
    data = files()
    client = login(people.hr)
    page = reverse("skills:esco_import", kwargs={"org_slug": people.org.slug})

    def upload(key, name):
        return SimpleUploadedFile(name, data[key], content_type="text/csv")

    check = client.post(page, {
        "framework_name": "ESCO v1.2", "default_level": 2, "action": "check",
        "skills_file": upload("skills_csv", "skills_en.csv"),
        "occupations_file": upload("occupations_csv", "occupations_en.csv"),
        "relations_file": upload("relations_csv", "occupationSkillRelations_en.csv"),
    })
    assert check.status_code == 200
    assert "Ready to import" in check.content.decode()
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()

    imported = client.post(page, {"checked": check.context["checked"], "action": "import",
                                  "framework_name": "ESCO v1.2", "default_level": 2})

    assert imported.status_code == 200
    assert RoleRequirement.objects_unscoped.filter(organization=people.org,
                                                   min_level=2).count() == 5


def test_esco_page_asks_for_the_skills_file(people, login):
    response = login(people.hr).post(
        reverse("skills:esco_import", kwargs={"org_slug": people.org.slug}),
        {"framework_name": "ESCO", "default_level": 3, "action": "check"})

    assert response.status_code == 200
    assert "skills_en.csv" in response.content.decode()
    assert response.context["form"].errors["skills_file"]
