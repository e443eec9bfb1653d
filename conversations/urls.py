from django.urls import include, path

app_name = "conversations"

urlpatterns = [
    # Conversations: scheduling, agenda, preparation, guide, notes, outcomes, team, partners.
    path("", include("conversations.urls_conversations")),
    # Reminders and notifications: the notification list, preferences, the calendar feed.
    path("", include("conversations.urls_notifications")),
    # Positive feedback and recommendations.
    path("", include("conversations.urls_feedback")),
]
