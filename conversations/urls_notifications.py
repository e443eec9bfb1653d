"""Notifications, email preferences, the private calendar feed (/o/<org_slug>/conversations/)."""

from django.urls import path

from .views import notifications as views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/calendar/", views.calendar_settings, name="calendar"),
    # Public: the secret in the URL is the credential (calendar clients cannot sign in).
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
