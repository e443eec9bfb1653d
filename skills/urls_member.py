"""Member and manager pages, under /o/<org_slug>/skills/ (included by skills/urls.py)."""

from django.urls import path

from .views import member

urlpatterns = [
    path("", member.my_skills, name="my_skills"),
    path("check-ins/start/", member.check_in_start, name="check_in_start"),
    path("check-ins/<int:check_in_id>/", member.check_in, name="check_in"),
    path("roles/<int:role_id>/gaps/", member.gaps, name="gaps"),
    path("explorer/", member.explorer, name="explorer"),
    path("explorer/closest/", member.closest, name="closest"),
    path("validation/", member.validation_queue, name="validation_queue"),
    path("team/", member.team_matrix, name="team_matrix"),
]
