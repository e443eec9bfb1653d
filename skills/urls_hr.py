"""HR's editors, mounted at /o/<org_slug>/skills/manage/ (names in the ``skills`` namespace)."""

from django.urls import path

from .views import hr

urlpatterns = [
    # Frameworks, their levels, categories and skills.
    path("frameworks/", hr.framework_list, name="framework_list"),
    path("frameworks/<int:framework_id>/", hr.framework_detail, name="framework_detail"),
    path("frameworks/<int:framework_id>/delete/", hr.framework_delete, name="framework_delete"),
    path("frameworks/<int:framework_id>/levels/", hr.level_create, name="level_create"),
    path("frameworks/<int:framework_id>/categories/", hr.category_create,
         name="category_create"),
    path("frameworks/<int:framework_id>/skills/", hr.skill_create, name="skill_create"),
    path("levels/<int:level_id>/", hr.level_update, name="level_update"),
    path("levels/<int:level_id>/delete/", hr.level_delete, name="level_delete"),
    path("categories/<int:category_id>/", hr.category_update, name="category_update"),
    path("categories/<int:category_id>/delete/", hr.category_delete, name="category_delete"),
    path("skills/<int:skill_id>/", hr.skill_detail, name="skill_detail"),
    path("skills/<int:skill_id>/descriptors/", hr.skill_descriptors, name="skill_descriptors"),
    path("skills/<int:skill_id>/retire/", hr.skill_retire, name="skill_retire"),
    path("skills/<int:skill_id>/reinstate/", hr.skill_reinstate, name="skill_reinstate"),
    path("skills/<int:skill_id>/emerging/", hr.skill_flag_emerging, name="skill_flag_emerging"),
    path("skills/<int:skill_id>/emerging/remove/", hr.skill_unflag_emerging,
         name="skill_unflag_emerging"),
    path("skills/<int:skill_id>/resources/", hr.resource_create, name="resource_create"),
    path("resources/<int:resource_id>/", hr.resource_update, name="resource_update"),
    path("resources/<int:resource_id>/delete/", hr.resource_delete, name="resource_delete"),
    # Role profiles and what they require.
    path("roles/", hr.role_list, name="role_list"),
    path("roles/<int:role_id>/", hr.role_detail, name="role_detail"),
    path("roles/<int:role_id>/deactivate/", hr.role_deactivate, name="role_deactivate"),
    path("roles/<int:role_id>/reactivate/", hr.role_reactivate, name="role_reactivate"),
    path("roles/<int:role_id>/requirements/", hr.requirement_add, name="requirement_add"),
    path("roles/<int:role_id>/paths/", hr.role_path_create, name="role_path_create"),
    path("requirements/<int:requirement_id>/", hr.requirement_update,
         name="requirement_update"),
    path("requirements/<int:requirement_id>/delete/", hr.requirement_remove,
         name="requirement_remove"),
    # Career paths between roles.
    path("paths/", hr.path_list, name="path_list"),
    path("paths/<int:path_id>/delete/", hr.path_delete, name="path_delete"),
]
