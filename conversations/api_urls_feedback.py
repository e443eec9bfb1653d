"""Positive feedback and recommendations in the API, under /api/v1/o/<org_slug>/conversations/
(names in the ``conversations-api`` namespace)."""

from django.urls import path

from .api import feedback as api

urlpatterns = [
    path("feedback/", api.FeedbackListView.as_view(), name="feedback-list"),
    path("feedback/<int:feedback_id>/", api.FeedbackDetailView.as_view(),
         name="feedback-detail"),
    path("members/<int:member_id>/feedback/", api.MemberFeedbackView.as_view(),
         name="member-feedback"),
    path("recommendations/", api.RecommendationListView.as_view(), name="recommendation-list"),
    path("recommendations/<int:recommendation_id>/", api.RecommendationDetailView.as_view(),
         name="recommendation-detail"),
    path("recommendations/<int:recommendation_id>/withdraw/",
         api.RecommendationWithdrawView.as_view(), name="recommendation-withdraw"),
    path("recommendations/<int:recommendation_id>/decide/",
         api.RecommendationDecideView.as_view(), name="recommendation-decide"),
]
