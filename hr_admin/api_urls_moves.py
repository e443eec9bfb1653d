"""API of hr_admin: moves."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
