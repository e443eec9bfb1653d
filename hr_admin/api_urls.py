"""The hr_admin API, mounted at /api/v1/o/<org_slug>/hr/ (namespace ``hr_admin-api``)."""

from django.urls import include, path

app_name = "hr_admin-api"

urlpatterns = [
    path("import/", include("hr_admin.api_urls_import")),
    path("opportunities/", include("hr_admin.api_urls_opportunities")),
    path("succession/", include("hr_admin.api_urls_succession")),
    path("recommendations/", include("hr_admin.api_urls_recommendations")),
    path("champions/", include("hr_admin.api_urls_champions")),
    path("stories/", include("hr_admin.api_urls_stories")),
    path("moves/", include("hr_admin.api_urls_moves")),
    path("health-check/", include("hr_admin.api_urls_health")),
    path("metrics/", include("hr_admin.api_urls_metrics")),
    path("", include("hr_admin.api_urls_records")),
]
