"""Pages of internal opportunities, under /o/<org_slug>/hr/opportunities/ (names in the
``hr_admin`` namespace)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from organizations.navigation import NavItem

from .views import opportunities as views


def _approvals_waiting(request) -> int:
    """Approvals waiting for the caller, beside "Openings" (one query)."""
    from .selectors.opportunities import approvals_pending_count

    membership = getattr(request, "membership", None)
    if membership is None:
        return 0
    return approvals_pending_count(organization=request.organization, approver=membership)


urlpatterns = [
    # Members: browse open opportunities with their match, saved ones, their interests.
    path("", views.opportunities, name="opportunities"),
    path("<int:opportunity_id>/", views.opportunity_detail, name="opportunity_detail"),
    path("<int:opportunity_id>/save/", views.opportunity_bookmark, name="opportunity_bookmark"),
    path("<int:opportunity_id>/interest/", views.opportunity_interest,
         name="opportunity_interest"),
    path("<int:opportunity_id>/interest/withdraw/", views.opportunity_withdraw,
         name="opportunity_withdraw"),
    # HR and managers: post, edit, publish or close, rank candidates, fill.
    path("manage/", views.opportunity_manage, name="opportunity_manage"),
    path("new/", views.opportunity_create, name="opportunity_create"),
    path("<int:opportunity_id>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("<int:opportunity_id>/status/", views.opportunity_status, name="opportunity_status"),
    path("<int:opportunity_id>/candidates/", views.opportunity_candidates,
         name="opportunity_candidates"),
    path("<int:opportunity_id>/fill/", views.opportunity_fill, name="opportunity_fill"),
    path("interests/<int:interest_id>/not-selected/", views.interest_not_selected,
         name="interest_not_selected"),
    # Line managers (and HR, for members without one): approve the time a project or gig takes.
    path("approvals/", views.opportunity_approvals, name="opportunity_approvals"),
    path("interests/<int:interest_id>/approval/", views.interest_approval,
         name="interest_approval"),
]

# (the navigation entry these follow, the entries), collected by hr_admin.navigation.
NAV: list = [
    ("careers:plan", [
        NavItem(_("Opportunities"), "hr_admin:opportunities", "briefcase",
                frozenset({"employee"})),
    ]),
    ("organizations:my_team", [
        NavItem(_("Openings"), "hr_admin:opportunity_manage", "flag",
                frozenset({"hr", "manager"}), count=_approvals_waiting),
    ]),
]
