"""The conversations API, mounted at /api/v1/o/<org_slug>/conversations/ (namespace
``conversations-api``)."""

from django.urls import include, path

app_name = "conversations-api"

urlpatterns = [
    path("", include("conversations.api_urls_conversations")),
    path("", include("conversations.api_urls_notifications")),
    path("", include("conversations.api_urls_feedback")),
]
