"""API of hr_admin: the health check's surveys (names in the ``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_health_surveys as api

urlpatterns = [
    path("questions/", api.QuestionListView.as_view(), name="health-question-list"),
    path("questions/<int:health_question_id>/", api.QuestionDetailView.as_view(),
         name="health-question-detail"),
    path("surveys/", api.SurveyListView.as_view(), name="health-survey-list"),
    path("surveys/<int:survey_id>/", api.SurveyDetailView.as_view(),
         name="health-survey-detail"),
    path("surveys/<int:survey_id>/participation/", api.ParticipationView.as_view(),
         name="health-survey-participation"),
    path("surveys/<int:survey_id>/answer/", api.AnswerView.as_view(),
         name="health-survey-answer"),
]
