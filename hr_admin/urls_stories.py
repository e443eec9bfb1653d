"""Pages of success stories, under /o/<org_slug>/hr/stories/ (names in the ``hr_admin``
namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import stories as views

urlpatterns = [
    # Published stories for everyone; stories in progress for HR and leaders.
    path("", views.stories, name="stories"),
    path("new/", views.story_create, name="story_create"),
    path("<int:story_id>/", views.story, name="story"),
    path("<int:story_id>/edit/", views.story_edit, name="story_edit"),
    path("<int:story_id>/delete/", views.story_delete, name="story_delete"),
    path("<int:story_id>/request-consent/", views.story_request_consent,
         name="story_request_consent"),
    path("<int:story_id>/publish/", views.story_publish, name="story_publish"),
    path("<int:story_id>/unpublish/", views.story_unpublish, name="story_unpublish"),
    # The member it is about: read it, give, decline or withdraw consent.
    path("<int:story_id>/consent/", views.story_consent, name="story_consent"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("hr_admin:champions", [
        NavItem(_("Success stories"), "hr_admin:stories", "book", frozenset({"employee"})),
    ]),
]
