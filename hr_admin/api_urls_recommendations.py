"""API of hr_admin: the recommendations queue, under /api/v1/o/<org_slug>/hr/recommendations/
(names in the ``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_recommendations as api

urlpatterns = [
    path("", api.QueueView.as_view(), name="recommendation-queue"),
    path("<int:recommendation_id>/", api.QueuedRecommendationView.as_view(),
         name="recommendation-queued"),
    path("<int:recommendation_id>/decide/", api.QueueDecideView.as_view(),
         name="recommendation-queue-decide"),
]
