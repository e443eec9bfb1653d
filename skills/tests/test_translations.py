"""Organisation content in several languages: shown text, interchange files, HR's forms and the
example framework."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from skills.data import example_framework_bytes
from skills.factories import (
    FrameworkFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillFactory,
)
from skills.models import Framework, Level, RoleProfile, Skill, SkillCategory
from skills.services.interchange import framework_export, framework_import

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"skills:{name}", kwargs={"org_slug": org.slug, **kwargs})


def load(org, data, fmt="json", dry_run=False):
    return framework_import(organization=org, actor=None, data=data, fmt=fmt, dry_run=dry_run)


def small_document(**skill_extra) -> dict:
    return {
        "format": "trellis-framework", "version": 1, "name": "Acme skills",
        "translations": {"fr": {"name": "Compétences Acme"}},
        "levels": [{"rank": 1, "name": "Learning",
                    "translations": {"fr": {"name": "Apprentissage"},
                                     "es": {"description": "Aprende."}}}],
        "categories": [{"name": "Data", "translations": {"es": {"name": "Datos"}}}],
        "skills": [{"name": "SQL queries", "category": ["Data"], "description": "Querying.",
                    "translations": {"fr": {"name": "Requêtes SQL",
                                            "description": "Interroger."}},
                    "descriptors": [{"level": 1, "description": "Simple filters.",
                                     "translations": {"fr": {"description": "Filtres."}}}],
                    "resources": [{"title": "Tutorial", "kind": "course",
                                   "translations": {"fr": {"title": "Tutoriel"}}}],
                    **skill_extra}],
        "roles": [{"title": "Analyst", "family": "Data",
                   "translations": {"fr": {"title": "Analyste", "family": "Données"}},
                   "requirements": [{"skill": "SQL queries", "min_level": 1}]},
                  {"title": "Senior Analyst"}],
        "paths": [{"from_role": "Analyst", "to_role": "Senior Analyst", "notes": "Usually.",
                   "translations": {"es": {"notes": "Normalmente."}}}],
    }


def encode(document) -> bytes:
    return json.dumps(document).encode()


# --- Shown text ---------------------------------------------------------------------------------


def test_shown_text_follows_the_active_language_and_falls_back_to_the_text_as_written(people):
    skill = SkillFactory(framework=FrameworkFactory(organization=people.org), name="Negotiation",
                         description="Reaching agreements.",
                         translations={"fr": {"name": "Négociation", "description": "  "}})
    with translation.override("fr"):
        assert skill.shown_name == "Négociation" == str(skill)
        assert skill.shown_description == "Reaching agreements."  # blank: as written
    with translation.override("es"):
        assert skill.shown_name == "Negotiation" == str(skill)


# --- Interchange --------------------------------------------------------------------------------


def test_json_import_stores_translations_and_export_gives_them_back(people):
    report = load(people.org, encode(small_document()))
    assert report.ok, report.errors
    skill = Skill.objects_unscoped.get(organization=people.org, name="SQL queries")
    assert skill.translations == {"fr": {"name": "Requêtes SQL", "description": "Interroger."}}
    level = Level.objects_unscoped.get(organization=people.org, rank=1)
    assert level.translations == {"fr": {"name": "Apprentissage"}, "es": {"descriptor": "Aprende."}}
    role = RoleProfile.objects_unscoped.get(organization=people.org, title="Analyst")
    with translation.override("fr"):
        assert (role.shown_title, role.shown_family) == ("Analyste", "Données")

    framework = Framework.objects_unscoped.get(organization=people.org)
    exported = json.loads(framework_export(organization=people.org, framework=framework,
                                           fmt="json"))
    assert exported["translations"] == {"fr": {"name": "Compétences Acme"}}
    assert exported["levels"][0]["translations"]["es"] == {"description": "Aprende."}
    assert exported["skills"][0]["descriptors"][0]["translations"] == {
        "fr": {"description": "Filtres."}}
    assert exported["paths"][0]["translations"] == {"es": {"notes": "Normalmente."}}
    roles = {r["title"]: r for r in exported["roles"]}
    assert "translations" not in roles["Senior Analyst"]

    again = load(people.org, encode(exported))
    assert again.ok and again.change_count == 0


def test_csv_round_trip_carries_translations_in_language_columns(people, other_people):
    assert load(people.org, encode(small_document())).ok
    framework = Framework.objects_unscoped.get(organization=people.org)
    data = framework_export(organization=people.org, framework=framework, fmt="csv")
    header = data.decode().splitlines()[0].split(",")
    assert {"name_fr", "description_fr", "name_es", "notes_es", "family_fr"} <= set(header)
    assert "title_es" not in header  # only the columns some object uses

    report = load(other_people.org, data, fmt="csv")
    assert report.ok, report.errors
    skill = Skill.objects_unscoped.get(organization=other_people.org, name="SQL queries")
    assert skill.translations == {"fr": {"name": "Requêtes SQL", "description": "Interroger."}}
    category = SkillCategory.objects_unscoped.get(organization=other_people.org, name="Data")
    assert category.translations == {"es": {"name": "Datos"}}


def test_an_import_merges_translations_and_never_deletes_one(people):
    assert load(people.org, encode(small_document())).ok
    document = small_document()
    document["skills"][0]["translations"] = {"es": {"name": "Consultas SQL"}}
    assert load(people.org, encode(document)).ok
    skill = Skill.objects_unscoped.get(organization=people.org, name="SQL queries")
    assert skill.translations == {"fr": {"name": "Requêtes SQL", "description": "Interroger."},
                                  "es": {"name": "Consultas SQL"}}
    del document["skills"][0]["translations"]
    assert load(people.org, encode(document)).ok
    skill.refresh_from_db()
    assert skill.translations["es"] == {"name": "Consultas SQL"}


def test_bad_translations_are_reported_where_they_are_and_nothing_is_written(people):
    document = small_document(translations={
        "de": {"name": "SQL-Abfragen"},
        "fr": {"name": "x" * 121, "emerging_note": 3, "colour": "bleu"},
        "es": "Consultas",
    })
    document["roles"][0]["translations"] = {"fr": {"title": "Analyste\nsenior"}}
    report = load(people.org, encode(document))
    assert not report.ok
    problems = {(p.where.pointer, p.message) for p in report.errors}
    base = "/skills/0/translations"
    assert (f"{base}/de", "“de” is not allowed here; use one of: en, fr, es.") in problems
    assert (f"{base}/fr/emerging_note", "Expected text.") in problems
    assert (f"{base}/fr/colour", "Unknown key.") in problems
    assert (f"{base}/es", "Expected an object.") in problems
    assert any(pointer == f"{base}/fr/name" and "at most 120 characters" in message
               for pointer, message in problems)
    assert ("/roles/0/translations/fr/title", "This must fit on one line.") in problems
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()


def test_a_csv_translation_column_is_checked_like_the_text_as_written(people):
    data = ("record,name,description,name_fr\r\n"
            "framework,Acme skills,,Compétences Acme\r\n"
            f"skill,SQL queries,,{'x' * 121}\r\n").encode()
    report = load(people.org, data, fmt="csv")
    assert not report.ok
    [problem] = report.errors
    assert (problem.where.line, problem.where.column) == (3, "name_fr")
    data = b"record,name,name_de\r\nframework,Acme skills,Acme\r\n"
    report = load(people.org, data, fmt="csv")
    assert [p.where.column for p in report.errors] == ["name_de"]


# --- The example framework ----------------------------------------------------------------------


def _translatable_nodes(document):
    yield "framework", document, ("name", "description")
    for level in document["levels"]:
        yield "level", level, ("name", "description")

    def categories(nodes):
        for node in nodes:
            yield "category", node, ("name",)
            yield from categories(node.get("children", []))

    yield from categories(document["categories"])
    for skill in document["skills"]:
        yield "skill", skill, ("name", "description", "emerging_note")
        for descriptor in skill["descriptors"]:
            yield "descriptor", descriptor, ("description",)
        for resource in skill["resources"]:
            yield "resource", resource, ("title",)
    for role in document["roles"]:
        yield "role", role, ("title", "family", "description")
    for path in document["paths"]:
        yield "path", path, ("notes",)


def test_every_text_of_the_example_framework_is_in_french_and_spanish():
    document = json.loads(example_framework_bytes())
    missing = []
    for kind, node, keys in _translatable_nodes(document):
        for code in ("fr", "es"):
            texts = node.get("translations", {}).get(code, {})
            missing += [(kind, node.get("name") or node.get("title"), code, key)
                        for key in keys if node.get(key) and not texts.get(key)]
    assert not missing


def test_the_example_framework_reads_in_the_member_language(people, login):
    assert load(people.org, example_framework_bytes()).ok
    role = RoleProfile.objects_unscoped.get(organization=people.org, title="Data Analyst")
    MemberRoleFactory(member=people.employee, role=role)
    people.employee.user.language = "es"
    people.employee.user.save()
    page = login(people.employee).get(url("gaps", people.org, role_id=role.pk)).content.decode()
    assert "Analista de datos" in page and "Análisis de datos" in page
    assert "Data Analyst" not in page


# --- HR's forms ---------------------------------------------------------------------------------


def test_hr_gives_a_skill_its_other_languages_and_an_emptied_one_is_removed(people, login):
    framework = FrameworkFactory(organization=people.org, name="Engineering", with_levels=3)
    skill = SkillFactory(framework=framework, name="Programming",
                         translations={"es": {"name": "Programación"}})
    hr = login(people.hr)
    page = hr.get(url("skill_detail", people.org, skill_id=skill.pk)).content.decode()
    assert "Skill name (Français)" in page and "Description (Español)" in page
    assert "Skill name (English)" not in page  # the organisation's own language
    assert 'value="Programación"' in page
    response = hr.post(url("skill_detail", people.org, skill_id=skill.pk), {
        "skill-name": "Programming", "skill-description": "",
        "skill-name_fr": " Programmation ", "skill-description_fr": "Écrire du code.",
        "skill-name_es": "",
    })
    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.translations == {"fr": {"name": "Programmation",
                                         "description": "Écrire du code."}}
    assert skill.name == "Programming"


def test_hr_translates_a_role_level_category_and_framework(people, login):
    framework = FrameworkFactory(organization=people.org, name="Engineering", with_levels=2)
    role = RoleProfileFactory(framework=framework, title="Data Engineer", family="Data")
    category = SkillCategory.objects.for_org(people.org).create(
        organization=people.org, framework=framework, name="Data")
    level = Level.objects_unscoped.get(framework=framework, rank=1)
    hr = login(people.hr)
    assert hr.post(url("role_detail", people.org, role_id=role.pk), {
        "role-title": "Data Engineer", "role-framework": str(framework.pk),
        "role-family": "Data", "role-track": "individual", "role-grade": "",
        "role-description": "", "role-title_fr": "Ingénieur données", "role-family_fr": "Données",
    }).status_code == 302
    assert hr.post(url("level_update", people.org, level_id=level.pk), {
        f"level-{level.pk}-name": level.name, f"level-{level.pk}-descriptor": "",
        f"level-{level.pk}-name_es": "Iniciación",
    }).status_code == 302
    assert hr.post(url("category_update", people.org, category_id=category.pk), {
        f"category-{category.pk}-name": "Data", f"category-{category.pk}-parent": "",
        f"category-{category.pk}-name_fr": "Données",
    }).status_code == 302
    assert hr.post(url("framework_detail", people.org, framework_id=framework.pk), {
        "framework-name": "Engineering", "framework-description": "",
        "framework-name_fr": "Ingénierie",
    }).status_code == 302
    for obj, expected in ((role, {"fr": {"title": "Ingénieur données", "family": "Données"}}),
                          (level, {"es": {"name": "Iniciación"}}),
                          (category, {"fr": {"name": "Données"}}),
                          (framework, {"fr": {"name": "Ingénierie"}})):
        obj.refresh_from_db()
        assert obj.translations == expected
    page = hr.get(url("framework_detail", people.org, framework_id=framework.pk)).content.decode()
    assert "Other languages" in page


def test_hr_editing_pages_show_the_text_as_written(people, login):
    framework = FrameworkFactory(organization=people.org, name="Engineering", with_levels=2)
    skill = SkillFactory(framework=framework, name="Programming",
                         translations={"fr": {"name": "Programmation"}})
    role = RoleProfileFactory(framework=framework, title="Developer")
    RoleRequirementFactory(role=role, skill=skill, min_level=1)
    people.hr.user.language = "fr"
    people.hr.user.save()
    page = login(people.hr).get(url("skill_detail", people.org, skill_id=skill.pk))
    assert 'value="Programming"' in page.content.decode()
    assert 'value="Programmation"' in page.content.decode()  # under "Other languages"


# --- API ----------------------------------------------------------------------------------------


def test_the_api_shows_translations_and_hr_sets_them(people, login):
    framework = FrameworkFactory(organization=people.org, name="Engineering", with_levels=2)
    skill = SkillFactory(framework=framework, name="Programming")
    api = login(people.hr)
    target = reverse("skills-api:skill-detail",
                     kwargs={"org_slug": people.org.slug, "skill_id": skill.pk})
    response = api.patch(target, {"translations": {"fr": {"name": "Programmation"}}},
                         content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["translations"] == {"fr": {"name": "Programmation"}}
    assert response.json()["name"] == "Programming"
    response = api.patch(target, {"translations": {"de": {"name": "Programmierung"}}},
                         content_type="application/json")
    assert response.status_code == 400
    skill.refresh_from_db()
    assert skill.translations == {"fr": {"name": "Programmation"}}
