"""The skills REST API, through real URLs, as each role of the organisation and of another one."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.factories import MembershipFactory, TeamFactory
from organizations.models import AuditEvent
from skills.factories import (
    CareerPathFactory,
    CheckInFactory,
    CheckInItemFactory,
    FrameworkFactory,
    LearningResourceFactory,
    LevelFactory,
    MemberRoleFactory,
    RatingChangeFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillCategoryFactory,
    SkillFactory,
    SkillLevelDescriptorFactory,
    SkillRatingFactory,
)
from skills.models import (
    CareerPath,
    CheckIn,
    CheckInItem,
    CheckInStatus,
    Framework,
    Importance,
    LearningResource,
    Level,
    MemberRole,
    RatingChange,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillCategory,
    SkillRating,
)
from skills.services import assessments

pytestmark = pytest.mark.django_db


# --- Helpers ------------------------------------------------------------------------------------


def api(org, path=""):
    return f"/api/v1/o/{org.slug}/skills/{path}"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(queries.captured_queries), response.json()


def assert_constant_queries(client, url, grow, *, params=None):
    """The same number of queries before and after ``grow()`` adds rows."""
    client.get(url, params or {})  # warm per-request caches that do not depend on rows
    few, _body = count_queries(client, url, params)
    grow()
    many, body = count_queries(client, url, params)
    assert few == many, (few, many)
    return body


def audit_events(action):
    return AuditEvent.objects_unscoped.filter(action=action)


class Catalog:
    """A small framework: seven levels, two categories, three skills, two roles and a path."""

    def __init__(self, org):
        self.framework = FrameworkFactory(organization=org, name="Engineering")
        self.category = SkillCategoryFactory(framework=self.framework, name="Delivery")
        self.python = SkillFactory(framework=self.framework, name="Python",
                                   category=self.category)
        self.testing = SkillFactory(framework=self.framework, name="Testing",
                                    category=self.category)
        self.mentoring = SkillFactory(framework=self.framework, name="Mentoring")
        self.developer = RoleProfileFactory(framework=self.framework, title="Developer")
        self.senior = RoleProfileFactory(framework=self.framework, title="Senior Developer")
        for role, skill, level, importance in [
            (self.developer, self.python, 3, Importance.CORE),
            (self.developer, self.testing, 2, Importance.DESIRABLE),
            (self.senior, self.python, 5, Importance.CORE),
            (self.senior, self.mentoring, 4, Importance.CORE),
        ]:
            RoleRequirementFactory(role=role, skill=skill, min_level=level,
                                   importance=importance)
        self.promotion = CareerPathFactory(from_role=self.developer, to_role=self.senior,
                                           typical_months=24)

    def level(self, rank):
        return Level.objects_unscoped.get(framework=self.framework, rank=rank)


@pytest.fixture
def acme(people):
    return Catalog(people.org)


@pytest.fixture
def globex(other_people):
    return Catalog(other_people.org)


# --- Frameworks ---------------------------------------------------------------------------------


def test_every_member_lists_frameworks_with_their_scale_lowest_level_first(people, acme, globex,
                                                                           login):
    response = login(people.employee).get(api(people.org, "frameworks/"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    framework = body["results"][0]
    assert framework["name"] == "Engineering"
    assert [lv["rank"] for lv in framework["levels"]] == [1, 2, 3, 4, 5, 6, 7]
    assert framework["levels"][0]["name"] == "Aware"
    assert (framework["skill_count"], framework["role_count"]) == (3, 2)


def test_framework_list_query_count_does_not_grow_with_frameworks(people, login):
    FrameworkFactory(organization=people.org)

    def grow():
        for _ in range(12):
            framework = FrameworkFactory(organization=people.org)
            SkillFactory(framework=framework)

    body = assert_constant_queries(login(people.employee), api(people.org, "frameworks/"), grow)
    assert body["count"] == 13


def test_hr_creates_a_framework_with_its_scale(people, login):
    response = post(login(people.hr), api(people.org, "frameworks/"), {
        "name": "Data", "description": "Data skills",
        "levels": [{"name": "Novice"}, {"name": "Practitioner", "descriptor": "Works alone."},
                   {"name": "Expert"}],
    })

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Data"
    assert [(lv["rank"], lv["name"]) for lv in body["levels"]] == [
        (1, "Novice"), (2, "Practitioner"), (3, "Expert")]
    assert Framework.objects_unscoped.filter(organization=people.org, name="Data").exists()


@pytest.mark.parametrize("role", ["employee", "manager", "leader"])
def test_only_hr_admins_create_frameworks(people, login, role):
    response = post(login(people.by_role()[role]), api(people.org, "frameworks/"),
                    {"name": "Data"})

    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}
    assert not Framework.objects_unscoped.filter(name="Data").exists()


def test_framework_name_taken_is_a_field_error(people, acme, login):
    response = post(login(people.hr), api(people.org, "frameworks/"), {"name": "engineering"})

    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["A framework of this name exists."]


def test_framework_without_a_name_is_a_field_error(people, login):
    response = post(login(people.hr), api(people.org, "frameworks/"), {"description": "x"})

    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_hr_renames_a_framework(people, acme, login):
    url = api(people.org, f"frameworks/{acme.framework.pk}/")

    response = patch(login(people.hr), url, {"name": "Engineering 2026"})

    assert response.status_code == 200
    assert response.json()["name"] == "Engineering 2026"
    assert len(response.json()["levels"]) == 7


def test_framework_used_by_roles_cannot_be_deleted(people, acme, login):
    response = login(people.hr).delete(api(people.org, f"frameworks/{acme.framework.pk}/"))

    assert response.status_code == 400
    assert "Role profiles use this framework" in response.json()["errors"]["non_field_errors"][0]
    assert Framework.objects_unscoped.filter(pk=acme.framework.pk).exists()


def test_hr_deletes_an_unused_framework(people, login):
    framework = FrameworkFactory(organization=people.org)

    response = login(people.hr).delete(api(people.org, f"frameworks/{framework.pk}/"))

    assert response.status_code == 204
    assert not Framework.objects_unscoped.filter(pk=framework.pk).exists()


def test_employee_cannot_change_a_framework_of_their_organisation(people, acme, login):
    url = api(people.org, f"frameworks/{acme.framework.pk}/")
    client = login(people.employee)

    assert patch(client, url, {"name": "Mine"}).status_code == 403
    assert client.delete(url).status_code == 403
    assert client.get(url).status_code == 200


# --- Levels -------------------------------------------------------------------------------------


def test_framework_levels_are_listed_lowest_first(people, acme, login):
    response = login(people.employee).get(
        api(people.org, f"frameworks/{acme.framework.pk}/levels/"))

    assert [row["rank"] for row in response.json()["results"]] == [1, 2, 3, 4, 5, 6, 7]


def test_levels_list_query_count_does_not_grow_with_levels(people, login):
    framework = FrameworkFactory(organization=people.org, with_levels=2)

    def grow():
        for _ in range(8):
            LevelFactory(framework=framework)

    body = assert_constant_queries(login(people.employee),
                                   api(people.org, f"frameworks/{framework.pk}/levels/"), grow)
    assert body["count"] == 10


def test_hr_adds_a_level_at_the_top_of_the_scale(people, acme, login):
    response = post(login(people.hr), api(people.org, f"frameworks/{acme.framework.pk}/levels/"),
                    {"name": "Visionary", "descriptor": "Changes the field."})

    assert response.status_code == 201
    assert (response.json()["rank"], response.json()["name"]) == (8, "Visionary")


def test_hr_renames_a_level_and_its_rank_stays(people, acme, login):
    level = acme.level(3)

    response = patch(login(people.hr), api(people.org, f"levels/{level.pk}/"),
                     {"name": "Applies", "rank": 1})

    assert response.status_code == 200
    assert (response.json()["rank"], response.json()["name"]) == (3, "Applies")


def test_a_level_that_roles_require_cannot_be_deleted(people, acme, login):
    response = login(people.hr).delete(api(people.org, f"levels/{acme.level(3).pk}/"))

    assert response.status_code == 400
    assert "role requirement" in response.json()["errors"]["non_field_errors"][0]


def test_deleting_an_unused_level_moves_the_ones_above_down(people, acme, login):
    response = login(people.hr).delete(api(people.org, f"levels/{acme.level(7).pk}/"))

    assert response.status_code == 204
    assert Level.objects_unscoped.filter(framework=acme.framework).count() == 6


def test_employee_cannot_change_levels(people, acme, login):
    client = login(people.employee)
    assert patch(client, api(people.org, f"levels/{acme.level(1).pk}/"),
                 {"name": "x"}).status_code == 403
    assert post(client, api(people.org, f"frameworks/{acme.framework.pk}/levels/"),
                {"name": "x"}).status_code == 403


# --- Categories ---------------------------------------------------------------------------------


def test_categories_are_listed_with_their_parent_and_can_be_filtered_by_framework(
    people, acme, login
):
    SkillCategoryFactory(framework=acme.framework, name="Backend", parent=acme.category)
    other = FrameworkFactory(organization=people.org)
    SkillCategoryFactory(framework=other, name="Elsewhere")
    client = login(people.employee)

    everything = client.get(api(people.org, "categories/")).json()
    only = client.get(api(people.org, "categories/"), {"framework": acme.framework.pk}).json()

    assert everything["count"] == 3
    assert {row["name"] for row in only["results"]} == {"Delivery", "Backend"}
    backend = next(row for row in only["results"] if row["name"] == "Backend")
    assert backend["parent"] == {"id": acme.category.pk, "name": "Delivery"}
    assert backend["framework"] == {"id": acme.framework.pk, "name": "Engineering"}


def test_category_list_query_count_does_not_grow_with_categories(people, acme, login):
    def grow():
        for _ in range(10):
            SkillCategoryFactory(framework=acme.framework, parent=acme.category)

    body = assert_constant_queries(login(people.employee), api(people.org, "categories/"), grow)
    assert body["count"] == 11


def test_hr_creates_moves_and_deletes_a_category(people, acme, login):
    client = login(people.hr)

    created = post(client, api(people.org, "categories/"),
                   {"framework": acme.framework.pk, "name": "Quality"})
    assert created.status_code == 201, created.json()
    category_id = created.json()["id"]
    moved = patch(client, api(people.org, f"categories/{category_id}/"),
                  {"parent": acme.category.pk})
    assert moved.status_code == 200
    assert moved.json()["parent"]["id"] == acme.category.pk
    assert client.delete(api(people.org, f"categories/{category_id}/")).status_code == 204
    assert not SkillCategory.objects_unscoped.filter(pk=category_id).exists()


def test_category_cannot_be_placed_under_itself(people, acme, login):
    child = SkillCategoryFactory(framework=acme.framework, parent=acme.category)

    response = patch(login(people.hr), api(people.org, f"categories/{acme.category.pk}/"),
                     {"parent": child.pk})

    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_category_of_another_organisations_framework_is_rejected(people, globex, login):
    response = post(login(people.hr), api(people.org, "categories/"),
                    {"framework": globex.framework.pk, "name": "Stolen"})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["framework"][0]


# --- Skills -------------------------------------------------------------------------------------


def test_skill_list_filters_by_framework_words_emerging_and_retired(people, acme, login):
    other = FrameworkFactory(organization=people.org, name="Sales")
    SkillFactory(framework=other, name="Negotiation", is_emerging=True)
    SkillFactory(framework=acme.framework, name="Perl", is_retired=True)
    client = login(people.employee)
    url = api(people.org, "skills/")

    def names(**params):
        return [row["name"] for row in client.get(url, params).json()["results"]]

    assert names() == ["Mentoring", "Negotiation", "Perl", "Python", "Testing"]
    assert names(framework=acme.framework.pk, retired="false") == [
        "Mentoring", "Python", "Testing"]
    assert names(q="pyth") == ["Python"]
    assert names(emerging="true") == ["Negotiation"]
    assert names(retired="true") == ["Perl"]


def test_skill_list_rejects_a_framework_of_another_organisation(people, globex, login):
    response = login(people.employee).get(api(people.org, "skills/"),
                                          {"framework": globex.framework.pk})
    assert response.status_code == 400
    assert "framework" in response.json()["errors"]


def test_skill_list_query_count_does_not_grow_with_skills(people, acme, login):
    def grow():
        for _ in range(15):
            SkillFactory(framework=acme.framework,
                         category=SkillCategoryFactory(framework=acme.framework))

    body = assert_constant_queries(login(people.employee), api(people.org, "skills/"), grow)
    assert body["count"] == 18


def test_skill_detail_shows_what_each_level_means_and_where_to_learn_it(people, acme, login):
    SkillLevelDescriptorFactory(skill=acme.python, level=acme.level(3),
                                description="Writes idiomatic modules.")
    LearningResourceFactory(skill=acme.python, title="Fluent Python", kind="book")

    response = login(people.employee).get(api(people.org, f"skills/{acme.python.pk}/"))

    assert response.status_code == 200
    body = response.json()
    assert body["category"] == {"id": acme.category.pk, "name": "Delivery"}
    assert body["descriptors"] == [{
        "level": {"id": acme.level(3).pk, "rank": 3, "name": "Practising",
                  "descriptor": acme.level(3).descriptor, "translations": {}},
        "description": "Writes idiomatic modules.", "translations": {},
    }]
    assert [(r["title"], r["kind"]) for r in body["resources"]] == [("Fluent Python", "book")]


def test_hr_creates_a_skill(people, acme, login):
    response = post(login(people.hr), api(people.org, "skills/"), {
        "framework": acme.framework.pk, "category": acme.category.pk, "name": "Rust",
        "description": "Systems programming.",
    })

    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "Rust"
    assert response.json()["descriptors"] == []


def test_skill_name_taken_in_the_framework_is_a_field_error(people, acme, login):
    response = post(login(people.hr), api(people.org, "skills/"),
                    {"framework": acme.framework.pk, "name": "python"})

    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_hr_flags_an_emerging_skill_and_the_members_are_told_after_commit(
    people, acme, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = patch(login(people.hr), api(people.org, f"skills/{acme.mentoring.pk}/"),
                         {"is_emerging": True, "emerging_note": "Our teams are growing."})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["is_emerging"] is True
    assert body["emerging_note"] == "Our teams are growing."
    assert body["emerging_since"] is not None
    assert len(callbacks) == 1


def test_changing_only_the_note_of_an_emerging_skill_tells_no_one_again(
    people, acme, login, django_capture_on_commit_callbacks
):
    acme.mentoring.is_emerging = True
    acme.mentoring.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = patch(login(people.hr), api(people.org, f"skills/{acme.mentoring.pk}/"),
                         {"emerging_note": "Still growing."})

    assert response.status_code == 200
    assert response.json()["emerging_note"] == "Still growing."
    assert callbacks == []


def test_a_note_alone_cannot_make_a_skill_emerging(people, acme, login):
    response = patch(login(people.hr), api(people.org, f"skills/{acme.python.pk}/"),
                     {"emerging_note": "Why not"})

    assert response.status_code == 400
    assert "emerging_note" in response.json()["errors"]


def test_hr_unflags_an_emerging_skill(people, acme, login):
    acme.mentoring.is_emerging = True
    acme.mentoring.save()

    response = patch(login(people.hr), api(people.org, f"skills/{acme.mentoring.pk}/"),
                     {"is_emerging": False})

    assert response.json()["is_emerging"] is False


def test_retiring_a_skill_removes_it_from_role_requirements(people, acme, login):
    response = patch(login(people.hr), api(people.org, f"skills/{acme.python.pk}/"),
                     {"is_retired": True, "description": "Replaced."})

    assert response.status_code == 200
    assert response.json()["is_retired"] is True
    assert response.json()["description"] == "Replaced."
    assert not RoleRequirement.objects_unscoped.filter(skill=acme.python).exists()


def test_a_retired_skill_cannot_be_emerging(people, acme, login):
    response = patch(login(people.hr), api(people.org, f"skills/{acme.python.pk}/"),
                     {"is_retired": True, "is_emerging": True})

    assert response.status_code == 400
    assert not Skill.objects_unscoped.get(pk=acme.python.pk).is_retired


def test_employee_cannot_edit_a_skill(people, acme, login):
    response = patch(login(people.employee), api(people.org, f"skills/{acme.python.pk}/"),
                     {"is_emerging": True})

    assert response.status_code == 403
    assert not Skill.objects_unscoped.get(pk=acme.python.pk).is_emerging


def test_hr_says_what_levels_mean_for_a_skill_and_an_empty_text_removes_one(
    people, acme, login
):
    SkillLevelDescriptorFactory(skill=acme.python, level=acme.level(1), description="Old")
    url = api(people.org, f"skills/{acme.python.pk}/descriptors/")

    response = put(login(people.hr), url, {"descriptors": [
        {"level": acme.level(1).pk, "description": ""},
        {"level": acme.level(2).pk, "description": "Writes scripts."},
    ]})

    assert response.status_code == 200, response.json()
    assert [(d["level"]["rank"], d["description"]) for d in response.json()["descriptors"]] == [
        (2, "Writes scripts.")]


def test_a_level_of_another_framework_cannot_describe_a_skill(people, acme, login):
    other = FrameworkFactory(organization=people.org)
    other_level = Level.objects_unscoped.filter(framework=other).first()

    response = put(login(people.hr), api(people.org, f"skills/{acme.python.pk}/descriptors/"),
                   {"descriptors": [{"level": other_level.pk, "description": "x"}]})

    assert response.status_code == 400
    assert "level" in response.json()["errors"]


# --- Learning resources -------------------------------------------------------------------------


def test_skill_resources_are_listed_by_title(people, acme, login):
    LearningResourceFactory(skill=acme.python, title="B course")
    LearningResourceFactory(skill=acme.python, title="A book", kind="book")
    LearningResourceFactory(skill=acme.testing, title="Elsewhere")

    response = login(people.employee).get(api(people.org, f"skills/{acme.python.pk}/resources/"))

    assert [r["title"] for r in response.json()["results"]] == ["A book", "B course"]
    assert response.json()["results"][0]["skill"] == acme.python.pk


def test_resource_list_query_count_does_not_grow_with_resources(people, acme, login):
    LearningResourceFactory(skill=acme.python)

    def grow():
        for _ in range(10):
            LearningResourceFactory(skill=acme.python)

    body = assert_constant_queries(
        login(people.employee), api(people.org, f"skills/{acme.python.pk}/resources/"), grow)
    assert body["count"] == 11


def test_hr_adds_edits_and_removes_a_learning_resource(people, acme, login):
    client = login(people.hr)

    created = post(client, api(people.org, f"skills/{acme.python.pk}/resources/"),
                   {"title": "Python course", "url": "https://learn.example.test/py",
                    "kind": "course", "hours": "12.5"})
    assert created.status_code == 201, created.json()
    url = api(people.org, f"resources/{created.json()['id']}/")
    edited = patch(client, url, {"hours": "8"})
    assert edited.status_code == 200
    assert edited.json()["hours"] == "8.0"
    assert client.delete(url).status_code == 204
    assert not LearningResource.objects_unscoped.filter(skill=acme.python).exists()


def test_resource_with_a_bad_link_and_kind_gets_field_errors(people, acme, login):
    response = post(login(people.hr), api(people.org, f"skills/{acme.python.pk}/resources/"),
                    {"title": "x", "url": "not a link", "kind": "podcast"})

    assert response.status_code == 400
    assert {"url", "kind"} <= set(response.json()["errors"])


def test_employee_cannot_add_a_resource(people, acme, login):
    response = post(login(people.employee),
                    api(people.org, f"skills/{acme.python.pk}/resources/"), {"title": "x"})
    assert response.status_code == 403


# --- Role profiles ------------------------------------------------------------------------------


def test_role_list_hides_withdrawn_roles_from_everyone_but_hr(people, acme, login):
    RoleProfileFactory(framework=acme.framework, title="Mainframe Operator", is_active=False)

    member_view = login(people.employee).get(api(people.org, "roles/")).json()
    hr_view = login(people.hr).get(api(people.org, "roles/")).json()

    assert {r["title"] for r in member_view["results"]} == {"Developer", "Senior Developer"}
    assert hr_view["count"] == 3
    developer = next(r for r in member_view["results"] if r["title"] == "Developer")
    assert developer["requirement_count"] == 2
    assert developer["framework"] == {"id": acme.framework.pk, "name": "Engineering"}


def test_role_list_filters(people, acme, login):
    RoleProfileFactory(framework=acme.framework, title="Account Executive", family="Sales",
                       track="management")
    client = login(people.hr)
    url = api(people.org, "roles/")

    def titles(**params):
        return {r["title"] for r in client.get(url, params).json()["results"]}

    assert titles(q="senior") == {"Senior Developer"}
    assert titles(family="sales") == {"Account Executive"}
    assert titles(track="management") == {"Account Executive"}
    assert titles(is_active="false") == set()


def test_role_list_query_count_does_not_grow_with_roles(people, acme, login):
    def grow():
        for _ in range(10):
            role = RoleProfileFactory(framework=acme.framework)
            RoleRequirementFactory(role=role, skill=acme.python)
            MemberRoleFactory(member=MembershipFactory(organization=people.org), role=role)

    body = assert_constant_queries(login(people.employee), api(people.org, "roles/"), grow)
    assert body["count"] == 12


def test_role_detail_shows_requirements_and_paths_in_and_out(people, acme, login):
    lead = RoleProfileFactory(framework=acme.framework, title="Tech Lead")
    CareerPathFactory(from_role=acme.senior, to_role=lead, kind="lateral", typical_months=None)

    response = login(people.employee).get(api(people.org, f"roles/{acme.senior.pk}/"))

    assert response.status_code == 200
    body = response.json()
    requirements = [(r["skill"]["name"], r["min_level"], r["importance"])
                    for r in body["requirements"]]
    assert requirements == [("Mentoring", 4, "core"), ("Python", 5, "core")]
    assert [(p["from_role"]["title"], p["kind"]) for p in body["paths_in"]] == [
        ("Developer", "promotion")]
    assert [(p["to_role"]["title"], p["typical_months"]) for p in body["paths_out"]] == [
        ("Tech Lead", None)]


def test_withdrawn_role_is_404_for_members_and_visible_to_hr(people, acme, login):
    role = RoleProfileFactory(framework=acme.framework, is_active=False)
    url = api(people.org, f"roles/{role.pk}/")

    assert login(people.employee).get(url).status_code == 404
    assert login(people.hr).get(url).status_code == 200


def test_hr_creates_edits_and_withdraws_a_role(people, acme, login):
    client = login(people.hr)

    created = post(client, api(people.org, "roles/"), {
        "framework": acme.framework.pk, "title": "Staff Engineer", "family": "Engineering",
        "track": "specialist", "grade": "E6",
    })
    assert created.status_code == 201, created.json()
    url = api(people.org, f"roles/{created.json()['id']}/")
    edited = patch(client, url, {"grade": "E7", "is_active": False})
    assert edited.status_code == 200
    assert (edited.json()["grade"], edited.json()["is_active"]) == ("E7", False)
    again = patch(client, url, {"is_active": True})
    assert again.json()["is_active"] is True


def test_role_title_taken_is_a_field_error(people, acme, login):
    response = post(login(people.hr), api(people.org, "roles/"),
                    {"framework": acme.framework.pk, "title": "developer"})
    assert response.status_code == 400
    assert "title" in response.json()["errors"]


def test_role_that_requires_skills_cannot_move_to_another_framework(people, acme, login):
    other = FrameworkFactory(organization=people.org)

    response = patch(login(people.hr), api(people.org, f"roles/{acme.developer.pk}/"),
                     {"framework": other.pk})

    assert response.status_code == 400
    assert "framework" in response.json()["errors"]


def test_employee_cannot_create_or_edit_roles(people, acme, login):
    client = login(people.employee)
    assert post(client, api(people.org, "roles/"),
                {"framework": acme.framework.pk, "title": "Mine"}).status_code == 403
    assert patch(client, api(people.org, f"roles/{acme.developer.pk}/"),
                 {"title": "Mine"}).status_code == 403


# --- Requirements -------------------------------------------------------------------------------


def test_role_requirements_are_listed_by_skill(people, acme, login):
    response = login(people.employee).get(
        api(people.org, f"roles/{acme.developer.pk}/requirements/"))

    assert [(r["skill"]["name"], r["min_level"]) for r in response.json()["results"]] == [
        ("Python", 3), ("Testing", 2)]


def test_requirement_list_query_count_does_not_grow(people, acme, login):
    def grow():
        for _ in range(10):
            RoleRequirementFactory(role=acme.developer)

    body = assert_constant_queries(
        login(people.employee), api(people.org, f"roles/{acme.developer.pk}/requirements/"),
        grow)
    assert body["count"] == 12


def test_hr_adds_a_requirement_and_posting_it_again_changes_it(people, acme, login):
    client = login(people.hr)
    url = api(people.org, f"roles/{acme.developer.pk}/requirements/")

    added = post(client, url, {"skill": acme.mentoring.pk, "min_level": 2,
                               "importance": "desirable"})
    changed = post(client, url, {"skill": acme.mentoring.pk, "min_level": 3})

    assert added.status_code == 201, added.json()
    assert changed.status_code == 200
    assert (changed.json()["min_level"], changed.json()["importance"]) == (3, "core")
    assert RoleRequirement.objects_unscoped.filter(role=acme.developer).count() == 3


def test_requirement_beyond_the_scale_or_of_another_framework_is_rejected(people, acme, login):
    other_skill = SkillFactory(framework=FrameworkFactory(organization=people.org))
    client = login(people.hr)
    url = api(people.org, f"roles/{acme.developer.pk}/requirements/")

    too_high = post(client, url, {"skill": acme.mentoring.pk, "min_level": 9})
    wrong_framework = post(client, url, {"skill": other_skill.pk, "min_level": 2})

    assert too_high.status_code == 400
    assert "min_level" in too_high.json()["errors"]
    assert wrong_framework.status_code == 400
    assert "skill" in wrong_framework.json()["errors"]


def test_requirement_for_a_skill_of_another_organisation_is_invalid(people, acme, globex,
                                                                   login):
    response = post(login(people.hr), api(people.org, f"roles/{acme.developer.pk}/requirements/"),
                    {"skill": globex.python.pk, "min_level": 2})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["skill"][0]


def test_hr_changes_and_removes_a_requirement(people, acme, login):
    requirement = RoleRequirement.objects_unscoped.get(role=acme.developer, skill=acme.python)
    url = api(people.org, f"requirements/{requirement.pk}/")
    client = login(people.hr)

    changed = patch(client, url, {"importance": "desirable"})
    assert changed.status_code == 200
    assert (changed.json()["min_level"], changed.json()["importance"]) == (3, "desirable")
    assert client.delete(url).status_code == 204
    assert not RoleRequirement.objects_unscoped.filter(pk=requirement.pk).exists()


def test_employee_cannot_change_requirements(people, acme, login):
    requirement = RoleRequirement.objects_unscoped.filter(role=acme.developer).first()
    client = login(people.employee)

    assert post(client, api(people.org, f"roles/{acme.developer.pk}/requirements/"),
                {"skill": acme.mentoring.pk, "min_level": 1}).status_code == 403
    assert client.delete(api(people.org, f"requirements/{requirement.pk}/")).status_code == 403


# --- Career paths -------------------------------------------------------------------------------


def test_paths_are_listed_and_filtered_by_role_and_kind(people, acme, login):
    lead = RoleProfileFactory(framework=acme.framework, title="Tech Lead")
    CareerPathFactory(from_role=lead, to_role=acme.developer, kind="lateral")
    CareerPathFactory(from_role=lead, to_role=acme.senior, kind="lateral")
    client = login(people.employee)
    url = api(people.org, "paths/")

    assert client.get(url).json()["count"] == 3
    touching_senior = client.get(url, {"role": acme.senior.pk}).json()["results"]
    assert {(p["from_role"]["title"], p["to_role"]["title"]) for p in touching_senior} == {
        ("Developer", "Senior Developer"), ("Tech Lead", "Senior Developer")}
    assert client.get(url, {"kind": "promotion"}).json()["count"] == 1


def test_path_list_query_count_does_not_grow_with_paths(people, acme, login):
    def grow():
        for _ in range(10):
            CareerPathFactory(from_role=acme.developer)

    body = assert_constant_queries(login(people.employee), api(people.org, "paths/"), grow)
    assert body["count"] == 11


def test_hr_adds_changes_and_removes_a_path(people, acme, login):
    client = login(people.hr)

    created = post(client, api(people.org, "paths/"), {
        "from_role": acme.senior.pk, "to_role": acme.developer.pk, "kind": "lateral",
        "typical_months": 6, "notes": "Back to hands-on work.",
    })
    assert created.status_code == 201, created.json()
    url = api(people.org, f"paths/{created.json()['id']}/")
    assert patch(client, url, {"typical_months": 9}).json()["typical_months"] == 9
    assert client.delete(url).status_code == 204
    assert CareerPath.objects_unscoped.filter(organization=people.org).count() == 1


def test_path_to_the_same_role_or_twice_is_a_field_error(people, acme, login):
    client = login(people.hr)

    itself = post(client, api(people.org, "paths/"),
                  {"from_role": acme.senior.pk, "to_role": acme.senior.pk})
    twice = post(client, api(people.org, "paths/"),
                 {"from_role": acme.developer.pk, "to_role": acme.senior.pk})

    assert itself.status_code == twice.status_code == 400
    assert "to_role" in itself.json()["errors"] and "to_role" in twice.json()["errors"]


def test_employee_cannot_remove_a_path(people, acme, login):
    response = login(people.employee).delete(api(people.org, f"paths/{acme.promotion.pk}/"))
    assert response.status_code == 403
    assert CareerPath.objects_unscoped.filter(pk=acme.promotion.pk).exists()


# --- A member's role ----------------------------------------------------------------------------


def test_my_role_is_null_until_one_is_set(people, acme, login):
    client = login(people.employee)

    before = client.get(api(people.org, "me/role/")).json()
    MemberRoleFactory(member=people.employee, role=acme.developer)
    after = client.get(api(people.org, "me/role/")).json()

    assert before["role"] is None and before["since"] is None
    assert before["member"]["id"] == people.employee.pk
    assert after["role"] == {"id": acme.developer.pk, "title": "Developer"}


def test_hr_sets_and_clears_a_members_role(people, acme, login):
    client = login(people.hr)
    url = api(people.org, f"members/{people.employee.pk}/role/")

    set_ = put(client, url, {"role": acme.senior.pk})
    assert set_.status_code == 200, set_.json()
    assert set_.json()["role"]["title"] == "Senior Developer"
    assert MemberRole.objects_unscoped.get(member=people.employee).role_id == acme.senior.pk
    cleared = put(client, url, {"role": None})
    assert cleared.json()["role"] is None
    assert not MemberRole.objects_unscoped.filter(member=people.employee).exists()


def test_manager_sets_the_role_of_their_report(people, acme, login):
    response = put(login(people.manager), api(people.org, f"members/{people.employee.pk}/role/"),
                   {"role": acme.developer.pk})
    assert response.status_code == 200


def test_members_cannot_set_their_own_role(people, acme, login):
    response = put(login(people.employee),
                   api(people.org, f"members/{people.employee.pk}/role/"),
                   {"role": acme.senior.pk})

    assert response.status_code == 403
    assert not MemberRole.objects_unscoped.filter(member=people.employee).exists()


def test_a_withdrawn_role_cannot_be_given(people, acme, login):
    role = RoleProfileFactory(framework=acme.framework, is_active=False)

    response = put(login(people.hr), api(people.org, f"members/{people.employee.pk}/role/"),
                   {"role": role.pk})

    assert response.status_code == 400
    assert "role" in response.json()["errors"]


def test_a_member_outside_ones_line_is_404_for_their_role(people, acme, login):
    response = login(people.employee).get(api(people.org, f"members/{people.hr.pk}/role/"))
    assert response.status_code == 404


# --- Gap analysis and closest roles -------------------------------------------------------------


def rate(member, skill, *, self_level=None, validated_level=None):
    SkillRatingFactory(member=member, skill=skill, self_level=self_level,
                       validated_level=validated_level)


def test_member_sees_their_gaps_for_a_role_with_resources_next_to_each_gap(people, acme,
                                                                          login):
    rate(people.employee, acme.python, self_level=4, validated_level=3)
    rate(people.employee, acme.mentoring, self_level=2)
    LearningResourceFactory(skill=acme.python, title="Advanced Python")
    LearningResourceFactory(skill=acme.mentoring, title="Coaching basics")

    response = login(people.employee).get(
        api(people.org, f"members/{people.employee.pk}/gaps/{acme.senior.pk}/"))

    assert response.status_code == 200
    body = response.json()
    assert body["role"] == {"id": acme.senior.pk, "title": "Senior Developer"}
    items = {i["skill"]["name"]: i for i in body["items"]}
    python = items["Python"]
    assert (python["required_level"], python["effective_level"], python["gap"],
            python["source"]) == (5, 3, 2, "validated")
    assert [r["title"] for r in python["resources"]] == ["Advanced Python"]
    assert (items["Mentoring"]["effective_level"], items["Mentoring"]["source"]) == (2, "self")
    # Core skills weigh the same here: (3/5 + 2/4) / 2 = 55 %.
    assert body["readiness"] == 55
    assert len(body["levels"]) == 7
    assert not audit_events("skills.gaps_viewed").exists()


def test_gap_analysis_query_count_does_not_grow_with_required_skills(people, acme, login):
    def grow():
        for _ in range(10):
            skill = SkillFactory(framework=acme.framework)
            RoleRequirementFactory(role=acme.senior, skill=skill, min_level=4)
            rate(people.employee, skill, self_level=2)
            LearningResourceFactory(skill=skill)

    body = assert_constant_queries(
        login(people.employee),
        api(people.org, f"members/{people.employee.pk}/gaps/{acme.senior.pk}/"), grow)
    assert len(body["items"]) == 12


@pytest.mark.parametrize("role", ["manager", "hr"])
def test_manager_and_hr_see_a_members_gaps_and_the_read_is_audited(people, acme, login, role):
    reader = people.by_role()[role]

    response = login(reader).get(
        api(people.org, f"members/{people.employee.pk}/gaps/{acme.developer.pk}/"))

    assert response.status_code == 200
    event = audit_events("skills.gaps_viewed").get()
    assert (event.actor_id, event.subject_id) == (reader.pk, people.employee.pk)


def test_leader_sees_aggregates_only_not_the_gaps_of_someone_outside_their_line(
    people, acme, login
):
    peer = MembershipFactory(organization=people.org, manager=None)

    response = login(people.leader).get(
        api(people.org, f"members/{peer.pk}/gaps/{acme.developer.pk}/"))

    assert response.status_code == 403
    assert not audit_events("skills.gaps_viewed").exists()


def test_members_cannot_see_their_managers_gaps_nor_find_colleagues(people, acme, login):
    client = login(people.employee)

    managers = client.get(api(people.org, f"members/{people.manager.pk}/gaps/"
                                          f"{acme.developer.pk}/"))
    colleague = client.get(api(people.org, f"members/{people.hr.pk}/gaps/{acme.developer.pk}/"))

    assert managers.status_code == 403
    assert colleague.status_code == 404


def test_closest_roles_rank_every_active_role_by_readiness(people, acme, login):
    MemberRoleFactory(member=people.employee, role=acme.developer)
    rate(people.employee, acme.python, validated_level=3)
    rate(people.employee, acme.testing, self_level=2)
    RoleProfileFactory(framework=acme.framework, title="Retired role", is_active=False)
    RoleProfileFactory(framework=acme.framework, title="Empty role")

    response = login(people.employee).get(
        api(people.org, f"members/{people.employee.pk}/closest-roles/"))

    rows = response.json()["results"]
    assert [r["role"]["title"] for r in rows] == ["Developer", "Senior Developer", "Empty role"]
    assert (rows[0]["readiness"], rows[0]["is_current"], rows[0]["gap_count"]) == (100, True, 0)
    assert rows[2]["readiness"] is None


def test_closest_roles_query_count_does_not_grow_with_roles(people, acme, login):
    rate(people.employee, acme.python, self_level=2)

    def grow():
        for _ in range(12):
            role = RoleProfileFactory(framework=acme.framework)
            RoleRequirementFactory(role=role, skill=acme.python, min_level=4)

    body = assert_constant_queries(
        login(people.employee), api(people.org, f"members/{people.employee.pk}/closest-roles/"),
        grow)
    assert body["count"] == 14


def test_manager_reading_closest_roles_is_audited_and_a_leader_is_refused(people, acme, login):
    peer = MembershipFactory(organization=people.org, manager=None)
    assert login(people.manager).get(
        api(people.org, f"members/{people.employee.pk}/closest-roles/")).status_code == 200
    assert login(people.leader).get(
        api(people.org, f"members/{peer.pk}/closest-roles/")).status_code == 403
    assert audit_events("skills.closest_roles_viewed").count() == 1


def test_my_pathway_lists_moves_one_and_two_steps_away(people, acme, login):
    principal = RoleProfileFactory(framework=acme.framework, title="Principal Engineer")
    CareerPathFactory(from_role=acme.senior, to_role=principal, typical_months=36)
    MemberRoleFactory(member=people.employee, role=acme.developer)

    response = login(people.employee).get(api(people.org, "me/pathway/"))

    body = response.json()
    assert body["current"]["title"] == "Developer"
    assert [(s["role"]["title"], s["path"]["kind"]) for s in body["one_move"]] == [
        ("Senior Developer", "promotion")]
    two = body["two_moves"][0]
    assert two["role"]["title"] == "Principal Engineer"
    assert two["via"][0]["role"]["title"] == "Senior Developer"
    assert two["typical_months"] == 60


def test_my_pathway_is_empty_without_a_current_role(people, acme, login):
    body = login(people.employee).get(api(people.org, "me/pathway/")).json()
    assert body == {"current": None, "current_readiness": None, "one_move": [],
                    "two_moves": []}


# --- Check-ins ----------------------------------------------------------------------------------


def start(member, role):
    return assessments.check_in_start(organization=member.organization, actor=member,
                                      member=member, role=role)


def items_by_skill(check_in):
    return {item.skill_id: item
            for item in CheckInItem.objects_unscoped.filter(check_in=check_in)}


def test_member_starts_a_check_in_against_their_current_role(people, acme, login):
    MemberRoleFactory(member=people.employee, role=acme.developer)
    rate(people.employee, acme.python, self_level=2)

    response = post(login(people.employee), api(people.org, "check-ins/"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["check_in"]["status"] == "draft"
    assert body["check_in"]["role_title"] == "Developer"
    assert [(i["skill_name"], i["required_level"], i["self_level"]) for i in body["items"]] == [
        ("Python", 3, 2), ("Testing", 2, None)]
    assert len(body["levels"]) == 7


def test_member_starts_a_check_in_against_another_role(people, acme, login):
    response = post(login(people.employee), api(people.org, "check-ins/"),
                    {"role": acme.senior.pk})

    assert response.status_code == 201
    assert response.json()["check_in"]["role"]["title"] == "Senior Developer"


def test_starting_without_a_role_or_twice_is_a_field_error(people, acme, login):
    client = login(people.employee)

    no_role = post(client, api(people.org, "check-ins/"))
    post(client, api(people.org, "check-ins/"), {"role": acme.developer.pk})
    twice = post(client, api(people.org, "check-ins/"), {"role": acme.developer.pk})

    assert no_role.status_code == twice.status_code == 400
    assert "role" in no_role.json()["errors"] and "role" in twice.json()["errors"]
    assert CheckIn.objects_unscoped.filter(member=people.employee).count() == 1


def test_check_in_against_a_role_of_another_organisation_is_invalid(people, globex, login):
    response = post(login(people.employee), api(people.org, "check-ins/"),
                    {"role": globex.developer.pk})

    assert response.status_code == 400
    assert "Invalid pk" in response.json()["errors"]["role"][0]


def test_check_in_list_shows_mine_and_for_managers_my_reports(people, acme, login):
    mine = start(people.employee, acme.developer)
    managers_own = start(people.manager, acme.senior)
    start(people.hr, acme.developer)

    employee_view = login(people.employee).get(api(people.org, "check-ins/")).json()
    manager_view = login(people.manager).get(api(people.org, "check-ins/")).json()

    assert ids_of(employee_view) == [mine.pk]
    assert set(ids_of(manager_view)) == {mine.pk, managers_own.pk}
    row = next(r for r in manager_view["results"] if r["id"] == mine.pk)
    assert (row["item_count"], row["rated_count"], row["member"]["id"]) == (
        2, 0, people.employee.pk)


def ids_of(body):
    return [row["id"] for row in body["results"]]


def test_check_in_list_filters_by_member_and_status(people, acme, login):
    check_in = start(people.employee, acme.developer)
    client = login(people.manager)

    by_member = client.get(api(people.org, "check-ins/"), {"member": people.employee.pk})
    by_status = client.get(api(people.org, "check-ins/"), {"status": "submitted"})
    not_theirs = login(people.employee).get(api(people.org, "check-ins/"),
                                            {"member": people.manager.pk})

    assert ids_of(by_member.json()) == [check_in.pk]
    assert ids_of(by_status.json()) == []
    assert not_theirs.status_code == 403


def test_check_in_list_query_count_does_not_grow_with_check_ins(people, acme, login):
    def grow():
        for _ in range(8):
            report = MembershipFactory(organization=people.org, manager=people.manager)
            check_in = CheckInFactory(member=report, role=acme.developer)
            CheckInItemFactory(check_in=check_in, skill=acme.python)

    grow()
    body = assert_constant_queries(login(people.manager), api(people.org, "check-ins/"), grow)
    assert body["count"] == 16


def test_check_in_detail_is_for_the_member_their_managers_and_hr_and_reads_are_audited(
    people, acme, login
):
    check_in = start(people.employee, acme.developer)
    peer = MembershipFactory(organization=people.org, manager=people.leader)
    url = api(people.org, f"check-ins/{check_in.pk}/")

    assert login(people.employee).get(url).status_code == 200
    assert not audit_events("skills.check_in_viewed").exists()
    for reader in (people.manager, people.leader, people.hr):
        assert login(reader).get(url).status_code == 200
    assert login(peer).get(url).status_code == 403
    assert set(audit_events("skills.check_in_viewed").values_list("actor_id", flat=True)) == {
        people.manager.pk, people.leader.pk, people.hr.pk}


def test_check_in_detail_query_count_does_not_grow_with_skills_and_changes(people, acme,
                                                                          login):
    check_in = CheckInFactory(member=people.employee, role=acme.senior)
    CheckInItemFactory(check_in=check_in, skill=acme.python)

    def grow():
        for _ in range(10):
            item = CheckInItemFactory(check_in=check_in)
            RatingChangeFactory(item=item, to_level=2)
            RatingChangeFactory(item=item, from_level=2, to_level=3)

    body = assert_constant_queries(login(people.employee),
                                   api(people.org, f"check-ins/{check_in.pk}/"), grow)
    assert len(body["items"]) == 11


def test_my_pathway_query_count_does_not_grow_with_paths(people, acme, login):
    MemberRoleFactory(member=people.employee, role=acme.developer)

    def grow():
        for _ in range(5):
            step = RoleProfileFactory(framework=acme.framework)
            CareerPathFactory(from_role=acme.developer, to_role=step)
            CareerPathFactory(from_role=step,
                              to_role=RoleProfileFactory(framework=acme.framework))

    body = assert_constant_queries(login(people.employee), api(people.org, "me/pathway/"),
                                   grow)
    assert (len(body["one_move"]), len(body["two_moves"])) == (6, 5)


def test_member_rates_themself_and_every_change_is_kept(people, acme, login):
    check_in = start(people.employee, acme.developer)
    items = items_by_skill(check_in)
    client = login(people.employee)
    url = api(people.org, f"check-ins/{check_in.pk}/self-ratings/")

    first = put(client, url, {"ratings": {str(items[acme.python.pk].pk): 2,
                                          str(items[acme.testing.pk].pk): 1}})
    second = put(client, url, {str(items[acme.python.pk].pk): 3})  # the bare form

    assert first.status_code == second.status_code == 200, second.json()
    body = second.json()
    python = next(i for i in body["items"] if i["skill_name"] == "Python")
    assert python["self_level"] == 3
    assert [(h["from_level"], h["to_level"], h["field"]) for h in python["history"]] == [
        (None, 2, "self"), (2, 3, "self")]
    assert python["history"][0]["changed_by"]["id"] == people.employee.pk
    assert body["check_in"]["rated_count"] == 2


def test_self_rating_outside_the_scale_or_for_an_unknown_item_is_a_field_error(people, acme,
                                                                             login):
    check_in = start(people.employee, acme.developer)
    item = items_by_skill(check_in)[acme.python.pk]
    client = login(people.employee)
    url = api(people.org, f"check-ins/{check_in.pk}/self-ratings/")

    too_high = put(client, url, {"ratings": {str(item.pk): 8}})
    unknown = put(client, url, {"ratings": {"999999": 2}})
    not_an_id = put(client, url, {"ratings": {"python": 2}})

    assert too_high.status_code == unknown.status_code == not_an_id.status_code == 400
    assert "ratings" in too_high.json()["errors"]
    assert "ratings" in unknown.json()["errors"]
    assert not RatingChange.objects_unscoped.exists()


def test_only_the_member_rates_their_self_assessment(people, acme, login):
    check_in = start(people.employee, acme.developer)
    item = items_by_skill(check_in)[acme.python.pk]

    response = put(login(people.manager),
                   api(people.org, f"check-ins/{check_in.pk}/self-ratings/"),
                   {"ratings": {str(item.pk): 5}})

    assert response.status_code == 403
    assert "person being assessed" in response.json()["detail"]


def test_submitting_needs_one_rating_and_then_fixes_the_self_assessment(people, acme, login):
    check_in = start(people.employee, acme.developer)
    item = items_by_skill(check_in)[acme.python.pk]
    client = login(people.employee)

    empty = post(client, api(people.org, f"check-ins/{check_in.pk}/submit/"))
    put(client, api(people.org, f"check-ins/{check_in.pk}/self-ratings/"),
        {"ratings": {str(item.pk): 3}})
    submitted = post(client, api(people.org, f"check-ins/{check_in.pk}/submit/"))
    late = put(client, api(people.org, f"check-ins/{check_in.pk}/self-ratings/"),
               {"ratings": {str(item.pk): 4}})

    assert empty.status_code == 400
    assert submitted.status_code == 200
    assert submitted.json()["check_in"]["status"] == "submitted"
    assert late.status_code == 400
    assert SkillRating.objects_unscoped.get(member=people.employee,
                                            skill=acme.python).self_level == 3


def submitted_check_in(member, role, levels):
    check_in = start(member, role)
    items = items_by_skill(check_in)
    assessments.check_in_rate_self(organization=member.organization, actor=member,
                                   check_in=check_in,
                                   ratings={items[skill.pk].pk: level
                                            for skill, level in levels.items()})
    assessments.check_in_submit(organization=member.organization, actor=member,
                                check_in=check_in)
    return check_in, items


def test_manager_rates_side_by_side_and_validates_with_a_comment(people, acme, login):
    check_in, items = submitted_check_in(people.employee, acme.developer,
                                         {acme.python: 4, acme.testing: 2})
    client = login(people.manager)

    rated = put(client, api(people.org, f"check-ins/{check_in.pk}/manager-ratings/"), {
        "ratings": {str(items[acme.python.pk].pk): 3},
        "comments": {str(items[acme.python.pk].pk): "Solid, not yet leading."},
    })
    validated = post(client, api(people.org, f"check-ins/{check_in.pk}/validate/"),
                     {"comment": "Good progress."})

    assert rated.status_code == 200, rated.json()
    python = next(i for i in rated.json()["items"] if i["skill_name"] == "Python")
    assert (python["self_level"], python["manager_level"], python["difference"]) == (4, 3, -1)
    assert python["comment"] == "Solid, not yet leading."
    assert validated.status_code == 200
    body = validated.json()["check_in"]
    assert body["status"] == "validated"
    assert body["validated_by"]["id"] == people.manager.pk
    assert body["manager_comment"] == "Good progress."
    levels = dict(SkillRating.objects_unscoped.filter(member=people.employee)
                  .values_list("skill_id", "validated_level"))
    assert levels == {acme.python.pk: 3, acme.testing.pk: 2}


def test_manager_may_comment_without_rating_but_not_before_submission(people, acme, login):
    draft = start(people.employee, acme.senior)
    check_in, items = submitted_check_in(people.employee, acme.developer, {acme.python: 3})
    draft_item = items_by_skill(draft)[acme.python.pk]
    client = login(people.manager)

    commented = put(client, api(people.org, f"check-ins/{check_in.pk}/manager-ratings/"),
                    {"comments": {str(items[acme.testing.pk].pk): "Let us pair on this."}})
    too_early = put(client, api(people.org, f"check-ins/{draft.pk}/manager-ratings/"),
                    {"ratings": {str(draft_item.pk): 2}})

    assert commented.status_code == 200, commented.json()
    testing = next(i for i in commented.json()["items"] if i["skill_name"] == "Testing")
    assert (testing["comment"], testing["manager_level"]) == ("Let us pair on this.", None)
    assert too_early.status_code == 400


def test_member_cannot_validate_or_rate_their_own_check_in(people, acme, login):
    check_in, items = submitted_check_in(people.employee, acme.developer, {acme.python: 5})
    client = login(people.employee)

    validate = post(client, api(people.org, f"check-ins/{check_in.pk}/validate/"))
    rate_ = put(client, api(people.org, f"check-ins/{check_in.pk}/manager-ratings/"),
                {"ratings": {str(items[acme.python.pk].pk): 5}})

    assert validate.status_code == rate_.status_code == 403
    assert "your own check-in" in validate.json()["detail"]
    assert CheckIn.objects_unscoped.get(pk=check_in.pk).status == CheckInStatus.SUBMITTED


def test_a_manager_cannot_validate_a_check_in_outside_their_reports(people, acme, login):
    other_manager = MembershipFactory(organization=people.org, manager=people.leader)
    MembershipFactory(organization=people.org, manager=other_manager)
    check_in, _items = submitted_check_in(people.employee, acme.developer, {acme.python: 3})

    response = post(login(other_manager), api(people.org, f"check-ins/{check_in.pk}/validate/"))

    assert response.status_code == 403
    assert CheckIn.objects_unscoped.get(pk=check_in.pk).status == CheckInStatus.SUBMITTED


def test_hr_reads_but_cannot_validate_a_check_in_outside_their_line(people, acme, login):
    check_in, _items = submitted_check_in(people.employee, acme.developer, {acme.python: 3})
    client = login(people.hr)

    assert client.get(api(people.org, f"check-ins/{check_in.pk}/")).status_code == 200
    response = post(client, api(people.org, f"check-ins/{check_in.pk}/validate/"))
    assert response.status_code == 403
    assert "reporting line" in response.json()["detail"]


def test_a_draft_cannot_be_validated(people, acme, login):
    check_in = start(people.employee, acme.developer)

    response = post(login(people.manager), api(people.org, f"check-ins/{check_in.pk}/validate/"))

    assert response.status_code == 400
    assert "draft" in response.json()["errors"]["non_field_errors"][0]


def test_validation_comment_that_is_too_long_is_a_field_error(people, acme, login):
    check_in, _items = submitted_check_in(people.employee, acme.developer, {acme.python: 3})

    response = post(login(people.manager), api(people.org, f"check-ins/{check_in.pk}/validate/"),
                    {"comment": "x" * 5000})

    assert response.status_code == 400
    assert "comment" in response.json()["errors"]


# --- Validation queue and team matrix -----------------------------------------------------------


def test_validation_queue_lists_submitted_check_ins_of_my_reports_oldest_first(people, acme,
                                                                             login):
    waiting, _ = submitted_check_in(people.employee, acme.developer, {acme.python: 3})
    start(MembershipFactory(organization=people.org, manager=people.manager), acme.developer)

    response = login(people.manager).get(api(people.org, "validation-queue/"))

    assert ids_of(response.json()) == [waiting.pk]


@pytest.mark.parametrize("role", ["employee", "hr"])
def test_validation_queue_is_for_managers(people, login, role):
    response = login(people.by_role()[role]).get(api(people.org, "validation-queue/"))
    assert response.status_code == 403


def test_validation_queue_query_count_does_not_grow(people, acme, login):
    def grow():
        for _ in range(6):
            report = MembershipFactory(organization=people.org, manager=people.manager)
            CheckInFactory(member=report, role=acme.developer, status=CheckInStatus.SUBMITTED)

    grow()
    body = assert_constant_queries(login(people.manager), api(people.org, "validation-queue/"),
                                   grow)
    assert body["count"] == 12


def test_manager_sees_the_team_matrix_of_their_reports(people, acme, login):
    MemberRoleFactory(member=people.employee, role=acme.developer)
    rate(people.employee, acme.python, validated_level=4)
    rate(people.employee, acme.testing, self_level=1)

    response = login(people.manager).get(api(people.org, "team-matrix/"))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [s["name"] for s in body["skills"]] == ["Python", "Testing"]
    row = body["rows"][0]
    assert row["member"]["id"] == people.employee.pk
    assert row["role"]["title"] == "Developer"
    assert [(c["level"], c["validated"], c["required"], c["below"]) for c in row["cells"]] == [
        (4, True, 3, False), (1, False, 2, True)]
    assert body["count"] == 1
    assert audit_events("skills.team_matrix_viewed").get().actor_id == people.manager.pk


def test_team_matrix_against_a_chosen_role(people, acme, login):
    response = login(people.manager).get(api(people.org, "team-matrix/"),
                                         {"role": acme.senior.pk})

    body = response.json()
    assert body["role"]["title"] == "Senior Developer"
    assert [s["name"] for s in body["skills"]] == ["Mentoring", "Python"]


def test_hr_chooses_a_team_for_the_matrix(people, acme, login):
    team = TeamFactory(organization=people.org)
    people.employee.team = team
    people.employee.save()
    client = login(people.hr)

    with_team = client.get(api(people.org, "team-matrix/"), {"team": team.pk})
    without = client.get(api(people.org, "team-matrix/"))

    assert [r["member"]["id"] for r in with_team.json()["rows"]] == [people.employee.pk]
    assert without.status_code == 400
    assert "team" in without.json()["errors"]


def test_only_hr_chooses_any_team_and_employees_have_no_matrix(people, acme, other_people,
                                                              login):
    team = TeamFactory(organization=people.org)
    foreign_team = TeamFactory(organization=other_people.org)

    assert login(people.manager).get(api(people.org, "team-matrix/"),
                                     {"team": team.pk}).status_code == 403
    assert login(people.employee).get(api(people.org, "team-matrix/")).status_code == 403
    foreign = login(people.hr).get(api(people.org, "team-matrix/"), {"team": foreign_team.pk})
    assert foreign.status_code == 400
    assert "Invalid pk" in foreign.json()["errors"]["team"][0]


def test_team_matrix_query_count_does_not_grow_with_reports(people, acme, login):
    def grow():
        for _ in range(10):
            report = MembershipFactory(organization=people.org, manager=people.manager)
            MemberRoleFactory(member=report, role=acme.senior)
            rate(report, acme.python, self_level=2)
            rate(report, acme.mentoring, validated_level=5)

    grow()
    body = assert_constant_queries(login(people.manager), api(people.org, "team-matrix/"), grow)
    assert body["count"] == 21


# --- Export and import --------------------------------------------------------------------------


def test_hr_exports_a_framework_as_json_and_csv(people, acme, login):
    client = login(people.hr)
    url = api(people.org, f"frameworks/{acme.framework.pk}/export/")

    as_json = client.get(url, {"format": "json"})
    as_csv = client.get(url, {"format": "csv"})

    assert as_json.status_code == 200
    assert as_json["Content-Type"] == "application/json"
    assert 'filename="engineering.json"' in as_json["Content-Disposition"]
    document = json.loads(as_json.content)
    assert document["name"] == "Engineering"
    assert {r["title"] for r in document["roles"]} == {"Developer", "Senior Developer"}
    assert as_csv.status_code == 200
    assert as_csv["Content-Type"].startswith("text/csv")
    assert b"Python" in as_csv.content


def test_export_of_an_unknown_format_is_a_field_error(people, acme, login):
    response = login(people.hr).get(api(people.org, f"frameworks/{acme.framework.pk}/export/"),
                                    {"format": "xml"})
    assert response.status_code == 400
    assert "format" in response.json()["errors"]


def test_employee_cannot_export_a_framework(people, acme, login):
    response = login(people.employee).get(
        api(people.org, f"frameworks/{acme.framework.pk}/export/"), {"format": "json"})
    assert response.status_code == 403


def upload(content: bytes, name="framework.json"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def exported(client, org, framework, fmt="json") -> bytes:
    return client.get(api(org, f"frameworks/{framework.pk}/export/"), {"format": fmt}).content


def test_importing_a_framework_creates_it_and_a_dry_run_saves_nothing(people, other_people,
                                                                     globex, login):
    document = exported(login(other_people.hr), other_people.org, globex.framework)
    client = login(people.hr)
    url = api(people.org, "frameworks/import/")

    dry = client.post(url, {"file": upload(document), "format": "json", "dry_run": "true"})
    assert dry.status_code == 200, dry.json()
    assert (dry.json()["dry_run"], dry.json()["applied"]) == (True, False)
    assert not Framework.objects_unscoped.filter(organization=people.org).exists()

    real = client.post(url, {"file": upload(document), "format": "json"})
    assert real.status_code == 201, real.json()
    body = real.json()
    assert body["applied"] is True and body["framework"]["name"] == "Engineering"
    created = {row["kind"]: row["created"] for row in body["summary"]}
    assert created["skill"] == 3 and created["role"] == 2
    assert RoleProfile.objects_unscoped.filter(organization=people.org).count() == 2


def test_importing_the_same_csv_again_changes_nothing(people, acme, login):
    client = login(people.hr)
    document = exported(client, people.org, acme.framework, "csv")

    response = client.post(api(people.org, "frameworks/import/"),
                           {"file": upload(document, "framework.csv"), "format": "csv"})

    assert response.status_code == 200, response.json()
    summary = response.json()["summary"]
    assert all(row["created"] == row["updated"] == 0 for row in summary)


def test_a_file_with_problems_is_400_with_every_problem_and_saves_nothing(people, login):
    document = json.dumps({"format": "trellis-framework", "version": 1, "name": "Broken",
                           "levels": [{"rank": "high", "name": ""}]}).encode()

    response = login(people.hr).post(api(people.org, "frameworks/import/"),
                                     {"file": upload(document), "format": "json"})

    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["file"]
    assert all(isinstance(message, str) and message for message in body["errors"]["file"])
    assert not Framework.objects_unscoped.filter(name="Broken").exists()


def test_import_needs_a_file_and_a_known_format(people, login):
    response = login(people.hr).post(api(people.org, "frameworks/import/"), {"format": "xls"})
    assert response.status_code == 400
    assert {"file", "format"} <= set(response.json()["errors"])


def test_employee_cannot_import_a_framework(people, login):
    response = login(people.employee).post(api(people.org, "frameworks/import/"),
                                           {"file": upload(b"{}"), "format": "json"})
    assert response.status_code == 403


# --- Another organisation -----------------------------------------------------------------------


def foreign_urls(theirs: Catalog, other_people):
    check_in = CheckInFactory(member=other_people.employee, role=theirs.developer)
    requirement = RoleRequirement.objects_unscoped.filter(role=theirs.developer).first()
    resource = LearningResourceFactory(skill=theirs.python)
    member = other_people.employee.pk
    return [
        f"frameworks/{theirs.framework.pk}/",
        f"frameworks/{theirs.framework.pk}/levels/",
        f"frameworks/{theirs.framework.pk}/export/",
        f"levels/{theirs.level(1).pk}/",
        f"categories/{theirs.category.pk}/",
        f"skills/{theirs.python.pk}/",
        f"skills/{theirs.python.pk}/descriptors/",
        f"skills/{theirs.python.pk}/resources/",
        f"resources/{resource.pk}/",
        f"roles/{theirs.developer.pk}/",
        f"roles/{theirs.developer.pk}/requirements/",
        f"requirements/{requirement.pk}/",
        f"paths/{theirs.promotion.pk}/",
        f"members/{member}/role/",
        f"members/{member}/gaps/{theirs.developer.pk}/",
        f"members/{member}/closest-roles/",
        f"check-ins/{check_in.pk}/",
        f"check-ins/{check_in.pk}/self-ratings/",
        f"check-ins/{check_in.pk}/submit/",
        f"check-ins/{check_in.pk}/manager-ratings/",
        f"check-ins/{check_in.pk}/validate/",
    ]


@pytest.mark.parametrize("role", ["employee", "manager", "hr", "leader"])
def test_another_organisations_ids_are_404_for_every_method(people, other_people, globex,
                                                            login, role):
    client = login(people.by_role()[role])
    leaks = []
    for path in foreign_urls(globex, other_people):
        url = api(people.org, path)
        for method in ("get", "post", "put", "patch", "delete"):
            response = getattr(client, method)(url, {}, content_type="application/json")
            if response.status_code != 404:
                leaks.append((method, path, response.status_code))
    assert leaks == []


def test_mixed_ids_of_this_and_another_organisation_are_404(people, acme, globex, login):
    client = login(people.hr)
    assert client.get(api(people.org, f"members/{people.employee.pk}/gaps/"
                                      f"{globex.developer.pk}/")).status_code == 404


def test_another_organisations_skill_api_is_404(people, other_people, login):
    response = login(people.hr).get(api(other_people.org, "frameworks/"))
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "errors": {}}
