"""Input and output shapes of the notifications API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import NotificationKind

MARK_READ_MAX_IDS = 500


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    title = serializers.CharField(help_text=_("Written in the recipient's language."))
    body = serializers.CharField()
    url = serializers.CharField(help_text=_("The page it is about, relative to the site."))
    conversation_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    unread = serializers.SerializerMethodField()

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Only the unread ones."))


class MarkReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                max_length=MARK_READ_MAX_IDS,
                                help_text=_("Notifications to mark read; ids that are not "
                                            "yours are ignored."))
    all = serializers.BooleanField(required=False, default=False,
                                   help_text=_("Mark every one of your notifications read."))

    def validate(self, data):
        if not data.get("all") and not data.get("ids"):
            raise serializers.ValidationError(
                {"ids": [_("Give the ids to mark read, or set “all”.")]})
        return data


class MarkReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many were unread and are now read."))
    unread = serializers.IntegerField(help_text=_("How many are still unread."))


class NotificationSummarySerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class PreferenceSerializer(serializers.Serializer):
    email_reminders = serializers.BooleanField(
        help_text=_("Reminders before my conversations (two days as the employee, one day as "
                    "the partner)."))
    email_digest = serializers.BooleanField(
        help_text=_("The weekly digest of reports overdue for a conversation (managers)."))
    email_outcome_pulse = serializers.BooleanField(
        help_text=_("After a conversation, asking how it went."))
    email_updates = serializers.BooleanField(
        help_text=_("When a conversation is scheduled, moved or cancelled."))
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CalendarFeedSerializer(serializers.Serializer):
    active = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)


class CalendarFeedCreatedSerializer(CalendarFeedSerializer):
    url = serializers.URLField(help_text=_("The private feed URL. Shown this once: only its "
                                           "fingerprint is kept."))
