"""Pages of the Culture Health Check, at /o/<org_slug>/hr/health-check/."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

urlpatterns = [
    # Question set, launch, participation, answering (surveys); scores, heatmap, trend (results);
    # the quick self-assessment and the action plan (quick).
    path("", include("hr_admin.urls_health_surveys")),
    path("", include("hr_admin.urls_health_results")),
    path("", include("hr_admin.urls_health_quick")),
]

NAV = [
    ("careers:participation", [
        NavItem(_("Culture health check"), "hr_admin:health", "pulse",
                frozenset({"hr", "leader"})),
    ]),
]
