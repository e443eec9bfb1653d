"""Pages of hr_admin: the health check (surveys)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
