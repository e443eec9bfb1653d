"""API of hr_admin: the health check (results)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
