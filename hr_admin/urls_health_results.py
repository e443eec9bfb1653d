"""Pages of hr_admin: the health check's results, under /o/<org_slug>/hr/health-check/.

HR admins and leaders read a survey's results (interim overall figures while it is open, every
slice allowed once closed); anyone else gets 404.
"""

from django.urls import path

from .views import health_results as views

urlpatterns = [
    path("surveys/<int:survey_id>/results/", views.results, name="health_results"),
]
