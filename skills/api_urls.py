"""The skills API, mounted at /api/v1/o/<org_slug>/skills/ (namespace ``skills-api``)."""

from django.urls import path

from . import api

app_name = "skills-api"

urlpatterns = [
    # Frameworks, levels, categories: reads for every member, writes for HR admins.
    path("frameworks/", api.FrameworkListView.as_view(), name="framework-list"),
    path("frameworks/import/", api.FrameworkImportView.as_view(), name="framework-import"),
    path("frameworks/<int:framework_id>/", api.FrameworkDetailView.as_view(),
         name="framework-detail"),
    path("frameworks/<int:framework_id>/export/", api.FrameworkExportView.as_view(),
         name="framework-export"),
    path("frameworks/<int:framework_id>/levels/", api.LevelListView.as_view(),
         name="level-list"),
    path("levels/<int:level_id>/", api.LevelDetailView.as_view(), name="level-detail"),
    path("categories/", api.CategoryListView.as_view(), name="category-list"),
    path("categories/<int:category_id>/", api.CategoryDetailView.as_view(),
         name="category-detail"),
    # Skills, what their levels mean, learning resources.
    path("skills/", api.SkillListView.as_view(), name="skill-list"),
    path("skills/<int:skill_id>/", api.SkillDetailView.as_view(), name="skill-detail"),
    path("skills/<int:skill_id>/descriptors/", api.SkillDescriptorsView.as_view(),
         name="skill-descriptors"),
    path("skills/<int:skill_id>/resources/", api.SkillResourceListView.as_view(),
         name="resource-list"),
    path("resources/<int:resource_id>/", api.ResourceDetailView.as_view(),
         name="resource-detail"),
    # Role profiles, their requirements, career paths.
    path("roles/", api.RoleListView.as_view(), name="role-list"),
    path("roles/<int:role_id>/", api.RoleDetailView.as_view(), name="role-detail"),
    path("roles/<int:role_id>/requirements/", api.RoleRequirementListView.as_view(),
         name="requirement-list"),
    path("requirements/<int:requirement_id>/", api.RequirementDetailView.as_view(),
         name="requirement-detail"),
    path("paths/", api.PathListView.as_view(), name="path-list"),
    path("paths/<int:path_id>/", api.PathDetailView.as_view(), name="path-detail"),
    # A member's role, gaps, closest roles and pathway.
    path("me/role/", api.MyRoleView.as_view(), name="my-role"),
    path("me/pathway/", api.MyPathwayView.as_view(), name="my-pathway"),
    path("members/<int:member_id>/role/", api.MemberRoleView.as_view(), name="member-role"),
    path("members/<int:member_id>/gaps/<int:role_id>/", api.MemberGapsView.as_view(),
         name="member-gaps"),
    path("members/<int:member_id>/closest-roles/", api.MemberClosestRolesView.as_view(),
         name="member-closest-roles"),
    # Check-ins, the validation queue and the team matrix.
    path("check-ins/", api.CheckInListView.as_view(), name="check-in-list"),
    path("check-ins/<int:check_in_id>/", api.CheckInDetailView.as_view(),
         name="check-in-detail"),
    path("check-ins/<int:check_in_id>/self-ratings/", api.CheckInSelfRatingsView.as_view(),
         name="check-in-self-ratings"),
    path("check-ins/<int:check_in_id>/submit/", api.CheckInSubmitView.as_view(),
         name="check-in-submit"),
    path("check-ins/<int:check_in_id>/manager-ratings/",
         api.CheckInManagerRatingsView.as_view(), name="check-in-manager-ratings"),
    path("check-ins/<int:check_in_id>/validate/", api.CheckInValidateView.as_view(),
         name="check-in-validate"),
    path("validation-queue/", api.ValidationQueueView.as_view(), name="validation-queue"),
    path("team-matrix/", api.TeamMatrixView.as_view(), name="team-matrix"),
]
