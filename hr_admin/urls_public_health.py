"""The public quick self-assessment, at /health-check/ (no organisation, no account)."""

from django.urls import path

from . import api_health_quick as api
from .views import health_public as views

app_name = "health_public"

urlpatterns = [
    path("", views.intro, name="intro"),
    path("questions/", views.questions, name="questions"),
    path("results/", views.results, name="results"),
    path("start/", views.start, name="start"),
    path("api/submit/", api.PublicSubmitView.as_view(), name="api-submit"),
]
