"""The careers API, mounted at /api/v1/o/<org_slug>/career/ (namespace ``careers-api``)."""

from django.urls import include, path

app_name = "careers-api"

urlpatterns = [
    path("", include("careers.api_urls_reflection")),
    path("", include("careers.api_urls_plan")),
    path("", include("careers.api_urls_hr")),
]
