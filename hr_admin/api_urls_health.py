"""API of the Culture Health Check, at /api/v1/o/<org_slug>/hr/health-check/."""

from django.urls import include, path

urlpatterns = [
    path("", include("hr_admin.api_urls_health_surveys")),
    path("", include("hr_admin.api_urls_health_results")),
    path("", include("hr_admin.api_urls_health_quick")),
]
