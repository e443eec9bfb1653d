"""HR's framework, role profile and career path editors, through their real URLs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.factories import MembershipFactory
from skills.factories import (
    CareerPathFactory,
    FrameworkFactory,
    LearningResourceFactory,
    MemberRoleFactory,
    RoleProfileFactory,
    RoleRequirementFactory,
    SkillCategoryFactory,
    SkillFactory,
)
from skills.models import (
    CareerPath,
    Framework,
    Importance,
    Level,
    RoleProfile,
    RoleRequirement,
    Skill,
    SkillLevelDescriptor,
)

pytestmark = pytest.mark.django_db


def url(name, org, **kwargs):
    return reverse(f"skills:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def framework(people):
    return FrameworkFactory(organization=people.org, name="Engineering", with_levels=5)


@pytest.fixture
def role(framework):
    return RoleProfileFactory(framework=framework, title="Data Engineer", family="Engineering")


@pytest.fixture
def hr(people, login):
    return login(people.hr)


def body(response) -> str:
    return response.content.decode()


# --- Frameworks ---------------------------------------------------------------------------------


def test_empty_framework_list_invites_hr_to_create_one(people, hr):
    response = hr.get(url("framework_list", people.org))
    assert response.status_code == 200
    assert "No frameworks yet" in body(response)


def test_hr_creates_a_framework_with_a_starter_scale(people, hr):
    response = hr.post(url("framework_list", people.org), {
        "framework-name": "Company skills", "framework-description": "",
        "framework-starter_scale": "on",
    }, follow=True)
    framework = Framework.objects_unscoped.get(organization=people.org, name="Company skills")
    assert response.redirect_chain[-1][0] == url("framework_detail", people.org,
                                                 framework_id=framework.pk)
    page = body(response)
    assert "Framework “Company skills” created" in page
    assert "Proficient" in page
    assert "No skills yet" in page


def test_hr_adds_a_skill_and_sees_it_in_the_framework(people, hr, framework):
    category = SkillCategoryFactory(framework=framework, name="Data")
    response = hr.post(url("skill_create", people.org, framework_id=framework.pk), {
        "skill-name": "Data modelling", "skill-category": str(category.pk),
        "skill-description": "Designing schemas that last.",
    }, follow=True)
    assert response.status_code == 200
    page = body(response)
    assert "Skill “Data modelling” added." in page
    assert "Data modelling" in page
    skill = Skill.objects_unscoped.get(framework=framework, name="Data modelling")
    assert skill.category == category


def test_skill_form_with_bad_input_re_renders_with_errors_and_saves_nothing(people, hr,
                                                                           framework):
    SkillFactory(framework=framework, name="Python")
    response = hr.post(url("skill_create", people.org, framework_id=framework.pk), {
        "skill-name": "python", "skill-description": "Kept as typed.",
    })
    assert response.status_code == 400
    page = body(response)
    assert "A skill of this name exists in this framework." in page
    assert "Kept as typed." in page
    assert Skill.objects_unscoped.filter(framework=framework).count() == 1

    response = hr.post(url("skill_create", people.org, framework_id=framework.pk), {
        "skill-name": "", "skill-description": "No name",
    })
    assert response.status_code == 400
    assert "This field is required." in body(response)
    assert Skill.objects_unscoped.filter(framework=framework).count() == 1


def test_skill_search_finds_by_name_and_hides_retired_by_default(people, hr, framework):
    SkillFactory(framework=framework, name="Kubernetes")
    SkillFactory(framework=framework, name="Fortran", is_retired=True)
    SkillFactory(framework=framework, name="Negotiation")
    page = body(hr.get(url("framework_detail", people.org, framework_id=framework.pk),
                       {"q": "kube"}))
    assert "Kubernetes" in page and "Negotiation" not in page
    page = body(hr.get(url("framework_detail", people.org, framework_id=framework.pk)))
    assert "Fortran" not in page
    page = body(hr.get(url("framework_detail", people.org, framework_id=framework.pk),
                       {"status": "retired"}))
    assert "Fortran" in page and "Retired" in page


def test_live_search_returns_only_the_results(people, hr, framework):
    SkillFactory(framework=framework, name="Kubernetes")
    response = hr.get(url("framework_detail", people.org, framework_id=framework.pk),
                      {"q": "kube"}, headers={"HX-Request": "true"})
    assert "Kubernetes" in body(response)
    assert "<html" not in body(response)


def test_hr_renames_a_level_inline(people, hr, framework):
    level = Level.objects_unscoped.get(framework=framework, rank=3)
    response = hr.post(url("level_update", people.org, level_id=level.pk), {
        f"level-{level.pk}-name": "Independent", f"level-{level.pk}-descriptor": "On their own.",
    }, follow=True)
    assert "Independent" in body(response)
    level.refresh_from_db()
    assert (level.name, level.descriptor) == ("Independent", "On their own.")


def test_level_delete_asks_first_then_deletes(people, hr, framework):
    level = Level.objects_unscoped.get(framework=framework, rank=5)
    confirm = hr.get(url("level_delete", people.org, level_id=level.pk))
    assert confirm.status_code == 200
    assert "Delete the level" in body(confirm)
    assert Level.objects_unscoped.filter(pk=level.pk).exists()
    hr.post(url("level_delete", people.org, level_id=level.pk))
    assert not Level.objects_unscoped.filter(pk=level.pk).exists()


def test_framework_used_by_roles_shows_why_it_cannot_be_deleted(people, hr, framework, role):
    confirm = body(hr.get(url("framework_delete", people.org, framework_id=framework.pk)))
    assert "Data Engineer" in confirm
    assert "Delete the framework" not in confirm
    response = hr.post(url("framework_delete", people.org, framework_id=framework.pk),
                       follow=True)
    assert "Role profiles use this framework" in body(response)
    assert Framework.objects_unscoped.filter(pk=framework.pk).exists()


def test_hr_adds_a_category_under_another(people, hr, framework):
    parent = SkillCategoryFactory(framework=framework, name="Technical")
    hr.post(url("category_create", people.org, framework_id=framework.pk), {
        "category-name": "Cloud", "category-parent": str(parent.pk),
    })
    page = body(hr.get(url("framework_detail", people.org, framework_id=framework.pk)))
    assert "Cloud" in page
    assert "Technical / Cloud" in page


# --- Skill page ---------------------------------------------------------------------------------


def test_hr_describes_each_level_of_a_skill(people, hr, framework):
    skill = SkillFactory(framework=framework)
    levels = list(Level.objects_unscoped.filter(framework=framework).order_by("rank"))
    data = {f"desc-level_{lv.pk}": "" for lv in levels}
    data[f"desc-level_{levels[1].pk}"] = "Writes simple queries with help."
    response = hr.post(url("skill_descriptors", people.org, skill_id=skill.pk), data,
                       follow=True)
    assert "Writes simple queries with help." in body(response)
    assert SkillLevelDescriptor.objects_unscoped.filter(skill=skill).count() == 1


def test_hr_flags_a_skill_as_emerging_with_a_note(people, hr, framework,
                                                  django_capture_on_commit_callbacks):
    skill = SkillFactory(framework=framework, name="Prompt engineering")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = hr.post(url("skill_flag_emerging", people.org, skill_id=skill.pk),
                           {"emerging-note": "Every team now works with AI assistants."},
                           follow=True)
    page = body(response)
    assert "is flagged as emerging" in page
    assert "Every team now works with AI assistants." in page
    assert len(callbacks) == 1
    skill.refresh_from_db()
    assert skill.is_emerging


def test_flagging_without_a_note_is_refused(people, hr, framework):
    skill = SkillFactory(framework=framework)
    response = hr.post(url("skill_flag_emerging", people.org, skill_id=skill.pk),
                       {"emerging-note": ""})
    assert response.status_code == 400
    assert "This field is required." in body(response)
    skill.refresh_from_db()
    assert not skill.is_emerging


def test_hr_adds_a_learning_resource(people, hr, framework):
    skill = SkillFactory(framework=framework)
    response = hr.post(url("resource_create", people.org, skill_id=skill.pk), {
        "resource-title": "Designing Data-Intensive Applications", "resource-kind": "book",
        "resource-url": "https://example.test/ddia", "resource-hours": "30",
    }, follow=True)
    assert "Designing Data-Intensive Applications" in body(response)


def test_retiring_a_skill_asks_first_and_names_the_roles_it_leaves(people, hr, role):
    requirement = RoleRequirementFactory(role=role)
    confirm = body(hr.get(url("skill_retire", people.org, skill_id=requirement.skill_id)))
    assert "Data Engineer" in confirm
    hr.post(url("skill_retire", people.org, skill_id=requirement.skill_id))
    assert Skill.objects_unscoped.get(pk=requirement.skill_id).is_retired


# --- Role profiles ------------------------------------------------------------------------------


def test_hr_creates_a_role_profile(people, hr, framework):
    response = hr.post(url("role_list", people.org), {
        "role-title": "Platform Engineer", "role-framework": str(framework.pk),
        "role-family": "Engineering", "role-track": "individual", "role-grade": "P3",
        "role-description": "",
    }, follow=True)
    role = RoleProfile.objects_unscoped.get(organization=people.org, title="Platform Engineer")
    assert response.redirect_chain[-1][0] == url("role_detail", people.org, role_id=role.pk)
    assert "No required skills yet" in body(response)


def test_hr_adds_a_requirement_and_sees_it(people, hr, framework, role):
    skill = SkillFactory(framework=framework, name="SQL")
    response = hr.post(url("requirement_add", people.org, role_id=role.pk), {
        "req-skill": str(skill.pk), "req-min_level": "3", "req-importance": "core",
    }, follow=True)
    page = body(response)
    assert "“Data Engineer” now requires SQL." in page
    requirement = RoleRequirement.objects_unscoped.get(role=role, skill=skill)
    assert (requirement.min_level, requirement.importance) == (3, Importance.CORE)
    assert f'id="id_req-{requirement.pk}-min_level"' in page


def test_requirement_with_a_level_outside_the_scale_re_renders_and_saves_nothing(
    people, hr, framework, role
):
    skill = SkillFactory(framework=framework, name="SQL")
    response = hr.post(url("requirement_add", people.org, role_id=role.pk), {
        "req-skill": str(skill.pk), "req-min_level": "9", "req-importance": "desirable",
    })
    assert response.status_code == 400
    page = body(response)
    assert "Select a valid choice" in page
    assert f'<option value="{skill.pk}" selected>' in page
    assert '<option value="desirable" selected>' in page
    assert not RoleRequirement.objects_unscoped.filter(role=role).exists()


def test_requirement_with_a_skill_of_another_framework_is_refused_by_the_form(
    people, hr, role
):
    elsewhere = SkillFactory(framework=FrameworkFactory(organization=people.org))
    response = hr.post(url("requirement_add", people.org, role_id=role.pk), {
        "req-skill": str(elsewhere.pk), "req-min_level": "2", "req-importance": "core",
    })
    assert response.status_code == 400
    assert not RoleRequirement.objects_unscoped.filter(role=role).exists()


def test_hr_changes_and_removes_a_requirement(people, hr, role):
    requirement = RoleRequirementFactory(role=role, min_level=2)
    hr.post(url("requirement_update", people.org, requirement_id=requirement.pk), {
        f"req-{requirement.pk}-min_level": "4",
        f"req-{requirement.pk}-importance": "desirable",
    })
    requirement.refresh_from_db()
    assert (requirement.min_level, requirement.importance) == (4, Importance.DESIRABLE)
    hr.post(url("requirement_remove", people.org, requirement_id=requirement.pk))
    assert not RoleRequirement.objects_unscoped.filter(pk=requirement.pk).exists()


def test_role_list_groups_roles_by_job_family_with_counts(people, hr, framework, role):
    RoleProfileFactory(framework=framework, title="Account Executive", family="Sales")
    RoleRequirementFactory(role=role)
    MemberRoleFactory(member=people.employee, role=role)
    page = body(hr.get(url("role_list", people.org)))
    assert "Engineering" in page and "Sales" in page
    assert page.index("Engineering") < page.index("Data Engineer")
    assert "(1 core)" in page


def test_hr_adds_a_career_path_from_a_role_page(people, hr, framework, role):
    senior = RoleProfileFactory(framework=framework, title="Senior Data Engineer")
    response = hr.post(url("role_path_create", people.org, role_id=role.pk), {
        "path-direction": "out", "path-other_role": str(senior.pk), "path-kind": "promotion",
        "path-typical_months": "24", "path-notes": "",
    }, follow=True)
    assert "Career path Data Engineer → Senior Data Engineer added." in body(response)
    assert CareerPath.objects_unscoped.filter(from_role=role, to_role=senior).exists()


# --- Career paths -------------------------------------------------------------------------------


def test_path_to_the_same_role_re_renders_with_an_error(people, hr, role):
    response = hr.post(url("path_list", people.org), {
        "path-from_role": str(role.pk), "path-to_role": str(role.pk), "path-kind": "lateral",
        "path-typical_months": "", "path-notes": "Kept",
    })
    assert response.status_code == 400
    assert "A path must lead to another role." in body(response)
    assert "Kept" in body(response)
    assert not CareerPath.objects_unscoped.exists()


def test_hr_lists_and_deletes_paths(people, hr, framework, role):
    path = CareerPathFactory(from_role=role, to_role__title="Lead Data Engineer")
    page = body(hr.get(url("path_list", people.org)))
    assert "Lead Data Engineer" in page
    response = hr.post(url("path_delete", people.org, path_id=path.pk), follow=True)
    assert "deleted" in body(response)
    assert not CareerPath.objects_unscoped.filter(pk=path.pk).exists()


def test_path_delete_returns_to_the_role_page_it_came_from(people, hr, role):
    path = CareerPathFactory(from_role=role)
    back = url("role_detail", people.org, role_id=role.pk)
    response = hr.post(url("path_delete", people.org, path_id=path.pk), {"next": back})
    assert response["Location"] == back
    path = CareerPathFactory(from_role=role)
    response = hr.post(url("path_delete", people.org, path_id=path.pk),
                       {"next": "https://evil.example/"})
    assert response["Location"] == url("path_list", people.org)


# --- Access -------------------------------------------------------------------------------------


def _every_hr_url(people, framework, role):
    skill = SkillFactory(framework=framework)
    level = Level.objects_unscoped.filter(framework=framework).first()
    category = SkillCategoryFactory(framework=framework)
    requirement = RoleRequirementFactory(role=role)
    path = CareerPathFactory(from_role=role)
    resource = LearningResourceFactory(skill=skill)
    org = people.org
    return [
        url("framework_list", org),
        url("framework_detail", org, framework_id=framework.pk),
        url("framework_delete", org, framework_id=framework.pk),
        url("level_create", org, framework_id=framework.pk),
        url("category_create", org, framework_id=framework.pk),
        url("skill_create", org, framework_id=framework.pk),
        url("level_update", org, level_id=level.pk),
        url("level_delete", org, level_id=level.pk),
        url("category_update", org, category_id=category.pk),
        url("category_delete", org, category_id=category.pk),
        url("skill_detail", org, skill_id=skill.pk),
        url("skill_descriptors", org, skill_id=skill.pk),
        url("skill_retire", org, skill_id=skill.pk),
        url("skill_reinstate", org, skill_id=skill.pk),
        url("skill_flag_emerging", org, skill_id=skill.pk),
        url("skill_unflag_emerging", org, skill_id=skill.pk),
        url("resource_create", org, skill_id=skill.pk),
        url("resource_update", org, resource_id=resource.pk),
        url("resource_delete", org, resource_id=resource.pk),
        url("role_list", org),
        url("role_detail", org, role_id=role.pk),
        url("role_deactivate", org, role_id=role.pk),
        url("role_reactivate", org, role_id=role.pk),
        url("requirement_add", org, role_id=role.pk),
        url("role_path_create", org, role_id=role.pk),
        url("requirement_update", org, requirement_id=requirement.pk),
        url("requirement_remove", org, requirement_id=requirement.pk),
        url("path_list", org),
        url("path_delete", org, path_id=path.pk),
    ]


@pytest.mark.parametrize("who", ["employee", "manager", "leader"])
def test_members_who_are_not_hr_get_403_on_every_hr_page(people, login, framework, role, who):
    client = login(people.by_role()[who])
    urls = _every_hr_url(people, framework, role)
    for target in urls:
        assert client.get(target).status_code == 403, target
        assert client.post(target, {}).status_code == 403, target
    assert Framework.objects_unscoped.filter(pk=framework.pk).exists()
    assert RoleRequirement.objects_unscoped.filter(role=role).exists()
    assert CareerPath.objects_unscoped.filter(from_role=role).exists()


def test_hr_of_another_organisation_gets_404_for_our_objects(people, other_people, login,
                                                             framework, role):
    client = login(other_people.hr)
    for target in _every_hr_url(people, framework, role):
        own_slug = target.replace(f"/o/{people.org.slug}/", f"/o/{other_people.org.slug}/")
        if own_slug.rstrip("/").endswith(("frameworks", "roles", "paths")):
            continue
        assert client.get(own_slug).status_code == 404, own_slug
        assert client.post(own_slug, {}).status_code == 404, own_slug


def test_post_only_actions_refuse_get(people, hr, role):
    assert hr.get(url("role_deactivate", people.org, role_id=role.pk)).status_code == 405
    role.refresh_from_db()
    assert role.is_active


# --- Bounded queries ----------------------------------------------------------------------------


def _queries(client, target) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(target).status_code == 200
    return len(captured)


def _add_skills(framework, count):
    categories = [SkillCategoryFactory(framework=framework) for _ in range(3)]
    role = RoleProfileFactory(framework=framework)
    for i in range(count):
        skill = SkillFactory(framework=framework, category=categories[i % 3],
                             is_emerging=i % 7 == 0)
        RoleRequirementFactory(role=role, skill=skill)


def test_framework_page_runs_the_same_queries_for_10_or_100_skills(people, hr, framework):
    target = url("framework_detail", people.org, framework_id=framework.pk)
    _add_skills(framework, 10)
    hr.get(target)
    small = _queries(hr, target)
    _add_skills(framework, 90)
    assert Skill.objects_unscoped.filter(framework=framework).count() == 100
    assert _queries(hr, target) == small


def _add_roles(framework, count):
    skill = SkillFactory(framework=framework)
    families = ["Engineering", "Sales", "People", ""]
    for i in range(count):
        role = RoleProfileFactory(framework=framework, family=families[i % 4])
        RoleRequirementFactory(role=role, skill=skill)
        if i % 5 == 0:
            MemberRoleFactory(member=MembershipFactory(organization=framework.organization),
                              role=role)


def test_role_list_runs_the_same_queries_for_10_or_100_roles(people, hr, framework):
    target = url("role_list", people.org)
    _add_roles(framework, 10)
    hr.get(target)
    small = _queries(hr, target)
    _add_roles(framework, 90)
    assert RoleProfile.objects_unscoped.filter(organization=people.org).count() == 100
    assert _queries(hr, target) == small


def test_role_page_runs_the_same_queries_for_few_or_many_requirements(people, hr, framework,
                                                                      role):
    target = url("role_detail", people.org, role_id=role.pk)
    for _ in range(3):
        RoleRequirementFactory(role=role)
        CareerPathFactory(from_role=role)
    hr.get(target)
    small = _queries(hr, target)
    for _ in range(30):
        RoleRequirementFactory(role=role)
        CareerPathFactory(from_role=role)
        CareerPathFactory(to_role=role, from_role__framework=framework)
    assert _queries(hr, target) == small


def test_skill_page_runs_the_same_queries_for_few_or_many_resources(people, hr, framework):
    skill = SkillFactory(framework=framework)
    target = url("skill_detail", people.org, skill_id=skill.pk)
    LearningResourceFactory(skill=skill)
    hr.get(target)
    small = _queries(hr, target)
    for _ in range(20):
        LearningResourceFactory(skill=skill)
        RoleRequirementFactory(skill=skill, role__framework=framework)
    assert _queries(hr, target) == small
