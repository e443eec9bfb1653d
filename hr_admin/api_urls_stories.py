"""API of hr_admin: stories."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
