"""hr_admin pages, mounted at /o/<org_slug>/hr/ (namespace ``hr_admin``)."""

from django.urls import include, path

app_name = "hr_admin"

urlpatterns = [
    path("import/", include("hr_admin.urls_import")),
    path("opportunities/", include("hr_admin.urls_opportunities")),
    path("succession/", include("hr_admin.urls_succession")),
    path("recommendations/", include("hr_admin.urls_recommendations")),
    path("champions/", include("hr_admin.urls_champions")),
    path("stories/", include("hr_admin.urls_stories")),
    path("moves/", include("hr_admin.urls_moves")),
    path("health-check/", include("hr_admin.urls_health")),
    path("metrics/", include("hr_admin.urls_metrics")),
    # The audit log and leavers' erasure.
    path("", include("hr_admin.urls_records")),
]
