"""Pages of Office Career Champions, under /o/<org_slug>/hr/champions/ (names in the
``hr_admin`` namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import champions as views


def pending_nominees(request) -> int:
    """People waiting for HR's decision, for HR's navigation: one count."""
    from .selectors.champions import pending_nominee_count

    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_hr_admin:
        return 0
    return pending_nominee_count(organization=request.organization, viewer=membership)


urlpatterns = [
    # The directory (everyone) and a champion's page.
    path("", views.champions, name="champions"),
    path("<int:champion_id>/", views.champion, name="champion"),
    path("<int:champion_id>/statement/", views.champion_statement, name="champion_statement"),
    path("<int:champion_id>/end/", views.champion_end, name="champion_end"),
    # Nominating a colleague, and withdrawing one's own nomination while it waits.
    path("nominate/", views.champion_nominate, name="champion_nominate"),
    path("nominations/<int:champion_nomination_id>/withdraw/",
         views.champion_nomination_withdraw, name="champion_nomination_withdraw"),
    # HR: the queue, grouped by nominee; one nominee's nominations and the decision.
    path("nominations/", views.champion_nominations, name="champion_nominations"),
    path("nominations/people/<int:member_id>/", views.champion_nominee,
         name="champion_nominee"),
    path("nominations/people/<int:member_id>/decide/", views.champion_nominee_decide,
         name="champion_nominee_decide"),
    path("nominations/<int:champion_nomination_id>/set-aside/",
         views.champion_nomination_set_aside, name="champion_nomination_set_aside"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("conversations:feedback", [
        NavItem(_("Career Champions"), "hr_admin:champions", "award", frozenset({"employee"})),
    ]),
    ("organizations:people", [
        NavItem(_("Champion nominations"), "hr_admin:champion_nominations", "award",
                frozenset({"hr"}), count=pending_nominees),
    ]),
]
