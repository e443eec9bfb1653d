"""The reflection template and participation API (included by careers/api_urls.py)."""

from django.urls import path

from .api import hr as api

urlpatterns = [
    # The template: reads for every member, changes for HR admins.
    path("template/", api.TemplateView.as_view(), name="template"),
    path("template/reset/", api.TemplateResetView.as_view(), name="template-reset"),
    path("template/versions/", api.TemplateVersionListView.as_view(),
         name="template-versions"),
    path("template/areas/", api.TemplateAreaListView.as_view(), name="template-area-list"),
    path("template/areas/<int:area_id>/", api.TemplateAreaDetailView.as_view(),
         name="template-area-detail"),
    path("template/areas/<int:area_id>/move/", api.TemplateAreaMoveView.as_view(),
         name="template-area-move"),
    path("template/areas/<int:area_id>/prompts/", api.TemplatePromptListView.as_view(),
         name="template-prompt-list"),
    path("template/prompts/<int:prompt_id>/", api.TemplatePromptDetailView.as_view(),
         name="template-prompt-detail"),
    path("template/prompts/<int:prompt_id>/move/", api.TemplatePromptMoveView.as_view(),
         name="template-prompt-move"),
    # Participation: aggregates for HR admins and leaders, each member's counts for HR.
    path("participation/", api.ParticipationView.as_view(), name="participation"),
    path("participation/members/", api.ParticipationMemberListView.as_view(),
         name="participation-members"),
]
