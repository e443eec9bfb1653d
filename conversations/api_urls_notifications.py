from django.urls import path

from .api import notifications as api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="notification-list"),
    path("notifications/summary/", api.NotificationSummaryView.as_view(),
         name="notification-summary"),
    path("notifications/read/", api.NotificationReadView.as_view(), name="notification-read"),
    path("notifications/preferences/", api.PreferenceView.as_view(),
         name="notification-preferences"),
    path("calendar-feed/", api.CalendarFeedView.as_view(), name="calendar-feed"),
]
