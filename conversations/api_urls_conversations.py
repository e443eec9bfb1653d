"""Conversations API routes, under /api/v1/o/<org_slug>/conversations/."""

from django.urls import path

from .api import conversations as api

C = "conversations/<int:conversation_id>/"

urlpatterns = [
    path("conversations/", api.ConversationListView.as_view(), name="conversation-list"),
    path(C, api.ConversationDetailView.as_view(), name="conversation-detail"),
    path(C + "cancel/", api.ConversationCancelView.as_view(), name="conversation-cancel"),
    path(C + "held/", api.ConversationHeldView.as_view(), name="conversation-held"),
    path(C + "topics/", api.TopicListView.as_view(), name="conversation-topic-list"),
    path(C + "topics/<int:topic_id>/", api.TopicDetailView.as_view(),
         name="conversation-topic-detail"),
    path(C + "preparation/", api.PreparationView.as_view(), name="conversation-preparation"),
    path(C + "areas/", api.AreaListView.as_view(), name="conversation-area-list"),
    path(C + "areas/<int:reflection_id>/<int:area_id>/", api.AreaDetailView.as_view(),
         name="conversation-area-detail"),
    path(C + "shared-notes/", api.SharedNotesView.as_view(), name="conversation-shared-notes"),
    path(C + "private-note/", api.PrivateNoteView.as_view(), name="conversation-private-note"),
    path(C + "actions/", api.ActionListView.as_view(), name="conversation-action-list"),
    path(C + "outcome/", api.OutcomeView.as_view(), name="conversation-outcome"),
    path("guide/", api.GuideView.as_view(), name="guide"),
    path("summary/", api.SummaryView.as_view(), name="summary"),
    path("team/", api.TeamView.as_view(), name="team"),
    path("team/<int:member_id>/cadence/", api.CadenceView.as_view(), name="team-cadence"),
    path("partners/", api.PartnerListView.as_view(), name="partner-list"),
    path("partners/<int:partner_id>/", api.PartnerDetailView.as_view(), name="partner-detail"),
]
