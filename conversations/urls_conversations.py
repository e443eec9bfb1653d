"""Pages of career conversations, under /o/<org_slug>/conversations/."""

from django.urls import path

from .views import conversations as views

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("schedule/", views.conversation_schedule, name="schedule"),
    path("guide/", views.guide_page, name="guide"),
    path("team/", views.team, name="team"),
    path("team/<int:member_id>/schedule/", views.schedule_with, name="schedule_with"),
    path("team/<int:member_id>/cadence/", views.cadence, name="cadence"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:partner_id>/end/", views.partner_end, name="partner_end"),
    path("people/<int:member_id>/partners/", views.member_partners, name="member_partners"),
    path("<int:conversation_id>/", views.conversation_detail, name="detail"),
    path("<int:conversation_id>/reschedule/", views.conversation_reschedule,
         name="reschedule"),
    path("<int:conversation_id>/cancel/", views.conversation_cancel, name="cancel"),
    path("<int:conversation_id>/held/", views.conversation_mark_held, name="mark_held"),
    path("<int:conversation_id>/topics/", views.topic_add, name="topic_add"),
    path("<int:conversation_id>/topics/<int:topic_id>/done/", views.topic_toggle,
         name="topic_toggle"),
    path("<int:conversation_id>/topics/<int:topic_id>/remove/", views.topic_remove,
         name="topic_remove"),
    path("<int:conversation_id>/preparation/", views.preparation, name="preparation"),
    path("<int:conversation_id>/areas/", views.areas, name="areas"),
    path("<int:conversation_id>/notes/", views.shared_notes, name="shared_notes"),
    path("<int:conversation_id>/private-note/", views.private_note, name="private_note"),
    path("<int:conversation_id>/actions/", views.action_add, name="action_add"),
    path("<int:conversation_id>/outcome/", views.outcome, name="outcome"),
]
