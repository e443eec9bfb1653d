"""Pages of hr_admin: the health check's surveys, under /o/<org_slug>/hr/health-check/.

HR admins keep the question set and create, launch and close surveys; leaders read the home and
participation; any invited member answers. Anyone else gets 404.
"""

from django.urls import path

from .views import health_surveys as views

urlpatterns = [
    path("", views.home, name="health"),
    path("questions/", views.questions, name="health_questions"),
    path("questions/new/", views.question_create, name="health_question_create"),
    path("questions/<int:health_question_id>/edit/", views.question_edit,
         name="health_question_edit"),
    path("questions/<int:health_question_id>/retire/", views.question_retire,
         name="health_question_retire"),
    path("questions/<int:health_question_id>/restore/", views.question_restore,
         name="health_question_restore"),
    path("questions/<int:health_question_id>/move/", views.question_move,
         name="health_question_move"),
    path("surveys/new/", views.survey_create, name="health_survey_create"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="health_survey"),
    path("surveys/<int:survey_id>/edit/", views.survey_edit, name="health_survey_edit"),
    path("surveys/<int:survey_id>/launch/", views.survey_launch, name="health_survey_launch"),
    path("surveys/<int:survey_id>/close/", views.survey_close, name="health_survey_close"),
    path("surveys/<int:survey_id>/delete/", views.survey_delete, name="health_survey_delete"),
    path("surveys/<int:survey_id>/answer/", views.answer, name="health_answer"),
]
