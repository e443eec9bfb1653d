"""Emerging-skill notices of the signed-in member (mounted at /o/<org_slug>/skills/notices/)."""

from django.urls import path

from .views import notices

urlpatterns = [
    path("", notices.notices, name="notices"),
    path("<int:notice_id>/read/", notices.notice_read, name="notice_read"),
]
