"""Pages of hr_admin: career moves, under /o/<org_slug>/hr/moves/.

HR admins and leaders read the organisation's moves; HR records one by hand and removes one
recorded in error. A member's own history is a panel of their profile.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import moves as views

urlpatterns = [
    path("", views.moves, name="moves"),
    path("new/", views.move_create, name="move_create"),
    path("<int:move_id>/delete/", views.move_delete, name="move_delete"),
    path("<int:move_id>/regretted/", views.move_regretted, name="move_regretted"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("organizations:people", [
        NavItem(_("Career moves"), "hr_admin:moves", "route", frozenset({"hr", "leader"})),
    ]),
]
