from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.org_home, name="home"),
    path("people/", views.people, name="people"),
    path("people/<int:member_id>/", views.member_detail, name="member_detail"),
    path("people/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("team/", views.my_team, name="my_team"),
    path("me/", views.my_profile, name="my_profile"),
    path("session/", views.session_check, name="session_check"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/resend/", views.invitation_resend,
         name="invitation_resend"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke,
         name="invitation_revoke"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("settings/", views.organization_settings, name="settings"),
    path("settings/teams/", views.team_create, name="team_create"),
]
