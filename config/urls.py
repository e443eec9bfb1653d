from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from organizations import views as org_views

handler404 = "organizations.views.page_not_found"
handler403 = "organizations.views.permission_denied"
handler500 = "organizations.views.server_error"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", org_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/tokens/", org_views.api_tokens, name="api_tokens"),
    path("organizations/new/", org_views.organization_new, name="organization_new"),
    path("health-check/", include("hr_admin.urls_public_health")),
    path("o/<slug:org_slug>/skills/", include("skills.urls")),
    path("o/<slug:org_slug>/career/", include("careers.urls")),
    path("o/<slug:org_slug>/conversations/", include("conversations.urls")),
    path("o/<slug:org_slug>/hr/", include("hr_admin.urls")),
    path("o/<slug:org_slug>/", include("organizations.urls")),
    path("api/v1/o/<slug:org_slug>/skills/", include("skills.api_urls")),
    path("api/v1/o/<slug:org_slug>/career/", include("careers.api_urls")),
    path("api/v1/o/<slug:org_slug>/conversations/", include("conversations.api_urls")),
    path("api/v1/o/<slug:org_slug>/hr/", include("hr_admin.api_urls")),
    path("api/v1/o/<slug:org_slug>/", include("organizations.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
]
