"""Success stories in the API, under /api/v1/o/<org_slug>/hr/stories/ (names in the
``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_stories as api

urlpatterns = [
    path("", api.StoryListView.as_view(), name="story-list"),
    path("<int:story_id>/", api.StoryDetailView.as_view(), name="story-detail"),
    path("<int:story_id>/request-consent/", api.StoryRequestConsentView.as_view(),
         name="story-request-consent"),
    path("<int:story_id>/consent/", api.StoryConsentView.as_view(), name="story-consent"),
    path("<int:story_id>/publish/", api.StoryPublishView.as_view(), name="story-publish"),
    path("<int:story_id>/unpublish/", api.StoryUnpublishView.as_view(),
         name="story-unpublish"),
]
