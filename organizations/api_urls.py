from django.urls import path

from . import api

app_name = "organizations-api"

urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("members/", api.MemberListView.as_view(), name="member-list"),
    path("members/<int:member_id>/", api.MemberDetailView.as_view(), name="member-detail"),
    path("teams/", api.TeamListView.as_view(), name="team-list"),
    path("teams/<int:team_id>/", api.TeamDetailView.as_view(), name="team-detail"),
    path("invitations/", api.InvitationListView.as_view(), name="invitation-list"),
    path("invitations/<int:invitation_id>/", api.InvitationDetailView.as_view(),
         name="invitation-detail"),
    path("invitations/<int:invitation_id>/resend/", api.InvitationResendView.as_view(),
         name="invitation-resend"),
]
