"""Internal opportunities in the API, under /api/v1/o/<org_slug>/hr/opportunities/ (names in
the ``hr_admin-api`` namespace)."""

from django.urls import path

from . import api_opportunities as api

urlpatterns = [
    path("", api.OpportunityListView.as_view(), name="opportunity-list"),
    path("managed/", api.ManagedOpportunityListView.as_view(), name="opportunity-managed-list"),
    path("<int:opportunity_id>/", api.OpportunityDetailView.as_view(),
         name="opportunity-detail"),
    path("<int:opportunity_id>/status/", api.OpportunityStatusView.as_view(),
         name="opportunity-status"),
    path("<int:opportunity_id>/bookmark/", api.OpportunityBookmarkView.as_view(),
         name="opportunity-bookmark"),
    path("<int:opportunity_id>/interest/", api.OpportunityInterestView.as_view(),
         name="opportunity-interest"),
    path("<int:opportunity_id>/candidates/", api.OpportunityCandidatesView.as_view(),
         name="opportunity-candidates"),
    path("<int:opportunity_id>/fill/", api.OpportunityFillView.as_view(),
         name="opportunity-fill"),
    path("interests/", api.InterestListView.as_view(), name="opportunity-interest-list"),
    path("interests/<int:interest_id>/", api.InterestDetailView.as_view(),
         name="opportunity-interest-detail"),
    path("interests/<int:interest_id>/approval/", api.InterestApprovalView.as_view(),
         name="opportunity-interest-approval"),
    path("interests/<int:interest_id>/not-selected/", api.InterestNotSelectedView.as_view(),
         name="opportunity-interest-not-selected"),
    path("approvals/", api.ApprovalListView.as_view(), name="opportunity-approval-list"),
]
