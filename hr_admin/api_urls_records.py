"""API of hr_admin: the audit log and leavers' erasure, under /api/v1/o/<org_slug>/hr/ (names in
the ``hr_admin-api`` namespace; HR admins only)."""

from django.urls import path

from . import api_records as api

urlpatterns = [
    path("audit/", api.AuditLogView.as_view(), name="audit-log"),
    path("leavers/", api.LeaverListView.as_view(), name="leaver-list"),
    path("leavers/<int:member_id>/erasure/", api.ErasureView.as_view(), name="leaver-erasure"),
]
