"""Pages of hr_admin: health."""

from django.urls import path  # noqa: F401

from organizations.navigation import NavItem  # noqa: F401

urlpatterns: list = []

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = []
