"""What notifications add to the member's career record: their email preferences, whether they
have a calendar feed (never its secret, which Trellis does not have), the reminders sent to
them and their in-app notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from organizations.personal_data import PersonalDataSection, iso, register_personal_data


def collect_notifications(*, organization, member) -> dict:
    from .models import ReminderDelivery
    from .selectors import notifications as selectors

    preference = selectors.notification_preference_get(organization=organization,
                                                       member=member)
    feed = selectors.calendar_feed_get(organization=organization, member=member)
    reminders = (ReminderDelivery.objects.for_org(organization).filter(recipient=member)
                 .order_by("created_at", "pk")
                 .values("kind", "conversation_id", "scheduled_for", "sent_at"))
    return {
        "email_preferences": {name: getattr(preference, name) for name in (
            "email_reminders", "email_digest", "email_outcome_pulse", "email_updates")},
        "calendar_feed": ({"created_at": iso(feed.created_at),
                           "last_used_at": iso(feed.last_used_at)} if feed else None),
        "reminders": [{"kind": r["kind"], "conversation_id": r["conversation_id"],
                       "conversation_at": iso(r["scheduled_for"]), "sent_at": iso(r["sent_at"])}
                      for r in reminders],
        "notifications": [{"kind": n.kind, "title": n.title, "body": n.body,
                           "created_at": iso(n.created_at), "read_at": iso(n.read_at)}
                          for n in selectors.notification_list(organization=organization,
                                                               recipient=member)],
    }


def register_notifications() -> None:
    register_personal_data(PersonalDataSection(
        key="notifications", title=_("Notifications and reminders"),
        collect=collect_notifications,
        template="conversations/notifications/_record.html", order=70))
