"""API of hr_admin: the Culture Health Check."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
