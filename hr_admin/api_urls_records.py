"""API of hr_admin: records."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
