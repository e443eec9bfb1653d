"""API of hr_admin: recommendations."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
