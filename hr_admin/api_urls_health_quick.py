"""API of hr_admin: the health check (quick)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
