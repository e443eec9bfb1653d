"""Notifications API: the caller's notifications, email preferences and calendar feed.

Everything here is the caller's own (``self.membership``); no object id travels in a URL. Ids
in a mark-read request that are not the caller's are ignored like absent ones.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from organizations.api_base import ScopedAPIView, error_responses

from ..selectors import notifications as selectors
from ..serializers import notifications as s
from ..services import notifications as services

TAG = "conversations: notifications"


class NotificationListView(ScopedAPIView):
    @extend_schema(operation_id="conversations_notifications_list", tags=[TAG],
                   parameters=[s.NotificationQuerySerializer],
                   responses={200: s.NotificationSerializer(many=True),
                              **error_responses(400)})
    def get(self, request, org_slug):
        """My notifications, newest first."""
        query = self.parse(s.NotificationQuerySerializer, request.query_params)
        rows = selectors.notification_list(organization=self.organization,
                                           recipient=self.membership,
                                           unread_only=query["unread"])
        return self.paginated(rows, s.NotificationSerializer)


class NotificationSummaryView(ScopedAPIView):
    @extend_schema(operation_id="conversations_notifications_summary", tags=[TAG],
                   responses={200: s.NotificationSummarySerializer, **error_responses()})
    def get(self, request, org_slug):
        """How many of my notifications are unread (one cheap query: fit for polling)."""
        unread = selectors.notification_unread_count(organization=self.organization,
                                                     recipient=self.membership)
        return Response(s.NotificationSummarySerializer({"unread": unread}).data)


class NotificationReadView(ScopedAPIView):
    serializer_class = s.MarkReadInputSerializer

    @extend_schema(operation_id="conversations_notifications_mark_read", tags=[TAG],
                   request=s.MarkReadInputSerializer,
                   responses={200: s.MarkReadSerializer, **error_responses(400)})
    def post(self, request, org_slug):
        """Mark some of my notifications read (``ids``), or all of them (``all``)."""
        data = self.parse(s.MarkReadInputSerializer, request.data)
        marked = services.notifications_mark_read(**self.service_context,
                                                  ids=data.get("ids"), everything=data["all"])
        unread = selectors.notification_unread_count(organization=self.organization,
                                                     recipient=self.membership)
        return Response(s.MarkReadSerializer({"marked": marked, "unread": unread}).data)


class PreferenceView(ScopedAPIView):
    serializer_class = s.PreferenceSerializer

    def _answer(self) -> Response:
        preference = selectors.notification_preference_get(organization=self.organization,
                                                           member=self.membership)
        return Response(s.PreferenceSerializer(preference).data)

    @extend_schema(operation_id="conversations_preferences_retrieve", tags=[TAG],
                   responses={200: s.PreferenceSerializer, **error_responses()})
    def get(self, request, org_slug):
        """What I receive by email (the defaults until I change them)."""
        return self._answer()

    @extend_schema(operation_id="conversations_preferences_update", tags=[TAG],
                   request=s.PreferenceSerializer,
                   responses={200: s.PreferenceSerializer, **error_responses(400)})
    def put(self, request, org_slug):
        """Set what I receive by email. In-app notifications are always kept."""
        data = self.parse(s.PreferenceSerializer, request.data)
        services.notification_preference_update(**self.service_context, **data)
        return self._answer()

    @extend_schema(operation_id="conversations_preferences_partial_update", tags=[TAG],
                   request=s.PreferenceSerializer,
                   responses={200: s.PreferenceSerializer, **error_responses(400)})
    def patch(self, request, org_slug):
        """Change some of my email preferences."""
        data = self.parse(s.PreferenceSerializer, request.data, partial=True)
        services.notification_preference_update(**self.service_context, **data)
        return self._answer()


class CalendarFeedView(ScopedAPIView):
    def _state(self, feed) -> dict:
        return {"active": feed is not None,
                "created_at": feed.created_at if feed else None,
                "last_used_at": feed.last_used_at if feed else None}

    @extend_schema(operation_id="conversations_calendar_feed_retrieve", tags=[TAG],
                   responses={200: s.CalendarFeedSerializer, **error_responses()})
    def get(self, request, org_slug):
        """Whether I have a calendar feed (its URL is never shown again)."""
        feed = selectors.calendar_feed_get(organization=self.organization,
                                           member=self.membership)
        return Response(s.CalendarFeedSerializer(self._state(feed)).data)

    @extend_schema(operation_id="conversations_calendar_feed_create", tags=[TAG], request=None,
                   responses={201: s.CalendarFeedCreatedSerializer, **error_responses()})
    def post(self, request, org_slug):
        """Make my private feed URL, or a new one (the previous URL stops working). The URL
        is in this answer only."""
        feed, token = services.calendar_feed_create(**self.service_context)
        url = services.absolute(services.calendar_feed_path(organization=self.organization,
                                                            token=token))
        return Response(s.CalendarFeedCreatedSerializer({**self._state(feed), "url": url}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="conversations_calendar_feed_destroy", tags=[TAG],
                   responses={204: None, **error_responses()})
    def delete(self, request, org_slug):
        """Switch my feed off: its URL answers 404 from now on."""
        services.calendar_feed_revoke(**self.service_context)
        return Response(status=status.HTTP_204_NO_CONTENT)
