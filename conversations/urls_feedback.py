"""Positive feedback and recommendations, under /o/<org_slug>/conversations/ (names in the
``conversations`` namespace)."""

from django.urls import path

from .views import feedback as views

urlpatterns = [
    # Feedback I received and gave; giving it; withdrawing it (its author, within a day).
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/give/", views.feedback_give, name="feedback_give"),
    path("feedback/<int:feedback_id>/withdraw/", views.feedback_withdraw,
         name="feedback_withdraw"),
    # Recommendations: managers write them, HR decides, leaders read.
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/new/", views.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:recommendation_id>/", views.recommendation,
         name="recommendation"),
    path("recommendations/<int:recommendation_id>/withdraw/", views.recommendation_withdraw,
         name="recommendation_withdraw"),
    path("recommendations/<int:recommendation_id>/decide/", views.recommendation_decide,
         name="recommendation_decide"),
]
