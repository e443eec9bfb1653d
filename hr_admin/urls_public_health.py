"""Pages of hr_admin: public_health."""

from django.urls import path  # noqa: F401

# The public quick self-assessment, at /health-check/ (no organisation, no account).
app_name = "health_public"

urlpatterns: list = []
