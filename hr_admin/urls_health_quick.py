"""Pages of the health check: the quick self-assessment and the action plan (HR admins and
leaders; anyone else gets 404, except an action's owner marking it done)."""

from django.urls import path

from .views import health_quick as views

urlpatterns = [
    path("quick/", views.quick_form, name="health_quick"),
    path("quick/<int:survey_id>/", views.quick_result, name="health_quick_result"),
    path("actions/", views.action_list, name="health_actions"),
    path("actions/new/", views.action_create, name="health_action_create"),
    path("actions/<int:health_action_id>/edit/", views.action_edit, name="health_action_edit"),
    path("actions/<int:health_action_id>/done/", views.action_done, name="health_action_done"),
    path("actions/<int:health_action_id>/delete/", views.action_delete,
         name="health_action_delete"),
]
