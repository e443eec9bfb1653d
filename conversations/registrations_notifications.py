"""What notifications add to the member's career record: their email preferences, whether they
have a calendar feed (never its secret, which Trellis does not have), the reminders and weekly
digests sent to them and their in-app notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.personal_data import PersonalDataSection, iso, register_personal_data


def collect_notifications(*, organization, member) -> dict:
    from .models import DigestDelivery, ReminderDelivery
    from .selectors import notifications as selectors

    preference = selectors.notification_preference_get(organization=organization,
                                                       member=member)
    feed = selectors.calendar_feed_get(organization=organization, member=member)
    reminders = (ReminderDelivery.objects.for_org(organization).filter(recipient=member)
                 .order_by("created_at", "pk")
                 .values("kind", "conversation_id", "scheduled_for", "sent_at", "attempts",
                         "last_error", "created_at"))
    digests = (DigestDelivery.objects.for_org(organization).filter(manager=member)
               .order_by("week", "pk").values("week", "sent_at"))
    return {
        "email_preferences": {name: getattr(preference, name) for name in (
            "email_reminders", "email_digest", "email_outcome_pulse", "email_updates")},
        "email_preferences_changed_at": iso(getattr(preference, "updated_at", None)),
        "calendar_feed": ({"created_at": iso(feed.created_at),
                           "last_used_at": iso(feed.last_used_at)} if feed else None),
        "reminders": [{"kind": r["kind"], "conversation_id": r["conversation_id"],
                       "conversation_at": iso(r["scheduled_for"]), "sent_at": iso(r["sent_at"]),
                       "attempts": r["attempts"], "last_error": r["last_error"],
                       "due_at": iso(r["created_at"])}
                      for r in reminders],
        "weekly_digests": [{"week": iso(d["week"]), "sent_at": iso(d["sent_at"])}
                           for d in digests],
        "notifications": [{"kind": n.kind, "title": n.title, "body": n.body, "url": n.url,
                           "conversation_id": n.conversation_id,
                           "created_at": iso(n.created_at), "read_at": iso(n.read_at)}
                          for n in selectors.notification_list(organization=organization,
                                                               recipient=member)],
    }


def register_notifications() -> None:
    register_personal_data(PersonalDataSection(
        key="notifications", title=_("Notifications and reminders"),
        collect=collect_notifications,
        template="conversations/notifications/_record.html", order=70,
        fields=(
            "conversations.NotificationPreference.member",
            "conversations.NotificationPreference.email_reminders",
            "conversations.NotificationPreference.email_digest",
            "conversations.NotificationPreference.email_outcome_pulse",
            "conversations.NotificationPreference.email_updates",
            "conversations.NotificationPreference.updated_at",
            "conversations.CalendarFeed.member", "conversations.CalendarFeed.created_at",
            "conversations.CalendarFeed.last_used_at",
            "conversations.ReminderDelivery.recipient", "conversations.ReminderDelivery.kind",
            "conversations.ReminderDelivery.conversation",
            "conversations.ReminderDelivery.scheduled_for",
            "conversations.ReminderDelivery.sent_at", "conversations.ReminderDelivery.attempts",
            "conversations.ReminderDelivery.last_error",
            "conversations.ReminderDelivery.created_at",
            "conversations.DigestDelivery.manager", "conversations.DigestDelivery.week",
            "conversations.DigestDelivery.sent_at",
            "conversations.Notification.recipient", "conversations.Notification.kind",
            "conversations.Notification.title", "conversations.Notification.body",
            "conversations.Notification.url", "conversations.Notification.conversation",
            "conversations.Notification.created_at", "conversations.Notification.read_at",
        )))
